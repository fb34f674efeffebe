"""Building from folders in the background: search keeps working, progress and Cancel in the status bar,
cancel keeps the old snapshot serving, success swaps the new one in with a notice."""

from __future__ import annotations

import threading

from app.qt import QApplication, Qt
from app.window.build_dialog import run_build
from index import api
from tests.app.conftest import search


def _current(index_dir):
    return (index_dir / "CURRENT").read_text(encoding="utf-8")


def test_cancel_keeps_the_old_snapshot(qtbot, make_window, app_sources, tmp_path, monkeypatch):
    index_dir = tmp_path / "idx"
    api.build(index_dir, app_sources, use_model=False)
    window = make_window(index_dir=index_dir)
    session = window.session
    engine, pointer = session.engine, _current(index_dir)
    snapshots = sorted(p.name for p in (index_dir / "snapshots").iterdir())

    gate = threading.Event()
    real_build = api.build

    def gated_build(*args, progress, **kwargs):
        def gated(stage, done, total):
            if stage == "parse":
                gate.wait(10)  # hold the build until the user has pressed Cancel
            return progress(stage, done, total)
        return real_build(*args, progress=gated, **kwargs)

    monkeypatch.setattr("app.session.api.build", gated_build)
    task = run_build(parent=window, session=session, config=window.config, index_dir=index_dir,
                     sources=app_sources)
    status = window.status
    qtbot.waitUntil(lambda: status.progress.maximum() > 0, timeout=5000)  # the scan reported progress
    # The window is not blocked: no modal dialog, and typing searches the open index meanwhile.
    assert QApplication.activeModalWidget() is None
    assert status.cancel_button.isVisibleTo(window) and status.progress.isVisibleTo(window)
    assert search(qtbot, window, "trykksår")[0].doc_id == "a-var-trykksar"
    qtbot.mouseClick(status.cancel_button, Qt.MouseButton.LeftButton)  # what a user does
    gate.set()
    qtbot.waitUntil(lambda: task.done, timeout=10000)
    assert type(task.error).__name__ == "BuildCancelled"
    assert session.engine is engine
    assert _current(index_dir) == pointer
    assert sorted(p.name for p in (index_dir / "snapshots").iterdir()) == snapshots
    assert "avbrutt" in window.statusBar().currentMessage()
    assert window.config.get("index_dir") == ""  # nothing remembered from a cancelled build
    assert not status.cancel_button.isVisibleTo(window) and not status.progress.isVisibleTo(window)


def test_successful_build_swaps_the_engine(qtbot, make_window, app_sources, tmp_path):
    window = make_window()
    session = window.session
    old = session.engine
    target = tmp_path / "new-index"
    task = run_build(parent=window, session=session, config=window.config, index_dir=target,
                     sources=app_sources[:1])
    qtbot.waitUntil(lambda: task.done, timeout=20000)
    assert task.error is None, task.error_details
    assert session.engine is not old and session.engine.index_dir == target
    assert window.config.get("index_dir") == str(target)
    qtbot.waitUntil(lambda: session.stats is not None, timeout=5000)
    assert session.stats.by_tier.get("local", 0) == 0
    assert "1" in window.status.index_label.text() or "2" in window.status.index_label.text()
    assert window.banner_box.isVisibleTo(window) and "tatt i bruk" in window.banner.text()
    assert QApplication.activeModalWidget() is None


def test_a_second_build_is_refused_while_one_runs(qtbot, make_window, app_sources, tmp_path):
    window = make_window()
    window.status.start_build(cancel=lambda: None)
    window.act_build.trigger()
    assert QApplication.activeModalWidget() is None
    assert "bygges allerede" in window.statusBar().currentMessage()
    window.status.end_build()


def test_time_left_follows_the_pace_of_the_stage(qtbot, make_window, monkeypatch):
    window = make_window()
    status = window.status
    clock = [100.0]
    monkeypatch.setattr("app.window.statusbar.time.monotonic", lambda: clock[0])
    status.start_build(cancel=lambda: None)
    status.set_build_progress("parse", 0, 100)
    clock[0] += 60  # 10 of 100 documents in a minute: 9 minutes to go
    status.set_build_progress("parse", 10, 100)
    assert status.stage_label.text() == "Bygger indeks: Leser dokumenter · ca. 9 min igjen"
    status.end_build()


def test_a_build_waits_for_a_model_load_in_progress(qtbot, make_window, app_sources, tmp_path, monkeypatch):
    """Two model loads at once failed in torch and left the new index without vectors: they take turns."""
    loading, overlaps = threading.Event(), []
    release = threading.Event()

    def slow_loader(engine, path):
        loading.set()
        release.wait(10)
        loading.clear()
        return True

    real_build = api.build

    def watched_build(*args, **kwargs):
        overlaps.append(loading.is_set())  # a model load still running when the build loads its own?
        kwargs["use_model"] = False
        return real_build(*args, **kwargs)

    monkeypatch.setattr("app.session.api.build", watched_build)
    window = make_window(semantic=True, model_loader=slow_loader)
    qtbot.waitUntil(loading.is_set, timeout=5000)
    task = run_build(parent=window, session=window.session, config=window.config, index_dir=tmp_path / "ix",
                     sources=app_sources)
    qtbot.wait(300)
    assert overlaps == []  # the build has not started its model load yet
    release.set()
    qtbot.waitUntil(lambda: task.done, timeout=20000)
    assert overlaps == [False] and task.error is None, task.error_details
