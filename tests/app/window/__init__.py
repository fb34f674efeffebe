"""Tests of ``app.window``."""
