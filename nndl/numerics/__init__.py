"""What the sheet is about, as pure functions: no file I/O, no params, no global state."""
