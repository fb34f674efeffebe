"""The engine facade. The app and the CLI use only this module: open, build, search, document, stats, report.

Opening is fast and gives lexical search at once; ``load_model()`` (about a second: the ONNX encoder) adds
semantic search and is meant to run in the background. ``search`` is safe to call from one thread at a time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Self

from index.analysis.analyzer import Analyzer, Vocabulary
from index.analysis.spelling import Speller
from index.analysis.synonyms import SynonymTable
from index.builder import publish as _publish
from index.builder import sync as _sync
from index.builder.publish import PublishReport
from index.builder.sync import LOCAL_FAILED, REJECTED, UNREACHABLE, UP_TO_DATE, UPDATED, SyncResult
from index.cleanup import gaps as _gaps
from index.cleanup.gaps import GapLog
from index.errors import (
    BuildCancelled,
    BuildRunningError,
    IndexCorruptError,
    IndexMissingError,
    IndexWriteError,
    KildefinnerError,
    ModelUnavailableError,
    NothingIndexedError,
    ParseError,
)
from index.ingest.safetext import printable
from index.records import (
    BuildReport,
    Embedder,
    IndexStats,
    Procedure,
    ProgressFn,
    Report,
    SearchFilters,
    SearchMode,
    SearchResult,
    Tier,
)
from index.search.lexical import LexicalIndex
from index.search.searcher import Searcher
from index.store import snapshot as _snapshot
from index.store.decisions import LABELS as DECISION_LABELS
from index.store.decisions import Decision, DecisionConflictError, DecisionError, DecisionStore, decisions_path
from index.store.decisions import Loaded as LoadedDecisions
from index.store.decisions import read as read_decisions
from index.store.decisions import render as render_decisions
from index.store.decisions import snapshot_source as decisions_snapshot_source

log = logging.getLogger(__name__)

__all__ = [  # what the app and the CLI may use: nothing else of the engine is theirs to import
    "DECISION_LABELS", "LOCAL_FAILED", "REJECTED", "UNREACHABLE", "UPDATED", "UP_TO_DATE",
    "BuildCancelled", "BuildRunningError", "Decision", "DecisionConflictError", "DecisionError", "DecisionStore",
    "Embedder", "Engine", "GapLog", "IndexCorruptError", "IndexMissingError", "IndexWriteError", "KildefinnerError",
    "LoadedDecisions", "ModelUnavailableError", "NothingIndexedError", "ParseError", "ProgressFn", "PublishReport",
    "SearchFilters", "SearchMode", "SyncResult", "Tier", "build", "decisions_path", "default_gap_log_path",
    "default_model_dir", "demo_sources", "is_published_share", "is_share", "open_index", "parse_source_arg",
    "printable", "publish", "published_copy_dir", "read_decisions", "render_decisions", "resources_dir",
    "sync", "sync_published", "write_report"
]


def resources_dir() -> Path:
    """The ``resources/`` folder, in a source checkout or inside a PyInstaller bundle."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base / "resources"


def default_model_dir() -> Path:
    """The provisioned embedding model's folder (``resources/models/…``, or the configured override)."""
    from index.embed.model import default_model_dir as model_dir  # numpy only; onnxruntime loads on use

    return model_dir()


def default_gap_log_path() -> Path:
    """This user's content-gap log (kept only when IT enables ``gap_log``)."""
    return _gaps.default_path()


def parse_source_arg(text: str) -> tuple[str, Path]:
    """``[TIER=]PATH`` from the command line → (tier, folder); ``ValueError`` with the reason if malformed."""
    from index.ingest.sources import parse_source_arg as parse  # the parsers: not on the app's start path

    return parse(text)


def demo_sources() -> tuple[list[tuple[str, Path]], Path | None]:
    """The demo corpus under ``resources/demo`` (one folder per tier) and its manifest."""
    demo = resources_dir() / "demo"
    manifest = demo / "manifest.csv"
    return [(tier.value, demo / tier) for tier in Tier], manifest if manifest.is_file() else None


def load_synonyms(path: Path | None = None) -> SynonymTable:
    path = path or resources_dir() / "synonyms.tsv"
    try:
        return SynonymTable.load(path)
    except OSError as exc:
        log.warning("synonym table %s not readable (%s); searching without synonyms", path, exc)
        return SynonymTable()


