"""The snapshot module on its own, on real lexical builds: the on-disk layout, reading a snapshot back read-only,
the pointer and its atomic switch, falling back to an older snapshot, and pruning.

(Damage found through the facade — truncated Whoosh segments, vectors, kill -9 — is in test_faults.py.)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.builder import build
from index.errors import IndexCorruptError, IndexMissingError
from index.records import Procedure, Section
from index.store import snapshot
from index.store.lock import LOCK_NAME
from tests.helpers.corpus import DOCS, write_corpus


def _rebuild(tmp_path: Path, line: str) -> Path:
    """Add ``line`` to one source document of the corpus under ``tmp_path/src`` and build; the new snapshot."""
    root, ix = tmp_path / "src", tmp_path / "ix"
    if not root.exists():
        write_corpus(root)
    path = root / "var/blodtrykk.md"
    path.write_text(path.read_text("utf-8") + f"\n{line}\n", "utf-8")
    build.build(ix, [(tier, root / tier) for tier in ("var", "local")])
    return snapshot.current_dir(ix)


def _two_builds(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An index with two snapshots: (index folder, the older one, the serving one)."""
    older = _rebuild(tmp_path, "Første versjon.")
    return tmp_path / "ix", older, _rebuild(tmp_path, "Mål også liggende.")


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A lexical index of the test corpus, built once for the read-only tests of this module."""
    root = tmp_path_factory.mktemp("snap-src")
    ix = tmp_path_factory.mktemp("snap-ix")
    build.build(ix, write_corpus(root))
    return ix


def test_a_build_writes_the_documented_layout(built):
    current = snapshot.current_dir(built)
    assert (built / snapshot.POINTER).read_text("utf-8") == current.name + "\n"
    assert current.parent == built / snapshot.SNAPSHOTS
    for name in ("manifest.json", "docs.sqlite", "vocab.json", snapshot.OVERLAPS):
        assert (current / name).is_file(), name
    assert (current / "whoosh").is_dir() and any((current / "whoosh").iterdir())
    assert not (current / "vectors.npy").exists()  # lexical-only: no vectors, and the manifest says so
    manifest = json.loads((current / "manifest.json").read_text("utf-8"))
    assert manifest["format"] == snapshot.FORMAT_VERSION and manifest["model"] == ""
    assert manifest["documents"] == len(DOCS) and set(manifest["files"]) == set(DOCS)
    # Every file's size is recorded (what open checks), and nothing else is left in the index folder.
    assert manifest["sizes"] == snapshot.file_sizes(current)
    assert sorted(p.name for p in built.iterdir() if p.name.startswith(".") and p.name != LOCK_NAME) == []


def test_a_snapshot_reads_back_what_was_built(built):
    snap = snapshot.Snapshot(snapshot.current_dir(built))
    try:
        assert {d.doc_id for d in snap.docs} == {meta["id"] for meta in DOCS.values()}
        assert all(snap.docs[i].doc_id == doc_id for doc_id, i in snap.by_id.items())
        assert [d.idx for d in snap.docs] == list(range(len(DOCS)))
        old = snap.procedure(snap.by_id["t-lok-kad-gammel"])
        assert (old.status, old.replaced_by, old.revised, old.tier) == \
            ("superseded", "t-var-pvk", dt.date(2015, 1, 1), "local")
        pvk = snap.procedure(snap.by_id["t-var-pvk"])
        assert [s.heading for s in pvk.sections][-1] == "Dokumentasjon"
        assert snap.sections(snap.by_id["t-var-pvk"]) == [(s.heading, s.text) for s in pvk.sections]
        rows = snap.file_rows()
        assert set(rows) == set(DOCS) and rows["var/pvk.md"][1] == snap.by_id["t-var-pvk"]
        assert snap.vectors() is None and snap.decisions() == {}
        assert snap.chunk_table() is None and list(snap.vector_blocks(10)) == []
        assert snap.sections(10_000) == [] and snap.fallback_reason == ""
    finally:
        snap.close()


def test_procedure_rows_round_trip():
    p = Procedure(doc_id="t-1", title="Sårstell – «ny» rutine", tier="regional",
                  sections=(Section("", "Innledning."), Section("Utstyr", "Saks, pinsett.")), path="regional/s.md",
                  owner="Eier", unit="Post 3", language="nn", revised=dt.date(2024, 2, 29), review_due=None,
                  status="superseded", keywords=("sår", "stell"), url="https://example.invalid/s",
                  replaced_by="t-2", warnings=("unknown status 'x'; using active",))
    row = json.loads(json.dumps(snapshot.procedure_to_row(p), ensure_ascii=False))  # as the store holds it
    back = snapshot.row_to_procedure(row, [[s.heading, s.text] for s in p.sections])
    assert back == p and back.warnings == p.warnings


def test_opening_and_reading_writes_nothing(built, tmp_path):
    """Snapshots are opened read-only (SQLite immutable): no journal, no lock file, no changed file."""
    ix = tmp_path / "ix"
    shutil.copytree(built, ix)
    current = snapshot.current_dir(ix)
    before = _listing(ix)
    for path in current.rglob("*"):  # read-only files (as root this changes nothing; the listing still must not)
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        snap = snapshot.open_current(ix)
        for i in range(len(snap.docs)):
            snap.procedure(i)
        snap.overlaps()
        snap.verdicts()
        with pytest.raises(sqlite3.OperationalError, match="readonly"):  # the store refuses writes
            snap._con.execute("DELETE FROM docs")
        snap.close()
    finally:
        for path in current.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert _listing(ix) == before


@pytest.mark.parametrize(("pointer", "error", "message"), [
    (None, IndexMissingError, "no index at"),
    ("", IndexCorruptError, "names a snapshot that does not exist"),
    ("20990101T000000-000000000", IndexCorruptError, "names a snapshot that does not exist"),
    ("../snapshots", IndexCorruptError, "names a snapshot that does not exist"),
])
def test_a_missing_or_bad_pointer_is_a_clear_error(built, tmp_path, pointer, error, message):
    ix = tmp_path / "ix"
    ix.mkdir()
    (ix / snapshot.SNAPSHOTS).symlink_to(built / snapshot.SNAPSHOTS)
    if pointer is not None:
        (ix / snapshot.POINTER).write_text(pointer + "\n", "utf-8")
    with pytest.raises(error, match=message) as info:
        snapshot.current_dir(ix)
    assert str(ix) in str(info.value)


def test_the_current_snapshot_serves_when_it_is_sound(tmp_path):
    ix, _, current = _two_builds(tmp_path)
    snap = snapshot.open_current(ix)
    assert snap.folder == current and snap.fallback_reason == ""
    snap.close()


def test_a_damaged_current_snapshot_falls_back_to_the_newest_older_one(tmp_path):
    ix, older, current = _two_builds(tmp_path)
    newest = _rebuild(tmp_path, "Tredje versjon.")
    assert [p.name for p in snapshot.snapshot_dirs(ix)] == sorted([older.name, current.name, newest.name])
    with open(newest / "docs.sqlite", "r+b") as fh:  # same size, garbage inside: only SQLite notices
        fh.seek(0)
        fh.write(b"\0" * 100)
    snap = snapshot.open_current(ix)
    assert snap.folder == current  # the newest older one, not the oldest
    assert newest.name in snap.fallback_reason and "document store damaged" in snap.fallback_reason
    snap.close()


def test_damage_found_by_the_check_falls_back_too_and_all_bad_raises_the_first_error(tmp_path):
    ix, older, current = _two_builds(tmp_path)
    seen: list[str] = []

    def refuse_current(snap: snapshot.Snapshot) -> None:
        seen.append(snap.name)
        if snap.name == current.name:
            raise IndexCorruptError(f"{snap.folder}: whoosh damaged (test)")

    snap = snapshot.open_current(ix, check=refuse_current)
    assert snap.folder == older and "whoosh damaged (test)" in snap.fallback_reason
    assert seen == [current.name, older.name]  # the pointer's first, then older ones, each once
    snap.close()

    def refuse_all(snap: snapshot.Snapshot) -> None:
        raise IndexCorruptError(f"{snap.folder}: refused (test)")

    with pytest.raises(IndexCorruptError, match=f"{current.name}: refused"):
        snapshot.open_current(ix, check=refuse_all)


@pytest.mark.parametrize(("edit", "message"), [
    (lambda m: m.update(format=snapshot.FORMAT_VERSION + 1), "rebuild the index"),
    (lambda m: m.update(documents=m["documents"] + 1), "manifest says"),
    (lambda m: m["sizes"].update({"vocab.json": m["sizes"]["vocab.json"] + 1}), "vocab.json is damaged"),
    (lambda m: m["sizes"].update({"gone.bin": 1}), "gone.bin is missing"),
])
def test_a_manifest_that_does_not_match_the_files_is_refused(tmp_path, edit, message):
    ix, older, current = _two_builds(tmp_path)
    manifest = json.loads((current / "manifest.json").read_text("utf-8"))
    edit(manifest)
    (current / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    with pytest.raises(IndexCorruptError, match=message):
        snapshot.Snapshot(current)
    snap = snapshot.open_current(ix)
    assert snap.folder == older and message in snap.fallback_reason
    snap.close()


def test_a_reader_keeps_its_snapshot_while_a_build_switches_the_pointer(tmp_path):
    ix, _, current = _two_builds(tmp_path)
    reader = snapshot.open_current(ix)
    idx = reader.by_id["t-var-bt"]
    before = reader.procedure(idx).text
    assert _rebuild(tmp_path, "Ny setning etter bytte.") != current
    assert reader.procedure(idx).text == before  # the open snapshot's folder is immutable and still there
    fresh = snapshot.open_current(ix)
    assert "Ny setning etter bytte." in fresh.procedure(fresh.by_id["t-var-bt"]).text
    fresh.close()
    reader.close()


def test_switch_pointer_replaces_it_whole_and_leaves_no_temporary_file(tmp_path):
    ix, older, _ = _two_builds(tmp_path)
    snapshot.switch_pointer(ix, older.name)
    assert snapshot.current_dir(ix) == older
    assert (ix / snapshot.POINTER).read_text("utf-8") == older.name + "\n"
    assert list(ix.glob(f".{snapshot.POINTER}.*")) == []


def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                           text=True, check=True)
    return int(child.stdout)


def test_prune_keeps_the_serving_snapshot_and_removes_only_dead_leftovers(tmp_path):
    ix, older, current = _two_builds(tmp_path)
    snapshot.switch_pointer(ix, older.name)  # an older snapshot serves (e.g. after a rollback)
    for n in range(snapshot.KEEP_SNAPSHOTS + 1):  # newer folders push it out of the newest KEEP_SNAPSHOTS
        (ix / snapshot.SNAPSHOTS / f"29990101T00000{n}-000000000").mkdir()
    dead = _dead_pid()
    (ix / f".building-{dead}-1").mkdir()
    (ix / f".building-{os.getpid()}-2").mkdir()  # a build still running: kept
    (ix / f".{snapshot.POINTER}.{dead}.tmp").write_text("x", "utf-8")
    snapshot.prune(ix)
    names = [p.name for p in snapshot.snapshot_dirs(ix)]
    assert older.name in names and current.name not in names
    assert len(names) == snapshot.KEEP_SNAPSHOTS + 1  # the newest KEEP_SNAPSHOTS, plus the serving one
    assert sorted(p.name for p in ix.iterdir() if p.name.startswith(".") and p.name != LOCK_NAME) == \
        [f".building-{os.getpid()}-2"]
    assert snapshot.current_dir(ix) == older


def test_vectors_damaged_after_open_are_reported_when_read(hybrid_index, tmp_path):
    """The dense matrix is read at the first semantic search, not at open: a vectors.npy cut short meanwhile
    (a share going away, a disk error) is an IndexCorruptError naming the snapshot, not a numpy error."""
    ix = tmp_path / "ix"
    shutil.copytree(hybrid_index, ix)
    snap = snapshot.Snapshot(snapshot.current_dir(ix))
    try:
        path = snap.folder / "vectors.npy"
        with open(path, "r+b") as fh:
            fh.truncate(path.stat().st_size - 100)
        with pytest.raises(IndexCorruptError, match=f"{snap.folder.name}.*vector file damaged"):
            list(snap.vector_blocks(4))
        with pytest.raises(IndexCorruptError, match=f"{snap.folder.name}.*vector file damaged"):
            snap.vector_rows(np.array([len(snap.chunk_table()) - 1]))  # the row cut short
    finally:
        snap.close()
