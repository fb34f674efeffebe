"""The "Rydding" view, the overlap labels in the result list and the hit's "open the VAR procedure" menu item.

Runs on a lexical-only index of the embedded demo corpus (built in seconds), which has local variants of VAR
procedures, a pair of local copies, stale and superseded documents.
"""

from __future__ import annotations

import csv

import pytest

from app.cleanup.model import DOC, EVIDENCE, SCORE, CleanupModel
from app.qt import QListView, QPoint, QStyleOptionViewItem, Qt
from app.search.results import ResultDelegate, ResultsModel, hit_flags
from index import api
from index.cleanup.report import CSV_COLUMNS, HTML_FILE
from index.records import Hit
from tests.app.conftest import search


@pytest.fixture(scope="module")
def demo_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo-index")
    sources, manifest = api.demo_sources()
    api.build(folder, sources, manifest=manifest, use_model=False)
    return folder


def open_cleanup(qtbot, window):
    window.act_cleanup.trigger()
    view = window.cleanup
    qtbot.waitUntil(lambda: view.report is not None and view.model.rowCount() > 0, timeout=15000)
    return view


def test_cleanup_view_fills_sorts_and_filters(qtbot, make_window, demo_index):
    window = make_window(index_dir=demo_index)
    view = open_cleanup(qtbot, window)
    assert view.isVisible() and view.windowTitle().startswith("Rydding")

    rows = view.visible_rows()  # starts on "overlaps with VAR", most certain first
    assert rows and {r.category for r in rows} <= {"full", "partial"}
    assert ("demo-lok-001", "demo-var-001") in {(r.doc_id, r.other_id) for r in rows}
    scores = [r.score for r in rows]
    assert scores == sorted(scores, reverse=True)
    view.table.sortByColumn(SCORE, Qt.SortOrder.AscendingOrder)
    assert [r.score for r in view.visible_rows()] == sorted(scores)
    view.table.sortByColumn(DOC, Qt.SortOrder.AscendingOrder)
    titles = [r.title.casefold() for r in view.visible_rows()]
    assert titles == sorted(titles)

    view.set_filter("all")
    categories = {r.category for r in view.visible_rows()}
    assert {"full", "duplicate", "stale", "superseded", "local_only"} <= categories
    view.set_filter("duplicate")
    assert [(r.doc_id, r.other_id) for r in view.visible_rows()] == [("demo-lok-008", "demo-lok-009")]
    view.set_filter("all")
    view.search_field.setText("lungeposten")
    assert view.visible_rows() and all("lungeposten" in f"{r.owner} {r.title}".casefold()
                                       for r in view.visible_rows())
    assert "av" in view.count_label.text()
    view.search_field.clear()
    view.set_filter("stale")
    stale = {r.doc_id: i for i, r in enumerate(view.visible_rows())}
    assert "demo-lok-008" in stale
    text = view.proxy.index(stale["demo-lok-008"], EVIDENCE).data()
    assert text.startswith("Forfalt 2021-03-01, ") and text.endswith(" dager siden")
    view.set_filter("superseded")
    (row,) = view.visible_rows()
    assert row.doc_id == "demo-lok-010" and row.other_id == "demo-lok-011"
    assert view.model.headerData(SCORE, Qt.Orientation.Horizontal) == "Sikkerhet"

    window.config.set_user("language", "en")  # the open view follows a language switch
    window.apply_config()
    assert view.model.headerData(SCORE, Qt.Orientation.Horizontal) == "Confidence"
    assert view.compare_button.text() == "Side by side" and view.filter.currentText() == "Withdrawn"
    assert [r.doc_id for r in view.visible_rows()] == ["demo-lok-010"]


