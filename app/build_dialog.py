"""Fil → Bygg indeks: choose source folders per tier and an index folder, then build with a progress dialog.

The build runs on the task runner; the open index keeps serving until the new snapshot is open and swapped
in. Cancel is passed to the engine through its progress callback, which leaves the previous snapshot intact.
"""

from __future__ import annotations

import logging
from pathlib import Path

import platformdirs

from app.config import APP_NAME, Config
from app.errors import show_error
from app.i18n import N_, tr
from app.qt import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from app.session import Session
from app.statusbar import STAGES
from app.tasks import Task
from index.errors import BuildCancelled, KildefinnerError

log = logging.getLogger(__name__)
TIERS = (("var", N_("VAR (primærkilde)")), ("regional", N_("Regionale")), ("local", N_("Lokale")))
SEP = ";"


def default_index_dir(config: Config) -> str:
    return config.get("index_dir") or str(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "index")


class BuildDialog(QDialog):
    def __init__(self, *, parent=None, config: Config, session: Session):
        super().__init__(parent)
        self.config, self.session = config, session
        self.setWindowTitle(tr("Bygg indeks fra mapper"))
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for tier, label in TIERS:
            field = QLineEdit(SEP.join(config.get(f"sources_{tier}")))
            field.setPlaceholderText(tr("mappe(r), skilt med ;"))
            field.setAccessibleName(tr(label))
            self.fields[tier] = field
            form.addRow(tr(label) + ":", self._with_browse(field, append=True))
        self.index_field = QLineEdit(default_index_dir(config))
        self.index_field.setAccessibleName(tr("Indeksmappe"))
        form.addRow(tr("Indeksmappe:"), self._with_browse(self.index_field, append=False))
        if config.is_locked("index_dir"):
            self.index_field.setEnabled(False)
        note = QLabel(tr("Bare endrede filer leses på nytt. Den åpne indeksen brukes til den nye er klar."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.start_button = buttons.addButton(tr("Bygg"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _with_browse(self, field: QLineEdit, *, append: bool) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(field, 1)
        button = QPushButton(tr("Velg …"))
        button.setAccessibleName(tr("Velg mappe"))
        button.clicked.connect(lambda: self._browse(field, append))
        row.addWidget(button)
        return box

    def _browse(self, field: QLineEdit, append: bool) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Velg mappe"))
        if folder:
            current = [p for p in field.text().split(SEP) if p.strip()] if append else []
            field.setText(SEP.join([*current, folder]))

    def sources(self) -> list[tuple[str, Path]]:
        return [(tier, Path(p.strip())) for tier, field in self.fields.items()
                for p in field.text().split(SEP) if p.strip()]

    def accept(self) -> None:
        sources = self.sources()
        missing = [str(p) for _, p in sources if not p.is_dir()]
        if not sources or missing:
            show_error(self, tr("Velg minst én mappe som finnes.") if not missing
                       else tr("Disse mappene finnes ikke: {folders}", folders=", ".join(missing)))
            return
        for tier, _ in TIERS:
            self.config.set_user(f"sources_{tier}", [str(p) for t, p in sources if t == tier])
        self.config.save()
        run_build(parent=self.parentWidget(), session=self.session, config=self.config,
                  index_dir=Path(self.index_field.text().strip()), sources=sources)
        super().accept()


def run_build(*, parent, session: Session, config: Config, index_dir: Path,
              sources: list[tuple[str, Path]]) -> Task:
    """Start a build with a progress dialog; on success the index is swapped in and remembered."""
    dialog = QProgressDialog(parent)
    dialog.setWindowTitle(tr("Bygger indeks"))
    dialog.setLabelText(tr("Leser mapper …"))
    dialog.setCancelButtonText(tr("Avbryt"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(0)
    dialog.setRange(0, 0)

    def progress(value) -> None:
        stage, done, total = value
        dialog.setLabelText(tr(STAGES.get(stage, stage)) + " …")
        dialog.setRange(0, max(total, 1))
        dialog.setValue(min(done, max(total, 1)))

    def done(report) -> None:
        dialog.close()
        if not config.is_locked("index_dir"):
            config.set_user("index_dir", str(index_dir))
            config.save()
        text = tr("Indeksen er oppdatert: {new} nye eller endrede, {kept} uendrede, {skipped} hoppet over.",
                  new=report.indexed, kept=report.reused, skipped=len(report.skipped))
        box = QMessageBox(QMessageBox.Icon.Information, tr("Indeks bygget"), text, parent=parent)
        if report.skipped:
            box.setDetailedText("\n".join(f"{path}: {reason}" for path, reason in report.skipped))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def failed(exc: BaseException) -> None:
        dialog.close()
        if isinstance(exc, BuildCancelled):
            if hasattr(parent, "statusBar"):
                parent.statusBar().showMessage(tr("Byggingen ble avbrutt. Den forrige indeksen brukes fortsatt."),
                                               10000)
            return
        message = str(exc) if isinstance(exc, KildefinnerError) else tr("Indeksen kunne ikke bygges.")
        show_error(parent, message, task.error_details)

    task = session.build(index_dir=index_dir, sources=sources, on_progress=progress, on_done=done,
                         on_failure=failed)
    dialog.canceled.connect(task.cancel)
    dialog.show()
    task.progress_dialog = dialog
    return task
