"""Where a stage runs: worker processes on this machine (`local.Local`, its pool in `pool`), or a
Dask cluster (`dask.Dask`). Both are exported by `newsingest.pipeline`; this package imports
nothing itself, so that the stages can use the pool without importing the engines."""