def test_side_by_side_and_open_in_main_window(qtbot, make_window, demo_index):
    window = make_window(index_dir=demo_index)
    view = open_cleanup(qtbot, window)
    view.set_filter("overlaps")
    target = next(r for r in range(view.proxy.rowCount())
                  if view.proxy.index(r, 0).data(CleanupModel.RowRole).doc_id == "demo-lok-001")
    view.table.selectRow(target)
    assert view.compare_button.isEnabled()
    dialog = view.on_compare()
    qtbot.waitUntil(lambda: dialog.procedures is not None, timeout=10000)
    local, var = dialog.procedures
    assert (local.doc_id, var.doc_id) == ("demo-lok-001", "demo-var-001")
    assert local.title in dialog.left.toPlainText() and var.title in dialog.right.toPlainText()
    assert "demo-var-001" in dialog.right_title.text()
    assert not dialog.left.blocked and not dialog.right.blocked  # nothing fetched
    assert dialog.decide_button.isEnabled() == (view.store is not None)
    assert dialog.matches.count() > 0  # matching sections on top, also without vectors
    additions = dialog.row.overlap.additions
    assert len(dialog.flagged) == len(additions)
    if additions:
        assert "Ikke i VAR-prosedyren" in dialog.left.toPlainText()
    dialog.resize(500, 300)  # short views, so both texts scroll
    qtbot.waitUntil(lambda: dialog.left.verticalScrollBar().maximum() > 0
                    and dialog.right.verticalScrollBar().maximum() > 0, timeout=5000)
    left, right = dialog.left.verticalScrollBar(), dialog.right.verticalScrollBar()
    left.setValue(left.maximum())
    assert right.value() == right.maximum()  # scrolled together
    dialog.sync.setChecked(False)
    left.setValue(0)
    assert right.value() == right.maximum()  # switched off: each on its own
    dialog.close()

    with qtbot.waitSignal(window.document_shown, timeout=10000) as shown:
        view.open_button.click()
    assert shown.args == ["demo-lok-001"]


def test_export_writes_the_report(qtbot, make_window, demo_index, tmp_path):
    window = make_window(index_dir=demo_index)
    view = open_cleanup(qtbot, window)
    with qtbot.waitSignal(view.exported, timeout=15000) as done:
        view.export_to(tmp_path / "eksport")
    assert {p.name for p in done.args[0]} == {*CSV_COLUMNS, HTML_FILE}
    with open(tmp_path / "eksport" / "overlaps.csv", encoding="utf-8-sig", newline="") as fh:
        assert tuple(next(csv.reader(fh))) == CSV_COLUMNS["overlaps.csv"]
    assert "Ryddingsrapport" in (tmp_path / "eksport" / HTML_FILE).read_text(encoding="utf-8")


def hit(doc_id: str, tier: str, **overlap) -> Hit:
    return Hit(doc_id=doc_id, title=f"Tittel {doc_id}", tier=tier, owner="Eier", unit="", language="nb",
               status="active", stale=False, review_due=None, revised=None, section="", snippet="", path="", url="",
               **overlap)


def test_results_delegate_labels_and_indents_local_variants(qtbot):
    var = hit("v1", "var")
    grouped = hit("l1", "local", overlaps_id="v1", overlaps_title="PVK – innleggelse", overlap_kind="full",
                  grouped=True)
    flagged = hit("l2", "local", overlaps_id="v9", overlaps_title="NGS <voksne>", overlap_kind="partial")
    copy = hit("l3", "local", overlaps_id="l4", overlaps_title="Blodsukker", overlap_kind="duplicate")
    assert [f.text for f in hit_flags(grouped, {})] == ["Lokal variant av: PVK – innleggelse"]
    assert [f.text for f in hit_flags(flagged, {})] == ["Overlapper VAR: NGS <voksne>"]
    assert [f.text for f in hit_flags(copy, {})] == ["Kopi av: Blodsukker"]
    assert hit_flags(var, {}) == []

    model = ResultsModel()
    model.set_hits([var, grouped, flagged, copy])
    view = QListView()
    qtbot.addWidget(view)
    delegate = ResultDelegate(parent=view)
    view.setModel(model)
    view.setItemDelegate(delegate)
    view.resize(500, 600)
    view.show()
    assert "Lokal variant av: PVK – innleggelse" in model.data(model.index(1), ResultsModel.FlagsRole)
    assert "Lokal variant av" in model.data(model.index(1), Qt.ItemDataRole.ToolTipRole)
    rect_var, rect_variant = view.visualRect(model.index(0)), view.visualRect(model.index(1))
    assert rect_variant.top() >= rect_var.bottom()  # right under its VAR hit
    option = QStyleOptionViewItem()
    option.font = view.font()
    assert ResultDelegate.indent(grouped, option) == 2 * view.fontMetrics().height()
    assert ResultDelegate.indent(flagged, option) == 0
    assert not view.grab().isNull()  # paints the indented row and its elbow without error


