"""Published index in the app: served from the local copy, updated in the background, share outages survived."""

from __future__ import annotations

import shutil

import pytest

from app.updates import IndexUpdater, ReusingModelLoader
from index import api
from tests.app.conftest import search


@pytest.fixture
def share(tmp_path, app_sources):
    """A share with v1 published from a private copy of the test corpus, and a way to publish v2."""
    sources = [(tier, tmp_path / "src" / tier) for tier, _ in app_sources]
    for (_, src), (_, dst) in zip(app_sources, sources, strict=True):
        shutil.copytree(src, dst)
    index_dir, share = tmp_path / "team-index", tmp_path / "share"
    api.build(index_dir, sources, use_model=False)
    api.publish(index_dir, share)

    def publish_v2() -> str:
        extra = sources[0][1] / "ny.md"
        extra.write_text("---\nid: a-var-ny\ntitle: Sommerfuglnål hos barn\nsource: var\nlanguage: nb\n---\n"
                         "## Framgangsmåte\nSommerfuglnål brukes ved kort infusjon hos barn.\n", encoding="utf-8")
        api.build(index_dir, sources, use_model=False)
        return api.publish(index_dir, share).version

    return share, publish_v2


def _checked(qtbot, session) -> tuple[IndexUpdater, list]:
    """An updater for ``session`` after one check of the share: (updater, the check results so far)."""
    updater = IndexUpdater(session=session, minutes=0)
    results = []
    updater.checked.connect(results.append)
    updater.check_now()
    qtbot.waitUntil(lambda: bool(results), timeout=10000)
    return updater, results


def test_app_serves_the_local_copy_and_switches_to_a_new_version(qtbot, make_window, share):
    share_dir, publish_v2 = share
    window = make_window(index_dir=share_dir)
    session = window.session
    local = api.published_copy_dir(share_dir)
    assert session.engine.index_dir == local  # never opened on the share itself
    assert search(qtbot, window, "PVK")
    v1 = session.engine.snapshot.name

    updater, results = _checked(qtbot, session)
    assert results[-1].status == api.UP_TO_DATE

    v2 = publish_v2()
    old = session.engine
    updater.check_now()
    qtbot.waitUntil(lambda: session.engine is not old and session.engine.snapshot.name == v2, timeout=15000)
    assert v2 != v1
    assert search(qtbot, window, "sommerfuglnål")[0].doc_id == "a-var-ny"


def test_share_gone_keeps_serving_the_copy(qtbot, make_window, share):
    share_dir, _ = share
    window = make_window(index_dir=share_dir)
    session = window.session
    v1 = session.engine.snapshot.name
    shutil.rmtree(share_dir)

    _updater, results = _checked(qtbot, session)
    assert results[-1].status == api.UNREACHABLE
    assert session.engine.snapshot.name == v1 and search(qtbot, window, "PVK")

    # Next start, share still gone: the local copy opens.
    again = make_window(index_dir=share_dir)
    assert again.session.engine.snapshot.name == v1


def test_a_plain_index_folder_needs_no_updates(qtbot, make_window, app_index):
    window = make_window(index_dir=app_index)
    updater = IndexUpdater(session=window.session, minutes=5)
    updater.start()
    updater.check_now()
    qtbot.waitUntil(lambda: not updater._busy, timeout=10000)
    assert updater.last is None and not updater._timer.isActive()


class FakeEngine:
    def __init__(self, *, loads: bool = True):
        self.loads, self.embedder, self.attached = loads, None, None

    def load_model(self, _path):
        if self.loads:
            self.embedder = object()
        return self.loads

    def attach_embedder(self, embedder):
        self.attached = embedder
        return True


def test_model_is_loaded_once_and_attached_to_later_engines():
    loader = ReusingModelLoader()
    first, second = FakeEngine(), FakeEngine()
    assert loader(first, None) and loader(second, None)
    assert second.embedder is None and second.attached is first.embedder
    failing = ReusingModelLoader()
    assert not failing(FakeEngine(loads=False), "/nowhere")
