"""The sets pane when the store is busy, damaged or given a large import: the user is told, nothing is lost."""

from __future__ import annotations

import json

from app.sets import sqlite
from app.sets.dialogs import open_dialogs
from app.sets.keeper import StoreKeeper
from app.sets.records import OnboardingSet, SetItem
from app.sets.store import SetStore, default_path
from tests.app.sets.test_faults import hold, release


def test_a_busy_store_at_start_says_so_and_is_taken_up_when_free(qtbot, make_window, monkeypatch):
    monkeypatch.setattr(sqlite, "BACKOFF_S", (0.05,))
    monkeypatch.setattr(StoreKeeper, "open_store", staticmethod(lambda: SetStore(busy_ms=100)))
    store = SetStore()
    store.create("Uke 1")
    store.close()
    holder = hold(default_path(), "rollback")
    try:
        window = make_window()
        pane = window.sets
        assert pane.store is None and pane.keeper.state == "busy"
        assert "opptatt" in pane.error_label.text() and not pane.error_label.isHidden()
        assert not any(".damaged-" in p.name for p in default_path().parent.iterdir())
    finally:
        release(holder)
    pane.keeper.on_reopen()  # the timer's slot: opens on the task runner
    qtbot.waitUntil(lambda: pane.store is not None, timeout=15000)
    assert pane.keeper.state == "" and pane.error_label.isHidden()
    assert [s.name for s in pane.store.list_sets()] == ["Mine bokmerker", "Uke 1"]
    assert pane.list_model.row_of(pane.store.find_by_name("Uke 1").uid) >= 0


def test_a_damaged_store_is_put_aside_and_the_file_offered(qtbot, make_window):
    default_path().parent.mkdir(parents=True, exist_ok=True)
    default_path().write_bytes(b"not a database at all" * 50)
    window = make_window()
    qtbot.waitUntil(lambda: bool(open_dialogs), timeout=5000)
    box = open_dialogs[-1]
    aside = window.sets.store.recovered_from
    assert str(aside) in box.text() and aside.read_bytes().startswith(b"not a database")
    assert [b.text() for b in box.buttons()][:1] == ["Vis filen"]
    box.close()


def test_a_large_import_runs_in_the_background_with_progress(qtbot, make_window, tmp_path):
    window = make_window()
    pane = window.sets
    items = [{"type": "procedure", "doc_id": f"d{i}", "title": f"Prosedyre {i}"} for i in range(1000)]
    path = tmp_path / "stor.kildesett"
    path.write_text(json.dumps({"format": "kildesett", "version": 1, "set": {"name": "Stor", "items": items}}),
                    encoding="utf-8")
    messages = []
    pane.message.connect(messages.append)
    with qtbot.waitSignal(pane.files.imported, timeout=30000) as stored:
        task = pane.files.import_from(path)
        assert task is not None and not task.done  # handed to the runner, the window goes on
    assert len(stored.args[0].items) == 1000 and pane.current.name == "Stor"
    assert any("av 1000 punkter" in m for m in messages)
    assert [i.title for i in pane.store.get(stored.args[0].uid).items][:3] == ["Prosedyre 0", "Prosedyre 1",
                                                                               "Prosedyre 2"]
    assert isinstance(stored.args[0], OnboardingSet) and isinstance(stored.args[0].items[0], SetItem)
