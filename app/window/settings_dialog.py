"""The settings dialog: one row per user-facing option of the config table; IT-locked keys are read-only."""

from __future__ import annotations

from app.config import BY_KEY, Config
from app.i18n import LANGUAGES, tr
from app.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class SettingsDialog(QDialog):
    """Edits the user layer. After ``accepted``, ``changed`` holds the keys whose effective value changed."""

    def __init__(self, *, parent=None, config: Config):
        super().__init__(parent)
        self.config = config
        self.changed: set[str] = set()
        self.setWindowTitle(tr("Innstillinger"))
        form = QFormLayout()

        self.index_dir = QLineEdit(config.get("index_dir"))
        self.index_dir.setPlaceholderText(tr("(tom = demoindeksen)"))
        form.addRow(tr("Indeksmappe:"), self._with_browse(self.index_dir))
        self.model_path = QLineEdit(config.get("model_path"))
        self.model_path.setPlaceholderText(tr("(tom = modellen som følger med)"))
        form.addRow(tr("Språkmodell:"), self._with_browse(self.model_path))
        self.semantic = QCheckBox(tr("Bruk semantisk søk (laster språkmodellen)"))
        self.semantic.setChecked(config.get("semantic"))
        form.addRow("", self.semantic)
        self.tablet_mode = QComboBox()
        for value, label in (("auto", tr("Automatisk")), ("on", tr("På")), ("off", tr("Av"))):
            self.tablet_mode.addItem(label, value)
        self.tablet_mode.setCurrentIndex(self.tablet_mode.findData(config.get("tablet_mode")))
        form.addRow(tr("Nettbrettmodus:"), self.tablet_mode)
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(config.get("language")))
        form.addRow(tr("Språk i programmet:"), self.language)
        self.font_scale = QDoubleSpinBox()
        self.font_scale.setRange(0.5, 3.0)
        self.font_scale.setSingleStep(0.1)
        self.font_scale.setValue(config.get("font_scale"))
        form.addRow(tr("Tekststørrelse (faktor):"), self.font_scale)

        self._widgets = {"index_dir": self.index_dir, "model_path": self.model_path, "semantic": self.semantic,
                         "tablet_mode": self.tablet_mode, "language": self.language, "font_scale": self.font_scale}
        names = {"index_dir": tr("Indeksmappe"), "model_path": tr("Språkmodell"),
                 "semantic": tr("Bruk semantisk søk"), "tablet_mode": tr("Nettbrettmodus"),
                 "language": tr("Språk i programmet"), "font_scale": tr("Tekststørrelse")}
        for key, widget in self._widgets.items():
            widget.setToolTip(BY_KEY[key].description)
            widget.setAccessibleName(names[key])
            if config.is_locked(key):
                widget.setEnabled(False)
                widget.setToolTip(tr("Låst av IT-avdelingen"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.note = QLabel(tr("Endringer i språkmodellen brukes fra neste oppstart."))
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(buttons)

    def _with_browse(self, field: QLineEdit) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(field, 1)
        button = QPushButton(tr("Velg …"))
        button.setAccessibleName(tr("Velg mappe"))
        button.clicked.connect(lambda: self._browse(field))
        row.addWidget(button)
        return box

    def _browse(self, field: QLineEdit) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Velg mappe"), field.text())
        if folder:
            field.setText(folder)

    def values(self) -> dict:
        return {"index_dir": self.index_dir.text().strip(), "model_path": self.model_path.text().strip(),
                "semantic": self.semantic.isChecked(), "tablet_mode": self.tablet_mode.currentData(),
                "language": self.language.currentData(), "font_scale": round(self.font_scale.value(), 2)}

    def accept(self) -> None:
        before = self.config.as_dict()
        for key, value in self.values().items():
            if not self.config.is_locked(key):
                self.config.set_user(key, value)
        self.config.save()
        after = self.config.as_dict()
        self.changed = {k for k in after if after[k] != before[k]}
        super().accept()
