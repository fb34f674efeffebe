"""On-disk snapshot layout, the atomic pointer, and reading a snapshot back.

An index folder holds immutable snapshots and a pointer naming the one that serves::

    INDEX/CURRENT                      one line: the serving snapshot's folder name (replaced with os.replace)
    INDEX/snapshots/<name>/manifest.json   format version, model, counts, build time, per-file hashes
                          /docs.sqlite     metadata and sections of every document
                          /whoosh/         the Whoosh index (one Whoosh document per procedure)
                          /vectors.npy     chunk embeddings (float16), with chunks.npy (doc index, section index)
                          /vocab.json      corpus word counts (compound splitting, spelling suggestions)
                          /overlaps.json   overlap verdicts (index.cleanup.overlap), with overlap-cache.npz: what the
                                           next build's overlap update reuses
    INDEX/.building-*                  a build in progress; never read, removed by the next build

The manifest records every file's size; opening checks them (and the .npy headers), so a truncated or missing
file is reported as ``IndexCorruptError`` at open and an older snapshot serves instead.

A build writes a new snapshot folder completely, then replaces CURRENT; a reader never sees a half-built one.
Snapshots are opened read-only (SQLite ``immutable``), so an index on a read-only share works.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.errors import IndexCorruptError, IndexMissingError
from index.records import Overlap, Procedure, Section, Tier

FORMAT_VERSION = 1
POINTER = "CURRENT"
SNAPSHOTS = "snapshots"
KEEP_SNAPSHOTS = 3  # the serving one plus fallbacks; older ones are pruned by the next build
DOC_CHUNK_SECTION = -1  # section index of the whole-document chunk in chunks.npy
OVERLAPS = "overlaps.json"  # index.cleanup.overlap pairs, computed at build time


@dataclass(frozen=True, slots=True)
class DocMeta:
    """What ranking and filtering need of every document, held in memory for the whole corpus."""

    idx: int
    doc_id: str
    title: str
    tier: Tier
    owner: str
    unit: str
    language: str
    status: str
    revised: dt.date | None
    review_due: dt.date | None
    keywords: tuple[str, ...]
    path: str
    url: str
    replaced_by: str

    def stale(self, today: dt.date) -> bool:
        return self.review_due is not None and self.review_due < today

    def overdue(self, today: dt.date) -> bool:
        """The one definition every count of stale documents uses: active and past its review date (superseded
        ones count apart)."""
        return self.status == "active" and self.stale(today)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def procedure_to_row(p: Procedure) -> dict:
    return {
        "doc_id": p.doc_id, "title": p.title, "tier": p.tier, "owner": p.owner, "unit": p.unit,
        "language": p.language, "status": p.status,
        "revised": p.revised.isoformat() if p.revised else None,
        "review_due": p.review_due.isoformat() if p.review_due else None,
        "keywords": list(p.keywords), "path": p.path, "url": p.url, "replaced_by": p.replaced_by,
        "warnings": list(p.warnings),
    }


def row_to_procedure(meta: dict, sections: list) -> Procedure:
    return Procedure(
        doc_id=meta["doc_id"], title=meta["title"], tier=meta["tier"],
        sections=tuple(Section(h, t) for h, t in sections), path=meta["path"], owner=meta["owner"],
        unit=meta["unit"], language=meta["language"], revised=_date(meta["revised"]),
        review_due=_date(meta["review_due"]), status=meta["status"], keywords=tuple(meta["keywords"]),
        url=meta["url"], replaced_by=meta.get("replaced_by", ""), warnings=tuple(meta.get("warnings", ())),
    )


def write_docstore(path: Path, rows: list[tuple[Procedure, str, str]], overlaps: list[Overlap]) -> None:
    """rows: (procedure, rel path, content hash), in index order; ``overlaps``: their primary verdicts go into a
    table of their own, so a search needs neither the overlap file nor its evidence in memory."""
    con = sqlite3.connect(path)
    try:
        con.execute("CREATE TABLE docs (idx INTEGER PRIMARY KEY, doc_id TEXT UNIQUE NOT NULL, rel TEXT NOT NULL,"
                    " hash TEXT NOT NULL, meta TEXT NOT NULL, sections TEXT NOT NULL)")
        con.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)",
            ((i, p.doc_id, rel, h, json.dumps(procedure_to_row(p), ensure_ascii=False),
              json.dumps([[s.heading, s.text] for s in p.sections], ensure_ascii=False))
             for i, (p, rel, h) in enumerate(rows)))
        con.execute("CREATE TABLE verdicts (doc_id TEXT PRIMARY KEY, other_id TEXT NOT NULL, kind TEXT NOT NULL)")
        con.executemany("INSERT INTO verdicts VALUES (?, ?, ?)",
                        ((o.doc_id, o.other_id, o.kind) for o in overlaps if o.primary))
        con.commit()
    finally:
        con.close()


class Snapshot:
    """A read-only view of one snapshot folder. Cheap to open: Whoosh and vectors load on first use."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.fallback_reason = ""  # why this older snapshot serves instead of the current one (open_current)
        try:
            self.manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise IndexCorruptError(f"{folder}: manifest.json unreadable ({exc})") from exc
        if self.manifest.get("format") != FORMAT_VERSION:
            raise IndexCorruptError(f"{folder}: snapshot format {self.manifest.get('format')!r}, "
                                    f"this version reads {FORMAT_VERSION}; rebuild the index")
        _check_files(folder, self.manifest)
        self._con = self._connect()
        self.docs: list[DocMeta] = []
        self.by_id: dict[str, int] = {}
        try:
            for idx, meta in self._con.execute("SELECT idx, meta FROM docs ORDER BY idx"):
                m = json.loads(meta)
                self.docs.append(DocMeta(
                    idx=idx, doc_id=m["doc_id"], title=m["title"], tier=Tier(m["tier"]), owner=m["owner"],
                    unit=m["unit"], language=m["language"], status=m["status"], revised=_date(m["revised"]),
                    review_due=_date(m["review_due"]), keywords=tuple(m["keywords"]), path=m["path"],
                    url=m["url"], replaced_by=m.get("replaced_by", "")))
                self.by_id[m["doc_id"]] = idx
        except (sqlite3.Error, ValueError, KeyError) as exc:
            raise IndexCorruptError(f"{folder}: document store damaged ({exc})") from exc
        if len(self.docs) != self.manifest.get("documents"):
            raise IndexCorruptError(f"{folder}: manifest says {self.manifest.get('documents')} documents, "
                                    f"store has {len(self.docs)}")
        self._vectors: tuple[np.ndarray, np.ndarray] | None = None
        self._chunk_table: np.ndarray | None = None
        self._layout: tuple[int, tuple[int, ...], np.dtype] | None = None  # vectors.npy: data offset, shape, dtype
        self._overlaps: list[Overlap] | None = None
        self._verdicts: dict[int, tuple[int, str]] | None = None

    def _connect(self) -> sqlite3.Connection:
        uri = (self.folder / "docs.sqlite").resolve().as_uri() + "?mode=ro&immutable=1"
        try:
            return sqlite3.connect(uri, uri=True, check_same_thread=False)
        except sqlite3.Error as exc:
            raise IndexCorruptError(f"{self.folder}: docs.sqlite cannot be opened ({exc})") from exc

    @property
    def name(self) -> str:
        return self.folder.name

    def sections(self, idx: int) -> list[tuple[str, str]]:
        row = self._con.execute("SELECT sections FROM docs WHERE idx = ?", (idx,)).fetchone()
        return [tuple(s) for s in json.loads(row[0])] if row else []

    def procedure(self, idx: int) -> Procedure:
        meta, sections = self._con.execute("SELECT meta, sections FROM docs WHERE idx = ?", (idx,)).fetchone()
        return row_to_procedure(json.loads(meta), json.loads(sections))

    def file_rows(self) -> dict[str, tuple[str, int]]:
        """rel path → (content hash, idx) for incremental builds."""
        return {rel: (h, idx) for idx, rel, h in self._con.execute("SELECT idx, rel, hash FROM docs")}

    def vectors(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(matrix [chunks, dim] as stored (float16), chunk table int32 [chunks, 2] = doc idx, section idx) or None.

        The whole matrix in memory, for builds and cleanup analysis; search reads it once, in blocks
        (``vector_blocks``), into its own int8 form (``index.search.dense``), so an app never holds it."""
        if self._vectors is None and (table := self.chunk_table()) is not None:
            try:
                mat = np.load(self.folder / "vectors.npy")
            except (OSError, ValueError) as exc:
                raise IndexCorruptError(f"{self.folder}: vector file damaged ({exc})") from exc
            self._check_shape(mat.shape, table)
            self._vectors = (mat, table)
        return self._vectors

    def chunk_table(self) -> np.ndarray | None:
        """int32 [chunks, 2]: each chunk's doc idx and section idx (``DOC_CHUNK_SECTION`` for the whole-document
        chunk), grouped by document in index order; None for a snapshot built without a model."""
        if self._chunk_table is None and self.manifest.get("model"):
            try:
                self._chunk_table = np.load(self.folder / "chunks.npy")
            except (OSError, ValueError) as exc:
                raise IndexCorruptError(f"{self.folder}: vector file damaged ({exc})") from exc
        return self._chunk_table

    def vector_blocks(self, rows: int) -> Iterator[np.ndarray]:
        """The chunk matrix as stored, ``rows`` rows at a time, read from the file block by block: neither a
        copy of the whole nor a mapping of it stays in memory (a mapping's pages would count in the app's RSS
        for as long as it lives)."""
        if self.chunk_table() is None:
            return
        offset, shape, dtype = self._vector_layout()
        try:
            with open(self.folder / "vectors.npy", "rb") as fh:
                fh.seek(offset)
                for start in range(0, shape[0], rows):
                    n = min(rows, shape[0] - start)
                    block = np.fromfile(fh, dtype=dtype, count=n * shape[1])
                    if block.size != n * shape[1]:
                        raise ValueError(f"vectors.npy ends after {start * shape[1] + block.size} values")
                    yield block.reshape(n, shape[1])
        except (OSError, ValueError) as exc:
            raise IndexCorruptError(f"{self.folder}: vector file damaged ({exc})") from exc

    def vector_rows(self, rows: np.ndarray) -> np.ndarray:
        """The stored rows ``rows`` (row numbers, best sorted) of the chunk matrix, read one by one into the
        result: a few hundred rows a query are a few hundred kB of reads from the page cache (~1 ms for 512 rows
        at 17k documents). Not through a memory mapping, though it is as fast: the kernel maps the pages around
        every row touched, and those count in the app's peak RSS (+58 MB for 512 rows a query at 17k documents,
        gone when the mapping closes but not from VmHWM)."""
        start, shape, dtype = self._vector_layout()
        rows = np.asarray(rows, dtype=np.int64)
        outside = rows[(rows < 0) | (rows >= shape[0])]
        if len(outside):
            raise IndexCorruptError(f"{self.folder}: vector file damaged (row {int(outside[0])} is not in "
                                    f"vectors.npy)")
        size = shape[1] * dtype.itemsize
        out = np.empty((len(rows), shape[1]), dtype)
        try:
            with open(self.folder / "vectors.npy", "rb", buffering=0) as fh:
                for i, row in enumerate(rows.tolist()):
                    fh.seek(start + row * size)
                    if fh.readinto(memoryview(out[i]).cast("B")) != size:
                        raise ValueError(f"row {row} ends past the end of vectors.npy")
        except (OSError, ValueError) as exc:
            raise IndexCorruptError(f"{self.folder}: vector file damaged ({exc})") from exc
        return out

    def _vector_layout(self) -> tuple[int, tuple[int, ...], np.dtype]:
        """vectors.npy's data offset, shape and dtype, read from its header once (a snapshot's files never
        change) and checked against the manifest: a search reads rows at every query."""
        if self._layout is None:
            try:
                with open(self.folder / "vectors.npy", "rb") as fh:
                    version = np.lib.format.read_magic(fh)
                    read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                                   else np.lib.format.read_array_header_2_0)
                    shape, fortran, dtype = read_header(fh)
                    offset = fh.tell()
            except (OSError, ValueError) as exc:
                raise IndexCorruptError(f"{self.folder}: vector file damaged ({exc})") from exc
            table = self.chunk_table()
            self._check_shape(shape, table if table is not None else np.zeros((0, 2)))
            if fortran or dtype.hasobject:
                raise IndexCorruptError(f"{self.folder}: vector file damaged (vectors.npy is not a C-ordered "
                                        f"numeric array)")
            self._layout = (offset, shape, dtype)
        return self._layout

    def _check_shape(self, shape: tuple[int, ...], table: np.ndarray) -> None:
        if len(shape) != 2 or shape[0] != table.shape[0] or shape[1] != self.manifest.get("dim"):
            raise IndexCorruptError(f"{self.folder}: vector file shape {shape} does not match the manifest")

    def overlaps(self) -> list[Overlap]:
        """All overlap pairs found at build time ([] for a snapshot built before overlap detection)."""
        if self._overlaps is None:
            path = self.folder / OVERLAPS
            try:
                data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
                self._overlaps = [Overlap.from_json(d) for d in data]
            except (OSError, ValueError, TypeError) as exc:
                raise IndexCorruptError(f"{path}: overlap file damaged ({exc})") from exc
        return self._overlaps

    def decisions(self) -> dict:
        """doc_id → ``index.store.decisions.Decision`` the build applied ({} for older snapshots)."""
        if getattr(self, "_decisions", None) is None:
            from index.store import decisions

            try:
                self._decisions = decisions.load_snapshot(self.folder)
            except decisions.DecisionError as exc:
                raise IndexCorruptError(str(exc)) from exc
        return self._decisions

    def verdicts(self) -> dict[int, tuple[int, str]]:
        """doc idx → (idx of the document it overlaps, overlap kind), for documents that have a verdict."""
        if self._verdicts is None:
            try:
                rows = self._con.execute("SELECT doc_id, other_id, kind FROM verdicts").fetchall()
            except sqlite3.OperationalError:  # a snapshot from before the table: read the overlap file
                rows = [(o.doc_id, o.other_id, o.kind) for o in self.overlaps() if o.primary]
            by_id = self.by_id
            self._verdicts = {by_id[d]: (by_id[o], kind) for d, o, kind in rows if d in by_id and o in by_id}
        return self._verdicts

    def close(self) -> None:
        self._con.close()


def file_sizes(folder: Path) -> dict[str, int]:
    """Size of every file in a snapshot folder (posix relative path → bytes), recorded in the manifest."""
    return {p.relative_to(folder).as_posix(): p.stat().st_size for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "manifest.json"}


def _check_files(folder: Path, manifest: dict) -> None:
    """Cheap checks at open (stat and .npy headers only), so a truncated or missing file makes the snapshot
    fail here, where ``open_current`` can still fall back, instead of at the first search or model load."""
    for rel, size in (manifest.get("sizes") or {}).items():
        try:
            actual = (folder / rel).stat().st_size
        except OSError:
            raise IndexCorruptError(f"{folder}: {rel} is missing") from None
        if actual != size:
            raise IndexCorruptError(f"{folder}: {rel} is damaged ({actual} bytes, the build wrote {size})")
    if manifest.get("model"):
        try:
            mat = np.load(folder / "vectors.npy", mmap_mode="r")  # header only; fails if truncated
            table = np.load(folder / "chunks.npy", mmap_mode="r")
        except (OSError, ValueError) as exc:
            raise IndexCorruptError(f"{folder}: vector file damaged ({exc})") from exc
        if mat.ndim != 2 or mat.shape[0] != table.shape[0] or mat.shape[1] != manifest.get("dim"):
            raise IndexCorruptError(f"{folder}: vector file shape {mat.shape} does not match the manifest")


def snapshot_dirs(index_dir: Path) -> list[Path]:
    root = index_dir / SNAPSHOTS
    return sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.name) if root.is_dir() else []


def current_dir(index_dir: Path) -> Path:
    """The serving snapshot folder named by the pointer."""
    pointer = index_dir / POINTER
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexMissingError(f"no index at {index_dir} (build one with kildefinner-index build)") from None
    except OSError as exc:
        raise IndexCorruptError(f"{pointer}: unreadable ({exc})") from exc
    folder = index_dir / SNAPSHOTS / name
    if not name or "/" in name or "\\" in name or not folder.is_dir():
        raise IndexCorruptError(f"{pointer} names a snapshot that does not exist: {name!r}")
    return folder


def open_current(index_dir: Path, *, check: Callable[[Snapshot], None] | None = None) -> Snapshot:
    """Open the serving snapshot; if it is damaged, fall back to the newest older one that opens.

    ``check(snapshot)`` may open more of it (the Whoosh index) and raise ``IndexCorruptError``: damage found
    there falls back the same way.
    """
    index_dir = Path(index_dir)
    first_error: Exception | None = None
    try:
        serving = [current_dir(index_dir)]
    except IndexCorruptError as exc:  # a pointer naming nothing: every snapshot is a fallback
        first_error, serving = exc, []
    # The one CURRENT names first, then the others newest first (a damaged serving one is not tried twice).
    candidates = serving + [p for p in reversed(snapshot_dirs(index_dir)) if p not in serving]
    for folder in candidates:
        try:
            snap = Snapshot(folder)
        except IndexCorruptError as exc:
            first_error = first_error or exc
            continue
        try:
            if check is not None:
                check(snap)
        except IndexCorruptError as exc:
            snap.close()
            first_error = first_error or exc
            continue
        if first_error is not None:
            snap.fallback_reason = str(first_error)
        return snap
    raise first_error or IndexCorruptError(f"{index_dir}: no snapshot opens")


def switch_pointer(index_dir: Path, name: str) -> None:
    tmp = index_dir / f".{POINTER}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(name + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, index_dir / POINTER)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def prune(index_dir: Path, keep: int = KEEP_SNAPSHOTS) -> None:
    """Remove old snapshots beyond ``keep`` and leftovers of killed builds (never the serving one)."""
    try:
        serving = current_dir(index_dir).name
    except (IndexMissingError, IndexCorruptError):
        serving = None
    for folder in snapshot_dirs(index_dir)[:-keep]:
        if folder.name != serving:
            shutil.rmtree(folder, ignore_errors=True)
    for leftover in index_dir.glob(".building-*"):
        pid = leftover.name.split("-")[1] if leftover.name.count("-") >= 2 else ""
        if not (pid.isdigit() and pid_alive(int(pid))):
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in index_dir.glob(f".{POINTER}.*.tmp"):  # a build killed while replacing the pointer
        pid = leftover.name.split(".")[2]
        if not (pid.isdigit() and pid_alive(int(pid))):
            leftover.unlink(missing_ok=True)


def pid_alive(pid: int) -> bool:
    """True if a process with this id exists (a build or provisioning still running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
