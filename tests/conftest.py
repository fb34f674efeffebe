"""Test-wide setup: offline, offscreen, and a shared model + index built once per session."""

from __future__ import annotations

import os
import socket

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from tests.helpers.corpus import write_corpus


@pytest.fixture(scope="session")
def embedder():
    """The real provisioned model (make test provisions it first)."""
    from index.embed.model import default_model_dir, load_embedder

    if not (default_model_dir() / ".verified").exists():
        pytest.fail(f"model not provisioned at {default_model_dir()}: run `make model` (make test does)")
    return load_embedder(default_model_dir())


@pytest.fixture(scope="session")
def hybrid_index(tmp_path_factory, embedder):
    """A snapshot of the test corpus with vectors, built once."""
    from index.builder import build

    root = tmp_path_factory.mktemp("corpus")
    sources = write_corpus(root)
    index_dir = tmp_path_factory.mktemp("index")
    build.build(index_dir, sources, embedder=embedder)
    return index_dir


@pytest.fixture
def hybrid_engine(hybrid_index, embedder):
    from index.api import Engine

    engine = Engine(hybrid_index)
    assert engine.attach_embedder(embedder), engine.model_error
    yield engine
    engine.close()


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "src"
    return root, write_corpus(root)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to reach the network (connect, resolve a name) fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
