"""Errors go through one dialog; uncaught exceptions are logged to the rotating log file."""

from __future__ import annotations

import logging
import sys

from app import errors


def test_show_error_dialog(qtbot):
    box = errors.show_error(None, "Indeksen er skadet.", "detaljer: /tmp/x")
    qtbot.addWidget(box)
    assert box.text() == "Indeksen er skadet."
    assert box.detailedText() == "detaljer: /tmp/x"
    assert box in errors.shown
    box.close()


def test_excepthook_logs_and_shows(qtbot, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    root = logging.getLogger()
    before = list(root.handlers), root.level
    try:
        path = errors.setup_logging()
        errors.install_excepthook()
        try:
            raise ValueError("a bug")
        except ValueError:
            sys.excepthook(*sys.exc_info())
        for h in root.handlers:
            h.flush()
        assert "ValueError: a bug" in path.read_text(encoding="utf-8")
        assert errors.shown and "Noe gikk galt" in errors.shown[-1].text()
        errors.shown[-1].close()
    finally:
        for h in root.handlers[:]:
            if h not in before[0]:
                root.removeHandler(h)
                h.close()
        root.setLevel(before[1])
