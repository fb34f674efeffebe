"""Find in the document (Ctrl+F): a bar under the text; the current match has its own colour and a frame."""

from __future__ import annotations

from app.i18n import tr
from app.qt import (
    QColor,
    QEvent,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTextBrowser,
    QTextDocument,
    QTextEdit,
    QWidget,
)

CURRENT_MATCH_BG = "#ffa726"


class FindBar(QWidget):
    """Find in document (Ctrl+F): Enter = next, Shift+Enter = previous, Esc closes."""

    def __init__(self, *, browser: QTextBrowser, parent=None):
        super().__init__(parent)
        self._browser = browser
        self.field = QLineEdit()
        self.field.returnPressed.connect(self.on_next)
        self.field.textChanged.connect(self.on_text)
        self.prev_button = QPushButton()
        self.prev_button.clicked.connect(self.on_prev)
        self.next_button = QPushButton()
        self.next_button.clicked.connect(self.on_next)
        self.close_button = QPushButton("✕")
        self.close_button.clicked.connect(self.close_bar)
        self.status = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.label = QLabel()
        for w in (self.label, self.field, self.prev_button, self.next_button, self.status, self.close_button):
            layout.addWidget(w)
        layout.setStretch(1, 1)
        self.field.installEventFilter(self)
        self.hide()

    def open(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self._browser.setExtraSelections([])
        self._browser.setFocus()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.field and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & \
                    Qt.KeyboardModifier.ShiftModifier:
                self.on_prev()
                return True
        return False

    def _find(self, backward: bool) -> bool:
        text = self.field.text()
        if not text:
            self.status.clear()
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = self._browser.find(text, flags)
        if not found:  # wrap around once
            cursor = self._browser.textCursor()
            cursor.movePosition(cursor.MoveOperation.End if backward else cursor.MoveOperation.Start)
            self._browser.setTextCursor(cursor)
            found = self._browser.find(text, flags)
        self.status.setText("" if found else tr("Ikke funnet"))
        self._mark_current(found)
        return found

    def _mark_current(self, found: bool) -> None:
        """The current match gets its own colour (orange, black text: 9:1), apart from the highlighted
        search terms and the selection, and a frame so it is not told by colour alone."""
        selections = []
        if found:
            sel = QTextEdit.ExtraSelection()
            sel.cursor = self._browser.textCursor()
            sel.format.setBackground(QColor(CURRENT_MATCH_BG))
            sel.format.setForeground(QColor("#000000"))
            sel.format.setFontUnderline(True)
            selections.append(sel)
        self._browser.setExtraSelections(selections)

    def on_next(self) -> bool:
        return self._find(False)

    def on_prev(self) -> bool:
        return self._find(True)

    def on_text(self, _text: str) -> None:
        cursor = self._browser.textCursor()
        cursor.setPosition(cursor.selectionStart())
        self._browser.setTextCursor(cursor)
        self._find(False)

    def retranslate(self) -> None:
        self.label.setText(tr("Finn i dokumentet:"))
        self.field.setAccessibleName(tr("Finn i dokumentet"))
        self.prev_button.setText(tr("Forrige"))
        self.next_button.setText(tr("Neste"))
        self.close_button.setAccessibleName(tr("Lukk søkelinjen"))
        if self.status.text():
            self.status.setText(tr("Ikke funnet"))
