"""Submodels: one process per file, each usable and testable on its own (see docs/ODD.md §7)."""
