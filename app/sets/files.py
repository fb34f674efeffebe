"""Sharing a set: export/import ``.kildesett`` files, the PDF checklist, printing, copying a published set.

The ``*_to``/``import_from`` methods take a path so tests (and a future command line) can skip the file
dialogs. An import is validated completely before the store is touched; a name clash asks whether to merge
into the existing set or import under a new name; the set is then stored on the task runner with progress.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from app.errors import show_error
from app.i18n import tr
from app.qt import QFileDialog, QMenu, QObject, QPrintDialog, QPrinter, QStandardPaths, QWidget, Signal
from app.sets import checklist, fileformat
from app.sets.dialogs import ask
from app.sets.host import SetsHost
from app.sets.model import set_display_name
from app.sets.records import PERSONAL, PUBLISHED, OnboardingSet, SetsError
from app.sets.store import SetStore
from app.tasks import TaskRunner

log = logging.getLogger(__name__)


# Characters no file name may hold on Windows, macOS or Linux (and control characters), and Windows' device names.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−", "-"))
_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def export_name(name: str, suffix: str, *, on: dt.date | None = None) -> str:
    """A file name a user recognises: the set's name as written (Norwegian letters, spaces and commas kept; dashes
    as "-"; characters no file system takes dropped) and the date, e.g. «Nyansatt - kirurgisk, uke 1-4
    2026-12-03.pdf»."""
    text = _UNSAFE.sub(" ", unicodedata.normalize("NFC", name).translate(_DASHES))
    text = re.sub(r"\s+", " ", text).strip(" .")[:80].rstrip(" .")
    if not text or text.split(".")[0].upper() in _DEVICES:
        text = f"{tr('sett')} {text}".strip()
    return f"{text} {(on or dt.date.today()).isoformat()}{suffix}"


def documents_folder() -> Path:
    """The user's documents folder (Windows' «Dokumenter», also when redirected; XDG's on Linux), else home."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