def test_hit_menu_opens_the_var_procedure(qtbot, make_window, demo_index):
    window = make_window(index_dir=demo_index)
    hits = search(qtbot, window, "PVK")
    variant = next(h for h in hits if h.doc_id == "demo-lok-001")
    assert variant.grouped and variant.overlaps_id == "demo-var-001"
    menu = window.on_hit_menu(variant, QPoint(10, 10))
    action = next(a for a in menu.actions() if a.text().startswith("Åpne VAR-prosedyren: "))
    assert variant.overlaps_title in action.text()
    menu.close()
    with qtbot.waitSignal(window.document_shown, timeout=10000) as shown:
        action.trigger()
    assert shown.args == ["demo-var-001"]


def test_a_decision_outranks_the_detectors_label():
    phased = hit("l1", "local", overlaps_id="v1", overlaps_title="PVK", overlap_kind="full", decision="utfases")
    addition = hit("l2", "local", overlaps_id="v1", overlaps_title="PVK", overlap_kind="full",
                   decision="lokalt_tillegg")
    assert [f.text for f in hit_flags(phased, {})] == ["Utfases — bruk VAR: PVK"]
    assert [f.text for f in hit_flags(addition, {})] == ["Lokalt tillegg til: PVK"]


def test_bulk_decision_from_rydding_reaches_the_file_beside_the_sources(qtbot, make_window, tmp_path):
    from index.store import decisions
    from index.store.decisions import Decision
    from tests.helpers.corpus import DOCS, write_corpus

    sources = write_corpus(tmp_path / "share", DOCS)
    api.build(tmp_path / "idx", sources, use_model=False)
    window = make_window(index_dir=tmp_path / "idx")
    view = open_cleanup(qtbot, window)
    view.set_filter("all")
    wanted = {r.doc_id for r in view.visible_rows()[:2]}
    assert len(wanted) == 2
    view.table.clearSelection()
    for r in range(view.proxy.rowCount()):
        if view.proxy.index(r, 0).data(CleanupModel.RowRole).doc_id in wanted:
            flags = view.table.selectionModel().SelectionFlag
            view.table.selectionModel().select(view.proxy.index(r, 0), flags.Select | flags.Rows)
    rows = view.selected_rows()
    assert {r.doc_id for r in rows} == wanted and view.decide_button.isEnabled()
    with qtbot.waitSignal(view.decided, timeout=10000):
        view.decide(rows, Decision("", "beholdes", reason="trengs på posten"))
    saved = decisions.read(tmp_path / "share" / decisions.FILE).decisions
    assert set(saved) == wanted and all(d.reason == "trengs på posten" for d in saved.values())


def test_decisions_are_read_only_where_the_sources_cannot_be_written(qtbot, make_window, demo_index, tmp_path):
    import json

    from index.store import decisions

    folder = next((demo_index / "snapshots").iterdir())
    data = json.loads((folder / decisions.SNAPSHOT_FILE).read_text(encoding="utf-8"))
    assert data["source"]  # the build recorded where the file lives
    window = make_window(index_dir=demo_index)
    view = open_cleanup(qtbot, window)
    view.store = None  # as on a ward PC (share read-only or absent)
    view.table.selectRow(0)
    view._update_buttons()
    assert not view.decide_button.isEnabled()
