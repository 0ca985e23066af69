"""Exports as pure functions, one module per format: plain data in, a document out."""
