"""Default sizes of the studies, apart from the code that runs them so that the command line
can show them without importing it."""

DEFAULT_REPS = 100  # compare: gives CI half-widths near 0.01 on the 0..1 metrics
SWITCH_YEAR_REPS = 50  # switch-year: replications per switch year
