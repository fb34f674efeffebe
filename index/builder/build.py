"""Building and incrementally updating a snapshot from source folders.

Unchanged files (same content hash as in the serving snapshot) keep their parsed text, Whoosh entry and
vectors; only new and changed files are parsed and embedded, deleted ones dropped. Everything is written
into ``INDEX/.building-<pid>-<time>`` and only then renamed into ``snapshots/`` and named by the pointer, so a
killed or cancelled build leaves the previous snapshot serving.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import time
from pathlib import Path

import numpy as np

from index.analysis.analyzer import ANALYSIS_VERSION, Analyzer, Vocabulary
from index.cleanup import overlap
from index.errors import (
    BuildCancelled,
    IndexCorruptError,
    IndexMissingError,
    IndexWriteError,
    NothingIndexedError,
    ParseError,
)
from index.ingest.formats import parse_file
from index.ingest.sources import SourceFile, discover, file_hash
from index.records import BuildReport, Embedder, Procedure, ProgressFn, Tier
from index.search import lexical
from index.store import decisions, snapshot
from index.store import progress as _progress
from index.store.lock import BuildLock

log = logging.getLogger(__name__)

_Entry = tuple[Procedure, str, str, int | None]  # (procedure, rel, hash, its idx in the previous snapshot)

CHUNKING_VERSION = 2  # bump when chunk_texts changes: vectors are then reused only where a chunk's text is
CHUNK_WORDS = 180
CHUNK_OVERLAP = 30
SECTION_WINDOWS = 6
DOC_CHUNK = snapshot.DOC_CHUNK_SECTION


def chunk_texts(p: Procedure) -> list[tuple[int, str]]:
    """Passages to embed: one for the document as a whole, and each section in windows of CHUNK_WORDS words
    (overlapping by CHUNK_OVERLAP, at most SECTION_WINDOWS per section), the title kept for context. A section
    cut at its first window was invisible to meaning search past that point (NorQuAD dev: the answer is often
    in a passage's second half)."""
    opening = " ".join(" ".join(s.text for s in p.sections).split()[:CHUNK_WORDS])
    out = [(DOC_CHUNK, f"{p.title}. {', '.join(p.keywords)}. {opening}")]
    step = CHUNK_WORDS - CHUNK_OVERLAP
    for i, s in enumerate(p.sections):
        words = s.text.split()
        for start in range(0, max(1, len(words) - CHUNK_OVERLAP), step)[:SECTION_WINDOWS]:
            body = " ".join(words[start:start + CHUNK_WORDS])
            if len(body) >= 40:
                out.append((i, f"{p.title} – {s.heading}: {body}" if s.heading else f"{p.title}: {body}"))
    return out


class _Reporter:
    def __init__(self, progress: ProgressFn | None):
        self._progress = progress

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._progress is not None and self._progress(stage, done, total) is False:
            raise BuildCancelled("build cancelled; the previous index keeps serving")


def _previous(index_dir: Path) -> snapshot.Snapshot | None:
    try:
        return snapshot.Snapshot(snapshot.current_dir(index_dir))
    except (IndexMissingError, IndexCorruptError) as exc:
        if not isinstance(exc, IndexMissingError):
            log.warning("previous snapshot unusable, building from scratch: %s", exc)
        return None


def build(index_dir: Path, sources: list[tuple[str, Path]], *, manifest: Path | None = None,
          embedder: Embedder | None = None, progress: ProgressFn | None = None, full: bool = False) -> BuildReport:
    """Build or update the index at ``index_dir`` from ``sources`` ([(tier, folder)]).

    A failure to write (disk full, permission denied, read-only folder) raises ``IndexWriteError``; the
    partial snapshot is removed and the previous one keeps serving. A second build of the same index while
    one runs raises ``BuildRunningError`` at once (``index.store.lock``).
    """
    try:
        with BuildLock(index_dir):
            return _build(index_dir, sources, manifest=manifest, embedder=embedder, progress=progress, full=full)
    except (OSError, sqlite3.Error) as exc:
        filename = getattr(exc, "filename", None)  # OSError has one, sqlite3.Error not
        where = f" ({filename})" if filename else ""
        reason = (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)
        raise IndexWriteError(f"could not write the index at {index_dir}: {reason}{where}; "
                              f"the previous index keeps serving") from exc


def _snapshot_folder(index_dir: Path) -> Path | None:
    """The serving snapshot's folder, for what a full build carries forward (the progress history)."""
    try:
        return snapshot.current_dir(index_dir)
    except (IndexMissingError, IndexCorruptError, OSError):  # none, or damaged: nothing to carry forward
        return None


def _build(index_dir: Path, sources: list[tuple[str, Path]], *, manifest: Path | None, embedder: Embedder | None,
           progress: ProgressFn | None, full: bool) -> BuildReport:
    started = time.perf_counter()
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    snapshot.prune(index_dir)
    report = _Reporter(progress)
    prev = None if full else _previous(index_dir)
    if prev is not None and embedder is not None and prev.manifest.get("encoder") != embedder.record:
        prev = None  # another model or variant: its vectors are not reused (one snapshot, one encoder)
    prev_rows = prev.file_rows() if prev else {}

    files, problems = discover(sources, manifest)
    real = {sf.rel: sf.path.resolve() for sf in files}
    skipped: list[tuple[str, str]] = list(problems)
    warnings: list[tuple[str, str]] = []
    report("scan", len(files), len(files))

    entries: list[_Entry] = []
    for n, sf in enumerate(files):
        report("parse", n, len(files))
        entry = _load(sf, prev, prev_rows, skipped)
        if entry is not None:
            entries.append(entry)
            warnings.extend((sf.rel, w) for w in entry[0].warnings if entry[3] is None)
    report("parse", len(files), len(files))
    entries = _drop_duplicate_ids(entries, skipped)
    if not entries:
        raise NothingIndexedError(f"nothing could be indexed ({len(skipped)} files skipped)")

    tmp = index_dir / f".building-{os.getpid()}-{time.time_ns()}"
    tmp.mkdir()
    try:
        vocab = _vocabulary(entries, prev)
        analyzer = Analyzer(vocab)
        new = [p for p, _, _, old in entries if old is None]
        # Terms from another analysis version do not match today's queries: every document is re-analysed
        # (texts and vectors are still reused).
        reanalyse = prev is not None and prev.manifest.get("analysis") != ANALYSIS_VERSION
        kept_ids = {p.doc_id for p, _, _, old in entries if old is not None}
        dim, model_name, matrix, table = _write_vectors(tmp, entries, prev, prev_rows, embedder, report)
        report("overlap", 0, 1)
        procs = [p for p, *_ in entries]
        found = overlap.update(procs, analyzer=analyzer, vectors=matrix, chunk_table=table,
                               previous=None if reanalyse else _previous_overlaps(prev, entries))
        (tmp / snapshot.OVERLAPS).write_text(
            json.dumps([o.to_json() for o in found.overlaps], ensure_ascii=False), encoding="utf-8")
        found.save(tmp)
        report("overlap", 1, 1)
        report("write", 0, 1)
        (tmp / "whoosh").mkdir()
        if prev is not None and not reanalyse:
            shutil.copytree(prev.folder / "whoosh", tmp / "whoosh", dirs_exist_ok=True)
            gone = {m.doc_id for m in prev.docs} - kept_ids
            lexical.write_index(tmp / "whoosh", add=new, delete=gone, analyzer=analyzer, fresh=False)
        else:
            lexical.write_index(tmp / "whoosh", add=procs if reanalyse else new, delete=set(), analyzer=analyzer,
                                fresh=True)
        warnings.extend(decisions.write_snapshot(tmp, sources, ((p.doc_id, p.tier) for p, *_ in entries),
                                                 uncovered=found.uncovered))
        _progress.write(tmp, prev.folder if prev is not None else _snapshot_folder(index_dir), _progress.entry(
            dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            (o.doc_id for o in found.overlaps if o.primary), decisions.load_snapshot(tmp)))
        snapshot.write_docstore(tmp / "docs.sqlite", [(p, rel, h) for p, rel, h, _ in entries], found.overlaps)
        (tmp / "vocab.json").write_text(json.dumps(vocab.to_json(), ensure_ascii=False), encoding="utf-8")
        removed = len(set(prev_rows) - {rel for _, rel, _, _ in entries}) if prev else 0
        manifest_data = {
            "format": snapshot.FORMAT_VERSION,
            "analysis": ANALYSIS_VERSION, "chunking": CHUNKING_VERSION,
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "model": model_name, "dim": dim,
            # Which encoder made the vectors (name, variant, file hash, dim, pooling): searches check it.
            "encoder": embedder.record if embedder is not None and model_name else None,
            "documents": len(entries),
            "by_tier": {t: sum(1 for p, *_ in entries if p.tier == t) for t in Tier},
            "files": {rel: h for _, rel, h, _ in entries},
            # the files' real paths, for the cleanup report (the team opens and removes files by them)
            "source_paths": {rel: str(real[rel]) for _, rel, _, _ in entries if rel in real},
            "skipped": skipped,
            "sizes": snapshot.file_sizes(tmp),
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest_data, ensure_ascii=False, indent=1),
                                           encoding="utf-8")
        report("write", 1, 1)
        # One clock read for both parts: two reads straddling a second gave a later build a smaller name, and
        # the names order the fallback and the pruning.
        now = time.time_ns()
        name = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 10**9)) + f"-{now % 10**9:09d}"
        final = index_dir / snapshot.SNAPSHOTS / name
        final.parent.mkdir(exist_ok=True)
        _fsync_tree(tmp)
        os.rename(tmp, final)
        snapshot.switch_pointer(index_dir, name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if prev is not None:
            prev.close()
    snapshot.prune(index_dir)
    return BuildReport(indexed=len(new), reused=len(entries) - len(new), skipped=tuple(skipped),
                       warnings=tuple(warnings), removed=removed, seconds=time.perf_counter() - started,
                       snapshot=name)


def _load(sf: SourceFile, prev: snapshot.Snapshot | None, prev_rows: dict[str, tuple[str, int]],
          skipped: list[tuple[str, str]]) -> _Entry | None:
    try:
        digest = file_hash(sf.path)
    except OSError as exc:
        skipped.append((sf.rel, f"unreadable ({exc.strerror or exc})"))
        return None
    if sf.meta:  # a changed manifest row changes the document too
        digest = hashlib.sha256((digest + json.dumps(sf.meta, sort_keys=True, default=str)).encode()).hexdigest()
    old = prev_rows.get(sf.rel)
    if prev is not None and old is not None and old[0] == digest:  # prev_rows are prev's rows
        return prev.procedure(old[1]), sf.rel, digest, old[1]
    try:
        return parse_file(sf.path, rel=sf.rel, tier_default=sf.tier_default, extra_meta=sf.meta), sf.rel, digest, None
    except ParseError as exc:
        skipped.append((sf.rel, exc.reason))
        return None


def _vocab_text(p: Procedure) -> str:
    return f"{p.title} {' '.join(p.keywords)} {p.text}"


def _vocabulary(entries: list[_Entry], prev: snapshot.Snapshot | None) -> Vocabulary:
    """Corpus word counts. An update starts from the previous snapshot's counts, takes away the documents that
    left or changed and adds the new versions: tokenising 17 000 documents on every build took 6–9 s."""
    vocab = None
    if prev is not None:
        try:
            vocab = Vocabulary.from_json(json.loads((prev.folder / "vocab.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, AttributeError) as exc:
            log.warning("previous vocabulary unusable, counting from scratch: %s", exc)
    if vocab is None or prev is None:  # (vocab is set only from a previous snapshot)
        vocab = Vocabulary()
        for p, *_ in entries:
            vocab.add_text(_vocab_text(p))
        return vocab
    kept = {old for *_, old in entries if old is not None}
    vocab.remove_texts(_vocab_text(prev.procedure(i)) for i in range(len(prev.docs)) if i not in kept)
    for p, *_, old in entries:
        if old is None:
            vocab.add_text(_vocab_text(p))
    return vocab


def _previous_overlaps(prev: snapshot.Snapshot | None, entries: list[_Entry]) -> overlap.Previous | None:
    """What overlap detection may reuse of the previous snapshot (it recomputes in full without it)."""
    if prev is None:
        return None
    try:
        found = prev.overlaps()
    except IndexCorruptError as exc:
        log.warning("previous overlaps unusable, computing them in full: %s", exc)
        return None
    return overlap.Previous(folder=prev.folder, overlaps=found, rows=[old for *_, old in entries],
                            documents=len(prev.docs))


def _drop_duplicate_ids(entries: list[_Entry], skipped: list[tuple[str, str]]) -> list[_Entry]:
    """Two files claiming one id: the higher tier (then the first path) keeps it, the other is skipped."""
    rank = {t: i for i, t in enumerate(Tier)}
    ordered = sorted(entries, key=lambda e: (rank.get(e[0].tier, 9), e[1]))
    seen: dict[str, str] = {}
    keep = set()
    for p, rel, *_ in ordered:
        if p.doc_id in seen:
            skipped.append((rel, f"duplicate id {p.doc_id!r} (already used by {seen[p.doc_id]})"))
        else:
            seen[p.doc_id] = rel
            keep.add(rel)
    return [e for e in entries if e[1] in keep]


def _write_vectors(tmp: Path, entries: list[_Entry], prev: snapshot.Snapshot | None,
                   prev_rows: dict[str, tuple[str, int]], embedder: Embedder | None,
                   report: _Reporter) -> tuple[int, str, np.ndarray | None, np.ndarray | None]:
    """Embed new documents, reuse the vectors of unchanged ones: (dim, model name, matrix, chunk table).

    A changed file re-embeds only the chunks whose text changed: an edit to one section of a long procedure
    costs two or three passages, not all of them (embedding dominates an incremental update).
    """
    if embedder is None:
        return 0, "", None, None
    prev_vectors = prev.vectors() if prev is not None else None
    prev_by_doc: dict[int, list[int]] = {}
    if prev_vectors is not None:
        for row, doc in enumerate(prev_vectors[1][:, 0]):
            prev_by_doc.setdefault(int(doc), []).append(row)
    todo: list[tuple[int, int, str]] = []  # (new doc idx, section idx, text)
    reused: list[tuple[int, np.ndarray, np.ndarray]] = []
    same_chunking = prev is not None and prev.manifest.get("chunking") == CHUNKING_VERSION
    for new_idx, (p, rel, _, old) in enumerate(entries):
        if old is not None and old in prev_by_doc and same_chunking and prev_vectors is not None:
            rows = prev_by_doc[old]
            reused.append((new_idx, prev_vectors[0][rows], prev_vectors[1][rows, 1]))
            continue
        old_idx = prev_rows[rel][1] if rel in prev_rows else None  # the previous version of a changed file
        before = (_previous_chunks(prev, prev_vectors, prev_by_doc.get(old_idx, []), old_idx)
                  if prev is not None and prev_vectors is not None and old_idx is not None else {})
        chunks = chunk_texts(p)
        same = [(sec, before[text]) for sec, text in chunks if text in before]
        if same:
            reused.append((new_idx, np.stack([v for _, v in same]), np.array([s for s, _ in same])))
        todo.extend((new_idx, sec, text) for sec, text in chunks if text not in before)
    embedded = np.zeros((len(todo), embedder.dim), dtype=np.float32)
    # Large calls: the encoder sorts a call's passages by length and pads per batch, so the bigger the call the
    # less padding; 512 passages keep the progress bar moving (~10-20 s each on 2 cores).
    batch = 512
    for start in range(0, len(todo), batch):
        report("embed", start, len(todo))
        embedded[start:start + batch] = embedder.encode_passages([t for _, _, t in todo[start:start + batch]])
    report("embed", len(todo), len(todo))
    mats, tables = [], []
    for new_idx, mat, secs in reused:
        mats.append(mat)
        tables.append(np.column_stack([np.full(len(secs), new_idx), secs]))
    if todo:
        mats.append(embedded)
        tables.append(np.array([(d, s) for d, s, _ in todo]))
    matrix = np.concatenate(mats) if mats else np.zeros((0, embedder.dim), np.float32)
    table = np.concatenate(tables).astype(np.int32) if tables else np.zeros((0, 2), np.int32)
    order = np.lexsort((table[:, 1], table[:, 0]))  # grouped by document (for reduceat), sections in order
    matrix, table = matrix[order].astype(np.float16), table[order]
    np.save(tmp / "vectors.npy", matrix)
    np.save(tmp / "chunks.npy", table)
    return embedder.dim, embedder.name, matrix.astype(np.float32), table


def _previous_chunks(prev: snapshot.Snapshot, prev_vectors: tuple[np.ndarray, np.ndarray], rows: list[int],
                     old_idx: int) -> dict[str, np.ndarray]:
    """Chunk text → vector of the previous version of a changed file (empty if there is none).

    A section's rows are its windows in order. An index chunked before windows had one row per section, the
    text of today's first window: pairing each section's rows with its windows in order stays right for both.
    """
    if not rows:
        return {}
    by_section: dict[int, list[int]] = {}
    for r in rows:
        by_section.setdefault(int(prev_vectors[1][r, 1]), []).append(r)
    texts: dict[int, list[str]] = {}
    for sec, text in chunk_texts(prev.procedure(old_idx)):
        texts.setdefault(sec, []).append(text)
    return {text: prev_vectors[0][r] for sec, rs in by_section.items()
            for r, text in zip(rs, texts.get(sec, ()), strict=False)}


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
