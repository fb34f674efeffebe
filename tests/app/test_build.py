"""Building from folders: progress, cancel keeps the old snapshot serving, success swaps the new one in."""

from __future__ import annotations

import threading

from app.build_dialog import run_build
from app.qt import QPushButton, Qt
from index import api


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
    dialog = task.progress_dialog
    qtbot.waitUntil(lambda: "Leser" in dialog.labelText() or dialog.maximum() > 0, timeout=5000)
    cancel_button = dialog.findChild(QPushButton)
    qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)  # what a user does
    gate.set()
    qtbot.waitUntil(lambda: task.done, timeout=10000)
    assert type(task.error).__name__ == "BuildCancelled"
    assert session.engine is engine
    assert _current(index_dir) == pointer
    assert sorted(p.name for p in (index_dir / "snapshots").iterdir()) == snapshots
    assert "avbrutt" in window.statusBar().currentMessage()
    assert window.config.get("index_dir") == ""  # nothing remembered from a cancelled build


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
