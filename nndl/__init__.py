"""NNDL2024 Session 1, worked as a reproducible DVC pipeline.

Pure numerics (no file I/O, no params, no global state): `ascent`, `precision`, `sweep`,
`gaussian`, `network` (torch) and `exercises`. Everything else does one job around them:

- `params` reads and checks params.yaml; `cli` starts and stops a stage program around it;
- `paths` says where each file lives and how each run is named;
- `io` writes outputs atomically and reads the pipeline's files; `plotting` sets matplotlib
  up for byte-identical PNGs (global state) and saves figures; `memo` lets the SGD summary
  keep a figure whose inputs did not change;
- `dispatch` pins floating point to one code path per process; `progress` draws progress bars;
- `lockfile` and `repair` keep dvc.lock tidy and mend what a killed dvc leaves;
- `plots_page` builds the offline page of `dvc plots`; `sandbox` copies the repository for
  the tests and the benchmark; `bytecode` compiles, once, the bytecode the figure stages'
  `python -OO` reads.
"""