class SetFiles(QObject):
    imported = Signal(object)  # the stored set (new, renamed or merged into) after an import
    import_failed = Signal(str)

    def __init__(self, *, host: SetsHost, parent: QWidget, runner: TaskRunner, delete: Callable[[], None]):
        """``host``: the pane's interface; dialogs open over ``parent``; imports are stored on ``runner``;
        ``delete()`` asks to delete the shown set (the menu's last entry)."""
        super().__init__(parent)
        self.host, self.owner, self.runner = host, parent, runner
        self.menu = QMenu()
        self.act_export = self.menu.addAction("", self.on_export)
        self.act_pdf = self.menu.addAction("", self.on_pdf)
        self.act_pdf_ticks = self.menu.addAction("", lambda: self.on_pdf(with_ticks=True))
        self.act_print = self.menu.addAction("", self.on_print)
        self.menu.addSeparator()
        self.act_copy = self.menu.addAction("", self.copy_published)
        self.act_delete = self.menu.addAction("", lambda: delete())
        self.last_import_error = ""  # the message of the last refused import (tests, the log)
        self.folder: Path | None = None  # where the user last saved or opened a file (this session)
        self.dialog: QFileDialog | None = None  # the open file dialog (tests)

    def enable(self, data: OnboardingSet | None) -> None:
        for action in (self.act_export, self.act_pdf, self.act_pdf_ticks, self.act_print):
            action.setEnabled(data is not None)
        self.act_copy.setEnabled(data is not None and self.host.store is not None)
        self.act_delete.setEnabled(data is not None and data.kind == PERSONAL)

    def _folder(self) -> Path:
        return self.folder if self.folder is not None and self.folder.is_dir() else documents_folder()

    def _ask(self, *, title: str, name: str = "", file_filter: str, on_path, save: bool = True) -> QFileDialog:
        """A file dialog (window-modal, no nested event loop) that starts in the documents folder (or the folder
        used last) with ``name`` proposed; ``on_path(path)`` runs when the user accepts."""
        dialog = QFileDialog(self.owner, title, str(self._folder() / name) if name else str(self._folder()),
                             file_filter)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile)
        if name:
            dialog.selectFile(name)

        def accepted() -> None:
            chosen = dialog.selectedFiles()
            if chosen:
                self.folder = Path(chosen[0]).parent
                on_path(chosen[0])

        dialog.accepted.connect(accepted)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    # -- .kildesett ---------------------------------------------------------------------------------------
    def on_export(self) -> None:
        data = self.host.current
        if data is None:
            return
        self._ask(title=tr("Eksporter sett"), name=export_name(set_display_name(data), ".kildesett"),
                  file_filter=tr("Kildefinner-sett (*.kildesett)"), on_path=self.export_to)

    def export_to(self, path: str | Path) -> Path | None:
        data = self.host.current
        if data is None:
            return None
        try:
            written = fileformat.export_set(data, path)
        except SetsError as exc:
            show_error(self.owner, str(exc), str(path))
            return None
        self.host.tell(tr("Settet er eksportert til {path}", path=written))
        return written

    def on_import(self) -> None:
        self._ask(title=tr("Importer sett"), file_filter=tr("Kildefinner-sett (*.kildesett)"),
                  on_path=self.import_from, save=False)

    def import_from(self, path: str | Path, *, on_clash: str = ""):
        """Import a file. ``on_clash``: "merge", "rename", or "" to ask when the name is taken.

        The file is read and validated here (small, bounded); storing it runs in the background: see
        ``import_data``."""
        if self.host.store is None:
            return None
        try:
            data = fileformat.read_set(path)
        except SetsError as exc:
            self.last_import_error = str(exc)
            log.warning("import of %s refused: %s", path, exc)
            show_error(self.owner, tr("Settet i «{file}» ble ikke importert. Ingenting er endret.",
                                     file=Path(path).name), str(exc))
            return None
        return self.import_data(data, on_clash=on_clash)

    def import_data(self, data: OnboardingSet, *, on_clash: str = ""):
        """Store an imported set on the task runner (a large set never holds up the window).

        Returns the running ``Task`` (``imported`` is emitted with the stored set when it is done), or None
        when nothing was started (no store, a question asked, an error shown).
        """
        store = self.host.store
        if store is None:
            return None
        try:
            existing = store.find_by_name(data.name)
            if existing is None:
                def job(s, p):
                    return s.add_set(data, progress=p)
            elif on_clash == "merge":
                def job(s, p):
                    return s.merge_into(existing.uid, data, progress=p)
            elif on_clash == "rename":
                name = store.free_name(data.name)

                def job(s, p):
                    return s.add_set(data, name=name, progress=p)
            else:
                ask(self.owner, title=tr("Settet finnes allerede"),
                    text=tr("Du har allerede et sett som heter «{name}».", name=data.name),
                    details=tr("Slå sammen legger til punktene du ikke har fra før. Nytt navn importerer settet "
                               "som et eget sett."),
                    choices=[("merge", tr("Slå sammen")), ("rename", tr("Importer med nytt navn")),
                             ("cancel", tr("Avbryt"))],
                    on_choice=lambda choice: self.import_data(data, on_clash=choice))
                return None
        except SetsError as exc:
            self.host.on_failed(str(exc))
            return None
        return self._store_in_background(job, existing if on_clash == "merge" else None)

    def _store_in_background(self, job, existing: OnboardingSet | None):
        """Run ``job(store, progress)``; ``existing`` is the set merged into (None: a new set)."""
        path = self.host.store.path

        def op(task):
            worker = SetStore(path=path)  # its own connection: the window's stays free for reads meanwhile
            try:
                return job(worker, lambda done, total: task.progress((done, total)))
            finally:
                worker.close()

        def progress(value) -> None:
            done, total = value
            self.host.tell(tr("Importerer settet … {done} av {total} punkter", done=done, total=total))

        def done(result) -> None:
            if existing is not None:  # a merge: result is the number of items added
                self.host.refresh(select=existing.uid)
                self.host.tell(tr("{n} nye punkter lagt til i «{name}».", n=result,
                                          name=set_display_name(existing)))
                self.imported.emit(self.host.store.get(existing.uid))
                return
            self.host.refresh(select=result.uid)
            self.host.tell(tr("Settet «{name}» er importert ({n} punkter).", name=result.name,
                                      n=len(result.items)))
            self.imported.emit(result)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, SetsError):
                self.host.on_failed(str(exc))
            else:
                log.error("import failed: %r", exc)
                self.host.on_failed(tr("Settet ble ikke importert ({reason}). Ingenting er endret.", reason=exc))
            self.import_failed.emit(str(exc))

        return self.runner.run(op, owner=self.owner, name="sets-import", on_success=done, on_failure=failed,
                               on_progress=progress)

    def copy_published(self) -> OnboardingSet | None:
        """A personal, editable copy of the shown set (a published one, or a personal one to vary)."""
        data, store = self.host.current, self.host.store
        if data is None or store is None:
            return None
        name = store.free_name(set_display_name(data) if data.kind == PUBLISHED else
                               tr("{name} (kopi)", name=set_display_name(data)))
        try:
            made = store.add_set(data, name=name)
        except SetsError as exc:
            self.host.on_failed(str(exc))
            return None
        self.host.refresh(select=made.uid)
        self.host.tell(tr("Kopiert til dine sett som «{name}».", name=made.name))
        return made

    # -- PDF and printer ----------------------------------------------------------------------------------
    def on_pdf(self, *, with_ticks: bool = False) -> None:
        """The blank checklist, or (``with_ticks``) the one with this user's ticks and their dates."""
        data = self.host.current
        if data is None:
            return
        name = set_display_name(data) + (" - " + tr("avkrysset") if with_ticks else "")
        self._ask(title=tr("Lagre sjekkliste med avkrysninger som PDF") if with_ticks else
                  tr("Lagre sjekkliste som PDF"), name=export_name(name, ".pdf"), file_filter=tr("PDF (*.pdf)"),
                  on_path=lambda path: self.pdf_to(path, with_ticks=with_ticks))

    def pdf_to(self, path: str | Path, *, with_ticks: bool = False) -> Path | None:
        data = self.host.current
        if data is None:
            return None
        ticks = self.host.ticks if with_ticks else None
        try:
            written = checklist.export_pdf(path, data, self.host.states, ticks=ticks)
        except SetsError as exc:
            show_error(self.owner, str(exc), str(path))
            return None
        self.host.tell(tr("Sjekklisten er lagret som {path}", path=written))
        return written

    def on_print(self) -> None:
        data = self.host.current
        if data is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(set_display_name(data))
        dialog = QPrintDialog(printer, self.owner)
        dialog.setWindowTitle(tr("Skriv ut sjekkliste"))

        def go() -> None:
            try:
                checklist.render(printer, data, self.host.states)
            except SetsError as exc:
                show_error(self.owner, str(exc))

        dialog.accepted.connect(go)
        dialog.open()
        self._print_dialog = dialog  # kept alive while it is open

    def retranslate(self) -> None:
        self.act_export.setText(tr("Eksporter til fil (.kildesett) …"))
        self.act_pdf.setText(tr("Lagre sjekkliste som PDF …"))
        self.act_pdf_ticks.setText(tr("Lagre sjekkliste med avkrysninger som PDF …"))
        self.act_pdf_ticks.setToolTip(tr("Med dine avkrysninger og datoene de ble gjort, f.eks. til veilederen"))
        self.act_print.setText(tr("Skriv ut sjekkliste …"))
        self.act_copy.setText(tr("Kopier til mine sett"))
        self.act_delete.setText(tr("Slett settet …"))
