"""Architecture and offline guarantees."""

import socket
import subprocess
import sys

import pytest

from tests.helpers.paths import REPO


def test_engine_imports_no_qt():
    code = ("import sys, pkgutil, importlib, index\n"
            "for m in pkgutil.walk_packages(index.__path__, 'index.'):\n"
            "    if not m.name.endswith('__main__'): importlib.import_module(m.name)\n"
            "bad = [m for m in sys.modules if m.startswith(('PySide', 'shiboken', 'PyQt'))]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
    for path in (REPO / "index").rglob("*.py"):
        assert "PySide6" not in path.read_text(encoding="utf-8"), path


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_build_and_search_open_no_socket(no_network, corpus, tmp_path):
    from index import api
    from index.embed.model import default_model_dir

    _, sources = corpus
    api.build(tmp_path / "ix", sources, model_path=default_model_dir())
    engine = api.Engine(tmp_path / "ix")
    assert engine.load_model(default_model_dir()), engine.model_error
    assert engine.search("PVK").mode == "hybrid"
    engine.close()
