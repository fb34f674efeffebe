"""Small dialogs of the sets pane: name + description, a note or heading text, and a choice between buttons.

All are window-modal and opened with ``open()`` (no nested event loop, like ``app.errors``); the caller passes
what to do on acceptance. Text fields carry the same length limits as the ``.kildesett`` format, so a set made
here can always be exported and read back.
"""

from __future__ import annotations

from collections.abc import Callable

from app.i18n import tr
from app.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    Qt,
    QVBoxLayout,
    QWidget,
)
from app.sets.fileformat import MAX_DESCRIPTION, MAX_NAME, MAX_NOTE, MAX_TITLE

open_dialogs: list[QWidget] = []  # tests look here


def _keep(dialog: QWidget) -> None:
    open_dialogs.append(dialog)
    dialog.finished.connect(lambda _r: open_dialogs.remove(dialog) if dialog in open_dialogs else None)


class SetDialog(QDialog):
    """Name and description of a set (new or existing)."""

    def __init__(self, *, parent: QWidget | None, title: str, name: str = "", description: str = "",
                 on_accept: Callable[[str, str], None]):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.name = QLineEdit(name)
        self.name.setMaxLength(MAX_NAME)
        self.name.setPlaceholderText(tr("f.eks. Nyansatt sykepleier – kirurgisk sengepost, uke 1–4"))
        self.name.setAccessibleName(tr("Navn på settet"))
        self.description = QPlainTextEdit(description)
        self.description.setPlaceholderText(tr("Hvem settet er for, og hvordan det skal brukes"))
        self.description.setAccessibleName(tr("Beskrivelse av settet"))
        self.description.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Avbryt"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(tr("Navn:"), self.name)
        form.addRow(tr("Beskrivelse:"), self.description)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.name.textChanged.connect(self._validate)
        self._validate()
        self._on_accept = on_accept
        self.resize(520, 300)
        _keep(self)

    def _validate(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.name.text().strip()))

    def accept(self) -> None:
        description = self.description.toPlainText()[:MAX_DESCRIPTION]
        super().accept()
        self._on_accept(self.name.text(), description)


class TextDialog(QDialog):
    """One text: a note (several lines) or a heading (one line)."""

    def __init__(self, *, parent: QWidget | None, title: str, label: str, text: str = "", multiline: bool,
                 on_accept: Callable[[str], None]):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.multiline = multiline
        if multiline:
            self.field = QPlainTextEdit(text)
            self.field.setTabChangesFocus(True)
        else:
            self.field = QLineEdit(text)
            self.field.setMaxLength(MAX_TITLE)
        self.field.setAccessibleName(label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Avbryt"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        caption = QLabel(label)
        caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.field)
        layout.addWidget(buttons)
        self._on_accept = on_accept
        self.resize(480, 240 if multiline else 120)
        _keep(self)

    def text(self) -> str:
        return (self.field.toPlainText()[:MAX_NOTE] if self.multiline else self.field.text()).strip()

    def accept(self) -> None:
        text = self.text()
        super().accept()
        self._on_accept(text)


def ask(parent: QWidget | None, *, title: str, text: str, choices: list[tuple[str, str]],
        on_choice: Callable[[str], None], details: str = "") -> QMessageBox:
    """A question with named buttons; ``on_choice(key)`` runs for any button but the last (cancel)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    box.setTextFormat(Qt.TextFormat.PlainText)  # names inside come from users and files
    if details:
        box.setInformativeText(details)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    buttons = {}
    for i, (key, label) in enumerate(choices):
        role = QMessageBox.ButtonRole.RejectRole if i == len(choices) - 1 else QMessageBox.ButtonRole.AcceptRole
        buttons[box.addButton(label, role)] = key
    box.setDefaultButton(next(iter(buttons)))

    def done(_result: int) -> None:
        key = buttons.get(box.clickedButton())
        if key is not None and key != choices[-1][0]:
            on_choice(key)

    box.finished.connect(done)
    _keep(box)
    box.open()
    return box
