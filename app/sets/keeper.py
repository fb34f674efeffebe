"""The pane's sets store through busy, read-only and damaged files, and commits from another app instance.

Opening never gives an intact file up (``app.sets.sqlite``): a busy or read-only store is noted with the reason,
and a fresh one is opened now and then on the task runner and taken up once it can be written. A damaged file
was moved aside by the store; the user is told where it went. A timer notices commits from another app
instance (``PRAGMA data_version``).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable

from app.i18n import tr
from app.qt import QDesktopServices, QObject, QTimer, QUrl, QWidget, Signal
from app.sets.dialogs import ask
from app.sets.records import SetsError, StoreBusy, StoreReadOnly
from app.sets.store import SetStore
from app.tasks import TaskRunner

log = logging.getLogger(__name__)
WATCH_MS = 1500
REOPEN_MS = 10_000
BUSY, READ_ONLY, BROKEN = "busy", "read-only", "broken"


class StoreKeeper(QObject):
    taken_up = Signal()  # a writable store replaced a busy or read-only one (``store`` is the new one)
    changed_elsewhere = Signal()  # another app instance committed to the store

    def __init__(self, *, store: SetStore | None, runner: TaskRunner, widget: QWidget):
        """``store``: one opened already (tests), else the keeper opens the user's; ``widget``: the pane, which
        owns the background work and the notice about a damaged file."""
        super().__init__(widget)
        self.runner, self.widget = runner, widget
        self.store, self.error, self.state = store, "", ""
        if store is None:
            self._take(self.open_store)
        elif store.read_only:
            self.error, self.state = store.read_only, READ_ONLY
        self._version = self.store.data_version() if self.store else 0
        self.watch = QTimer(self)
        self.watch.setInterval(WATCH_MS)
        self.watch.timeout.connect(self.on_watch)
        if self.store is not None:
            self.watch.start()
        self.reopen = QTimer(self)  # busy or read-only sets: try again now and then, in the background
        self.reopen.setInterval(REOPEN_MS)
        self.reopen.timeout.connect(self.on_reopen)
        if self.state in (BUSY, READ_ONLY):
            self.reopen.start()
        if self.store is not None and self.store.recovered_from is not None:
            QTimer.singleShot(0, self._tell_recovered)

    def problem(self) -> str:
        """What the pane says above the sets while they cannot be saved ("" when all is well)."""
        if not self.error or self.state in (BUSY, READ_ONLY):
            return self.error
        return tr("Settene kan ikke lagres på denne maskinen: {reason}", reason=self.error)

    @staticmethod
    def open_store() -> SetStore:
        return SetStore()

    def _take(self, opener: Callable[[], SetStore]) -> None:
        """Open the store (``opener()``) and note its state; an intact file is never given up here."""
        try:
            self.store = opener()
        except StoreBusy as exc:
            self.error, self.state = str(exc), BUSY
        except StoreReadOnly as exc:  # e.g. the first start on a full disk: nothing to show, nothing lost
            self.error, self.state = str(exc), READ_ONLY
        except (SetsError, sqlite3.Error, OSError) as exc:
            log.error("sets store unavailable: %s", exc)
            self.error, self.state = str(exc), BROKEN
        else:
            read_only = self.store.read_only
            self.error, self.state = read_only, READ_ONLY if read_only else ""

    def on_reopen(self) -> None:
        """Busy or read-only: open a fresh store on the task runner; take it when it can be written."""
        path = self.store.path if self.store is not None else None

        def done(store: SetStore) -> None:
            if store.read_only:
                store.close()
                return
            old, self.store = self.store, store
            if old is not None:
                old.close()
            self.error, self.state = "", ""
            self.reopen.stop()
            self._version = store.data_version()
            self.watch.start()
            self.taken_up.emit()

        self.runner.run(lambda _t: SetStore(path=path) if path else SetStore(), owner=self.widget,
                        name="sets-reopen", on_success=done,
                        on_failure=lambda exc: log.info("sets store still unavailable: %s", exc))

    def on_watch(self) -> None:
        try:
            version = self.store.data_version()
        except sqlite3.Error:
            return
        if version != self._version:
            self._version = version
            self.changed_elsewhere.emit()

    def _tell_recovered(self) -> None:
        aside = self.store.recovered_from
        ask(self.widget, title=tr("Settene dine"),
            text=tr("Filen med settene dine var skadet og er lagt til side ({path}). Nye sett lagres i en ny fil.",
                    path=aside),
            details=tr("Ta vare på filen: IT kan kanskje hente settene ut av den."),
            choices=[("show", tr("Vis filen")), ("ok", tr("OK"))],
            on_choice=lambda _key: QDesktopServices.openUrl(QUrl.fromLocalFile(str(aside.parent))))
