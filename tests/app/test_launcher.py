"""The packaged entry script picks the app or the CLI by the executable's name."""

from __future__ import annotations

import sys

import pytest

from app import launcher


@pytest.mark.parametrize(("argv0", "expected"), [
    ("/opt/kildefinner/kildefinner-index", "cli"), (r"C:\Program Files\Kildefinner\kildefinner-index.exe", "cli"),
    ("/opt/kildefinner/kildefinner", "app"), ("kildefinner.exe", "app"),
])
def test_dispatch_by_executable_name(monkeypatch, argv0, expected):
    import app.main
    import index.cli.main

    monkeypatch.setattr(index.cli.main, "main", lambda: "cli")
    monkeypatch.setattr(app.main, "main", lambda: "app")
    monkeypatch.setattr(sys, "argv", [argv0.replace("\\", "/")])
    assert launcher.main() == expected
