"""The sets store never throws an intact database away: a locked file, a full disk, a damaged file.

Real failures, no mocks: another process holds the write lock in an open transaction; a full disk is a child
process whose file-size limit (``RLIMIT_FSIZE``) stops every write; a damaged file is garbage bytes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.sets import sqlite
from app.sets.records import SetItem, StoreBusy
from app.sets.store import SetStore

ROOT = Path(__file__).resolve().parents[3]
resource = pytest.importorskip("resource")  # RLIMIT_FSIZE is POSIX

HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "rollback":
    db.execute("PRAGMA journal_mode = DELETE")  # e.g. a share without WAL: a writer locks readers out too
db.execute("BEGIN EXCLUSIVE" if sys.argv[2] == "rollback" else "BEGIN IMMEDIATE")
db.execute("INSERT INTO ticks VALUES ('holder', 'holder', '2025-01-01')")
print("held", flush=True)
sys.stdin.read()  # hold the lock until the test closes our stdin
db.execute("ROLLBACK")
"""

FULL_DISK = """
import json, resource, signal, sys
sys.path.insert(0, sys.argv[1])
from app.sets.store import SetStore
from app.sets.records import OnboardingSet, SetItem
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, like ENOSPC
out = {}
if sys.argv[3] == "at-open":
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))
store = SetStore(path=sys.argv[2])
if sys.argv[3] == "mid-session":
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, resource.RLIM_INFINITY))
out["read_only"] = store.read_only
out["recovered"] = str(store.recovered_from or "")
out["sets"] = [(s.name, len(s.items)) for s in store.list_sets()]
try:
    items = tuple(SetItem(uid="", kind="procedure", title="T" * 500, doc_id=f"d{i}") for i in range(1000))
    store.add_set(OnboardingSet(uid="", name="Stor", description="", kind="published", items=items))
    out["write"] = "saved"
except Exception as exc:
    out["write"] = f"{type(exc).__name__}: {exc}"
out["after"] = [(s.name, len(s.items)) for s in store.list_sets()]
print(json.dumps(out))
"""


@pytest.fixture
def sets_file(tmp_path) -> Path:
    path = tmp_path / "sets.sqlite"
    store = SetStore(path=path)
    data = store.create("Uke 1")
    for i in range(5):
        store.add_procedure(data.uid, doc_id=f"d{i}", title=f"T{i}")
    store.bookmarks()
    store.close()
    return path


@pytest.fixture
def quick_retries(monkeypatch):
    monkeypatch.setattr(sqlite, "BACKOFF_S", (0.05, 0.05))


def hold(path: Path, mode: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), mode], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def release(proc: subprocess.Popen) -> None:
    proc.stdin.close()
    assert proc.wait(timeout=30) == 0


def aside(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".damaged-" in p.name)


def contents(path: Path) -> list[tuple[str, int]]:
    store = SetStore(path=path)
    try:
        assert store.recovered_from is None and store.read_only == ""
        return [(s.name, len(s.items)) for s in store.list_sets()]
    finally:
        store.close()


def test_a_locked_database_is_busy_not_damaged(sets_file, quick_retries):
    holder = hold(sets_file, "rollback")
    try:
        before = sets_file.read_bytes()
        with pytest.raises(StoreBusy) as caught:
            SetStore(path=sets_file, busy_ms=200)
        assert "Ingenting er tapt" in str(caught.value)
        assert aside(sets_file.parent) == [] and sets_file.read_bytes() == before
    finally:
        release(holder)
    assert contents(sets_file) == [("Mine bokmerker", 0), ("Uke 1", 5)]


def test_a_writer_holding_the_lock_leaves_reads_working_and_writes_busy(sets_file, quick_retries):
    holder = hold(sets_file, "wal")
    try:
        store = SetStore(path=sets_file, busy_ms=200)
        assert [s.name for s in store.list_sets()] == ["Mine bokmerker", "Uke 1"]
        with pytest.raises(StoreBusy):
            store.create("Uke 2")
        store.close()
    finally:
        release(holder)
    assert aside(sets_file.parent) == []
    assert contents(sets_file) == [("Mine bokmerker", 0), ("Uke 1", 5)]


def run_full_disk(path: Path, when: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", FULL_DISK, str(ROOT), str(path), when], check=False,
                          capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_full_disk_at_start_opens_read_only_and_loses_nothing(sets_file):
    out = run_full_disk(sets_file, "at-open")
    assert out["recovered"] == "" and "disken er full" in out["read_only"]
    assert out["sets"] == [["Mine bokmerker", 0], ["Uke 1", 5]]
    assert out["write"].startswith("StoreReadOnly: Settene kan bare leses nå")
    assert aside(sets_file.parent) == []
    # the next start, with space again, shows everything (before: an empty store and no notice)
    assert contents(sets_file) == [("Mine bokmerker", 0), ("Uke 1", 5)]


def test_a_disk_filling_up_mid_session_refuses_the_change_and_keeps_the_rest(sets_file):
    out = run_full_disk(sets_file, "mid-session")
    assert out["read_only"] == "" and out["recovered"] == ""
    assert out["write"].startswith("StoreReadOnly: Endringen ble ikke lagret: disken er full")
    assert out["after"] == out["sets"] == [["Mine bokmerker", 0], ["Uke 1", 5]]
    assert aside(sets_file.parent) == []
    assert contents(sets_file) == [("Mine bokmerker", 0), ("Uke 1", 5)]


def test_only_real_damage_moves_the_file_aside(tmp_path):
    path = tmp_path / "sets.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))  # header right, pages garbage
    store = SetStore(path=path)
    assert store.recovered_from is not None and store.recovered_from.exists()
    assert store.create("Ny").name == "Ny"
    store.close()


def test_a_large_import_is_one_linear_transaction(tmp_path):
    store = SetStore(path=tmp_path / "sets.sqlite")
    calls: list[tuple[int, int]] = []
    items = tuple(SetItem(uid="", kind="procedure", title=f"T{i}", doc_id=f"d{i}") for i in range(1000))
    from app.sets.records import OnboardingSet

    made = store.add_set(OnboardingSet(uid="", name="Stor", description="", kind="published", items=items),
                         progress=lambda done, total: calls.append((done, total)))
    assert [i.title for i in made.items] == [f"T{i}" for i in range(1000)]
    assert calls[0] == (0, 1000) and calls[-1] == (1000, 1000) and len(calls) > 2
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    assert store.merge_into(made.uid, OnboardingSet(uid="", name="x", description="", kind="published",
                                                    items=(*items, SetItem("", "heading", "Uke 2")))) == 1
    store._db.set_trace_callback(None)
    # one statement per item at most: no renumbering of the whole set per insert (that was quadratic)
    assert sum(s.lstrip().upper().startswith("UPDATE ITEMS") for s in statements) == 0
    assert store.get(made.uid).items[-1].title == "Uke 2"
    store.close()
