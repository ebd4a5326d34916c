"""NNDL2024 Session 1, worked as a reproducible DVC pipeline. Three subpackages show the design:

- `numerics`: what the sheet is about, as pure functions (no file I/O, no params, no global
  state): the SGD fits of the precision matrix (`precision`, `sweep`), the gradient ascent
  (`ascent`), the sample (`gaussian`), the network (`network`, torch), the mathematical
  exercises (`exercises`) and the facts the report states (`findings`).
- `presentation`: what the presentation stages make of the data: metrics and plot data
  (`summaries`), figures (`figures`, `plotting`), the report's context and its templates
  (`report`, `prose`, templates/).
- `pipeline`: the plumbing around them: the params loader (`params`), file locations
  (`paths`), outputs written as one set (`io`), the floating-point pins (`pins`, pins.env),
  stage start-up (`startup`), repair and tidying around DVC (`repair`, `tidy`), the offline
  page of `dvc plots` (`plots_page`) and progress bars (`progress`).

The DVC stages (stages/) load params, call these, and write.
"""
