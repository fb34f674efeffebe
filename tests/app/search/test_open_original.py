"""«Åpne original» opens only document types the app knows, never a program, and says so when it cannot."""

from __future__ import annotations

import dataclasses

import pytest

from app import errors
from app.qt import QUrl
from app.search.originals import openable
from tests.app.conftest import search


@pytest.mark.parametrize("url, ok", [
    ("file:///srv/prosedyrer/pvk.pdf", True),
    ("file:///srv/prosedyrer/pvk.DOCX", True),
    ("file:///srv/prosedyrer/pvk.md", True),
    ("file://host/share/x.exe", False),
    ("file://host/share/setup.msi", False),
    ("file:///home/u/run.sh", False),
    ("file:///home/u/noext", False),
    ("https://prosedyrer.example.invalid/pvk", True),
    ("https://evil.example/tool.exe", False),
    ("smb://host/share/pvk.pdf", False),
    ("javascript:alert(1)", False),
])
def test_only_documents_and_web_pages_are_handed_over(url, ok):
    assert (openable(QUrl(url)) == "") is ok


def open_with_url(qtbot, window, url: str):
    search(qtbot, window, "trykksår")
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        window.results.open_current()
    return dataclasses.replace(window.document.procedure, url=url, path="var/not-on-this-pc.md")


def test_an_executable_behind_a_document_is_never_started(qtbot, make_window, monkeypatch):
    started = []
    monkeypatch.setattr("app.search.originals.QDesktopServices.openUrl", lambda url: started.append(url) or True)
    window = make_window()
    proc = open_with_url(qtbot, window, "file://host/share/x.exe")
    window.on_open_original(proc)
    assert started == []
    box = errors.shown[-1]
    assert "ikke åpnet" in box.text() and "x.exe" in box.informativeText()
    box.close()


def test_nothing_to_open_it_with_is_said(qtbot, make_window, monkeypatch):
    monkeypatch.setattr("app.search.originals.QDesktopServices.openUrl", lambda url: False)
    window = make_window()
    proc = open_with_url(qtbot, window, "file:///srv/prosedyrer/trykksar.pdf")
    window.on_open_original(proc)
    box = errors.shown[-1]
    assert "Ingen program" in box.text() and "PDF" in box.informativeText()
    box.close()
