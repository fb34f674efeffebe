"""Published snapshots on real temporary folders: publish, sync, switch, and every way a share can let us down."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from index import api
from index.builder import build, publish, sync
from index.cli import main as cli
from index.errors import IndexMissingError
from index.records import SearchMode
from index.store.snapshot import POINTER, current_dir
from tests.helpers.corpus import write_corpus

T1 = dt.datetime(2026, 11, 1, 8, 0, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 11, 2, 8, 0, 0, tzinfo=dt.UTC)


@pytest.fixture
def source(tmp_path):
    """A built lexical index (v1) and a way to rebuild it with a changed document (v2)."""
    src = tmp_path / "src"
    sources = write_corpus(src)
    index_dir = tmp_path / "idx"
    build.build(index_dir, sources)

    def rebuild() -> None:
        pvk = src / "var" / "pvk.md"
        pvk.write_text(pvk.read_text(encoding="utf-8") + "\nNY SETNING om sommerfuglnål.\n", encoding="utf-8")
        build.build(index_dir, sources)

    return index_dir, rebuild


def tree(folder: Path) -> dict[str, tuple]:
    """Every path under ``folder`` with size, mtime and content: to prove a client changed nothing."""
    out = {}
    for p in sorted(folder.rglob("*")):
        st = p.stat()
        out[p.relative_to(folder).as_posix()] = (p.is_dir(), st.st_size, st.st_mtime_ns,
                                                  None if p.is_dir() else p.read_bytes())
    return out


def version_dir(share: Path, version: str) -> Path:
    return share / publish.VERSIONS / version


def test_publish_v1_then_client_serves_v1(source, tmp_path, no_network):
    index_dir, _ = source
    share, cache = tmp_path / "share", tmp_path / "cache"
    report = publish.publish(index_dir, share, now=T1)
    assert report.version.startswith("20261101T080000Z-") and report.documents > 0 and not report.already_published
    assert (share / publish.POINTER).is_file()
    assert (version_dir(share, report.version) / publish.LISTING).is_file()
    assert not list((share / publish.VERSIONS).glob(".incoming-*"))

    result = sync.sync(share, cache)
    assert result.status == sync.UPDATED and result.version == report.version and result.changed
    with api.Engine(cache) as engine:
        assert engine.snapshot.name == report.version
        assert engine.search("PVK", mode=SearchMode.LEXICAL).hits[0].doc_id == "t-var-pvk"
    assert sync.sync(share, cache).status == sync.UP_TO_DATE


def test_same_content_is_not_published_twice(source, tmp_path):
    index_dir, _ = source
    share = tmp_path / "share"
    first = publish.publish(index_dir, share, now=T1)
    again = publish.publish(index_dir, share, now=T2)
    assert again.already_published and again.version == first.version
    assert [p.name for p in (share / publish.VERSIONS).iterdir()] == [first.version]


def test_publish_v2_while_a_client_reads_switches_cleanly(source, tmp_path):
    index_dir, rebuild = source
    share, cache = tmp_path / "share", tmp_path / "cache"
    v1 = publish.publish(index_dir, share, now=T1).version
    sync.sync(share, cache)
    with api.Engine(cache) as old:  # the app serving v1
        rebuild()
        v2 = publish.publish(index_dir, share, now=T2).version
        assert v2 != v1 and v2 > v1
        result = sync.sync(share, cache)
        assert result.status == sync.UPDATED and result.version == v2
        # The open v1 engine keeps answering after the switch (its folder is kept).
        assert old.search("PVK", mode=SearchMode.LEXICAL).hits
        assert (cache / "snapshots" / v1).is_dir()
        with api.Engine(cache) as new:
            assert new.snapshot.name == v2
            assert new.search("sommerfuglnål", mode=SearchMode.LEXICAL).hits[0].doc_id == "t-var-pvk"
            assert not old.search("sommerfuglnål", mode=SearchMode.LEXICAL).hits


def test_share_removed_client_still_serves(source, tmp_path):
    index_dir, _ = source
    share, cache_root = tmp_path / "share", tmp_path / "cache-root"
    v1 = publish.publish(index_dir, share, now=T1).version
    assert api.sync_published(share, cache_root).status == sync.UPDATED
    shutil.rmtree(share)

    result = api.sync_published(share, cache_root)
    assert result.status == sync.UNREACHABLE and result.version == v1 and result.reason
    with api.open_index(share, cache_root=cache_root) as engine:  # the local copy, though the share is gone
        assert engine.snapshot.name == v1 and engine.search("PVK", mode=SearchMode.LEXICAL).hits


def test_first_start_without_share_or_copy_is_a_clear_error(tmp_path):
    with pytest.raises(IndexMissingError, match="no local copy"):
        sync.ensure_local_copy(tmp_path / "gone", tmp_path / "cache")


def test_open_index_copies_on_first_start_and_plain_folders_open_directly(source, tmp_path):
    index_dir, _ = source
    share, cache_root = tmp_path / "share", tmp_path / "cache-root"
    v1 = publish.publish(index_dir, share, now=T1).version
    with api.open_index(share, cache_root=cache_root) as engine:
        assert engine.snapshot.name == v1
        assert engine.index_dir == api.published_copy_dir(share, cache_root)
    with api.open_index(index_dir, cache_root=cache_root) as plain:
        assert plain.index_dir == index_dir


def test_read_only_share_is_never_written(source, tmp_path):
    index_dir, rebuild = source
    share, cache = tmp_path / "share", tmp_path / "cache"
    publish.publish(index_dir, share, now=T1)
    sync.sync(share, cache)
    rebuild()
    v2 = publish.publish(index_dir, share, now=T2).version
    modes = {}
    for p in [share, *share.rglob("*")]:
        modes[p] = p.stat().st_mode
        p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        before = tree(share)
        result = sync.sync(share, cache)
        assert result.status == sync.UPDATED and result.version == v2
        engine = api.Engine(cache)
        engine.search("PVK", mode=SearchMode.LEXICAL)
        engine.close()
        assert tree(share) == before  # nothing created, changed or touched (root ignores the mode bits)
    finally:
        for p, mode in sorted(modes.items(), key=lambda kv: len(kv[0].parts)):
            p.chmod(mode)


def test_half_copied_version_on_the_share_is_never_used(source, tmp_path):
    """A publish killed mid-copy: no pointer switch, so clients keep v1; a pointer to a short copy is refused."""
    index_dir, rebuild = source
    share, cache = tmp_path / "share", tmp_path / "cache"
    v1 = publish.publish(index_dir, share, now=T1).version
    sync.sync(share, cache)
    rebuild()
    v2 = publish.publish(index_dir, share, now=T2).version

    # (a) the killed publisher's leftovers: an .incoming folder, and the pointer still naming v1
    pointer_v2 = (share / publish.POINTER).read_bytes()
    pointer_v1 = json.loads(pointer_v2)
    pointer_v1["version"] = v1
    pointer_v1["listing_sha256"] = __import__("hashlib").sha256(
        (version_dir(share, v1) / publish.LISTING).read_bytes()).hexdigest()
    (share / publish.POINTER).write_text(json.dumps(pointer_v1), encoding="utf-8")
    shutil.copytree(version_dir(share, v2), share / publish.VERSIONS / f".incoming-999999-{v2}")
    assert sync.sync(share, cache).status == sync.UP_TO_DATE

    # (b) the pointer names v2 but one file of v2 is truncated, another missing
    (share / publish.POINTER).write_bytes(pointer_v2)
    sqlite = version_dir(share, v2) / "docs.sqlite"
    sqlite.write_bytes(sqlite.read_bytes()[:100])
    result = sync.sync(share, cache)
    assert result.status == sync.REJECTED and result.version == v1 and "docs.sqlite" in result.reason
    (version_dir(share, v2) / "vocab.json").unlink()
    assert sync.sync(share, cache).status == sync.REJECTED
    assert current_dir(cache).name == v1
    assert not list(cache.glob(".building-*")), "a refused copy is cleaned up"
    assert not (cache / "snapshots" / v2).exists()

    # (c) no listing at all (the version folder was still being written)
    (version_dir(share, v2) / publish.LISTING).unlink()
    assert sync.sync(share, cache).status == sync.REJECTED
    with api.Engine(cache) as engine:
        assert engine.snapshot.name == v1


def test_killed_client_copy_is_never_used(source, tmp_path):
    index_dir, rebuild = source
    share, cache = tmp_path / "share", tmp_path / "cache"
    v1 = publish.publish(index_dir, share, now=T1).version
    sync.sync(share, cache)
    rebuild()
    v2 = publish.publish(index_dir, share, now=T2).version

    calls = {"n": 0}

    def cancel_after_two() -> bool:  # the copy stops part way (app closing, share dropping out)
        calls["n"] += 1
        return calls["n"] > 2

    result = sync.sync(share, cache, cancelled=cancel_after_two)
    assert result.status == sync.UNREACHABLE and result.version == v1
    assert current_dir(cache).name == v1 and not (cache / "snapshots" / v2).exists()

    # A copy whose process was killed outright leaves a .building folder: never opened, removed next sync.
    dead = cache / f".building-999999-sync-{v2}"
    shutil.copytree(version_dir(share, v2), dead)
    (dead / "docs.sqlite").unlink()
    engine = api.Engine(cache)
    assert engine.snapshot.name == v1
    engine.close()
    assert sync.sync(share, cache).version == v2
    assert not dead.exists()


@pytest.mark.parametrize("content", [
    b"", b"{not json", b'{"format": 1}', b'{"format": 99, "version": "x", "listing_sha256": "0"}',
    json.dumps({"format": 1, "version": "../../etc", "listing_sha256": "0" * 64}).encode(),
    b"\xff\xfe garbage",
])
def test_damaged_pointer_is_rejected_and_the_copy_serves(source, tmp_path, content):
    index_dir, _ = source
    share, cache = tmp_path / "share", tmp_path / "cache"
    v1 = publish.publish(index_dir, share, now=T1).version
    sync.sync(share, cache)
    (share / publish.POINTER).write_bytes(content)
    result = sync.sync(share, cache)
    assert result.status == sync.REJECTED and result.version == v1 and result.reason
    assert current_dir(cache).name == v1


def test_pointer_and_listing_must_agree(source, tmp_path):
    index_dir, rebuild = source
    share, cache = tmp_path / "share", tmp_path / "cache"
    v1 = publish.publish(index_dir, share, now=T1).version
    sync.sync(share, cache)
    rebuild()
    v2 = publish.publish(index_dir, share, now=T2).version
    listing = version_dir(share, v2) / publish.LISTING
    data = json.loads(listing.read_text(encoding="utf-8"))
    data["files"].append({"path": "../outside.txt", "size": 1, "sha256": "0" * 64})
    listing.write_text(json.dumps(data), encoding="utf-8")
    result = sync.sync(share, cache)
    assert result.status == sync.REJECTED and "does not match the pointer" in result.reason
    assert current_dir(cache).name == v1


def test_old_versions_are_pruned_on_the_share_but_never_the_published_one(source, tmp_path):
    index_dir, rebuild = source
    share = tmp_path / "share"
    versions = []
    for day in range(1, 5):
        if day > 1:
            rebuild()
        versions.append(publish.publish(index_dir, share, keep=2, now=T1.replace(day=day)).version)
    left = sorted(p.name for p in (share / publish.VERSIONS).iterdir())
    assert left == versions[-2:]
    assert publish.read_pointer(share).version == versions[-1]


def test_publishing_a_missing_index_fails_cleanly(tmp_path):
    with pytest.raises(IndexMissingError):
        publish.publish(tmp_path / "nothing", tmp_path / "share")
    assert not (tmp_path / "share" / publish.POINTER).exists()


def test_cli_publish_and_sync(source, tmp_path, capsys):
    index_dir, _ = source
    share, local = tmp_path / "share", tmp_path / "local"
    assert cli.main(["publish", "--index", str(index_dir), "--to", str(share)]) == 0
    assert "published" in capsys.readouterr().out
    assert cli.main(["publish", "--index", str(index_dir), "--to", str(share)]) == 0
    assert "already published" in capsys.readouterr().out
    assert cli.main(["sync", "--from", str(share), "--index", str(local)]) == 0
    assert (local / POINTER).is_file()
    assert cli.main(["search", "--index", str(local), "--mode", "lexical", "PVK"]) == 0
    assert "t-var-pvk" in capsys.readouterr().out
    shutil.rmtree(share)
    assert cli.main(["sync", "--from", str(share), "--index", str(local)]) == 1
    assert "unreachable" in capsys.readouterr().out
    assert cli.main(["publish", "--index", str(tmp_path / "none"), "--to", str(share)]) == 2


def test_local_copy_dirs_are_per_share(tmp_path):
    a = api.published_copy_dir(r"\\server\kildefinner\published", tmp_path)
    b = api.published_copy_dir("/mnt/kildefinner/published", tmp_path)
    assert a != b and a.parent == tmp_path and b.name.startswith("published-")
    assert os.sep not in a.name


def test_abandoned_publish_leftovers_are_removed_only_when_stale(source, tmp_path):
    index_dir, rebuild = source
    share = tmp_path / "share"
    publish.publish(index_dir, share, now=T1)
    fresh = share / publish.VERSIONS / ".incoming-999999-fresh"  # maybe another PC publishing right now
    stale = share / publish.VERSIONS / ".incoming-999998-stale"
    for folder in (fresh, stale):
        folder.mkdir()
    old = stale.stat().st_mtime - publish.INCOMING_STALE_S - 60
    os.utime(stale, (old, old))
    rebuild()
    publish.publish(index_dir, share, now=T2)
    assert fresh.is_dir() and not stale.exists()
