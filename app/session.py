"""The open index as the UI sees it: owns the ``Engine``, the demo index, model loading, searches and builds.

Everything slow happens on the task runner; results come back as signals on the main thread. Searches are
numbered: a result whose number is not the newest is dropped, so a superseded query never overwrites a newer
one. The engine is swapped only when a replacement is fully open (and, if semantic search was running, has
its model), so the old snapshot keeps serving throughout a rebuild.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.demo import DEMO_STAMP, demo_fingerprint, demo_index_dir, install_prebuilt
from app.i18n import N_
from app.qt import QObject, Signal
from app.tasks import Task, TaskRunner
from index import api
from index.api import KildefinnerError
from index.records import Hit, IndexStats, Procedure, SearchFilters, SearchMode, SearchResult

log = logging.getLogger(__name__)

LOADING, READY, UNAVAILABLE = "loading", "ready", "unavailable"
DEFAULT_TOP = 30
NO_FILTERS = SearchFilters()


# Two embedding-model loads at once (the app's own and a build's) were seen to fail in torch ("value cannot be
# converted to type c10::Half without overflow"), leaving the new index without vectors: loads take turns.
MODEL_LOCK = threading.RLock()


def default_model_loader(engine: api.Engine, model_path: str | None) -> bool:
    return engine.load_model(model_path or None)


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    seq: int
    query: str
    filters: SearchFilters
    result: SearchResult
    semantic: str  # LOADING / READY / UNAVAILABLE when the search ran
    titles: dict  # doc id → title of documents that superseded hits point to
    rerun: bool = False  # not typed for: the model became ready or another index was switched in


def has_vectors(engine: api.Engine) -> bool:
    return engine.has_vectors


def replacement_titles(engine: api.Engine, result: SearchResult) -> dict[str, str]:
    titles = {}
    for hit in result.hits:
        if hit.replaced_by and hit.replaced_by not in titles:
            with contextlib.suppress(KildefinnerError):  # not in this index: the id is shown instead
                titles[hit.replaced_by] = engine.document(hit.replaced_by).title
    return titles


class Session(QObject):
    """One open index. Keyword-only construction; call ``start()`` once the window is up."""

    engine_changed = Signal()
    stats_changed = Signal(object)  # IndexStats
    results_ready = Signal(object)  # SearchOutcome
    search_failed = Signal(str)
    semantic_changed = Signal(str, str)  # state, reason (plain language, may be English from the engine)
    index_progress = Signal(str, int, int)  # stage, done, total — the first-run demo build
    index_failed = Signal(str, str)  # message, details

    def __init__(self, *, runner: TaskRunner, index_dir: str | Path | None, model_path: str = "",
                 semantic: bool = True, model_loader: Callable[[api.Engine, str | None], bool] | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.runner = runner
        self.index_dir = Path(index_dir) if index_dir else None  # None = the demo index
        self.model_path = model_path
        self.semantic_enabled = semantic
        self._model_loader = model_loader or default_model_loader
        self.engine: api.Engine | None = None
        self.stats: IndexStats | None = None
        self.semantic = LOADING if semantic else UNAVAILABLE
        self.semantic_reason = "" if semantic else N_("slått av i innstillingene")
        self._seq = 0
        self._last: tuple[str, SearchFilters] | None = None
        self.dropped = 0  # superseded results thrown away (for tests and the benchmark)
        self._demo_needs_vectors = False
        self.opening = False

    # -- opening ------------------------------------------------------------------------------------------
    @property
    def is_demo(self) -> bool:
        return self.index_dir is None

    @property
    def effective_index_dir(self) -> Path:
        return self.index_dir or demo_index_dir()

    def start(self) -> Task:
        """Open (or on first run build) the index in the background, then load the model."""
        self.opening = True
        op = self._open_demo if self.is_demo else self._open_index
        task = self.runner.run(op, on_success=self._on_opened, on_failure=lambda e: self._on_open_failed(task, e),
                               on_progress=lambda p: self.index_progress.emit(*p), owner=self, name="open")
        return task

    def _open_index(self, task: Task) -> api.Engine:
        return api.open_index(self.index_dir)  # a published share opens its verified local copy

    def _model_marker(self) -> str:
        if not self.semantic_enabled:
            return "no-model"
        path = Path(self.model_path) if self.model_path else api.resources_dir() / "models"
        return f"{path}:{path.exists()}"

    def _demo_stamp(self) -> dict:
        try:
            return json.loads((demo_index_dir() / DEMO_STAMP).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _write_demo_stamp(self, **values) -> None:
        stamp = {**self._demo_stamp(), **values}
        (demo_index_dir() / DEMO_STAMP).write_text(json.dumps(stamp), encoding="utf-8")

    def _open_demo(self, task: Task) -> api.Engine:
        """The demo index: the copy with vectors built ahead of time (``app.demo``) when there is one.

        Without it (a source checkout that skipped ``make run``'s set-up, a configured model): phase 1 builds a
        lexical-only demo index (seconds), so results show at once, and phase 2 (``_add_demo_vectors``) embeds
        the corpus in the background. Later starts open the finished index directly unless the sources changed.
        """
        folder = demo_index_dir()
        stamp = self._demo_stamp()
        full = demo_fingerprint(self._model_marker())
        # Phase 2 is due unless it already ran for these sources and this model (even if it got no vectors).
        self._demo_needs_vectors = self.semantic_enabled and stamp.get("fingerprint") != full
        # The demo index with vectors built by `make run`'s set-up / the bundle: a copy, not minutes of embedding.
        if self._demo_needs_vectors and not self.model_path:
            try:
                if install_prebuilt(folder, full):
                    self._demo_needs_vectors = False
                    return api.Engine(folder)
            except (OSError, KildefinnerError) as exc:
                log.warning("prebuilt demo index not usable, building it here: %s", exc)
        if stamp.get("fingerprint") in {full, demo_fingerprint("no-model")}:
            try:
                return api.Engine(folder)
            except KildefinnerError as exc:
                log.warning("demo index unusable, rebuilding: %s", exc)
        sources, manifest = api.demo_sources()
        log.info("building the demo index (lexical) into %s", folder)
        api.build(folder, sources, manifest=manifest, use_model=False,
                  progress=task.engine_progress)
        self._write_demo_stamp(fingerprint=demo_fingerprint("no-model"))
        return api.Engine(folder)

    def _add_demo_vectors(self) -> None:
        """Phase 2: rebuild the demo index with vectors, then swap it in with the model loaded."""
        self._set_semantic(LOADING, N_("beregner vektorer for demoindeksen"))

        def op(task: Task):
            sources, manifest = api.demo_sources()
            with MODEL_LOCK:
                api.build(demo_index_dir(), sources, manifest=manifest, model_path=self.model_path or None,
                          use_model=True, progress=task.engine_progress)
            self._write_demo_stamp(fingerprint=demo_fingerprint(self._model_marker()))
            engine = api.Engine(demo_index_dir())
            if not has_vectors(engine):
                return engine, False, N_("språkmodellen kunne ikke lastes (se loggfilen)")
            with MODEL_LOCK:
                return engine, self._model_loader(engine, self.model_path or None), ""

        def done(payload) -> None:
            engine, ok, reason = payload
            self._swap(engine)
            if reason:
                self._set_semantic(UNAVAILABLE, reason)
            else:
                self._on_model(engine, ok)

        self.runner.run(op, owner=self, name="demo-vectors", on_success=done,
                        on_progress=lambda p: self.index_progress.emit(*p),
                        on_failure=lambda exc: self._on_model_error(self.engine, exc))

    def _on_opened(self, engine: api.Engine) -> None:
        self.opening = False
        self._swap(engine)
        if not self.semantic_enabled:
            return
        if self.is_demo and self._demo_needs_vectors and not has_vectors(engine):
            self._add_demo_vectors()
        else:
            self._load_model()

    def _on_open_failed(self, task: Task, exc: BaseException) -> None:
        self.opening = False
        details = task.error_details or repr(exc)
        self._set_semantic(UNAVAILABLE, N_("ingen indeks er åpen"))
        self.index_failed.emit(str(exc), details)

    def _swap(self, engine: api.Engine) -> None:
        old, self.engine = self.engine, engine
        if old is not None:
            # Queued behind any search still using it on the serial lane, so nothing reads a closed index.
            self.runner.run(lambda _t: old.close(), serial=True, name="close-old-engine")
        self.stats = None
        self.runner.run(lambda _t: engine.stats(), serial=True, owner=self, name="stats",
                        on_success=lambda s: self._on_stats(engine, s))
        self.engine_changed.emit()
        self.rerun()

    def _on_stats(self, engine: api.Engine, stats: IndexStats) -> None:
        if engine is self.engine:
            self.stats = stats
            self.stats_changed.emit(stats)

    # -- the model ----------------------------------------------------------------------------------------
    def _load_model(self) -> None:
        engine = self.engine
        self._set_semantic(LOADING, "")

        def load(_task: Task) -> bool:
            with MODEL_LOCK:
                return self._model_loader(engine, self.model_path or None)

        self.runner.run(load, owner=self,
                        name="load-model", on_success=lambda ok: self._on_model(engine, ok),
                        on_failure=lambda exc: self._on_model_error(engine, exc))

    def _on_model(self, engine: api.Engine, ok: bool) -> None:
        if engine is not self.engine:
            return
        if ok:
            self._set_semantic(READY, "")
            self.rerun()  # hybrid results replace the lexical ones
        else:
            self._set_semantic(UNAVAILABLE, engine.model_error or N_("språkmodellen kunne ikke lastes (se loggfilen)"))

    def _on_model_error(self, engine: api.Engine, exc: BaseException) -> None:
        log.error("model loading failed: %s", exc, exc_info=exc)
        if engine is self.engine:
            self._set_semantic(UNAVAILABLE, str(exc) or type(exc).__name__)

    def _set_semantic(self, state: str, reason: str) -> None:
        self.semantic, self.semantic_reason = state, reason
        self.semantic_changed.emit(state, reason)

    # -- searching ----------------------------------------------------------------------------------------
    def search(self, query: str, filters: SearchFilters = NO_FILTERS, *, top: int = DEFAULT_TOP,
               rerun: bool = False) -> int:
        """Queue a search; the newest one wins. Returns its sequence number."""
        self._seq += 1
        seq = self._seq
        self._last = (query, filters)
        engine = self.engine
        if engine is None:
            return seq  # run by rerun() once the index is open

        def op(_task: Task) -> tuple[SearchResult, dict] | None:
            if seq != self._seq:  # superseded while waiting in the queue
                return None
            result = engine.search(query, filters=filters, top=top, mode=SearchMode.HYBRID)
            return result, replacement_titles(engine, result)

        state = self.semantic
        self.runner.run(op, serial=True, owner=self, name="search",
                        on_success=lambda r: self._on_result(seq, query, filters, r, state, rerun),
                        on_failure=lambda exc: self._on_search_error(seq, exc))
        return seq

    def cancel_search(self) -> None:
        """Forget the pending query (the field was cleared): any result still coming is dropped."""
        self._seq += 1
        self._last = None

    def rerun(self) -> None:
        if self._last is not None and self._last[0].strip():
            self.search(*self._last, rerun=True)

    def _on_result(self, seq: int, query: str, filters: SearchFilters, payload, state: str,
                   rerun: bool = False) -> None:
        if payload is None or seq != self._seq:
            self.dropped += 1
            return
        result, titles = payload
        self.results_ready.emit(SearchOutcome(seq, query, filters, result, state, titles, rerun))

    def _on_search_error(self, seq: int, exc: BaseException) -> None:
        if seq != self._seq:
            return
        log.warning("search failed: %s", exc, exc_info=not isinstance(exc, KildefinnerError))
        self.search_failed.emit(str(exc))

    # -- documents ----------------------------------------------------------------------------------------
    def fetch_document(self, doc_id: str, *, on_ready: Callable[[Procedure], None],
                       on_failure: Callable[[BaseException], None], owner: QObject | None = None) -> Task | None:
        engine = self.engine
        if engine is None:
            return None
        return self.runner.run(lambda _t: engine.document(doc_id), serial=True, owner=owner,
                               name="document", on_success=on_ready, on_failure=on_failure)

    def original_file(self, item: Procedure | Hit, folders: dict[str, list[str]]) -> Path | None:
        """The source file of a document, looked up in the known source folders (demo or configured).

        The engine keys a file as ``"<tier of its source folder>/<path inside it>"`` (with the folder's
        name inserted when two folders of one tier hold the same path).
        """
        tier, _, inside = item.path.partition("/")
        if not inside:
            return None
        roots = [folder for t, folder in api.demo_sources()[0] if t == tier] if self.is_demo else []
        roots += [Path(f) for f in folders.get(tier, [])]
        for root in roots:
            for candidate in (root / inside, root / inside.removeprefix(f"{root.name}/")):
                if candidate.is_file():
                    return candidate
        return None

    # -- rebuilding ---------------------------------------------------------------------------------------
    def build(self, *, index_dir: Path, sources: list[tuple[str, Path]], on_progress, on_done, on_failure,
              manifest: Path | None = None) -> Task:
        """Build/update ``index_dir`` in the background; on success open it and swap it in."""
        want_model = self.semantic_enabled and self.semantic == READY

        def op(task: Task):
            with MODEL_LOCK:  # waits for a model load still running (the scan and parse could not start earlier)
                report = api.build(index_dir, sources, manifest=manifest, model_path=self.model_path or None,
                                   use_model=self.semantic_enabled, progress=task.engine_progress)
                engine = api.Engine(index_dir)
                ok = want_model and self._model_loader(engine, self.model_path or None)
            return report, engine, ok

        def done(payload) -> None:
            report, engine, model_ok = payload
            self.index_dir = Path(index_dir)
            self._swap(engine)
            if model_ok:
                self._set_semantic(READY, "")
            elif self.semantic_enabled:
                self._load_model()
            on_done(report)

        return self.runner.run(op, owner=self, name="build", on_progress=on_progress, on_success=done,
                               on_failure=on_failure)

    def reopen(self, index_dir: str | Path | None) -> Task:
        self.index_dir = Path(index_dir) if index_dir else None
        return self.start()

    def shutdown(self) -> None:
        self.runner.shutdown()
        if self.engine is not None:
            self.engine.close()
            self.engine = None
