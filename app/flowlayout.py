"""A layout that puts its widgets in a row and wraps them onto the next line when the row is too narrow.

The document's action buttons use it: at 200 % text they would otherwise hold the window wider than a 1366-px
screen, and the filter panel's check boxes. Lines are left-aligned, or right-aligned (``right=True``) like the
document's button row they replace. (Qt ships this only as an example, not a class.)
"""

from __future__ import annotations

from app.qt import QLayout, QRect, QSize, Qt


class FlowLayout(QLayout):
    def __init__(self, parent=None, *, spacing: int = 6, right: bool = False):
        super().__init__(parent)
        self._items = []
        self._right = right
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    # -- QLayout's item protocol ------------------------------------------------------------------------------
    def addItem(self, item) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    # -- geometry -----------------------------------------------------------------------------------------------
    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        """All on one line, when there is room for it."""
        shown = self._shown()
        margins = self.contentsMargins()
        width = sum(i.sizeHint().width() for i in shown) + self.spacing() * max(len(shown) - 1, 0)
        height = max((i.sizeHint().height() for i in shown), default=0)
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    def minimumSize(self) -> QSize:
        """The widest single widget: everything else can wrap."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _shown(self) -> list:
        return [i for i in self._items if i.widget() is None or not i.widget().isHidden()]

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        space = self.spacing()
        lines: list[list] = [[]]
        used = 0
        for item in self._shown():
            width = item.sizeHint().width()
            if lines[-1] and used + space + width > area.width():
                lines.append([])
                used = 0
            used += (space if lines[-1] else 0) + width
            lines[-1].append(item)
        y = area.y()
        for line in lines:
            if not line:
                continue
            height = max(i.sizeHint().height() for i in line)
            if apply:
                total = sum(min(i.sizeHint().width(), area.width()) for i in line) + space * (len(line) - 1)
                x = area.x() + (max(area.width() - total, 0) if self._right else 0)
                for item in line:
                    width = min(item.sizeHint().width(), area.width())
                    item.setGeometry(QRect(x, y, width, height))
                    x += width + space
            y += height + space
        return y - space - rect.y() + margins.bottom() if y > area.y() else 0
