"""Tests of ``app.i18n``."""
