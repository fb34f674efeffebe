"""Tests of ``app.cleanup``."""
