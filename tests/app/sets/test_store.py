"""The sets store: editing, bookmarks, progress, two instances at once, and surviving kill -9 mid-write."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.sets.records import HEADING, ItemGone, NameTaken, SetGone
from app.sets.store import SetStore

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def store(tmp_path):
    s = SetStore(path=tmp_path / "sets.sqlite")
    yield s
    s.close()


def titles(data) -> list[str]:
    return [i.title for i in data.items]


def add(store, set_uid, n):
    return [store.add_procedure(set_uid, doc_id=f"d{i}", title=f"T{i}", tier="var")[0] for i in range(n)]


def test_create_add_reorder_note_remove_and_undo(store):
    data = store.create("  Nyansatt   sykepleier – uke 1 ", "For nye på kirurgisk")
    assert data.name == "Nyansatt sykepleier – uke 1" and data.items == ()
    items = add(store, data.uid, 4)
    store.add_heading(data.uid, "Uke 1", position=0)
    _, added = store.add_procedure(data.uid, doc_id="d1", title="T1 again")
    assert not added  # a document is in a set once
    assert titles(store.get(data.uid)) == ["Uke 1", "T0", "T1", "T2", "T3"]
    store.move_item(data.uid, items[3].uid, 1)
    assert titles(store.get(data.uid)) == ["Uke 1", "T3", "T0", "T1", "T2"]
    store.edit_item(data.uid, items[0].uid, note="øves med veileder før selvstendig utførelse")
    assert store.get(data.uid).item(items[0].uid).note.startswith("øves")
    removed, position = store.remove_item(data.uid, items[1].uid)
    assert titles(store.get(data.uid)) == ["Uke 1", "T3", "T0", "T2"]
    store.restore_item(data.uid, removed, position)
    assert titles(store.get(data.uid)) == ["Uke 1", "T3", "T0", "T1", "T2"]
    assert store.get(data.uid).items[0].kind == HEADING
    with pytest.raises(NameTaken):
        store.create("nyansatt SYKEPLEIER – uke 1")
    store.update(data.uid, name="Uke 1–4", description="ny")
    assert [s.name for s in store.list_sets()] == ["Mine bokmerker", "Uke 1–4"]
    store.delete(data.uid)
    with pytest.raises(SetGone):
        store.get(data.uid)


def test_bookmarks_and_membership(store):
    assert store.toggle_bookmark(doc_id="a", title="A", tier="var") is True
    assert store.is_bookmarked("a")
    other = store.create("Sett")
    store.add_procedure(other.uid, doc_id="a", title="A")
    assert store.sets_with("a") == {store.bookmarks().uid, other.uid}
    assert store.toggle_bookmark(doc_id="a", title="A") is False
    assert not store.is_bookmarked("a")
    store.delete(store.bookmarks().uid)  # the bookmarks cannot be deleted
    assert store.bookmarks().kind == "bookmarks"


def test_progress_ticks_with_date_and_reset(store):
    data = store.create("Sett")
    items = add(store, data.uid, 3)
    store.tick(data.uid, items[0].uid, True, on=dt.date(2025, 3, 1))
    store.tick(data.uid, items[2].uid, True)
    assert store.ticks(data.uid) == {items[0].uid: dt.date(2025, 3, 1), items[2].uid: dt.date.today()}
    store.tick(data.uid, items[2].uid, False)
    assert set(store.ticks(data.uid)) == {items[0].uid}
    store.reset_progress(data.uid)
    assert store.ticks(data.uid) == {}


def test_two_instances_see_each_other_and_conflicts_are_clear(tmp_path):
    one, two = SetStore(path=tmp_path / "s.sqlite"), SetStore(path=tmp_path / "s.sqlite")
    data = one.create("Delt")
    items = add(one, data.uid, 3)
    version = two.data_version()
    assert titles(two.get(data.uid)) == ["T0", "T1", "T2"]
    two.remove_item(data.uid, items[1].uid)
    assert one.data_version() != 0 and two.data_version() == version  # only the *other* one sees a change
    with pytest.raises(ItemGone, match="annet vindu"):
        one.edit_item(data.uid, items[1].uid, note="for sent")
    one.edit_item(data.uid, items[2].uid, note="første")
    two.edit_item(data.uid, items[2].uid, note="siste")  # last writer wins per item
    assert one.get(data.uid).item(items[2].uid).note == "siste"
    one.close()
    two.close()


WRITER = """
import sys
from app.sets.store import SetStore
store = SetStore(path=sys.argv[1])
uid = (store.find_by_name("Krasj") or store.create("Krasj")).uid
tag = sys.argv[2]
i = 0
while i < int(sys.argv[3]):
    item, _ = store.add_procedure(uid, doc_id=f"{tag}{i}", title=f"{tag} {i}", note="x" * 3000)
    if i % 3 == 0:
        store.move_item(uid, item.uid, i // 2)
    store.tick(uid, item.uid, True)
    print(i, flush=True)
    i += 1
"""


def writer(path: Path, tag: str, count: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), tag, str(count)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def assert_consistent(path: Path, at_least: dict[str, int]) -> None:
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    store = SetStore(path=path)
    data = store.find_by_name("Krasj")
    ids = [i.doc_id for i in data.items]
    assert len(ids) == len(set(ids))
    for tag, n in at_least.items():  # everything reported as saved is there, whole
        assert {f"{tag}{i}" for i in range(n)} <= set(ids)
    assert all(i.note == "x" * 3000 for i in data.items)
    store.add_procedure(data.uid, doc_id="after", title="still writable")
    assert store.get(data.uid).items[-1].doc_id == "after"
    store.close()


def test_kill_9_in_the_middle_of_writes_loses_nothing_committed(tmp_path):
    path = tmp_path / "sets.sqlite"
    proc = writer(path, "k", 100000)
    done = -1
    for line in proc.stdout:
        done = int(line)
        if done >= 120:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert_consistent(path, {"k": done + 1})


def test_two_processes_writing_at_once(tmp_path):
    path = tmp_path / "sets.sqlite"
    SetStore(path=path).create("Krasj")
    procs = [writer(path, tag, 60) for tag in ("a", "b")]
    for proc in procs:
        proc.communicate(timeout=120)
        assert proc.returncode == 0
    assert_consistent(path, {"a": 60, "b": 60})
    store = SetStore(path=path)
    assert len(store.find_by_name("Krasj").items) == 121
    store.close()


def test_a_damaged_file_is_put_aside_not_lost(tmp_path):
    path = tmp_path / "sets.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    store = SetStore(path=path)
    assert store.recovered_from is not None and store.recovered_from.read_bytes().startswith(b"this is not")
    assert store.create("Ny").name == "Ny"
    store.close()