def build(index_dir: str | Path, sources: list[tuple[str, Path]], *, manifest: Path | None = None,
          model_path: str | Path | None = None, use_model: bool = True, progress: ProgressFn | None = None,
          full: bool = False, encoder: str = "onnx") -> BuildReport:
    """Build or update a snapshot. Without a loadable model the snapshot is lexical-only (and says so).

    ``encoder="sentence-transformers"`` embeds with the reference pipeline (central builds on a bigger machine;
    needs torch): its vectors are searchable by the ONNX encoder exported from the same folder."""
    embedder = None
    if use_model:
        from index.embed.model import load_embedder
        try:
            embedder = load_embedder(model_path, encoder=encoder)
        except ModelUnavailableError as exc:
            log.warning("building without vectors: %s", exc)
    from index.builder import build as _build  # parsers, scipy: only when building, not on the app's start path

    return _build.build(Path(index_dir), sources, manifest=manifest, embedder=embedder, progress=progress,
                        full=full)


def publish(index_dir: str | Path, share: str | Path, *, keep: int = _publish.KEEP_PUBLISHED) -> PublishReport:
    """Publish the serving snapshot of ``index_dir`` to a share (see ``index.builder.publish``)."""
    return _publish.publish(index_dir, share, keep=keep)


def write_report(engine: Engine, out_dir: str | Path, *, today: dt.date | None = None,
                 gap_files: Iterable[str | Path] = ()) -> list[Path]:
    """Write the cleanup report (CSV files + self-contained HTML) for the engine's snapshot into ``out_dir``.
    ``gap_files``: exported content-gap files (``index.cleanup.gaps``) to merge into the report's gap section.

    Read-only analysis: the sources and the index are never modified. Returns the files written.
    """
    from index.cleanup import report as _report  # overlap analysis and scipy: only for the cleanup report

    report = engine.report(today=today)
    if gap_files:
        merged = _gaps.merge([Path(f) for f in gap_files])
        report = dataclasses.replace(report, gaps=tuple(_report.closest_var(engine, merged)))
    return _report.write(report, out_dir)


def published_copy_dir(share: str | Path, cache_root: str | Path | None = None) -> Path:
    """The local copy of a published share (under the user cache dir unless ``cache_root`` is given)."""
    if cache_root is None:
        import platformdirs

        cache_root = Path(platformdirs.user_cache_dir("kildefinner", appauthor=False)) / "published"
    return _sync.local_copy_dir(share, cache_root)


def sync_published(share: str | Path, cache_root: str | Path | None = None, *,
                   cancelled: Callable[[], bool] = lambda: False) -> SyncResult:
    """Copy a newer published version into the local copy and switch it in; a ``SyncResult``, never raises
    for an unreachable or damaged share."""
    return _sync.sync(share, published_copy_dir(share, cache_root), cancelled=cancelled)


def is_published_share(location: str | Path, cache_root: str | Path | None = None) -> bool:
    """True for a share with a published pointer, or one already copied locally (even if unreachable now)."""
    return ((published_copy_dir(location, cache_root) / _snapshot.POINTER).is_file()
            or _publish.is_share(Path(location)))


def sync(share: str | Path, index_dir: str | Path, *, cancelled: Callable[[], bool] = lambda: False) -> SyncResult:
    """Bring the index folder ``index_dir`` up to the version ``share`` publishes (``kildefinner-index sync``)."""
    return _sync.sync(share, index_dir, cancelled=cancelled)


def is_share(location: str | Path) -> bool:
    """True if ``location`` itself holds a published pointer (a share to ``sync`` from, not an index folder)."""
    return _publish.is_share(Path(location))


def open_index(location: str | Path, *, cache_root: str | Path | None = None) -> Engine:
    """Open a built index folder, or the local copy of a published share (copying it first if there is none).

    A share is never opened in place: Whoosh and SQLite read the verified local copy only.
    """
    if is_published_share(location, cache_root):
        local = published_copy_dir(location, cache_root)
        _sync.ensure_local_copy(location, local)
        return Engine(local)
    return Engine(location)


