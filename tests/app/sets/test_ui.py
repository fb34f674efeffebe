"""The sets pane in the window: build a set from hits and documents, reorder, note, tick, walk, share, print."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata

import pypdf
import pytest

from app import errors
from app.qt import QApplication, QModelIndex, Qt
from app.sets import fileformat
from app.sets.check import MISSING, SUPERSEDED
from app.sets.dialogs import open_dialogs
from app.sets.store import SetStore
from tests.app.conftest import search


def titles(pane) -> list[str]:
    return [i.title for i in pane.store.get(pane.current.uid).items]


def set_with(window, qtbot, name="Nyansatt – kirurgisk, uke 1–4", queries=("PVK", "blodtrykk", "trykksår")):
    pane = window.sets
    data = pane.editor.create_set(name, "Prosedyrer ny medarbeider skal kunne")
    for query in queries:
        window.sets_actions.add_to(data.uid, search(qtbot, window, query)[0])
    pane.refresh(select=data.uid)
    return pane, data


def select(pane, row: int) -> None:
    pane.items_view.setFocus()
    pane.items_view.setCurrentIndex(pane.items_model.index(row))


def test_create_add_from_results_and_document_reorder_note_remove(qtbot, make_window):
    window = make_window()
    pane, data = set_with(window, qtbot, queries=("PVK", "blodtrykk"))
    assert titles(pane) == ["Perifert venekateter (PVK) – innleggelse hos voksne", "Blodtrykksmåling hos voksne"]
    assert pane.current.uid == data.uid and pane.items_model.rowCount() == 2

    # the context menu of a hit: "Mine bokmerker" and each set, ticked where the document already is
    hit = search(qtbot, window, "trykksår")[0]
    menu = window.sets_actions.add_menu(hit)
    labels = {a.text(): a for a in menu.actions() if a.text()}
    assert not labels["Nyansatt – kirurgisk, uke 1–4"].isChecked()
    labels["Nyansatt – kirurgisk, uke 1–4"].trigger()
    assert titles(pane)[-1] == "Trykksårforebygging"

    # Ctrl+D on the selected hit stars it
    window.results.view.setFocus()
    window.sets_actions.act_bookmark.trigger()
    assert pane.store.is_bookmarked(hit.doc_id)

    # from the document view: the star button opens the same menu; the star shows membership
    search(qtbot, window, "munnstell")
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        window.results.open_current()
    assert window.document.star_button.text() == "☆ Legg til i sett …"
    window.document.star_button.click()
    popup = QApplication.activePopupWidget()
    next(a for a in popup.actions() if a.text() == "Nyansatt – kirurgisk, uke 1–4").trigger()
    popup.close()
    assert titles(pane)[-1] == "Munnstell hjå pasientar som ikkje et"
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        window.open_doc_id("a-lok-munnstell")
    assert window.document.star_button.text() == "★ I sett …"

    # reorder: keyboard, buttons, and the drag-and-drop path (mime data dropped on the list)
    window.show_sets()
    model = pane.items_model
    select(pane, 0)
    qtbot.keyClick(pane.items_view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert titles(pane)[:2] == ["Blodtrykksmåling hos voksne", "Perifert venekateter (PVK) – innleggelse hos voksne"]
    assert pane.current_item().title.startswith("Perifert")  # the moved item stays selected
    pane.up_button.click()
    assert titles(pane)[0].startswith("Perifert")
    mime = model.mimeData([model.index(3)])
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert titles(pane)[0] == "Munnstell hjå pasientar som ikkje et"
    assert model.moveRows(QModelIndex(), 0, 1, QModelIndex(), 4)  # what QListView calls on an internal drop
    assert titles(pane)[-1] == "Munnstell hjå pasientar som ikkje et"

    # a heading above the selected item, a note through the dialog, then remove (Delete) and undo
    select(pane, 0)
    pane.editor.add_heading("Uke 1")
    assert titles(pane)[0] == "Uke 1"
    select(pane, 1)
    pane.editor.on_note()
    dialog = open_dialogs[-1]
    dialog.field.setPlainText("øves med veileder før selvstendig utførelse")
    dialog.accept()
    assert pane.store.get(data.uid).items[1].note == "øves med veileder før selvstendig utførelse"
    assert "øves med veileder" in model.data(model.index(1), Qt.ItemDataRole.ToolTipRole)
    before = titles(pane)
    select(pane, 2)
    qtbot.keyClick(pane.items_view, Qt.Key.Key_Delete)
    assert len(titles(pane)) == len(before) - 1
    assert pane.undo_button.isEnabled()
    pane.undo_button.click()
    assert titles(pane) == before
    # the same by keyboard: Delete, then Ctrl+Z; F2 opens the note of the selected item
    select(pane, 2)
    qtbot.keyClick(pane.items_view, Qt.Key.Key_Delete)
    assert len(titles(pane)) == len(before) - 1
    qtbot.keyClick(pane.items_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert titles(pane) == before and not pane.undo_button.isEnabled()
    select(pane, 1)
    qtbot.keyClick(pane.items_view, Qt.Key.Key_F2)
    assert open_dialogs[-1].field.toPlainText() == "øves med veileder før selvstendig utførelse"
    open_dialogs[-1].reject()


def test_progress_ticks_with_date_bar_and_reset(qtbot, make_window):
    window = make_window()
    pane, data = set_with(window, qtbot)
    model = pane.items_model
    select(pane, 1)
    qtbot.keyClick(pane.items_view, Qt.Key.Key_Space)
    assert model.data(model.index(1), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.data(model.index(1), model.DoneRole) == dt.date.today()
    model.setData(model.index(2), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)  # a click
    assert (pane.progress.value(), pane.progress.maximum()) == (2, 3)
    assert pane.progress.format() == "2 av 3 utført"
    assert f"Utført {dt.date.today().isoformat()}" in model.data(model.index(2), Qt.ItemDataRole.ToolTipRole)
    row = pane.list_model.row_of(data.uid)
    assert pane.list_model.data(pane.list_model.index(row)).endswith("(2/3)")
    assert set(pane.store.ticks(data.uid)) == {pane.current.items[1].uid, pane.current.items[2].uid}
    qtbot.keyClick(pane.items_view, Qt.Key.Key_Space)  # untick
    assert pane.progress.value() == 1
    pane.reset_button.click()  # asks first
    box = open_dialogs[-1]
    box.buttons()[0].click()
    assert pane.store.ticks(data.uid) == {} and pane.progress.value() == 0


def test_walk_through_a_set(qtbot, make_window):
    window = make_window(tablet_mode="on")
    pane, data = set_with(window, qtbot)
    select(pane, 0)
    pane.editor.add_heading("Uke 1")
    window.show_sets()
    assert window.left.currentWidget() is pane
    with qtbot.waitSignal(window.document_shown, timeout=10000) as shown:
        pane.walk_button.click()
    assert shown.args == ["a-var-pvk"] and window.pages.currentWidget() is window.document
    walk = pane.walk
    assert walk.isVisible() and "1 av 3" in walk.label.text() and not walk.prev_button.isEnabled()
    with qtbot.waitSignal(window.document_shown, timeout=10000) as shown:
        walk.next_button.click()
    assert shown.args == ["a-reg-bt"] and "2 av 3" in walk.label.text()
    walk.done_box.setChecked(True)
    assert set(pane.store.ticks(data.uid)) == {pane.current.items[2].uid}
    assert pane.progress.value() == 1
    with qtbot.waitSignal(window.document_shown, timeout=10000) as shown:
        walk.prev_button.click()
    assert shown.args == ["a-var-pvk"] and not walk.done_box.isChecked()
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        window.open_doc_id("a-lok-munnstell")  # outside the set: the bar steps aside
    assert not walk.isVisible()
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        window.go_back()
    assert walk.isVisible()


def test_bad_imports_change_nothing_and_say_why(qtbot, make_window, tmp_path):
    window = make_window()
    pane, data = set_with(window, qtbot, queries=("PVK",))
    before = [s.content() for s in pane.store.list_sets()]
    good = tmp_path / "good.kildesett"
    fileformat.export_set(pane.current, good)
    text = good.read_bytes()
    files = {
        "malformed": b"{ this is not json",
        "truncated": text[: len(text) // 2],
        "oversized": b" " * (fileformat.MAX_BYTES + 1),
        "version": json.dumps({**json.loads(text), "version": 99}).encode(),
    }
    for name, raw in files.items():
        path = tmp_path / f"{name}.kildesett"
        path.write_bytes(raw)
        errors.shown.clear()
        assert pane.files.import_from(path) is None
        assert [s.content() for s in pane.store.list_sets()] == before, name
        assert errors.shown and "ble ikke importert" in errors.shown[-1].text()
        assert pane.files.last_import_error in errors.shown[-1].detailedText()
        errors.shown[-1].close()

    # a name clash asks: merge or a new name; a name full of markup stays text
    pane.files.import_from(good)
    box = open_dialogs[-1]
    assert "Du har allerede et sett som heter" in box.text()
    with qtbot.waitSignal(pane.files.imported, timeout=10000):  # stored on the task runner
        next(b for b in box.buttons() if b.text() == "Importer med nytt navn").click()
    assert pane.current.name == f"{data.name} (2)"
    assert pane.current.content()[1:] == pane.store.get(data.uid).content()[1:]
    hostile = json.loads(text)
    hostile["set"]["name"] = "<h1>Stor</h1><img src='http://127.0.0.1:9/x.png'>"
    path = tmp_path / "hostile.kildesett"
    path.write_text(json.dumps(hostile), encoding="utf-8")
    with qtbot.waitSignal(pane.files.imported, timeout=10000) as stored:
        assert pane.files.import_from(path) is not None
    made = stored.args[0]
    assert made.name == hostile["set"]["name"] and pane.title.text() == hostile["set"]["name"]
    assert pane.title.textFormat() == Qt.TextFormat.PlainText


def test_reindex_shows_removed_and_superseded_items(qtbot, make_window, tmp_path):
    from index import api
    from tests.app.conftest import corpus_docs
    from tests.helpers.corpus import write_corpus

    docs = corpus_docs("http://127.0.0.1:9")
    root = tmp_path / "src"
    sources = [*write_corpus(root, docs), ("regional", root / "regional")]
    index_dir = tmp_path / "index"
    api.build(index_dir, sources, use_model=False)
    window = make_window(index_dir=index_dir)
    pane, _ = set_with(window, qtbot)
    pane.editor.set_note("øves på dukke først", item=pane.current.items[2])
    with qtbot.waitSignal(pane.states_ready, timeout=10000):
        pane.check_states()
    assert {s.state for s in pane.states.values()} == {"ok"}

    # the next build: blood pressure is gone, pressure ulcers superseded by a new national procedure
    (root / "regional/blodtrykk.md").unlink()
    write_corpus(root, {
        "var/trykksar.md": {**docs["var/trykksar.md"], "status": "superseded", "replaced_by": "a-var-trykksar-2"},
        "var/trykksar-2.md": {**docs["var/trykksar.md"], "id": "a-var-trykksar-2",
                              "title": "Trykksår – forebygging og behandling"}})
    api.build(index_dir, sources, use_model=False)
    with qtbot.waitSignal(pane.states_ready, timeout=15000):
        window.session.reopen(index_dir)
    assert pane.states["a-reg-bt"].state == MISSING
    assert pane.states["a-var-trykksar"].state == SUPERSEDED
    assert pane.states["a-var-trykksar"].replacement_title == "Trykksår – forebygging og behandling"
    model = pane.items_model
    assert model.rowCount() == 3  # nothing silently dropped
    assert "Finnes ikke lenger i indeksen" in model.data(model.index(1), Qt.ItemDataRole.ToolTipRole)
    assert "Utgått – erstattet av Trykksår – forebygging og behandling" in \
        model.data(model.index(2), Qt.ItemDataRole.ToolTipRole)
    assert "1 prosedyre(r) finnes ikke lenger" in pane.notice.text()

    errors.shown.clear()
    pane.open_item(1)  # a vanished document is explained, not opened
    assert errors.shown and "finnes ikke lenger" in errors.shown[-1].text()
    errors.shown[-1].close()
    select(pane, 2)
    assert pane.replace_button.isEnabled()
    with qtbot.waitSignal(pane.states_ready, timeout=10000):
        pane.replace_button.click()
    item = pane.current.items[2]
    assert (item.doc_id, item.title, item.note) == ("a-var-trykksar-2", "Trykksår – forebygging og behandling",
                                                    "øves på dukke først")
    assert pane.states["a-var-trykksar-2"].state == "ok"


def pdf_text(path) -> str:
    reader = pypdf.PdfReader(str(path))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def test_pdf_checklist_contains_the_items(qtbot, make_window, tmp_path):
    window = make_window()
    pane, _ = set_with(window, qtbot)
    select(pane, 0)
    pane.editor.add_heading("Uke 1")
    pane.editor.set_note("øves med veileder før selvstendig utførelse", item=pane.current.items[1])
    for _ in range(30):  # enough rows for a second page
        pane.editor.add_heading("Plass til flere prosedyrer senere")
    path = pane.files.pdf_to(tmp_path / "sjekkliste")
    assert path.name == "sjekkliste.pdf" and path.read_bytes().startswith(b"%PDF")
    text = pdf_text(path)
    for expected in ("Nyansatt – kirurgisk, uke 1–4", "Prosedyrer ny medarbeider skal kunne", "Uke 1",
                     "Perifert venekateter (PVK) – innleggelse hos voksne", "Blodtrykksmåling hos voksne",
                     "Trykksårforebygging", "Primærkilde · VAR", "VAR (test)", "revidert 2025-01-10",
                     "Merknad: øves med veileder før selvstendig utførelse", "Dato / signatur", "Utført",
                     f"Skrevet ut {dt.date.today().isoformat()}", "Side 1 av 2", "Side 2 av 2"):
        assert expected in text, expected
    assert len(pypdf.PdfReader(str(path)).pages) == 2


def test_published_sets_are_read_only_and_apart(qtbot, make_window, tmp_path):
    folder = tmp_path / "published"
    folder.mkdir()
    other = SetStore(path=tmp_path / "it.sqlite")
    it_set = other.create("Felles opplæring – alle sengeposter")
    other.add_procedure(it_set.uid, doc_id="a-var-pvk", title="PVK", tier="var")
    fileformat.export_set(other.get(it_set.uid), folder / "felles")
    other.close()
    window = make_window(published_sets_dir=str(folder))
    pane = window.sets
    qtbot.waitUntil(lambda: bool(pane.published), timeout=10000)
    rows = [pane.list_model.data(pane.list_model.index(r)) for r in range(pane.list_model.rowCount())]
    assert rows[0] == "Mine sett" and "Publisert av IT-avdelingen (kan ikke endres)" in rows
    assert rows.index("Publisert av IT-avdelingen (kan ikke endres)") < \
        next(i for i, r in enumerate(rows) if "Felles opplæring" in r)
    pane.refresh(select=it_set.uid)
    assert pane.current.read_only and not pane.items_model.editable
    model = pane.items_model
    assert not model.flags(model.index(0)) & Qt.ItemFlag.ItemIsDragEnabled
    assert not pane.remove_button.isEnabled() and not pane.edit_button.isEnabled()
    model.setData(model.index(0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert pane.progress.value() == 1  # a learner can still tick a published set
    copy = pane.files.copy_published()
    assert copy.name == "Felles opplæring – alle sengeposter" and not copy.read_only
    assert pane.current.uid == copy.uid and pane.items_model.editable

    window.config.set_user("language", "en")
    window.apply_config()
    assert window.left.tabText(1) == "Sets and bookmarks" and pane.walk_button.text() == "▶ Walk through"
    assert pane.list_model.data(pane.list_model.index(0)) == "My sets"


def test_changes_from_another_instance_show_up(qtbot, make_window):
    window = make_window()
    pane, data = set_with(window, qtbot, queries=("PVK",))
    other = SetStore(path=pane.store.path)
    other.add_heading(data.uid, "Lagt til i et annet vindu")
    pane.keeper.on_watch()  # what the timer does
    assert titles(pane)[-1] == "Lagt til i et annet vindu"
    other.remove_item(data.uid, pane.current.items[0].uid)
    errors.shown.clear()
    select(pane, 0)
    pane.editor.set_note("for sent")  # the item is gone: say so and show the current state
    assert errors.shown and "annet vindu" in errors.shown[-1].text()
    assert titles(pane) == ["Lagt til i et annet vindu"]
    other.close()


@pytest.mark.parametrize("tablet", ["on", "off"])
def test_sets_pane_fits_both_layouts(qtbot, make_window, tablet):
    window = make_window(tablet_mode=tablet)
    window.sets_actions.act_show.trigger()
    assert window.left.currentWidget() is window.sets
    window.focus_search()
    assert window.left.currentIndex() == 0
    assert window.menuBar().actions()[-2].text() == "&Sett"


def test_an_empty_set_says_how_to_add_procedures(qtbot, make_window):
    window = make_window()
    pane = window.sets
    data = pane.editor.create_set("Tomt sett", "")
    pane.refresh(select=data.uid)
    assert "Settet er tomt" in pane.notice.text() and "Ctrl+Shift+D" in pane.notice.text()
