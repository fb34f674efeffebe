"""A first start copies the demo index built ahead of time (``python -m app.demo``) instead of embedding it."""

from __future__ import annotations

import json
import shutil

from app import demo
from app.session import READY, Session
from app.tasks import TaskRunner


def test_first_start_uses_the_prebuilt_demo_index(qtbot, app_index, tmp_path, monkeypatch):
    prebuilt = tmp_path / "resources-demo-index"
    shutil.copytree(app_index, prebuilt)
    (prebuilt / demo.DEMO_STAMP).write_text(json.dumps({"fingerprint": demo.demo_fingerprint(demo.PREBUILT_MARKER),
                                                        "model": demo.model_hash()}))
    monkeypatch.setattr(demo, "prebuilt_dir", lambda: prebuilt)
    stages = []
    session = Session(runner=TaskRunner(), index_dir=None, semantic=True, model_loader=lambda engine, path: True)
    session.index_progress.connect(lambda stage, *_: stages.append(stage))
    try:
        session.start()
        qtbot.waitUntil(lambda: session.semantic == READY, timeout=15000)
        assert stages == []  # nothing was built or embedded on this machine
        assert demo.read_stamp(demo.demo_index_dir())["from"] == "prebuilt"
        assert session.engine.stats().documents == 6
    finally:
        session.shutdown()


def test_a_stale_prebuilt_index_is_not_used(qtbot, app_index, tmp_path, monkeypatch):
    prebuilt = tmp_path / "resources-demo-index"
    shutil.copytree(app_index, prebuilt)
    (prebuilt / demo.DEMO_STAMP).write_text(json.dumps({"fingerprint": "built from older demo sources"}))
    monkeypatch.setattr(demo, "prebuilt_dir", lambda: prebuilt)
    assert not demo.install_prebuilt(tmp_path / "target", "x")
    assert not (tmp_path / "target").exists()


def test_a_prebuilt_index_from_another_model_is_not_used(qtbot, app_index, tmp_path, monkeypatch):
    """Vectors of another model or variant would not match the bundled encoder (search would be lexical)."""
    prebuilt = tmp_path / "resources-demo-index"
    shutil.copytree(app_index, prebuilt)
    (prebuilt / demo.DEMO_STAMP).write_text(json.dumps({"fingerprint": demo.demo_fingerprint(demo.PREBUILT_MARKER),
                                                        "model": "f" * 64}))
    monkeypatch.setattr(demo, "prebuilt_dir", lambda: prebuilt)
    assert demo.model_hash()  # the provisioned ONNX graph
    assert not demo.prebuilt_is_current()
    assert not demo.install_prebuilt(tmp_path / "target", "x")
