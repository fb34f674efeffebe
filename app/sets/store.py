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

Opening never throws an intact file away (``app.sets.sqlite``): a locked database is retried and then
reported busy, a full disk or unwritable file opens read-only (``read_only`` says why), and only a file
SQLite itself calls damaged is moved aside (``recovered_from``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import platformdirs

from app.config import APP_NAME
from app.i18n import tr
from app.sets.fileformat import clean_line
from app.sets.records import (
    BOOKMARKS,
    HEADING,
    PERSONAL,
    PROCEDURE,
    ItemGone,
    NameTaken,
    OnboardingSet,
    SetGone,
    SetItem,
    SetsError,
    StoreReadOnly,
    name_key,
    new_uid,
)
from app.sets.sqlite import connect, guarded, move_aside, open_with_retry

log = logging.getLogger(__name__)

DB_NAME = "sets.sqlite"


def default_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_NAME


class SetStore:
    """The user's sets in one SQLite file. Construct with ``SetStore(path=...)``; ``close()`` when done."""

    def __init__(self, *, path: Path | None = None, busy_ms: int = 5000):
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.recovered_from: Path | None = None  # a damaged file moved aside at open (the UI says so)
        self.read_only = ""  # non-empty: why the sets can be read but not saved now (the UI says so)
        open_ms = min(busy_ms, 1000)  # each open attempt waits briefly; open_with_retry backs off between them
        try:
            self._db, self.read_only = open_with_retry(lambda: connect(self.path, open_ms), path=self.path)
        except sqlite3.Error as exc:  # only SQLite's verdict of damage gets here: keep the file for IT
            self.recovered_from = move_aside(self.path, exc)
            self._db = connect(self.path, open_ms)
        self._db.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")  # a write queues behind another instance's
        if self.read_only and not self._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sets'").fetchone():
            self._db.close()  # an empty file made just now: there is nothing to show either
            raise StoreReadOnly(self.read_only)

    def close(self) -> None:
        self._db.close()

    # -- transactions -------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _tx(self, db: sqlite3.Connection | None = None) -> Iterator[sqlite3.Connection]:
        db = db or self._db
        if self.read_only and db is self._db:
            raise StoreReadOnly(self.read_only)
        db.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock with another instance
        try:
            yield db
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:  # a failed COMMIT (disk full) may leave the transaction open
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
            raise

    def data_version(self) -> int:
        """Changes when another connection (another app instance) commits."""
        return self._db.execute("PRAGMA data_version").fetchone()[0]

    # -- reading ------------------------------------------------------------------------------------------
    @guarded
    def list_sets(self) -> list[OnboardingSet]:
        """Mine bokmerker first, then the personal sets by name."""
        self.bookmarks()
        rows = self._db.execute("SELECT id FROM sets ORDER BY kind = 'personal', name_key").fetchall()
        return [self._load(row[0]) for row in rows]

    @guarded
    def get(self, uid: str) -> OnboardingSet:
        row = self._db.execute("SELECT id FROM sets WHERE uid = ?", (uid,)).fetchone()
        if row is None:
            raise SetGone(tr("Settet finnes ikke lenger (slettet i et annet vindu?)."))
        return self._load(row[0])

    @guarded
    def bookmarks(self) -> OnboardingSet:
        row = self._db.execute("SELECT id FROM sets WHERE kind = 'bookmarks'").fetchone()
        if row is None and self.read_only:  # cannot be created now; shown empty, made at the next writable start
            return OnboardingSet(uid="", name="Mine bokmerker", description="", kind=BOOKMARKS)
        if row is None:
            with self._tx() as db:
                if db.execute("SELECT 1 FROM sets WHERE kind = 'bookmarks'").fetchone() is None:
                    now = _now()
                    db.execute("INSERT INTO sets (uid, kind, name, name_key, created, updated) "
                               "VALUES (?, 'bookmarks', ?, ?, ?, ?)",
                               (new_uid(), "Mine bokmerker", "\x00bookmarks", now, now))
            row = self._db.execute("SELECT id FROM sets WHERE kind = 'bookmarks'").fetchone()
        return self._load(row[0])

    @guarded
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
    @guarded
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

    @guarded
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

    @guarded
    def delete(self, uid: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM sets WHERE uid = ? AND kind = 'personal'", (uid,))
            db.execute("DELETE FROM ticks WHERE set_uid = ?", (uid,))

    @guarded
    def find_by_name(self, name: str) -> OnboardingSet | None:
        row = self._db.execute("SELECT id FROM sets WHERE name_key = ?", (name_key(name),)).fetchone()
        return self._load(row[0]) if row else None

    @guarded
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
    @guarded
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

    @guarded
    def add_heading(self, set_uid: str, text: str, *, position: int | None = None) -> SetItem:
        item = SetItem(uid=new_uid(), kind=HEADING, title=" ".join(text.split()))
        with self._tx() as db:
            self._insert(db, self._set_id(db, set_uid), item, position)
        return item

    @guarded
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

    @guarded
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

    @guarded
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

    @guarded
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
    @guarded
    def is_bookmarked(self, doc_id: str) -> bool:
        return self.bookmarks().uid in self.sets_with(doc_id)

    @guarded
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
    @guarded
    def ticks(self, set_uid: str) -> dict[str, dt.date]:
        rows = self._db.execute("SELECT item_uid, done_on FROM ticks WHERE set_uid = ?", (set_uid,)).fetchall()
        out = {}
        for item_uid, done_on in rows:
            with contextlib.suppress(ValueError):
                out[item_uid] = dt.date.fromisoformat(done_on)
        return out

    @guarded
    def tick(self, set_uid: str, item_uid: str, done: bool, *, on: dt.date | None = None) -> None:
        with self._tx() as db:
            if done:
                db.execute("INSERT OR REPLACE INTO ticks (set_uid, item_uid, done_on) VALUES (?, ?, ?)",
                           (set_uid, item_uid, (on or dt.date.today()).isoformat()))
            else:
                db.execute("DELETE FROM ticks WHERE set_uid = ? AND item_uid = ?", (set_uid, item_uid))

    @guarded
    def reset_progress(self, set_uid: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM ticks WHERE set_uid = ?", (set_uid,))

    # -- whole sets (import, copies) ----------------------------------------------------------------------
    @guarded
    def add_set(self, data: OnboardingSet, *, name: str | None = None, progress=None) -> OnboardingSet:
        """Store a complete set (an import, a copy of a published set) as a new personal set, in one go.

        One transaction and one insert per item (a large import is linear); ``progress(done, total)`` is
        called now and then (the import runs on the task runner and shows it).
        """
        name = _clean_name(name or data.name)
        with self._tx() as db:
            self._check_name(db, name)
            taken = db.execute("SELECT 1 FROM sets WHERE uid = ?", (data.uid,)).fetchone() if data.uid else True
            uid = new_uid() if taken else data.uid
            now = _now()
            db.execute("INSERT INTO sets (uid, kind, name, name_key, description, created, updated) "
                       "VALUES (?, 'personal', ?, ?, ?, ?, ?)", (uid, name, name_key(name), data.description, now, now))
            set_id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
            self._append(db, set_id, [replace(item, uid=item.uid or new_uid()) for item in data.items], progress)
        return self._load(set_id)

    @guarded
    def merge_into(self, set_uid: str, data: OnboardingSet, *, progress=None) -> int:
        """Append the items of ``data`` that ``set_uid`` lacks (documents by id, headings by text).

        The local set keeps its name, description, order and notes: the person who merges decides what
        their copy says. Returns the number of items added.
        """
        with self._tx() as db:
            set_id = self._set_id(db, set_uid)
            have = db.execute("SELECT kind, doc_id, title, uid FROM items WHERE set_id = ?", (set_id,)).fetchall()
            docs = {d for k, d, _, _ in have if k == PROCEDURE}
            headings = {name_key(t) for k, _, t, _ in have if k == HEADING}
            uids = {u for _, _, _, u in have}
            new = []
            for item in data.items:
                if (item.doc_id in docs) if not item.is_heading else (name_key(item.title) in headings):
                    continue
                uid = item.uid if item.uid and item.uid not in uids else new_uid()
                new.append(replace(item, uid=uid))
                uids.add(uid)
            self._append(db, set_id, new, progress)
        return len(new)

    def _append(self, db: sqlite3.Connection, set_id: int, items: list[SetItem], progress=None) -> None:
        """Insert ``items`` after the set's last item: positions continue the order, nothing is renumbered."""
        start = db.execute("SELECT COALESCE(MAX(position) + 1, 0) FROM items WHERE set_id = ?",
                           (set_id,)).fetchone()[0]
        step = 200
        for first in range(0, len(items), step):
            if progress is not None:
                progress(first, len(items))
            db.executemany(
                "INSERT INTO items (set_id, uid, position, kind, doc_id, title, tier, owner, revised, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(set_id, i.uid, start + first + n, i.kind, i.doc_id, i.title, i.tier, i.owner, i.revised, i.note)
                 for n, i in enumerate(items[first:first + step])])
        if progress is not None:
            progress(len(items), len(items))
        self._touch(db, set_id)


def _item_gone() -> ItemGone:
    return ItemGone(tr("Punktet er allerede fjernet eller endret i et annet vindu. Listen er oppdatert."))


def _clean_name(name: str) -> str:
    name = clean_line(name)
    if not name:
        raise SetsError(tr("Settet må ha et navn."))
    return name


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
