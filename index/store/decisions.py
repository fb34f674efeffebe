"""Phase-out decisions per local/regional document, kept as a plain CSV file next to the sources.

The procedure team works on a shared folder and ward PCs get everything through the build and the published
snapshot, so decisions live in ``beslutninger.csv`` beside the source folders (``decisions_path``), not in
a database (no SQLite on a network share). One row per document:

    doc_id, decision, var_id, last_date, reason, decided_by, decided_on

``decision`` is ``utfases`` (VAR covers it; ``var_id`` names the VAR procedure to use, ``last_date`` is the
optional last day it is shown by default), ``lokalt_tillegg`` (keep only what VAR lacks, as a local addition to
the VAR procedure ``var_id``), ``beholdes`` (local-only, needed) or empty (not yet assessed). Every change is
also appended to ``beslutninger-historikk.csv`` (time, who, the new row) and never rewritten.

**Writes** go through ``DecisionStore.save``: under a lock file, the file is read again; if someone else has
changed it since this store loaded it, their rows are kept and ours merged in — unless both changed the same
document differently, which is refused with ``DecisionConflictError`` naming the documents (nothing is
written; reload and decide again). The new content goes to a temporary file that replaces the old one
(``os.replace``), so a reader never sees half a file and no row is lost.

**Reading** (``read``) validates line by line — unknown document ids, wrong values, bad dates, duplicates — and
returns the valid rows with a ``(line, message)`` list for the rest; the build reports those and applies the
valid ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Self

from index.errors import KildefinnerError
from index.records import Tier

FILE = "beslutninger.csv"
HISTORY = "beslutninger-historikk.csv"
DECISIONS = ("utfases", "lokalt_tillegg", "beholdes")
LABELS = {"utfases": "Utfases", "lokalt_tillegg": "Lokalt tillegg", "beholdes": "Beholdes", "": "Ikke vurdert"}
COLUMNS = ("doc_id", "decision", "var_id", "last_date", "reason", "decided_by", "decided_on")
HISTORY_COLUMNS = ("changed_at", *COLUMNS)
LOCK_TIMEOUT = 10.0  # seconds to wait for another writer
LOCK_STALE = 120.0  # a lock file older than this was left by a crashed writer


class DecisionError(KildefinnerError):
    """The decisions file cannot be read or written."""


class DecisionConflictError(DecisionError):
    """Someone else changed the same documents since they were loaded."""

    def __init__(self, path: Path, doc_ids: Collection[str]):
        self.doc_ids = tuple(sorted(doc_ids))
        super().__init__(f"{path}: changed by someone else since it was opened, for {', '.join(self.doc_ids)}; "
                         "nothing was saved — reload and decide again")


@dataclass(frozen=True, slots=True)
class Decision:
    doc_id: str
    decision: str = ""  # one of DECISIONS, "" = not yet assessed
    var_id: str = ""
    last_date: dt.date | None = None
    reason: str = ""
    decided_by: str = ""
    decided_on: dt.date | None = None
    # Not a column: set by the build for «Lokalt tillegg» — the section numbers of the document that ``var_id``
    # does not cover (index.cleanup.evidence), so search shows those first without matching sections per query.
    uncovered: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return LABELS.get(self.decision, self.decision)

    def retired(self, today: dt.date) -> bool:
        """Phased out and past its last date: no longer in the default search results."""
        return self.decision == "utfases" and self.last_date is not None and self.last_date < today

    def row(self) -> tuple[str, ...]:
        return tuple("" if v is None else v.isoformat() if isinstance(v, dt.date) else str(v)
                     for v in (getattr(self, c) for c in COLUMNS))

    def to_json(self) -> dict:
        return dict(zip(COLUMNS, self.row(), strict=True))

    @classmethod
    def from_json(cls, data: Mapping[str, str]) -> Decision:
        fields: dict[str, Any] = {c: _date(data.get(c, "")) if c in ("last_date", "decided_on") else data.get(c, "")
                                  for c in COLUMNS}
        return cls(**fields)


@dataclass(frozen=True)
class Loaded:
    decisions: dict[str, Decision]
    problems: list[tuple[int, str]]  # (line number, message); line 1 is the header
    stamp: str  # content hash of what was read ("" when there is no file)
    # The invalid lines as written (column → cell), so a save keeps them for the team to fix instead of
    # dropping them; ``usable`` is False when the header itself is wrong (then nothing may be written over it).
    rejected: tuple[dict[str, str], ...] = ()
    usable: bool = True


def decisions_path(sources: Iterable[tuple[str, Path]]) -> Path:
    """Where the decisions file of these source folders lives: in the folder that holds them (the team's
    shared folder: ``<share>/var``, ``<share>/lokal`` … → ``<share>/beslutninger.csv``)."""
    folders = [Path(folder).resolve() for _, folder in sources]
    if not folders:
        raise DecisionError("no source folders")
    common = Path(os.path.commonpath(folders))
    return (common.parent if common in folders else common) / FILE


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def parse(text: str, *, path: Path | str = FILE, known: Collection[str] | None = None,
          var_ids: Collection[str] | None = None) -> Loaded:
    """Validate ``text`` (a decisions CSV): the valid rows, and a message per invalid line. ``known`` and
    ``var_ids``, when given, are the document ids and VAR procedure ids the rows may name."""
    decisions: dict[str, Decision] = {}
    problems: list[tuple[int, str]] = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    stamp = hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""
    if header is None:
        return Loaded({}, [], stamp)
    header = [h.strip() for h in header]
    missing = [c for c in ("doc_id", "decision") if c not in header]
    if missing:
        return Loaded({}, [(1, f"{path}: missing column(s) {', '.join(missing)} (expected {', '.join(COLUMNS)})")],
                      stamp, usable=False)
    rejected: list[dict[str, str]] = []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        data = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        before = len(problems)
        doc_id, value = data.get("doc_id", ""), data.get("decision", "").casefold().replace(" ", "_")
        value = {"lokalt-tillegg": "lokalt_tillegg", "ikke_vurdert": ""}.get(value, value)
        if not doc_id:
            problems.append((line, "no doc_id"))
        elif known is not None and doc_id not in known:
            problems.append((line, f"unknown document id {doc_id!r}"))
        elif doc_id in decisions:
            problems.append((line, f"{doc_id!r} is already decided on an earlier line; this line is ignored"))
        elif value not in (*DECISIONS, ""):
            choices = ", ".join(DECISIONS)
            problems.append((line, f"{doc_id}: unknown decision {data['decision']!r} (one of {choices}, or empty)"))
        elif value == "lokalt_tillegg" and not data.get("var_id"):
            problems.append((line, f"{doc_id}: lokalt_tillegg needs var_id (the VAR procedure it adds to)"))
        elif var_ids is not None and data.get("var_id") and data["var_id"] not in var_ids:
            problems.append((line, f"{doc_id}: var_id {data['var_id']!r} is not a VAR procedure in the index"))
        else:
            try:
                decisions[doc_id] = replace(Decision.from_json(data), decision=value)
            except ValueError as exc:
                problems.append((line, f"{doc_id}: bad date ({exc}); dates are YYYY-MM-DD"))
        if len(problems) > before:
            rejected.append(data)
    return Loaded(decisions, problems, stamp, tuple(rejected))


def read(path: Path, **kwargs: Collection[str] | None) -> Loaded:
    """``parse`` the file at ``path``; a missing file holds no decisions."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return Loaded({}, [], "")
    except (OSError, UnicodeDecodeError) as exc:
        raise DecisionError(f"{path}: cannot be read ({exc})") from exc
    return parse(text, path=path, **kwargs)


