"""Onboarding sets flag a document the procedure team phased out («Utfases») like a superseded one — on a real
sets store and a real index built with a decisions file beside its sources."""

from __future__ import annotations

import datetime as dt

from app.qt import Qt
from app.sets import check
from app.sets.check import SUPERSEDED
from index import api
from index.store import decisions
from index.store.decisions import Decision, DecisionStore
from tests.app.conftest import corpus_docs
from tests.helpers.corpus import write_corpus


def _build(tmp_path, decided: dict[str, Decision] | None = None):
    root = tmp_path / "src"
    sources = [*write_corpus(root, corpus_docs("http://127.0.0.1:9")), ("regional", root / "regional")]
    if decided:
        store = DecisionStore(decisions.decisions_path(sources), user="kari")
        store.load()
        store.save(decided)
    api.build(tmp_path / "index", sources, use_model=False)
    return sources


def test_phase_out_is_flagged_before_and_after_its_last_date(tmp_path):
    _build(tmp_path, {"a-lok-pvk": Decision("a-lok-pvk", "utfases", "a-var-pvk", dt.date(2026, 1, 31),
                                            "VAR dekker"),
                      "a-lok-munnstell": Decision("a-lok-munnstell", "beholdes", reason="Bare her")})
    engine = api.Engine(tmp_path / "index")
    try:
        lookup, decision = check.engine_lookup(engine), check.engine_decision(engine)
        ids = ["a-lok-pvk", "a-lok-munnstell", "a-lok-pvk-gammel"]
        before = check.check(ids, lookup, decision=decision, today=dt.date(2026, 1, 15))
        after = check.check(ids, lookup, decision=decision, today=dt.date(2026, 2, 1))
    finally:
        engine.close()
    pvk = before["a-lok-pvk"]
    assert (pvk.state, pvk.replaced_by, pvk.phase_out, pvk.can_replace) == (SUPERSEDED, "a-var-pvk", "utfases", True)
    assert check.warning(pvk) == "Utfases — bruk VAR: Perifert venekateter (PVK) – innleggelse hos voksne"
    assert after["a-lok-pvk"].phase_out == "utgått"
    assert check.warning(after["a-lok-pvk"]) == \
        "Utgått — bruk VAR: Perifert venekateter (PVK) – innleggelse hos voksne"
    # «Beholdes» is no flag; a document superseded by its metadata keeps its own flag and replacement
    assert after["a-lok-munnstell"].state != SUPERSEDED
    old = after["a-lok-pvk-gammel"]
    assert (old.state, old.phase_out, old.replaced_by) == (SUPERSEDED, "", "a-var-pvk")
    assert check.warning(old).startswith("Utgått – erstattet av")


def test_set_item_of_a_phased_out_document_is_flagged_and_moves_to_the_var_procedure(qtbot, make_window,
                                                                                       tmp_path):
    sources = _build(tmp_path)
    window = make_window(index_dir=tmp_path / "index")
    pane = window.sets
    data = pane.editor.create_set("Nyansatt – medisinsk", "")
    window.sets_actions.add_to(data.uid, window.session.engine.document("a-lok-pvk"))
    pane.refresh(select=data.uid)
    pane.editor.set_note("øves på dukke først", item=pane.current.items[0])
    with qtbot.waitSignal(pane.states_ready, timeout=10000):
        pane.check_states()
    assert pane.states["a-lok-pvk"].state == "ok"

    # the team decides on its share; the last date has passed by the next build on this PC
    store = DecisionStore(decisions.decisions_path(sources), user="kari")
    store.load()
    store.save({"a-lok-pvk": Decision("a-lok-pvk", "utfases", "a-var-pvk", dt.date.today() - dt.timedelta(days=1),
                                      "VAR dekker")})
    api.build(tmp_path / "index", sources, use_model=False)
    with qtbot.waitSignal(pane.states_ready, timeout=15000):
        window.session.reopen(tmp_path / "index")
    state = pane.states["a-lok-pvk"]
    assert (state.state, state.phase_out, state.replaced_by) == (SUPERSEDED, "utgått", "a-var-pvk")
    model = pane.items_model
    assert model.rowCount() == 1  # kept, only flagged
    assert "Utgått — bruk VAR: Perifert venekateter (PVK) – innleggelse hos voksne" in \
        model.data(model.index(0), Qt.ItemDataRole.ToolTipRole)
    assert "1 prosedyre(r) er utgått" in pane.notice.text()
    # the item still opens: a link to a phased-out document never breaks
    assert window.session.engine.document("a-lok-pvk").doc_id == "a-lok-pvk"

    pane.items_view.setFocus()
    pane.items_view.setCurrentIndex(model.index(0))
    assert pane.replace_button.isEnabled()
    with qtbot.waitSignal(pane.states_ready, timeout=10000):
        pane.replace_button.click()
    item = pane.current.items[0]
    assert (item.doc_id, item.note) == ("a-var-pvk", "øves på dukke først")
    assert pane.states["a-var-pvk"].state == "ok"
