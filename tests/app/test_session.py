"""The session: lexical results before the model is loaded, the newest query wins, the real model (if any)."""

from __future__ import annotations

import threading

import pytest

from app.session import LOADING, READY, UNAVAILABLE
from tests.app.conftest import search


class BlockingLoader:
    """A model loader that waits until the test lets it finish (the model is "still loading")."""

    def __init__(self, result: bool):
        self.result = result
        self.release = threading.Event()
        self.started = threading.Event()

    def __call__(self, engine, model_path) -> bool:
        self.started.set()
        self.release.wait(30)
        if not self.result:
            engine.model_error = "test: no model here"
        return self.result


@pytest.mark.parametrize("loads", [False, True])
def test_lexical_results_while_the_model_loads(qtbot, make_window, loads):
    loader = BlockingLoader(loads)
    window = make_window(semantic=True, model_loader=loader)
    session = window.session
    try:
        qtbot.waitUntil(loader.started.is_set, timeout=5000)
        assert session.semantic == LOADING
        assert "laster" in window.status.semantic_label.text()
        hits = search(qtbot, window, "PVK")
        outcome = window.results.outcome
        assert hits and outcome.result.mode == "lexical" and outcome.semantic == LOADING
        assert window.results.notice.isVisibleTo(window) and "lastes" in window.results.notice.text()
        seq = outcome.seq
    finally:
        loader.release.set()
    qtbot.waitUntil(lambda: session.semantic != LOADING, timeout=10000)
    if loads:
        assert session.semantic == READY
        assert "klart" in window.status.semantic_label.text()
        # the current query is re-run so that hybrid results can replace the lexical ones
        qtbot.waitUntil(lambda: window.results.outcome.seq > seq, timeout=10000)
        assert window.results.model.hits() == hits
    else:
        assert session.semantic == UNAVAILABLE
        assert "utilgjengelig" in window.status.semantic_label.text()
        assert "test: no model here" in window.status.semantic_label.toolTip()


def test_a_newer_query_supersedes_an_older_one(qtbot, make_window):
    window = make_window()
    session = window.session
    seen = []
    session.results_ready.connect(seen.append)
    session.search("PVK")
    session.search("munnstell")
    qtbot.waitUntil(lambda: bool(seen) and not session.runner.busy, timeout=10000)
    assert [o.query for o in seen] == ["munnstell"]
    assert session.dropped >= 1


def test_missing_index_is_reported(qtbot, make_window, tmp_path):
    from app import errors

    window = make_window(index_dir=tmp_path / "nothing-here", start=False)
    window.session.start()
    qtbot.waitUntil(lambda: bool(errors.shown), timeout=10000)
    box = errors.shown[-1]
    assert "Indeksen kunne ikke åpnes" in box.text()
    box.close()
    assert window.session.semantic == UNAVAILABLE


def test_hybrid_search_with_the_real_model(qtbot, make_window, request):
    from index.embed.model import default_model_dir

    if not (default_model_dir() / ".verified").exists():
        pytest.skip(f"embedding model not provisioned at {default_model_dir()} (run `make model`)")
    index_dir = request.getfixturevalue("hybrid_index")
    window = make_window(index_dir=index_dir, semantic=True, model_loader=None)
    qtbot.waitUntil(lambda: window.session.semantic != LOADING, timeout=120000)
    assert window.session.semantic == READY, window.session.semantic_reason
    hits = search(qtbot, window, "hvordan legge inn venekanyle")
    assert window.results.outcome.result.mode == "hybrid"
    assert hits and hits[0].tier == "var"
