"""Tests of ``app.search``."""
