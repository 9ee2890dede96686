"""Default sizes of the studies, apart from the code that runs them so that the command line
can show them without importing it."""

DEFAULT_REPS = 100  # compare: gives CI half-widths near 0.01 on the 0..1 metrics
SWITCH_YEAR_REPS = 50  # switch-year: replications per switch year
MIN_PRECISION_REPS = 10  # compare --precision: the first round (assumption: enough for an sd)
MAX_PRECISION_REPS = 1000  # compare --precision: the most it adds rounds up to (assumption)
