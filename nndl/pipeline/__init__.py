"""The plumbing of the pipeline: params, paths, outputs, pins, stage start-up, DVC housekeeping."""
