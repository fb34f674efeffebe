"""Tab through the main window as a keyboard user does: the order follows the screen, and every stop is named."""

from __future__ import annotations

from app.qt import QApplication, Qt, QTabBar
from tests.app.conftest import search


def stops(qtbot, start, *, count: int = 40) -> list:
    """The widgets Tab visits from ``start``, once round (until focus comes back to ``start``)."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen = [start]
    for _ in range(count):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is start:
            return seen
        seen.append(widget)
    raise AssertionError(f"Tab never came back to the start: {[label(w) for w in seen]}")


def label(widget) -> str:
    if isinstance(widget, QTabBar):
        return f"tabs:{widget.tabText(widget.currentIndex())}"
    return widget.accessibleName() or (widget.text() if hasattr(widget, "text") else "") or type(widget).__name__


def test_tab_order_on_the_start_page(qtbot, make_window, qtlog):
    window = make_window()
    window.act_tablet.trigger()  # both layouts set the order without Qt complaining
    window.act_tablet.trigger()
    assert not [r for r in qtlog.records if "setTabOrder" in r.message]
    window.resize(1366, 768)
    names = [label(w) for w in stops(qtbot, window.search_bar.field)]
    assert names == ["Søk i prosedyrer", "Vis eller skjul filtre", "PVK", "venflon", "trykksår", "blodtrykksmåling",
                     "Legg inn egne prosedyrer …", "Dokumenttekst", "tabs:Søk"], names


def test_tab_order_with_hits_and_an_open_document(qtbot, make_window):
    window = make_window()
    window.resize(1366, 768)
    search(qtbot, window, "kanyleboks")
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        window.results.open_current()
    doc = window.document
    qtbot.waitUntil(doc.start_bar.isVisible, timeout=5000)
    visited = stops(qtbot, window.search_bar.field)
    names = [label(w) for w in visited]
    assert names == ["Søk i prosedyrer", "Vis eller skjul filtre", "Søketreff", "☆ Legg til i sett …", "Åpne original",
                     "Kopier lenke", "Kopier tittel", "Mindre tekst", "Større tekst", "Avsnitt i dokumentet",
                     "Les fra starten av prosedyren", "Dokumenttekst", "tabs:Søk"], names
    for widget in visited:  # every stop is on screen, in reading order: left column first, then the reader
        assert widget.isVisible()
    left, reader = visited[:3], visited[3:-1]
    right_edge = max(w.mapTo(window, w.rect().topRight()).x() for w in left)
    assert all(w.mapTo(window, w.rect().topLeft()).x() >= right_edge - 2 for w in reader)

    window.search_bar.filter_button.click()  # the filter panel's boxes come right after the button
    names = [label(w) for w in stops(qtbot, window.search_bar.field)]
    at = names.index("Vis eller skjul filtre")
    assert names[at + 1:at + 11] == ["VAR (primærkilde)", "Regional", "Lokal", "Bokmål", "Nynorsk",
                                     "Ta med dokumenter med forfalt revisjon", "Ta med utgåtte dokumenter",
                                     "Filtrer på eier eller enhet", "Nullstill filtre", "Søketreff"], names


def test_tab_order_in_the_sets_pane(qtbot, make_window):
    window = make_window()
    pane = window.sets
    data = pane.editor.create_set("Nyansatt", "")
    window.sets_actions.add_to(data.uid, search(qtbot, window, "PVK")[0])
    pane.refresh(select=data.uid)
    window.show_sets()
    pane.items_view.setCurrentIndex(pane.items_model.index(0))
    names = [label(w) for w in stops(qtbot, pane.sets_view)]
    first = names.index(label(pane.sets_view))
    order = names[first:] + names[:first]
    expected = [label(w) for w in (pane.sets_view, pane.new_button, pane.import_button, pane.walk_button,
                                   pane.edit_button, pane.file_button, pane.items_view)]
    assert order[:len(expected)] == expected, order
    assert label(pane.note_button) in order and order.index(label(pane.note_button)) > order.index(
        label(pane.items_view))
