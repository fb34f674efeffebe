"""Keyboard-only use: focus on start and on Ctrl+K / F3 / "/", ↓ moves in the list, Enter opens, Esc clears."""

from __future__ import annotations

from app.qt import Qt
from tests.app.conftest import search


def test_down_enter_escape(qtbot, make_window):
    window = make_window()
    window.focus_search()
    hits = search(qtbot, window, "PVK")
    assert len(hits) >= 2
    field = window.search_bar.field
    view = window.results.view
    assert view.currentIndex().row() == 0
    qtbot.keyClick(field, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 1
    qtbot.keyClick(field, Qt.Key.Key_Up)
    assert view.currentIndex().row() == 0
    qtbot.keyClick(field, Qt.Key.Key_Down)
    expected = window.results.current_hit().doc_id
    with qtbot.waitSignal(window.document_shown, timeout=10000) as shown:
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert shown.args == [expected]
    assert window.document.procedure.doc_id == expected
    # Esc in the document goes back to the search field; Esc there clears it.
    qtbot.keyClick(window.document.browser, Qt.Key.Key_Escape)
    assert field.hasFocus() or window.focusWidget() is field
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert field.text() == ""


def test_shortcuts_focus_the_search_field(qtbot, make_window):
    window = make_window()
    search(qtbot, window, "PVK")
    window.results.view.setFocus()
    window.act_focus.trigger()  # Ctrl+K / F3
    assert window.focusWidget() is window.search_bar.field
    assert [s.toString() for s in window.act_focus.shortcuts()] == ["Ctrl+K", "F3", "Ctrl+L"]
    window.results.view.setFocus()
    window.slash.activated.emit()
    assert window.focusWidget() is window.search_bar.field


def test_back_and_forward(qtbot, make_window):
    window = make_window()
    search(qtbot, window, "PVK")
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        window.results.open_current()
    first = window.document.procedure.doc_id
    window.search_bar.field.clear()
    search(qtbot, window, "trykksår")
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        window.results.open_current()
    assert window.document.procedure.doc_id == "a-var-trykksar"
    window.act_back.trigger()  # back to the trykksår results
    assert window.search_bar.field.text() == "trykksår"
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        window.act_back.trigger()  # the PVK document
    assert window.document.procedure.doc_id == first
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        window.act_forward.trigger()
        window.act_forward.trigger()
    assert window.document.procedure.doc_id == "a-var-trykksar"


def test_enter_right_after_typing_opens_the_top_hit_of_what_was_typed(qtbot, make_window):
    window = make_window()
    search(qtbot, window, "PVK")
    field = window.search_bar.field
    field.clear()
    qtbot.keyClicks(field, "trykksår")
    assert window.debounce.isActive()
    with qtbot.waitSignal(window.document_shown, timeout=10000) as shown:
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert shown.args == ["a-var-trykksar"]


def test_help_lists_shortcuts_and_prefixes_and_about_has_the_version(qtbot, make_window):
    from app.help import version

    window = make_window()
    dialog = window.on_help()
    qtbot.addWidget(dialog)
    text = dialog.findChild(__import__("app.qt", fromlist=["QTextBrowser"]).QTextBrowser).toPlainText()
    for expected in ("Ctrl+K", "Ctrl+L", "Ctrl+D", "Finn i dokumentet", "var:", "utgått:", "nn:"):
        assert expected in text
    assert version() != "?"
