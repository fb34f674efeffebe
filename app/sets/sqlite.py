"""Opening the sets database without ever losing it: what each SQLite failure means and what to do about it.

A failure to open or write is not a sign of damage. "Database is locked" means another process holds the
write lock (retry with backoff, then say the sets are busy); "disk is full", "disk I/O error", a read-only
file or folder mean the sets can be read but not saved now (open read-only and say why). Only SQLite's own
verdict of damage (``SQLITE_CORRUPT``, ``SQLITE_NOTADB``, a failed ``quick_check``) lets the caller move the
file aside, and the user is told where it went. Plain Python, no Qt.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sqlite3
import time
import urllib.parse
from pathlib import Path

from app.i18n import tr
from app.sets.records import SetsError, StoreBusy, StoreReadOnly

log = logging.getLogger(__name__)

BUSY, NO_WRITE, CORRUPT, OTHER = "busy", "no-write", "corrupt", "other"
_PRIMARY = {  # SQLite primary result codes (the low byte of an extended code)
    5: BUSY, 6: BUSY,  # SQLITE_BUSY, SQLITE_LOCKED
    8: NO_WRITE, 10: NO_WRITE, 13: NO_WRITE, 14: NO_WRITE,  # READONLY, IOERR, FULL, CANTOPEN
    11: CORRUPT, 26: CORRUPT,  # CORRUPT, NOTADB
}
FULL, IOERR = 13, 10
BACKOFF_S = (0.2, 0.5, 1.0)  # on top of the busy timeout: a writer holding the lock for seconds is normal


SCHEMA_VERSION = 1
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



class Damaged(sqlite3.DatabaseError):
    """The file opened but SQLite's integrity check says it is damaged."""


def kind(exc: BaseException) -> str:
    """BUSY, NO_WRITE, CORRUPT or OTHER for an sqlite3 error."""
    if isinstance(exc, Damaged):
        return CORRUPT
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return _PRIMARY.get(code & 0xFF, OTHER)
    text = str(exc).lower()  # errors raised before SQLite gave a code
    if "locked" in text or "busy" in text:
        return BUSY
    if "not a database" in text or "malformed" in text:
        return CORRUPT
    if "disk" in text or "readonly" in text or "read-only" in text or "unable to open" in text:
        return NO_WRITE
    return OTHER


def busy_message() -> str:
    return tr("Settene er opptatt i et annet Kildefinner-vindu eller program. Ingenting er tapt; "
              "Kildefinner prøver igjen om litt.")


def no_write_reason(exc: BaseException) -> str:
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    if code == FULL or "full" in str(exc).lower():
        return tr("disken er full")
    if code == IOERR:  # a write the disk refused: full, over quota, or gone
        return tr("disken er full eller utilgjengelig ({reason})", reason=str(exc))
    return tr("filen kan ikke skrives ({reason})", reason=str(exc))


def read_only_message(reason: str) -> str:
    return tr("Settene kan bare leses nå: {reason}. Ingenting er tapt; endringer kan lagres igjen når det er "
              "ordnet.", reason=reason)


def not_saved_message(exc: BaseException) -> str:
    return tr("Endringen ble ikke lagret: {reason}. Settene er som før.", reason=no_write_reason(exc))


def translate(exc: sqlite3.Error) -> SetsError:
    """The plain-language ``SetsError`` for an sqlite3 error met while the store is open."""
    found = kind(exc)
    if found == BUSY:
        return StoreBusy(tr("Settene er opptatt i et annet Kildefinner-vindu. Prøv igjen om litt."))
    if found == NO_WRITE:
        return StoreReadOnly(not_saved_message(exc))
    return SetsError(tr("Settene kunne ikke leses eller lagres ({reason}). Ingenting er slettet.", reason=exc))


def guarded(method):
    """Turn an sqlite3 error inside a store method into the matching ``SetsError`` (logged)."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            log.warning("sets store %s: %s failed: %s", self.path, method.__name__, exc)
            raise translate(exc) from exc
    return wrapper


def open_with_retry(connect, *, path: Path, sleep=time.sleep):
    """``connect()`` until it works; busy → retry with backoff. Returns ``(db, read_only_reason)``.

    Raises ``StoreBusy`` when the lock is still held after the retries, ``Damaged`` (or the sqlite3 error)
    when SQLite says the file is damaged, and otherwise falls back to a read-only connection.
    """
    for attempt in range(len(BACKOFF_S) + 1):
        try:
            return connect(), ""
        except sqlite3.Error as exc:
            found = kind(exc)
            if found == CORRUPT:
                raise
            if found == BUSY:
                if attempt < len(BACKOFF_S):
                    log.info("sets database %s busy (%s); retrying", path, exc)
                    sleep(BACKOFF_S[attempt])
                    continue
                log.warning("sets database %s still busy after retries: %s", path, exc)
                raise StoreBusy(busy_message()) from exc
            log.warning("sets database %s cannot be written (%s); opening read-only", path, exc)
            reason = no_write_reason(exc) if found == NO_WRITE else str(exc)
            try:
                return connect_read_only(path), read_only_message(reason)
            except (sqlite3.Error, OSError) as ro_exc:  # never a reason to move the file: it could not be written
                raise SetsError(read_only_message(reason) + " " +
                                tr("Settene kan ikke vises nå heller ({reason}).", reason=ro_exc)) from exc
    raise AssertionError("unreachable")


def connect(path: Path, busy_ms: int) -> sqlite3.Connection:
    """A read-write connection in WAL mode with the schema in place; raises ``Damaged`` for a damaged file."""
    db = sqlite3.connect(path, timeout=busy_ms / 1000, isolation_level=None, check_same_thread=False)
    try:
        db.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":  # e.g. a network share without shared memory: rollback journal still atomic
            log.warning("sets database %s runs in %s journal mode", path, mode)
        db.execute("PRAGMA synchronous = FULL")  # a committed change survives a power cut too
        db.execute("PRAGMA foreign_keys = ON")
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise Damaged("quick_check failed")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise SetsError(tr("Settene er lagret av en nyere versjon av Kildefinner ({path}).", path=path))
        if version < SCHEMA_VERSION:
            db.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
    except BaseException:
        db.close()
        raise
    return db


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that never writes to the file.

    ``mode=ro`` first. When even that needs space SQLite has not got (a WAL database must map its ``-shm``
    file), the file's bytes are read into memory instead; changes still in the ``-wal`` file are then not
    shown, but nothing is written, so nothing is lost.
    """
    uri = "file:" + urllib.parse.quote(str(Path(path).resolve())) + "?mode=ro"
    try:
        return _checked(sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False))
    except sqlite3.Error as exc:
        if kind(exc) == BUSY:
            raise
        log.warning("sets database %s not readable in place (%s); reading a copy in memory", path, exc)
    data = bytearray(Path(path).read_bytes())
    if data[:16] == b"SQLite format 3\x00":
        data[18:20] = b"\x01\x01"  # the copy is a plain rollback-journal database: no -wal/-shm to look for
    db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    db.deserialize(bytes(data))
    return _checked(db)


def _checked(db: sqlite3.Connection) -> sqlite3.Connection:
    try:
        db.execute("PRAGMA query_only = ON")
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise Damaged("quick_check failed")
    except BaseException:
        db.close()
        raise
    return db


def move_aside(path: Path, exc: BaseException) -> Path:
    """Rename a damaged database (and its -wal/-shm) to ``*.damaged-<time>``; returns the new name."""
    aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    log.error("sets database %s is damaged (%s); moved to %s", path, exc, aside)
    path.replace(aside)
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).replace(aside.with_name(aside.name + suffix))
    return aside
