"""Errors reach the user through one place: ``show_error``. Everything else goes to the rotating log file.

Engine errors (``KildefinnerError``) carry plain-language messages and are shown as they are; anything else is
a bug: ``install_excepthook`` logs the traceback and shows a short apology with the details folded away.
The dialog is window-modal but opened without a nested event loop, so background results keep arriving.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path

import platformdirs

from app.config import APP_NAME
from app.i18n import tr
from app.qt import QApplication, QMessageBox, Qt, QWidget, is_alive

log = logging.getLogger(__name__)
LOG_FILE = "kildefinner.log"
shown: list[QMessageBox] = []  # open dialogs (tests look here)


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def setup_logging(*, verbose: bool = False) -> Path:
    """A rotating log file in the user log dir (and warnings on stderr). Returns the file path."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        console = logging.StreamHandler()
        console.setLevel(logging.DEBUG if verbose else logging.WARNING)
        console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(console)
    return path


def show_error(parent: QWidget | None, message: str, details: str = "", *,
               informative: str = "") -> QMessageBox | None:
    """Show a plain-language error; ``details`` (a traceback, a path) sits behind "Show details".

    ``informative`` (what to do, in the UI language) is shown under the message, before the log file's path.
    """
    log.warning("error shown to the user: %s", message)
    if QApplication.instance() is None:
        print(f"error: {message}\n{details}", file=sys.stderr)
        return None
    if parent is not None and not is_alive(parent):
        parent = None
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Kildefinner – feil"))
    box.setText(message)
    if details:
        box.setDetailedText(details)
    where = tr("Detaljene er også skrevet til loggfilen: {path}", path=log_dir() / LOG_FILE)
    box.setInformativeText(f"{informative}\n\n{where}" if informative else where)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setAccessibleName(tr("Feilmelding"))
    shown[:] = [b for b in shown if is_alive(b)]  # boxes closed with their window never emit finished
    shown.append(box)
    box.finished.connect(lambda _r: shown.remove(box) if box in shown else None)
    box.open()
    return box


def install_excepthook() -> None:
    """Log any uncaught exception and tell the user, instead of dying silently (or not at all)."""
    def hook(kind, value, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        details = "".join(traceback.format_exception(kind, value, tb))
        log.error("uncaught exception:\n%s", details)
        try:
            show_error(QApplication.activeWindow(), tr("Noe gikk galt i Kildefinner. Du kan fortsette å "
                                                        "bruke programmet; feilen er logget."), details)
        except Exception:
            log.exception("could not show the error dialog")

    sys.excepthook = hook
