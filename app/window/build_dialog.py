"""Fil → Bygg indeks: choose source folders per tier and an index folder, then build in the background.

The build runs on the task runner; the window stays usable and the open index keeps serving until the new
snapshot is open and swapped in. Progress, time left and Cancel are in the status bar; Cancel is passed to
the engine through its progress callback, which leaves the previous snapshot intact.
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
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from app.session import Session
from app.tasks import Task
from index.api import BuildCancelled, IndexWriteError, NothingIndexedError
from index.records import Tier

log = logging.getLogger(__name__)
TIER_LABELS = {Tier.VAR: N_("VAR (primærkilde)"), Tier.REGIONAL: N_("Regionale"), Tier.LOCAL: N_("Lokale")}
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
        for tier, label in TIER_LABELS.items():
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
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Avbryt"))  # Qt's own text is English
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
        # Start where the field points, else in the user's documents folder (not the program's folder).
        current = [p.strip() for p in field.text().split(SEP) if p.strip() and Path(p.strip()).is_dir()]
        start = current[-1] if current else platformdirs.user_documents_dir()
        folder = QFileDialog.getExistingDirectory(self, tr("Velg mappe"), start)
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
        for tier in Tier:
            self.config.set_user(f"sources_{tier}", [str(p) for t, p in sources if t == tier])
        self.config.save()
        run_build(parent=self.parentWidget(), session=self.session, config=self.config,
                  index_dir=Path(self.index_field.text().strip()), sources=sources)
        super().accept()


def run_build(*, parent, session: Session, config: Config, index_dir: Path,
              sources: list[tuple[str, Path]]) -> Task:
    """Start a build in the background; progress, time left and Cancel sit in the status bar of ``parent``
    (the main window), which keeps searching the open index. On success the new index is swapped in,
    remembered, and a notice says so."""
    status = parent.status

    def done(report) -> None:
        status.end_build()
        if not config.is_locked("index_dir"):
            config.set_user("index_dir", str(index_dir))
            config.save()
        text = tr("Den nye indeksen er tatt i bruk: {new} nye eller endrede, {kept} uendrede, {skipped} hoppet "
                  "over.", new=report.indexed, kept=report.reused, skipped=len(report.skipped))
        skipped = [f"{path}: {reason}" for path, reason in report.skipped]
        parent.show_notice(text, skipped)
        status.showMessage(tr("Den nye indeksen er tatt i bruk."), 10000)

    def failed(exc: BaseException) -> None:
        status.end_build()
        if isinstance(exc, BuildCancelled):
            status.showMessage(tr("Byggingen ble avbrutt. Den forrige indeksen brukes fortsatt."), 10000)
            return
        if isinstance(exc, NothingIndexedError):
            message = tr("Ingen dokumenter kunne leses fra mappene. Kildefinner leser PDF, Word (DOCX), HTML, "
                         "Markdown og tekstfiler; sjekk at mappene inneholder slike filer.")
        elif isinstance(exc, IndexWriteError):
            message = tr("Indeksmappen kunne ikke skrives (full disk eller manglende skrivetilgang). Velg en "
                         "annen indeksmappe eller frigjør plass.")
        else:
            message = tr("Se detaljene for årsaken.")
        show_error(parent, tr("Indeksen kunne ikke bygges. Den forrige indeksen brukes fortsatt."),
                   f"{message}\n\n{task.error_details}", informative=message)

    task = session.build(index_dir=index_dir, sources=sources, on_progress=lambda v: status.set_build_progress(*v),
                         on_done=done, on_failure=failed)
    status.start_build(cancel=task.cancel)
    return task