def render(decisions: Iterable[Decision], rejected: Iterable[Mapping[str, str]] = ()) -> str:
    """The file's text: the decisions by id, then ``rejected`` lines as they were written (still invalid: the
    build keeps reporting them until someone fixes them)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(d.row() for d in sorted(decisions, key=lambda d: d.doc_id) if d.decision or d.reason)
    writer.writerows([r.get(c, "") for c in COLUMNS] for r in rejected)
    return out.getvalue()


class _Lock:
    """An exclusive lock file beside the decisions file (``O_EXCL`` create; works on SMB/NFS shares)."""

    def __init__(self, path: Path):
        self.path = path.with_name(path.name + ".lock")

    def __enter__(self) -> Self:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
                os.write(fd, f"{os.getpid()}\n".encode())
                os.close(fd)
                return self
            except FileExistsError:
                try:
                    if time.time() - self.path.stat().st_mtime > LOCK_STALE:
                        self.path.unlink(missing_ok=True)
                        continue
                except OSError:
                    continue
                if time.monotonic() > deadline:
                    raise DecisionError(f"{self.path}: another user is saving decisions; try again") from None
                time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        self.path.unlink(missing_ok=True)


class DecisionStore:
    """The decisions file of one shared folder, as one user sees it: ``load``, then ``save`` changes."""

    def __init__(self, path: Path, *, user: str = ""):
        self.path = Path(path)
        self.history = self.path.with_name(HISTORY)
        self.user = user or os.environ.get("USERNAME") or os.environ.get("USER") or "ukjent"
        self.base: dict[str, Decision] = {}
        self.stamp = ""
        self.problems: list[tuple[int, str]] = []

    @property
    def writable(self) -> bool:
        """True where this user may write decisions: the folder exists and is writable (procedure-team PCs)."""
        folder = self.path.parent
        target = self.path if self.path.exists() else folder
        return folder.is_dir() and os.access(target, os.W_OK)

    def load(self, *, known: Collection[str] | None = None,
             var_ids: Collection[str] | None = None) -> dict[str, Decision]:
        """Every row of the file (a row naming an unknown id is kept: a save never drops it); ``problems`` lists
        the lines the build would skip, validated against ``known``/``var_ids`` when given (see ``parse``)."""
        loaded = read(self.path)
        self.base, self.stamp, self.problems = dict(loaded.decisions), loaded.stamp, loaded.problems
        if known is not None or var_ids is not None:
            self.problems = read(self.path, known=known, var_ids=var_ids).problems
        return dict(self.base)

    def save(self, changes: Mapping[str, Decision], *, today: dt.date | None = None) -> dict[str, Decision]:
        """Write ``changes`` (doc_id → new decision; ``decision=""`` clears it) merged into the file as it is
        now; returns the decisions after the write. Raises ``DecisionConflictError`` if another user changed one
        of these documents differently since ``load``."""
        today = today or dt.date.today()
        stamped = {k: replace(d, doc_id=k, decided_by=d.decided_by or self.user, decided_on=d.decided_on or today)
                   for k, d in changes.items()}
        with _Lock(self.path):
            current = read(self.path)
            if not current.usable:  # writing now would drop every row of it
                raise DecisionError(f"{current.problems[0][1]}; nothing was saved — fix the header first")
            if current.stamp != self.stamp:  # someone else saved since we loaded: merge, refuse on a clash
                clash = [k for k, d in stamped.items()
                         if current.decisions.get(k) != self.base.get(k)
                         and _what(current.decisions.get(k)) != _what(d)]
                if clash:
                    raise DecisionConflictError(self.path, clash)
            merged = {**current.decisions, **stamped}
            # invalid lines stay as written, unless this save decides their document anew
            text = render(merged.values(), (r for r in current.rejected if r.get("doc_id", "") not in stamped))
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
            self._append_history(stamped.values())
        self.base = dict(parse(text).decisions.items())
        self.stamp = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return dict(self.base)

    def _append_history(self, rows: Iterable[Decision]) -> None:
        new = not self.history.exists()
        with open(self.history, "a", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            if new:
                writer.writerow(HISTORY_COLUMNS)
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            writer.writerows((now, *d.row()) for d in rows)


def _what(d: Decision | None) -> tuple:
    """What a decision says (not who or when): two users deciding the same thing do not clash."""
    return (d.decision, d.var_id, d.last_date) if d is not None else ("", "", None)


SNAPSHOT_FILE = "decisions.json"  # in each snapshot: the valid decisions the build applied, and the problems


def write_snapshot(folder: Path, sources: Iterable[tuple[str, Path]], docs: Iterable[tuple[str, str]], *,
                   uncovered: Callable[[str, str], tuple[int, ...]] | None = None) -> list:
    """At build time: read the decisions file of ``sources``, validated against ``docs`` ((doc_id, tier)), and
    store the valid rows in the snapshot ``folder``; a «Lokalt tillegg» row also gets ``uncovered(doc_id,
    var_id)``, the sections VAR does not cover (``index.cleanup.overlap.Detection.uncovered``). Returns ``(where,
    message)`` per invalid line."""
    docs = list(docs)
    path = decisions_path(list(sources))
    loaded = read(path, known={d for d, _ in docs}, var_ids={d for d, t in docs if t == Tier.VAR})
    rows = []
    for d in loaded.decisions.values():
        row = d.to_json()
        if d.decision == "lokalt_tillegg" and uncovered is not None:
            row["uncovered"] = list(uncovered(d.doc_id, d.var_id))
        rows.append(row)
    data = {"source": str(path), "decisions": rows, "problems": loaded.problems}
    (Path(folder) / SNAPSHOT_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return [(f"{path.name}:{line}", message) for line, message in loaded.problems]


def load_snapshot(folder: Path) -> dict[str, Decision]:
    """The decisions stored in a snapshot (none in snapshots built before decisions existed)."""
    try:
        data = json.loads((Path(folder) / SNAPSHOT_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise DecisionError(f"{folder / SNAPSHOT_FILE}: damaged ({exc})") from exc
    return {r["doc_id"]: replace(Decision.from_json(r), uncovered=tuple(r.get("uncovered", ())))
            for r in data.get("decisions", ())}


def snapshot_source(folder: Path) -> Path | None:
    """Where the decisions file of the sources a snapshot was built from lies (it may not exist yet); None for
    a snapshot that does not record it."""
    try:
        data = json.loads((Path(folder) / SNAPSHOT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Path(data["source"]) if isinstance(data, dict) and data.get("source") else None


__all__ = ["COLUMNS", "DECISIONS", "FILE", "HISTORY", "Decision", "DecisionConflictError", "DecisionError",
           "DecisionStore", "Loaded", "decisions_path", "load_snapshot", "parse", "read", "render",
           "snapshot_source", "write_snapshot"]
