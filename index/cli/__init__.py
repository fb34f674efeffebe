"""The ``kildefinner-index`` command line (``python -m index.cli``)."""
