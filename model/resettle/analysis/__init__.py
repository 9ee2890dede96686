"""Statistics, sensitivity analysis and scenario discovery: pure functions on tables and
arrays. Never imports the model."""