class Engine:
    """An open snapshot ready to search. ``with open_index(...) as engine:`` closes it at the end."""

    def __init__(self, index_dir: str | Path, *, synonyms: SynonymTable | None = None):
        self.index_dir = Path(index_dir)
        parts: dict = {}

        def open_parts(snap: _snapshot.Snapshot) -> None:
            # Opened per candidate snapshot, so damage found here falls back to an older snapshot too.
            try:
                vocab_data = json.loads((snap.folder / "vocab.json").read_text(encoding="utf-8"))
                vocab = Vocabulary.from_json(vocab_data)
            except (OSError, ValueError, TypeError, AttributeError) as exc:
                raise IndexCorruptError(f"{snap.folder}: vocab.json damaged ({exc})") from exc
            parts.update(vocab=vocab, lexical=LexicalIndex(snap.folder / "whoosh"))

        self.snapshot = _snapshot.open_current(self.index_dir, check=open_parts)
        vocab = parts["vocab"]
        self._searcher = Searcher(snapshot=self.snapshot, lexical=parts["lexical"], analyzer=Analyzer(vocab),
                                  synonyms=synonyms or load_synonyms(), speller=Speller(vocab))
        self.model_error = ""
        self._lock = threading.Lock()

    @property
    def fallback_reason(self) -> str:
        """Why an older snapshot serves instead of the one the pointer names ("" normally)."""
        return self.snapshot.fallback_reason

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def serving(self) -> str:
        """The name of the snapshot this engine serves (a published share's version)."""
        return self.snapshot.name

    @property
    def has_vectors(self) -> bool:
        """Whether the snapshot was built with a model (semantic search possible once one is loaded)."""
        return bool(self.snapshot.manifest.get("model"))

    def doc_ids(self, tier: Tier | None = None) -> set[str]:
        """The ids of the indexed documents (of one tier)."""
        return {d.doc_id for d in self.snapshot.docs if tier is None or d.tier == tier}

    def title(self, doc_id: str) -> str | None:
        """A document's title without reading its text (None: not in this index)."""
        idx = self.snapshot.by_id.get(doc_id)
        return None if idx is None else self.snapshot.docs[idx].title

    def decision(self, doc_id: str) -> Decision | None:
        """The phase-out decision the build applied to a document (None: none, or an older snapshot)."""
        return self.snapshot.decisions().get(doc_id)

    def decisions_source(self) -> Path | None:
        """Where the decisions file (beslutninger.csv) of the sources this snapshot was built from lies (it may not
        exist yet); None for a snapshot that does not record it."""
        return decisions_snapshot_source(self.snapshot.folder)

    @property
    def embedder(self) -> Embedder | None:
        """The loaded embedder (None before ``load_model``), to hand to another Engine's ``attach_embedder``."""
        return self._searcher.embedder

    @property
    def semantic_ready(self) -> bool:
        return self._searcher.embedder is not None and self.has_vectors

    def load_model(self, model_path: str | Path | None = None) -> bool:
        """Load the embedding model matching the snapshot. Slow; returns False (and sets model_error) if not."""
        if not self.has_vectors:
            self.model_error = "this index has no vectors (built without a model)"
            return False
        from index.embed.model import load_embedder
        try:
            embedder = load_embedder(model_path)
        except ModelUnavailableError as exc:
            self.model_error = str(exc)
            return False
        return self.attach_embedder(embedder)

    def attach_embedder(self, embedder: Embedder) -> bool:
        """Use an already loaded embedder if it matches the snapshot's vectors (model, variant, file hash,
        dimension, pooling: ``index.embed.model.vectors_mismatch``); otherwise search stays lexical, with the reason
        in ``model_error``."""
        from index.embed.model import vectors_mismatch

        reason = vectors_mismatch(self.snapshot.manifest, embedder.record)
        if reason:
            self.model_error = reason
            log.warning("semantic search off for %s: %s", self.snapshot.folder, reason)
            return False
        self._searcher.chunk_matrix()  # read the vectors now, off the first search's critical path
        with self._lock:
            self._searcher.embedder = embedder
        self.model_error = ""
        return True

    def search(self, query: str, *, filters: SearchFilters = SearchFilters(), top: int = 20,
               mode: str = SearchMode.HYBRID) -> SearchResult:
        with self._lock:
            return self._searcher.search(query, filters=filters, top=top, mode=mode)

    def document(self, doc_id: str) -> Procedure:
        idx = self.snapshot.by_id.get(doc_id)
        if idx is None:
            raise KildefinnerError(f"no document with id {doc_id!r} in this index")
        return self.snapshot.procedure(idx)

    def stats(self) -> IndexStats:
        today = dt.date.today()
        docs = self.snapshot.docs
        by_lang: dict[str, int] = {}
        for d in docs:
            by_lang[d.language] = by_lang.get(d.language, 0) + 1
        table = self.snapshot.chunk_table()  # not vectors(): the app would hold the whole matrix for a count
        m = self.snapshot.manifest
        return IndexStats(snapshot=self.snapshot.name, built_at=m.get("built_at", ""), documents=len(docs),
                          chunks=0 if table is None else len(table), by_tier=dict(m.get("by_tier", {})),
                          by_language=by_lang, stale=sum(d.overdue(today) for d in docs),
                          superseded=sum(d.status == "superseded" for d in docs), model=m.get("model", ""),
                          dim=m.get("dim", 0))

    def report(self, *, today: dt.date | None = None) -> Report:
        """The cleanup report's data: overlaps, duplicates, stale, superseded and local-only documents."""
        from index.cleanup import report as _report  # overlap analysis and scipy: not on the search path

        return _report.collect(self.snapshot, today=today)

    def close(self) -> None:
        self._searcher.lexical.close()
        self.snapshot.close()
