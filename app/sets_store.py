"""Bookmarks and onboarding sets: frozen records and the SQLite store behind them (plain Python, no Qt).

One database file in the user data dir holds the personal sets, "Mine bokmerker" and the learner's ticks.
Every change is one short ``BEGIN IMMEDIATE`` transaction in WAL mode with ``synchronous=FULL``: a crash or
power cut mid-save leaves either the old or the new state, never a torn one. Two app instances share the file;
the busy timeout queues their writes, each change reads the current rows inside its transaction (last writer
wins per item), and a change to an item another window removed meanwhile raises ``ItemGone`` with a message
the UI can show. ``data_version()`` lets a window notice the other one's commits and reload.

Items refer to documents by stable doc id and keep a snapshot of title, tier, owner and revision date, so a
set still says what it meant after the document left the index. Ticks are keyed by (set uid, item uid), not
by row id, so published (read-only, file-based) sets can be ticked too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import platformdirs

from app.config import APP_NAME
from app.i18n import tr
from app.sets_records import (
    HEADING,
    PERSONAL,
    PROCEDURE,
    ItemGone,
    NameTaken,
    OnboardingSet,
    SetGone,
    SetItem,
    SetsError,
    StoreBusy,
    name_key,
    new_uid,
)

log = logging.getLogger(__name__)

DB_NAME = "sets.sqlite"
SCHEMA_VERSION = 1


def default_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_NAME


_SCHEMA = """
CREATE TABLE IF NOT EXISTS sets (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('bookmarks', 'personal')),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    set_id INTEGER NOT NULL REFERENCES sets(id) ON DELETE CASCADE,
    uid TEXT NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('procedure', 'heading')),
    doc_id TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    tier TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    revised TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (set_id, uid)
);
CREATE INDEX IF NOT EXISTS items_by_set ON items(set_id, position);
CREATE INDEX IF NOT EXISTS items_by_doc ON items(doc_id);
CREATE TABLE IF NOT EXISTS ticks (
    set_uid TEXT NOT NULL,
    item_uid TEXT NOT NULL,
    done_on TEXT NOT NULL,
    PRIMARY KEY (set_uid, item_uid)
);
"""


class SetStore:
    """The user's sets in one SQLite file. Construct with ``SetStore(path=...)``; ``close()`` when done."""

    def __init__(self, *, path: Path | None = None, busy_ms: int = 5000):
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.recovered_from: Path | None = None  # a damaged file moved aside at open (the UI says so)
        try:
            self._db = self._connect(busy_ms)
        except sqlite3.DatabaseError as exc:
            # Keep the damaged file for IT or a backup restore; the user gets a working, empty store.
            aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
            log.error("sets database %s unreadable (%s); moved to %s", self.path, exc, aside)
            self.path.replace(aside)
            for suffix in ("-wal", "-shm"):
                with contextlib.suppress(OSError):
                    self.path.with_name(self.path.name + suffix).replace(aside.with_name(aside.name + suffix))
            self.recovered_from = aside
            self._db = self._connect(busy_ms)

    def _connect(self, busy_ms: int) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=busy_ms / 1000, isolation_level=None, check_same_thread=False)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":  # e.g. a network share without shared memory: rollback journal still atomic
                log.warning("sets database %s runs in %s journal mode", self.path, mode)
            db.execute("PRAGMA synchronous = FULL")  # a committed change survives a power cut too
            db.execute("PRAGMA foreign_keys = ON")
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise SetsError(tr("Settene er lagret av en nyere versjon av Kildefinner ({path}).",
                                   path=self.path))
            if version < SCHEMA_VERSION:
                with self._tx(db):
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            db.execute(statement)
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        self._db.close()

    # -- transactions -------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _tx(self, db: sqlite3.Connection | None = None) -> Iterator[sqlite3.Connection]:
        db = db or self._db
        try:
            db.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock with another instance
        except sqlite3.OperationalError as exc:
            raise StoreBusy(tr("Settene er opptatt i et annet Kildefinner-vindu. Prøv igjen om litt.")) from exc
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        else:
            db.execute("COMMIT")

    def data_version(self) -> int:
        """Changes when another connection (another app instance) commits."""
        return self._db.execute("PRAGMA data_version").fetchone()[0]

    # -- reading ------------------------------------------------------------------------------------------
    def list_sets(self) -> list[OnboardingSet]:
        """Mine bokmerker first, then the personal sets by name."""
        self.bookmarks()
        rows = self._db.execute("SELECT id FROM sets ORDER BY kind = 'personal', name_key").fetchall()
        return [self._load(row[0]) for row in rows]

    def get(self, uid: str) -> OnboardingSet:
        row = self._db.execute("SELECT id FROM sets WHERE uid = ?", (uid,)).fetchone()
        if row is None:
            raise SetGone(tr("Settet finnes ikke lenger (slettet i et annet vindu?)."))
        return self._load(row[0])

    def bookmarks(self) -> OnboardingSet:
        row = self._db.execute("SELECT id FROM sets WHERE kind = 'bookmarks'").fetchone()
        if row is None:
            with self._tx() as db:
                if db.execute("SELECT 1 FROM sets WHERE kind = 'bookmarks'").fetchone() is None:
                    now = _now()
                    db.execute("INSERT INTO sets (uid, kind, name, name_key, created, updated) "
                               "VALUES (?, 'bookmarks', ?, ?, ?, ?)",
                               (new_uid(), "Mine bokmerker", "\x00bookmarks", now, now))
            row = self._db.execute("SELECT id FROM sets WHERE kind = 'bookmarks'").fetchone()
        return self._load(row[0])

    def sets_with(self, doc_id: str) -> set[str]:
        """Uids of the sets (bookmarks included) that hold ``doc_id``."""
        rows = self._db.execute("SELECT DISTINCT s.uid FROM items i JOIN sets s ON s.id = i.set_id "
                                "WHERE i.doc_id = ? AND i.kind = 'procedure'", (doc_id,)).fetchall()
        return {r[0] for r in rows}

    def _load(self, set_id: int) -> OnboardingSet:
        uid, kind, name, description, updated = self._db.execute(
            "SELECT uid, kind, name, description, updated FROM sets WHERE id = ?", (set_id,)).fetchone()
        rows = self._db.execute("SELECT uid, kind, title, doc_id, tier, owner, revised, note FROM items "
                                "WHERE set_id = ? ORDER BY position, id", (set_id,)).fetchall()
        return OnboardingSet(uid=uid, name=name, description=description, kind=kind, updated=updated,
                             items=tuple(SetItem(*r) for r in rows))

    def _set_id(self, db: sqlite3.Connection, uid: str) -> int:
        row = db.execute("SELECT id FROM sets WHERE uid = ?", (uid,)).fetchone()
        if row is None:
            raise SetGone(tr("Settet finnes ikke lenger (slettet i et annet vindu?)."))
        return row[0]

    def _touch(self, db: sqlite3.Connection, set_id: int) -> None:
        db.execute("UPDATE sets SET updated = ? WHERE id = ?", (_now(), set_id))

    # -- sets ---------------------------------------------------------------------------------------------
    def create(self, name: str, description: str = "", *, uid: str = "") -> OnboardingSet:
        name = _clean_name(name)
        with self._tx() as db:
            self._check_name(db, name)
            now = _now()
            db.execute("INSERT INTO sets (uid, kind, name, name_key, description, created, updated) "
                       "VALUES (?, 'personal', ?, ?, ?, ?, ?)",
                       (uid or new_uid(), name, name_key(name), description.strip(), now, now))
            set_id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
        return self._load(set_id)

    def update(self, uid: str, *, name: str | None = None, description: str | None = None) -> OnboardingSet:
        with self._tx() as db:
            set_id = self._set_id(db, uid)
            kind = db.execute("SELECT kind FROM sets WHERE id = ?", (set_id,)).fetchone()[0]
            if name is not None and kind == PERSONAL:
                name = _clean_name(name)
                self._check_name(db, name, exclude=set_id)
                db.execute("UPDATE sets SET name = ?, name_key = ? WHERE id = ?", (name, name_key(name), set_id))
            if description is not None:
                db.execute("UPDATE sets SET description = ? WHERE id = ?", (description.strip(), set_id))
            self._touch(db, set_id)
        return self._load(set_id)

    def delete(self, uid: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM sets WHERE uid = ? AND kind = 'personal'", (uid,))
            db.execute("DELETE FROM ticks WHERE set_uid = ?", (uid,))

    def find_by_name(self, name: str) -> OnboardingSet | None:
        row = self._db.execute("SELECT id FROM sets WHERE name_key = ?", (name_key(name),)).fetchone()
        return self._load(row[0]) if row else None

    def free_name(self, name: str) -> str:
        """``name``, or ``name (2)``, ``name (3)`` … whichever is not taken."""
        name = _clean_name(name)
        candidate, n = name, 1
        while self.find_by_name(candidate) is not None:
            n += 1
            candidate = f"{name} ({n})"
        return candidate

    def _check_name(self, db: sqlite3.Connection, name: str, *, exclude: int = -1) -> None:
        row = db.execute("SELECT id FROM sets WHERE name_key = ? AND id != ?", (name_key(name), exclude)).fetchone()
        if row is not None:
            raise NameTaken(tr("Det finnes allerede et sett som heter «{name}».", name=name))

    # -- items --------------------------------------------------------------------------------------------
    def add_procedure(self, set_uid: str, *, doc_id: str, title: str, tier: str = "", owner: str = "",
                      revised: str = "", note: str = "", position: int | None = None) -> tuple[SetItem, bool]:
        """Add a document (once per set). Returns (item, added); ``added`` is False if it was there already."""
        with self._tx() as db:
            set_id = self._set_id(db, set_uid)
            row = db.execute("SELECT uid, kind, title, doc_id, tier, owner, revised, note FROM items "
                             "WHERE set_id = ? AND doc_id = ? AND kind = 'procedure'", (set_id, doc_id)).fetchone()
            if row is not None:
                return SetItem(*row), False
            item = SetItem(uid=new_uid(), kind=PROCEDURE, title=title, doc_id=doc_id, tier=tier, owner=owner,
                           revised=revised, note=note)
            self._insert(db, set_id, item, position)
        return item, True

    def add_heading(self, set_uid: str, text: str, *, position: int | None = None) -> SetItem:
        item = SetItem(uid=new_uid(), kind=HEADING, title=" ".join(text.split()))
        with self._tx() as db:
            self._insert(db, self._set_id(db, set_uid), item, position)
        return item

    def restore_item(self, set_uid: str, item: SetItem, position: int) -> None:
        """Put back an item removed a moment ago (undo), at its old place."""
        with self._tx() as db:
            set_id = self._set_id(db, set_uid)
            if db.execute("SELECT 1 FROM items WHERE set_id = ? AND uid = ?", (set_id, item.uid)).fetchone():
                return
            self._insert(db, set_id, item, position)

    def _insert(self, db: sqlite3.Connection, set_id: int, item: SetItem, position: int | None) -> None:
        uids = self._order(db, set_id)
        position = len(uids) if position is None else max(0, min(position, len(uids)))
        db.execute("INSERT INTO items (set_id, uid, position, kind, doc_id, title, tier, owner, revised, note) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (set_id, item.uid, position, item.kind, item.doc_id, item.title, item.tier, item.owner,
                    item.revised, item.note))
        uids.insert(position, item.uid)
        self._renumber(db, set_id, uids)

    def remove_item(self, set_uid: str, item_uid: str) -> tuple[SetItem, int]:
        """Remove an item; returns it and its former position (for undo). Its tick stays for an undo."""
        with self._tx() as db:
            set_id = self._set_id(db, set_uid)
            uids = self._order(db, set_id)
            if item_uid not in uids:
                raise _item_gone()
            row = db.execute("SELECT uid, kind, title, doc_id, tier, owner, revised, note FROM items "
                             "WHERE set_id = ? AND uid = ?", (set_id, item_uid)).fetchone()
            db.execute("DELETE FROM items WHERE set_id = ? AND uid = ?", (set_id, item_uid))
            position = uids.index(item_uid)
            uids.remove(item_uid)
            self._renumber(db, set_id, uids)
        return SetItem(*row), position

    def move_item(self, set_uid: str, item_uid: str, to_index: int) -> None:
        """Move an item so it ends up at ``to_index`` (0-based, in the order after the move)."""
        with self._tx() as db:
            set_id = self._set_id(db, set_uid)
            uids = self._order(db, set_id)
            if item_uid not in uids:
                raise _item_gone()
            uids.remove(item_uid)
            uids.insert(max(0, min(to_index, len(uids))), item_uid)
            self._renumber(db, set_id, uids)

    def edit_item(self, set_uid: str, item_uid: str, **fields: str) -> SetItem:
        """Change note, heading text (``title``) or the document an item points to (a replacement)."""
        allowed = {"note", "title", "doc_id", "tier", "owner", "revised"}
        if not fields or set(fields) - allowed:
            raise ValueError(f"cannot edit {sorted(set(fields) - allowed)}")
        with self._tx() as db:
            set_id = self._set_id(db, set_uid)
            assignments = ", ".join(f"{k} = ?" for k in fields)
            cur = db.execute(f"UPDATE items SET {assignments} WHERE set_id = ? AND uid = ?",
                             (*[str(v).strip() for v in fields.values()], set_id, item_uid))
            if cur.rowcount == 0:
                raise _item_gone()
            self._touch(db, set_id)
            row = db.execute("SELECT uid, kind, title, doc_id, tier, owner, revised, note FROM items "
                             "WHERE set_id = ? AND uid = ?", (set_id, item_uid)).fetchone()
        return SetItem(*row)

    def _order(self, db: sqlite3.Connection, set_id: int) -> list[str]:
        return [r[0] for r in db.execute("SELECT uid FROM items WHERE set_id = ? ORDER BY position, id",
                                         (set_id,))]

    def _renumber(self, db: sqlite3.Connection, set_id: int, uids: list[str]) -> None:
        db.executemany("UPDATE items SET position = ? WHERE set_id = ? AND uid = ?",
                       [(i, set_id, uid) for i, uid in enumerate(uids)])
        self._touch(db, set_id)

    # -- bookmarks ----------------------------------------------------------------------------------------
    def is_bookmarked(self, doc_id: str) -> bool:
        return self.bookmarks().uid in self.sets_with(doc_id)

    def toggle_bookmark(self, *, doc_id: str, title: str, tier: str = "", owner: str = "",
                        revised: str = "") -> bool:
        """Star or unstar a document; returns True when it is now bookmarked."""
        marks = self.bookmarks()
        existing = next((i for i in marks.procedures if i.doc_id == doc_id), None)
        if existing is not None:
            with contextlib.suppress(ItemGone):
                self.remove_item(marks.uid, existing.uid)
            return False
        self.add_procedure(marks.uid, doc_id=doc_id, title=title, tier=tier, owner=owner, revised=revised)
        return True

    # -- learner progress ---------------------------------------------------------------------------------
    def ticks(self, set_uid: str) -> dict[str, dt.date]:
        rows = self._db.execute("SELECT item_uid, done_on FROM ticks WHERE set_uid = ?", (set_uid,)).fetchall()
        out = {}
        for item_uid, done_on in rows:
            with contextlib.suppress(ValueError):
                out[item_uid] = dt.date.fromisoformat(done_on)
        return out

    def tick(self, set_uid: str, item_uid: str, done: bool, *, on: dt.date | None = None) -> None:
        with self._tx() as db:
            if done:
                db.execute("INSERT OR REPLACE INTO ticks (set_uid, item_uid, done_on) VALUES (?, ?, ?)",
                           (set_uid, item_uid, (on or dt.date.today()).isoformat()))
            else:
                db.execute("DELETE FROM ticks WHERE set_uid = ? AND item_uid = ?", (set_uid, item_uid))

    def reset_progress(self, set_uid: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM ticks WHERE set_uid = ?", (set_uid,))

    # -- whole sets (import, copies) ----------------------------------------------------------------------
    def add_set(self, data: OnboardingSet, *, name: str | None = None) -> OnboardingSet:
        """Store a complete set (an import, a copy of a published set) as a new personal set, in one go."""
        name = _clean_name(name or data.name)
        with self._tx() as db:
            self._check_name(db, name)
            taken = db.execute("SELECT 1 FROM sets WHERE uid = ?", (data.uid,)).fetchone() if data.uid else True
            uid = new_uid() if taken else data.uid
            now = _now()
            db.execute("INSERT INTO sets (uid, kind, name, name_key, description, created, updated) "
                       "VALUES (?, 'personal', ?, ?, ?, ?, ?)", (uid, name, name_key(name), data.description, now, now))
            set_id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
            for item in data.items:
                self._insert(db, set_id, replace(item, uid=item.uid or new_uid()), None)
        return self._load(set_id)

    def merge_into(self, set_uid: str, data: OnboardingSet) -> int:
        """Append the items of ``data`` that ``set_uid`` lacks (documents by id, headings by text).

        The local set keeps its name, description, order and notes: the person who merges decides what
        their copy says. Returns the number of items added.
        """
        added = 0
        with self._tx() as db:
            set_id = self._set_id(db, set_uid)
            have = db.execute("SELECT kind, doc_id, title, uid FROM items WHERE set_id = ?", (set_id,)).fetchall()
            docs = {d for k, d, _, _ in have if k == PROCEDURE}
            headings = {name_key(t) for k, _, t, _ in have if k == HEADING}
            uids = {u for _, _, _, u in have}
            for item in data.items:
                if (item.doc_id in docs) if not item.is_heading else (name_key(item.title) in headings):
                    continue
                uid = item.uid if item.uid and item.uid not in uids else new_uid()
                self._insert(db, set_id, replace(item, uid=uid), None)
                uids.add(uid)
                added += 1
        return added


def _item_gone() -> ItemGone:
    return ItemGone(tr("Punktet er allerede fjernet eller endret i et annet vindu. Listen er oppdatert."))


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise SetsError(tr("Settet må ha et navn."))
    return name


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
