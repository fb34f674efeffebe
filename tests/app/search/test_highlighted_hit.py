"""Acting on what the user sees: the highlighted hit gets the star, previews in the reader, and the list never
reshuffles by itself when newer results (semantic search ready, another index switched in) arrive."""

from __future__ import annotations

from app.qt import QApplication, Qt
from index import api
from tests.app.conftest import corpus_docs, search
from tests.helpers.corpus import write_corpus


def test_ctrl_d_from_the_search_field_stars_the_highlighted_hit(qtbot, make_window):
    window = make_window()
    window.focus_search()
    hits = search(qtbot, window, "PVK")
    assert len(hits) >= 2
    # An earlier document is open in the reader (the old target of Ctrl+D).
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        window.open_doc_id("a-var-trykksar")
    window.focus_search()
    field = window.search_bar.field
    qtbot.keyClick(field, Qt.Key.Key_Down)
    highlighted = window.results.current_hit()
    assert highlighted.doc_id == hits[1].doc_id
    messages = []
    window.sets.message.connect(messages.append)
    qtbot.keyClick(field, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    store = window.sets.store
    assert store.is_bookmarked(highlighted.doc_id)
    assert not store.is_bookmarked("a-var-trykksar")
    assert highlighted.title in messages[-1]


def test_ctrl_d_in_the_reader_stars_the_open_document(qtbot, make_window):
    window = make_window()
    search(qtbot, window, "PVK")
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        window.results.open_current()
    opened = window.document.procedure.doc_id
    window.results.move(1)  # the highlight moves on, but the user is reading
    window.document.browser.setFocus()
    qtbot.keyClick(window.document.browser, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.sets.store.is_bookmarked(opened)


def test_the_context_menu_key_is_about_the_highlighted_hit(qtbot, make_window):
    window = make_window()
    hits = search(qtbot, window, "PVK")
    window.results.move(1)
    seen = []
    window.results.menu_requested.disconnect()
    window.results.menu_requested.connect(lambda hit, _at: seen.append(hit.doc_id))
    view = window.results.view
    window.results.on_context_menu(view.viewport().rect().bottomRight())  # where the menu key reports
    assert seen == [hits[1].doc_id]


def test_the_highlighted_hit_previews_in_the_reader_without_taking_the_focus(qtbot, make_window):
    window = make_window()
    window.focus_search()
    hits = search(qtbot, window, "PVK")
    # the automatically highlighted first hit shows in the reader
    qtbot.waitUntil(lambda: window.document.procedure is not None, timeout=10000)
    assert window.document.procedure.doc_id == hits[0].doc_id
    with qtbot.waitSignal(window.document_shown, timeout=10000) as shown:
        qtbot.keyClick(window.search_bar.field, Qt.Key.Key_Down)
    assert shown.args == [hits[1].doc_id]
    assert QApplication.focusWidget() is window.search_bar.field


def test_tablet_layout_does_not_preview(qtbot, make_window):
    window = make_window(tablet_mode="on")
    search(qtbot, window, "PVK")
    window.results.move(1)
    qtbot.wait(2 * window.preview.interval())
    assert window.document.procedure is None
    assert window.pages.currentWidget() is window.results_box


def other_index(tmp_path, http_trap) -> object:
    """The same corpus without the VAR PVK procedure (the top hit for "PVK" today)."""
    docs = corpus_docs(http_trap[0])
    del docs["var/pvk.md"]
    root = tmp_path / "other-src"
    write_corpus(root, docs)
    folder = tmp_path / "other-index"
    api.build(folder, [(t, root / t) for t in ("var", "regional", "local")], use_model=False)
    return folder


def test_results_that_arrive_by_themselves_wait_behind_a_button(qtbot, make_window, tmp_path, http_trap):
    window = make_window()
    before = [h.doc_id for h in search(qtbot, window, "PVK")]
    folder = other_index(tmp_path, http_trap)
    pane = window.results
    window.session.reopen(folder)  # a new index is switched in; the current query is re-run
    qtbot.waitUntil(lambda: pane.pending is not None, timeout=10000)
    assert [h.doc_id for h in pane.model.hits()] == before  # nothing moved under the user
    assert pane.newer_button.isVisibleTo(window)
    after = [h.doc_id for h in pane.pending.result.hits]
    assert after != before
    pane.newer_button.click()
    assert [h.doc_id for h in pane.model.hits()] == after
    assert pane.pending is None and not pane.newer_button.isVisibleTo(window)


def test_held_back_results_apply_on_the_next_keystroke(qtbot, make_window, tmp_path, http_trap):
    window = make_window()
    search(qtbot, window, "PVK")
    window.session.reopen(other_index(tmp_path, http_trap))
    qtbot.waitUntil(lambda: window.results.pending is not None, timeout=10000)
    pending = [h.doc_id for h in window.results.pending.result.hits]
    qtbot.keyClick(window.search_bar.field, Qt.Key.Key_Space)
    assert [h.doc_id for h in window.results.model.hits()] == pending
    assert window.results.pending is None


def test_reruns_that_only_add_below_are_shown_at_once(qtbot, make_window):
    window = make_window()
    hits = search(qtbot, window, "PVK")
    seq = window.results.outcome.seq
    window.session.rerun()  # same index, same results: nothing would move
    qtbot.waitUntil(lambda: window.results.outcome.seq > seq, timeout=10000)
    assert window.results.model.hits() == hits and window.results.pending is None
