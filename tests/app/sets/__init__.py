"""Tests of ``app.sets``."""
