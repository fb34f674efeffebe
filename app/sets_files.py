"""Sharing a set: export/import ``.kildesett`` files, the PDF checklist, printing, copying a published set.

The ``*_to``/``import_from`` methods take a path so tests (and a future command line) can skip the file
dialogs. An import is validated completely before the store is touched; a name clash asks whether to merge
into the existing set or import under a new name; the set is then stored on the task runner with progress.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from app import sets_format, sets_print
from app.errors import show_error
from app.i18n import tr
from app.qt import QFileDialog, QMenu, QObject, QPrintDialog, QPrinter, Signal
from app.sets_dialogs import ask
from app.sets_model import set_display_name
from app.sets_records import PERSONAL, PUBLISHED, OnboardingSet, SetsError
from app.sets_store import SetStore

log = logging.getLogger(__name__)


def file_stem(name: str) -> str:
    return re.sub(r"[^\w\- ]+", "_", name).strip(" _")[:80] or "sett"


class SetFiles(QObject):
    imported = Signal(object)  # the stored set (new, renamed or merged into) after an import
    import_failed = Signal(str)

    def __init__(self, *, pane):
        super().__init__(pane)
        self.pane = pane
        self.menu = QMenu()
        self.act_export = self.menu.addAction("", self.on_export)
        self.act_pdf = self.menu.addAction("", self.on_pdf)
        self.act_print = self.menu.addAction("", self.on_print)
        self.menu.addSeparator()
        self.act_copy = self.menu.addAction("", self.copy_published)
        self.act_delete = self.menu.addAction("", lambda: self.pane.delete_current())
        self.last_import_error = ""  # the message of the last refused import (tests, the log)

    def enable(self, data: OnboardingSet | None) -> None:
        for action in (self.act_export, self.act_pdf, self.act_print):
            action.setEnabled(data is not None)
        self.act_copy.setEnabled(data is not None and self.pane.store is not None)
        self.act_delete.setEnabled(data is not None and data.kind == PERSONAL)

    def _folder(self) -> Path:
        docs = Path.home() / "Documents"
        return docs if docs.is_dir() else Path.home()

    # -- .kildesett ---------------------------------------------------------------------------------------
    def on_export(self) -> None:
        data = self.pane.current
        if data is None:
            return
        path, _ = QFileDialog.getSaveFileName(self.pane, tr("Eksporter sett"),
                                              str(self._folder() / f"{file_stem(set_display_name(data))}.kildesett"),
                                              tr("Kildefinner-sett (*.kildesett)"))
        if path:
            self.export_to(path)

    def export_to(self, path: str | Path) -> Path | None:
        data = self.pane.current
        if data is None:
            return None
        try:
            written = sets_format.export_set(data, path)
        except SetsError as exc:
            show_error(self.pane, str(exc), str(path))
            return None
        self.pane.message.emit(tr("Settet er eksportert til {path}", path=written))
        return written

    def on_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.pane, tr("Importer sett"), str(self._folder()),
                                              tr("Kildefinner-sett (*.kildesett)"))
        if path:
            self.import_from(path)

    def import_from(self, path: str | Path, *, on_clash: str = ""):
        """Import a file. ``on_clash``: "merge", "rename", or "" to ask when the name is taken.

        The file is read and validated here (small, bounded); storing it runs in the background: see
        ``import_data``."""
        if self.pane.store is None:
            return None
        try:
            data = sets_format.read_set(path)
        except SetsError as exc:
            self.last_import_error = str(exc)
            log.warning("import of %s refused: %s", path, exc)
            show_error(self.pane, tr("Settet i «{file}» ble ikke importert. Ingenting er endret.",
                                     file=Path(path).name), str(exc))
            return None
        return self.import_data(data, on_clash=on_clash)

    def import_data(self, data: OnboardingSet, *, on_clash: str = ""):
        """Store an imported set on the task runner (a large set never holds up the window).

        Returns the running ``Task`` (``imported`` is emitted with the stored set when it is done), or None
        when nothing was started (no store, a question asked, an error shown).
        """
        store = self.pane.store
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
                ask(self.pane, title=tr("Settet finnes allerede"),
                    text=tr("Du har allerede et sett som heter «{name}».", name=data.name),
                    details=tr("Slå sammen legger til punktene du ikke har fra før. Nytt navn importerer settet "
                               "som et eget sett."),
                    choices=[("merge", tr("Slå sammen")), ("rename", tr("Importer med nytt navn")),
                             ("cancel", tr("Avbryt"))],
                    on_choice=lambda choice: self.import_data(data, on_clash=choice))
                return None
        except SetsError as exc:
            self.pane.on_failed(str(exc))
            return None
        return self._store_in_background(job, existing if on_clash == "merge" else None)

    def _store_in_background(self, job, existing: OnboardingSet | None):
        """Run ``job(store, progress)``; ``existing`` is the set merged into (None: a new set)."""
        path = self.pane.store.path

        def op(task):
            worker = SetStore(path=path)  # its own connection: the window's stays free for reads meanwhile
            try:
                return job(worker, lambda done, total: task.progress((done, total)))
            finally:
                worker.close()

        def progress(value) -> None:
            done, total = value
            self.pane.message.emit(tr("Importerer settet … {done} av {total} punkter", done=done, total=total))

        def done(result) -> None:
            if existing is not None:  # a merge: result is the number of items added
                self.pane.refresh(select=existing.uid)
                self.pane.message.emit(tr("{n} nye punkter lagt til i «{name}».", n=result,
                                          name=set_display_name(existing)))
                self.imported.emit(self.pane.store.get(existing.uid))
                return
            self.pane.refresh(select=result.uid)
            self.pane.message.emit(tr("Settet «{name}» er importert ({n} punkter).", name=result.name,
                                      n=len(result.items)))
            self.imported.emit(result)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, SetsError):
                self.pane.on_failed(str(exc))
            else:
                log.error("import failed: %r", exc)
                self.pane.on_failed(tr("Settet ble ikke importert ({reason}). Ingenting er endret.", reason=exc))
            self.import_failed.emit(str(exc))

        return self.pane.session.runner.run(op, owner=self.pane, name="sets-import", on_success=done,
                                            on_failure=failed, on_progress=progress)

    def copy_published(self) -> OnboardingSet | None:
        """A personal, editable copy of the shown set (a published one, or a personal one to vary)."""
        data, store = self.pane.current, self.pane.store
        if data is None or store is None:
            return None
        name = store.free_name(set_display_name(data) if data.kind == PUBLISHED else
                               tr("{name} (kopi)", name=set_display_name(data)))
        try:
            made = store.add_set(data, name=name)
        except SetsError as exc:
            self.pane.on_failed(str(exc))
            return None
        self.pane.refresh(select=made.uid)
        self.pane.message.emit(tr("Kopiert til dine sett som «{name}».", name=made.name))
        return made

    # -- PDF and printer ----------------------------------------------------------------------------------
    def on_pdf(self) -> None:
        data = self.pane.current
        if data is None:
            return
        path, _ = QFileDialog.getSaveFileName(self.pane, tr("Lagre sjekkliste som PDF"),
                                              str(self._folder() / f"{file_stem(set_display_name(data))}.pdf"),
                                              tr("PDF (*.pdf)"))
        if path:
            self.pdf_to(path)

    def pdf_to(self, path: str | Path) -> Path | None:
        data = self.pane.current
        if data is None:
            return None
        try:
            written = sets_print.export_pdf(path, data, self.pane.states)
        except SetsError as exc:
            show_error(self.pane, str(exc), str(path))
            return None
        self.pane.message.emit(tr("Sjekklisten er lagret som {path}", path=written))
        return written

    def on_print(self) -> None:
        data = self.pane.current
        if data is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(set_display_name(data))
        dialog = QPrintDialog(printer, self.pane)
        dialog.setWindowTitle(tr("Skriv ut sjekkliste"))

        def go() -> None:
            try:
                sets_print.render(printer, data, self.pane.states)
            except SetsError as exc:
                show_error(self.pane, str(exc))

        dialog.accepted.connect(go)
        dialog.open()
        self._print_dialog = dialog  # kept alive while it is open

    def retranslate(self) -> None:
        self.act_export.setText(tr("Eksporter til fil (.kildesett) …"))
        self.act_pdf.setText(tr("Lagre sjekkliste som PDF …"))
        self.act_print.setText(tr("Skriv ut sjekkliste …"))
        self.act_copy.setText(tr("Kopier til mine sett"))
        self.act_delete.setText(tr("Slett settet …"))
