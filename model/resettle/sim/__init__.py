"""The model core: the community, its monthly schedule, agents and submodels, the monthly
table. Never imports experiments, reports, text, the dashboard or the command line."""
