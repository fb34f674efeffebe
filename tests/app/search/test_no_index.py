"""No index, or the wrong path: every message in the UI language with what to do, and the search field and
result pane say why a search finds nothing (instead of showing the welcome page)."""

from __future__ import annotations

import pytest

from app import errors
from app.qt import Qt, is_alive
from app.session import UNAVAILABLE
from tests.app.conftest import search


def last_error():
    alive = [box for box in errors.shown if is_alive(box)]
    return alive[-1] if alive else None


@pytest.mark.parametrize("lang, expect, english", [
    ("nb", "Indeksen kunne ikke åpnes", "no index at"),
    ("en", "The index could not be opened", "ingen brukbar"),
])
def test_a_wrong_index_path_is_explained_in_the_ui_language(qtbot, make_window, tmp_path, lang, expect,
                                                            english):
    window = make_window(index_dir=tmp_path / "wrong", start=False, language=lang)
    window.session.start()
    qtbot.waitUntil(lambda: last_error() is not None, timeout=10000)
    box = last_error()
    shown = box.text() + "\n" + box.informativeText()
    assert expect in shown and str(tmp_path / "wrong") in shown
    assert english not in shown  # the engine's English text is only in the details
    box.close()
    assert window.session.semantic == UNAVAILABLE
    field = window.search_bar.field
    assert field.placeholderText().startswith("Ingen indeks" if lang == "nb" else "No index")
    # Typing says why nothing is found, with a way to build an index — not the welcome page.
    field.setFocus()
    qtbot.keyClicks(field, "PVK")
    qtbot.waitUntil(lambda: window.results.state == 2, timeout=5000)
    pane = window.results
    assert pane.none_build_button.isVisibleTo(window)
    assert ("ingen indeks er åpen" if lang == "nb" else "no index is open") in pane.none_label.text()
    assert str(tmp_path / "wrong") in pane.none_hint.text()


def test_the_start_page_says_which_index_is_open_and_how_to_add_procedures(qtbot, make_window, app_index):
    window = make_window()
    pane = window.results
    qtbot.waitUntil(lambda: "dokumenter" in pane.index_info.text(), timeout=10000)
    assert str(app_index) in pane.index_info.text()
    assert "Semantisk søk" in pane.index_info.text()
    assert "Bygg indeks" in pane.own_label.text()
    opened = []
    window.on_build_index = lambda: opened.append(True)  # the button leads to Fil → Bygg indeks
    pane.build_requested.disconnect()
    pane.build_requested.connect(window.on_build_index)
    qtbot.mouseClick(pane.build_button, Qt.MouseButton.LeftButton)
    assert opened == [True]


def test_the_window_fits_the_screen_height(qtbot, make_window):
    """The offscreen test screen is 800 px high, like the 1280×800 laptops: the status bar stays on screen."""
    window = make_window()
    area = window.screen().availableGeometry()
    assert area.height() <= 800
    assert window.height() <= area.height() - 40  # room for the title bar the window manager adds
    assert area.contains(window.geometry().bottomLeft())


def test_search_works_again_once_an_index_is_open(qtbot, make_window, tmp_path, app_index):
    window = make_window(index_dir=tmp_path / "wrong", start=False)
    window.session.start()
    qtbot.waitUntil(lambda: last_error() is not None, timeout=10000)
    last_error().close()
    window.session.reopen(app_index)
    qtbot.waitUntil(lambda: window.session.engine is not None, timeout=10000)
    assert search(qtbot, window, "PVK")
    assert window.search_bar.field.placeholderText().startswith("Søk i prosedyrer")
