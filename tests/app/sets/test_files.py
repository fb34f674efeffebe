"""Sharing a set as a user meets it: readable file names with the date, dialogs that start in the documents
folder (then where the user saved last), and a PDF checklist with the learner's ticks as an option."""

from __future__ import annotations

import datetime as dt

import pypdf
import pytest

from app.qt import QFileDialog, Qt
from app.sets.files import export_name
from tests.app.sets.test_ui import pdf_text, select, set_with

DAY = dt.date(2026, 12, 3)


@pytest.mark.parametrize(("name", "expected"), [
    ("Nyansatt – kirurgisk, uke 1–4", "Nyansatt - kirurgisk, uke 1-4 2026-12-03.pdf"),
    ("Sjukepleiar på kveldsvakt (nynorsk) — del 2", "Sjukepleiar på kveldsvakt (nynorsk) - del 2 2026-12-03.pdf"),
    ('PVK/CVK: «hvem?» <ny> "fase" | a*b\\c', "PVK CVK «hvem » ny fase a b c 2026-12-03.pdf"),
    ("  ...Uke 1...  ", "Uke 1 2026-12-03.pdf"),
    ("CON", "sett CON 2026-12-03.pdf"),
    ("/// ??", "sett 2026-12-03.pdf"),
])
def test_export_names_keep_the_set_name_readable(name, expected):
    assert export_name(name, ".pdf", on=DAY) == expected


def test_long_names_are_cut_without_trailing_space():
    made = export_name("Opplæring " * 20, ".kildesett", on=DAY)
    assert made.endswith(" 2026-12-03.kildesett") and "  " not in made and len(made) <= 80 + 21


@pytest.fixture
def documents(tmp_path, monkeypatch, isolated_dirs):
    """A Norwegian desktop: the documents folder is ~/Dokumenter (XDG user-dirs), not ~/Documents."""
    home = tmp_path / "home"
    (home / "Dokumenter").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    (isolated_dirs / "config" / "user-dirs.dirs").write_text('XDG_DOCUMENTS_DIR="$HOME/Dokumenter"\n',
                                                              encoding="utf-8")
    return home / "Dokumenter"


def test_export_dialog_starts_in_documents_with_a_readable_name(qtbot, make_window, documents, tmp_path):
    window = make_window()
    pane, _ = set_with(window, qtbot)
    pane.files.act_export.trigger()
    dialog = pane.files.dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert dialog.directory().absolutePath() == str(documents)
    today = dt.date.today().isoformat()
    proposed = dialog.selectedFiles()[0]
    assert proposed == str(documents / f"Nyansatt - kirurgisk, uke 1-4 {today}.kildesett")
    elsewhere = tmp_path / "minnepinne"
    elsewhere.mkdir()
    dialog.selectFile(str(elsewhere / f"Nyansatt - kirurgisk, uke 1-4 {today}.kildesett"))
    dialog.accept()
    assert (elsewhere / f"Nyansatt - kirurgisk, uke 1-4 {today}.kildesett").is_file()
    pane.files.act_pdf.trigger()  # the next dialog starts where the user saved last
    dialog = pane.files.dialog
    assert dialog.directory().absolutePath() == str(elsewhere)
    assert dialog.selectedFiles()[0].endswith(f"uke 1-4 {today}.pdf")
    dialog.reject()
    pane.files.folder = None
    pane.files.on_import()
    dialog = pane.files.dialog
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptOpen
    assert dialog.directory().absolutePath() == str(documents)
    dialog.reject()


def test_pdf_with_the_learners_ticks_is_an_option(qtbot, make_window, tmp_path):
    window = make_window()
    pane, _ = set_with(window, qtbot)
    select(pane, 1)
    qtbot.keyClick(pane.items_view, Qt.Key.Key_Space)
    today = dt.date.today().isoformat()
    assert pane.files.act_pdf_ticks.isEnabled()
    assert pane.files.act_pdf_ticks.text() == "Lagre sjekkliste med avkrysninger som PDF …"
    ticked = pdf_text(pane.files.pdf_to(tmp_path / "med", with_ticks=True))
    assert "Fremdrift: 1 av 3 utført" in ticked and f"Utført {today}" in ticked
    assert ticked.index("Blodtrykksmåling hos voksne") < ticked.index(f"Utført {today}")
    blank = pdf_text(pane.files.pdf_to(tmp_path / "blank"))
    assert "Fremdrift" not in blank and f"Utført {today}" not in blank
    assert len(pypdf.PdfReader(str(tmp_path / "med.pdf")).pages) == 1
    pane.files.act_pdf_ticks.trigger()
    dialog = pane.files.dialog
    assert dialog.selectedFiles()[0].endswith(f"Nyansatt - kirurgisk, uke 1-4 - avkrysset {today}.pdf")
    dialog.selectFile(str(tmp_path / "fra dialogen.pdf"))
    dialog.accept()
    assert f"Utført {today}" in pdf_text(tmp_path / "fra dialogen.pdf")
