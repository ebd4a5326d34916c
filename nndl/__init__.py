"""NNDL2024 Session 1, worked as a reproducible DVC pipeline.

The modules here are pure numerics (no file I/O, no params parsing) except
`params` (the one loader of params.yaml) and `io` (atomic writes and readers).
"""
