"""The one background task runner: engine work (searches, index builds, model loading) runs off the main thread.

Modelled on Anki's ``taskman``/``QueryOp``: ``runner.run(op, on_success=..., on_failure=..., owner=widget)``.
``op(task)`` runs on a worker thread and must never touch a widget; it may call ``task.progress(...)`` (delivered
to ``on_progress`` on the main thread) and check ``task.cancelled``. The callbacks run on the main thread, and
are skipped when ``owner`` has been deleted meanwhile.

Two lanes: ``serial=True`` jobs (searches and document reads) run one at a time, in order, on a dedicated
thread, so the engine sees one query at a time; the general lane (builds, model loading) has its own threads so
a slow model load never delays a search.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from app.qt import QObject, QRunnable, QThreadPool, Signal, Slot, is_alive

log = logging.getLogger(__name__)


class Task(QObject):
    """One submitted job. Lives on the main thread; its signals carry results back there."""

    _finished = Signal(bool, object)  # ok, result-or-exception
    _progressed = Signal(object)

    def __init__(self, *, op: Callable[[Task], Any], on_success=None, on_failure=None, on_progress=None,
                 owner: QObject | None = None, name: str = ""):
        super().__init__()
        self.name = name or getattr(op, "__name__", "task")
        self._op = op
        self._on_success = on_success
        self._on_failure = on_failure
        self._on_progress = on_progress
        self._owner = owner
        self._cancel = threading.Event()
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.error_details = ""
        self._finished.connect(self._deliver)
        self._progressed.connect(self._deliver_progress)

    # -- worker side ----------------------------------------------------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, value: Any) -> None:
        """Report progress from the worker (thread-safe: queued to the main thread)."""
        self._progressed.emit(value)

    def engine_progress(self, stage: str, done: int, total: int) -> bool:
        """Adapter for the engine's ``progress(stage, done, total) -> False to cancel`` callback."""
        self.progress((stage, done, total))
        return not self.cancelled

    def _execute(self) -> None:
        try:
            result = self._op(self)
        except BaseException as exc:  # noqa: BLE001 - handed to on_failure on the main thread
            self.error_details = traceback.format_exc()
            self._finished.emit(False, exc)
        else:
            self._finished.emit(True, result)

    # -- main-thread side -----------------------------------------------------------------------------------
    def _owner_gone(self) -> bool:
        return self._owner is not None and not is_alive(self._owner)

    @Slot(object)
    def _deliver_progress(self, value: Any) -> None:
        if self._on_progress is not None and not self.done and not self._owner_gone():
            self._on_progress(value)

    @Slot(bool, object)
    def _deliver(self, ok: bool, payload: Any) -> None:
        self.done = True
        if ok:
            self.result = payload
        else:
            self.error = payload
        try:
            if self._owner_gone():
                log.debug("task %s finished after its owner was deleted; result dropped", self.name)
            elif ok and self._on_success is not None:
                self._on_success(payload)
            elif not ok:
                if self._on_failure is not None:
                    self._on_failure(payload)
                else:
                    log.error("background task %s failed:\n%s", self.name, self.error_details)
        finally:
            runner = self.parent()
            if isinstance(runner, TaskRunner):
                runner._forget(self)


class _Job(QRunnable):
    def __init__(self, task: Task):
        super().__init__()
        self.setAutoDelete(True)
        self._task = task

    def run(self) -> None:
        self._task._execute()


class TaskRunner(QObject):
    """Owns the worker threads. Create one per application; call ``shutdown()`` before exit."""

    def __init__(self, *, parent: QObject | None = None, general_threads: int = 2):
        super().__init__(parent)
        self._general = QThreadPool(self)
        self._general.setMaxThreadCount(general_threads)
        self._serial = QThreadPool(self)
        self._serial.setMaxThreadCount(1)  # searches serialise here
        self._tasks: set[Task] = set()
        self._closed = False

    def run(self, op: Callable[[Task], Any], *, on_success=None, on_failure=None, on_progress=None,
            owner: QObject | None = None, serial: bool = False, name: str = "") -> Task:
        task = Task(op=op, on_success=on_success, on_failure=on_failure, on_progress=on_progress,
                    owner=owner, name=name)
        task.setParent(self)
        if self._closed:
            log.debug("runner shut down; task %s not started", task.name)
            return task
        self._tasks.add(task)
        (self._serial if serial else self._general).start(_Job(task))
        return task

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def _forget(self, task: Task) -> None:
        self._tasks.discard(task)
        task.deleteLater()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker threads are idle (tests, shutdown). Results are delivered by the event loop."""
        return self._serial.waitForDone(msecs) & self._general.waitForDone(msecs)

    def shutdown(self, msecs: int = 30000) -> None:
        """Stop accepting work, cancel what is cancellable, and wait for the workers."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        self._serial.clear()
        self._general.clear()
        if not self.wait(msecs):
            log.warning("background work still running at exit")
