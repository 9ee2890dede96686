"""Ways of running the model: one job type and one ``run_job`` (``jobs``) behind run, compare,
switch-year, sweeps and the EMA adapter, on the executors (in process, local pool, Dask).
Never imports reports or text."""
