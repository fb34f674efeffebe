"""A decision's whole way: «Rydding» on the procedure team's PC → ``beslutninger.csv`` beside the sources (a
colleague saving at the same time loses nothing) → build → published snapshot → a ward PC's search shows the
badge, and after the last date the document leaves the default results. Invalid lines are shown in «Rydding»
with their line numbers. Real files, real indexes, the real dialog."""

from __future__ import annotations

import datetime as dt

from app.cleanup.decisions import DecisionDialog
from app.cleanup.model import DECISION, CleanupModel
from app.qt import QApplication, QTimer
from app.search.results import hit_flags
from index import api
from index.store import decisions
from index.store.decisions import Decision, DecisionStore
from tests.helpers.corpus import DOCS, write_corpus

LAST_DAY = dt.date(2026, 1, 31)


def _answer_dialog(choice: str, *, last_date: str = "", reason: str = "") -> None:
    """Fill in the modal decision dialog once it is open, and press «Lagre»."""

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, DecisionDialog):
            QTimer.singleShot(20, fill)
            return
        dialog.choice.setCurrentIndex(dialog.choice.findData(choice))
        dialog.last_date.setText(last_date)
        dialog.reason.setText(reason)
        dialog.on_accept()

    QTimer.singleShot(0, fill)


def test_decision_from_rydding_reaches_a_ward_pc_through_build_and_publish(qtbot, make_window, tmp_path):
    share = tmp_path / "share"
    sources = write_corpus(share, DOCS)
    path = decisions.decisions_path(sources)
    path.write_text("doc_id,decision,var_id\nt-finnes-ikke,beholdes,\nt-lok-rorpost,tja,\n", encoding="utf-8")
    api.build(tmp_path / "idx", sources, use_model=False)

    window = make_window(index_dir=tmp_path / "idx")
    window.act_cleanup.trigger()
    view = window.cleanup
    qtbot.waitUntil(lambda: view.report is not None and view.model.rowCount() > 0, timeout=15000)
    # the invalid lines, by number, where the team decides
    text = view.problems_label.text()
    assert view.problems_label.isVisibleTo(view)
    assert "linje 2: unknown document id 't-finnes-ikke'" in text and "linje 3:" in text and "tja" in text

    # a colleague opened the file before this user saves, and saves after
    colleague = DecisionStore(path, user="ola")
    colleague.load()
    row = next(r for r in view.visible_rows() if r.doc_id == "t-lok-pvk")
    assert row.other_id == "t-var-pvk"
    _answer_dialog("utfases", last_date=LAST_DAY.isoformat(), reason="VAR dekker")
    with qtbot.waitSignal(view.decided, timeout=10000):
        view.decide_rows([row])
    shown = {view.proxy.index(r, 0).data(CleanupModel.RowRole).doc_id: view.proxy.index(r, DECISION).data()
             for r in range(view.proxy.rowCount())}
    assert shown["t-lok-pvk"] == f"Utfases (siste dag {LAST_DAY.isoformat()})"  # the table says so at once
    colleague.save({"t-lok-munnstell": Decision("t-lok-munnstell", "beholdes", reason="sjukeheimen")})
    saved = decisions.read(path).decisions
    assert saved["t-lok-pvk"] == Decision("t-lok-pvk", "utfases", "t-var-pvk", LAST_DAY, "VAR dekker",
                                          saved["t-lok-pvk"].decided_by, dt.date.today())
    assert saved["t-lok-munnstell"].decided_by == "ola"
    # the lines the build rejects stay as written, for the team to fix: a save never drops a row
    assert "t-finnes-ikke" in saved and "t-lok-rorpost,tja" in path.read_text(encoding="utf-8")

    report = api.build(tmp_path / "idx", sources, use_model=False)
    problems = [m for w, m in report.warnings if w.startswith("beslutninger.csv:")]
    assert len(problems) == 2 and "'t-finnes-ikke'" in problems[0] and "'tja'" in problems[1]
    api.publish(tmp_path / "idx", tmp_path / "publisert")
    ward = api.open_index(tmp_path / "publisert", cache_root=tmp_path / "avdeling")
    try:
        ward._searcher.today = LAST_DAY  # its last day: shown, with the badge and the VAR procedure to use
        hit = next(h for h in ward.search("PVK venflon").hits if h.doc_id == "t-lok-pvk")
        assert [f.text for f in hit_flags(hit, {})][-1] == \
            "Utfases — bruk VAR: Perifert venekateter (PVK) – innleggelse hos voksne"
        assert hit.overlaps_id == "t-var-pvk"
        ward._searcher.today = LAST_DAY + dt.timedelta(days=1)  # after it: out of the default results only
        assert "t-lok-pvk" not in [h.doc_id for h in ward.search("PVK venflon").hits]
        assert "t-lok-pvk" in [h.doc_id for h in ward.search("utgått: PVK venflon").hits]
        assert "t-lok-pvk" in [h.doc_id for h in ward.search("t-lok-pvk").hits]
        assert ward.document("t-lok-pvk").doc_id == "t-lok-pvk"  # links never break
    finally:
        ward.close()
