"""Searching and reading: the search bar, the result list and pane, the document view, history, originals."""
