"""Universal design: every interactive item the user can reach has an accessible name in the UI language.

Walks Qt's accessibility tree (what a screen reader sees) of the main window with hits and a document shown,
and of the sets pane with a set holding items, in bokmål and English.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible

from app.i18n import set_language
from tests.app.conftest import search

R = QAccessible.Role
INTERACTIVE = {R.PushButton, R.CheckBox, R.RadioButton, R.ComboBox, R.EditableText, R.List, R.ListItem,
               R.PageTab, R.SpinBox, R.Slider, R.Table, R.Tree, R.TreeItem, R.Cell, R.ButtonMenu,
               R.ButtonDropDown, R.ProgressBar, R.Link, R.MenuItem}


def unnamed(widget) -> list[str]:
    """Visible interactive items without a name (or whose name is only a symbol such as "☆" or "A+")."""
    found = []

    def walk(iface, path):
        if iface is None or not iface.isValid():
            return
        role, state = iface.role(), iface.state()
        name = iface.text(QAccessible.Text.Name).strip()
        if role in INTERACTIVE and not state.invisible and sum(ch.isalpha() for ch in name) < 2:
            obj = iface.object()
            found.append(f"{path}/{role.name}:{type(obj).__name__ if obj else '?'} {name!r}")
        for i in range(min(iface.childCount(), 200)):
            walk(iface.child(i), f"{path}/{role.name}")

    walk(QAccessible.queryAccessibleInterface(widget), "")
    return found


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_main_window_items_are_named(qtbot, make_window, lang):
    window = make_window(language=lang)
    search(qtbot, window, "PVK")
    window.search_bar.filter_button.click()  # the filter panel too
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        window.results.open_current()
    window.document.show_find()
    assert unnamed(window) == []
    set_language("nb")


def test_sets_pane_items_are_named(qtbot, make_window):
    window = make_window()
    pane = window.sets
    data = pane.editor.create_set("Nyansatt", "Prosedyrer ny medarbeider skal kunne")
    for query in ("PVK", "trykksår"):
        window.sets_actions.add_to(data.uid, search(qtbot, window, query)[0])
    pane.refresh(select=data.uid)
    window.show_sets()
    assert unnamed(window) == []


def test_result_rows_say_source_and_title(qtbot, make_window):
    window = make_window()
    search(qtbot, window, "PVK")
    view = QAccessible.queryAccessibleInterface(window.results.view)
    rows = [view.child(i) for i in range(view.childCount())]
    names = [r.text(QAccessible.Text.Name) for r in rows if r is not None and r.role() == R.ListItem]
    assert names and "Perifert venekateter" in names[0] and "VAR" in names[0]
