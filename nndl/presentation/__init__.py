"""What the presentation stages make of the data: metrics, plot data, figures and the report."""
