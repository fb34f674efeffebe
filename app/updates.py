"""Published index updates: look for a newer version on the share at start and on an interval.

When the configured index is a published share (``index.publish``), the session serves the verified local
copy. ``IndexUpdater`` runs ``api.sync_published`` on the task runner (copying in the background while the
old version keeps serving) and, when a new version was switched in, reopens the session on it. An unreachable
or damaged share is logged and otherwise ignored: the local copy goes on serving.

``ReusingModelLoader`` keeps the loaded embedding model across such reopens, so semantic search comes back
at once instead of after another model load.
"""

from __future__ import annotations

import logging
import threading

from app.qt import QObject, QTimer, Signal
from index import api

log = logging.getLogger(__name__)


class ReusingModelLoader:
    """A ``Session`` model loader that loads the model once per model path and attaches it to later engines."""

    def __init__(self):
        self._lock = threading.Lock()
        self._loaded: dict[str, object] = {}

    def __call__(self, engine: api.Engine, model_path: str | None) -> bool:
        key = model_path or ""
        with self._lock:
            embedder = self._loaded.get(key)
            if embedder is not None:
                return engine.attach_embedder(embedder)
            ok = engine.load_model(model_path)
            if ok:
                self._loaded[key] = engine.embedder
            return ok


class IndexUpdater(QObject):
    """Keyword-only construction; ``start()`` once the session has been started."""

    checked = Signal(object)  # index.api.SyncResult

    def __init__(self, *, session, minutes: int, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.minutes = minutes
        self.last = None  # the last SyncResult
        self._busy = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check_now)

    def start(self) -> None:
        """Check once the first index is open (so the start-up copy and this one never overlap), then every
        ``minutes`` (0: only at start)."""
        def first() -> None:
            self.session.engine_changed.disconnect(first)
            self.check_now()

        self.session.engine_changed.connect(first)
        if self.minutes > 0:
            self._timer.start(self.minutes * 60_000)

    def check_now(self) -> None:
        share = self.session.index_dir
        if share is None or self._busy:
            return
        self._busy = True

        def op(task):
            # Touching the share happens here, off the main thread: an unreachable SMB path can hang for
            # many seconds before it fails.
            if not api.is_published_share(share):
                return None
            return api.sync_published(share, cancelled=lambda: task.cancelled)

        self.session.runner.run(op, owner=self, name="index-update",
                                on_success=lambda result: self._on_checked(share, result),
                                on_failure=self._on_failed)

    def _on_checked(self, share, result) -> None:
        self._busy = False
        if result is None:  # an ordinary index folder, not a published share
            self._timer.stop()
            return
        self.last = result
        if result.reason:
            log.info("published index at %s: %s (%s); serving %s", share, result.status, result.reason,
                     result.version or "nothing")
        engine = self.session.engine
        serving = engine.serving if engine is not None else ""
        # Compared with what serves, not with result.changed: a switch skipped while the session was still
        # opening is caught up on the next check.
        if (result.version and result.version != serving and self.session.index_dir == share
                and not self.session.opening):
            log.info("switching to published index %s (was %s)", result.version, serving or "none")
            self.session.reopen(share)  # the old engine serves until the new one is open
        self.checked.emit(result)

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        log.warning("checking for a published index update failed: %s", exc, exc_info=exc)

    def stop(self) -> None:
        self._timer.stop()
