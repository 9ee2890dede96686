"""Reports: the document model and its renderers, figures, and each study's report (run,
compare, switch-year, sweep analysis)."""
