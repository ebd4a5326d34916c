"""`make bench`: the pipeline's timings and the SGD kernel against a naive reference."""
