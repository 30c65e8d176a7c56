"""Where a stage runs: worker processes on this machine, or a Dask cluster."""
