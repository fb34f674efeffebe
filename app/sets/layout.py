"""Sizing the sets pane: ``ListFitter`` keeps every set in the list in view.

The list gets the height of all its rows (the sets IT published included) up to half the pane, and on a wide pane
(tablet mode, full window width) the list and the chosen set stand side by side. A splitter the user dragged is
left as the user set it. The title keeps 1.2 × the pane's font when the text size changes.
"""

from __future__ import annotations

from app.qt import QEvent, QLabel, QListView, QObject, QSplitter, Qt, QWidget

WIDE_PX = 900  # from this pane width on, the list of sets and the chosen set stand side by side


class ListFitter(QObject):
    def __init__(self, *, pane: QWidget, splitter: QSplitter, sets_view: QListView, title: QLabel):
        """``splitter`` holds the list side (``sets_view`` in it) over or beside the chosen set (``title``)."""
        super().__init__(pane)
        self.pane, self.splitter, self.sets_view, self.title = pane, splitter, sets_view, title
        self.user_sized = False
        splitter.splitterMoved.connect(self._on_moved)
        sets_view.model().modelReset.connect(self.fit)
        pane.installEventFilter(self)
    def _on_moved(self, *_args) -> None:
        self.user_sized = True

    def eventFilter(self, obj, event) -> bool:
        if obj is self.pane and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.fit()
        elif obj is self.pane and event.type() == QEvent.Type.FontChange:
            self._scale_title()
            self.fit()
        return False

    def _scale_title(self) -> None:
        font = self.pane.font()
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)

    def list_height(self) -> int:
        """Height the list of sets needs to show every row without scrolling."""
        view = self.sets_view
        rows = sum(max(view.sizeHintForRow(r), 0) for r in range(view.model().rowCount()))
        return rows + 2 * view.frameWidth() + 2

    def fit(self) -> None:
        pane = self.pane
        splitter = self.splitter
        wide = pane.width() >= WIDE_PX
        splitter.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)
        top = splitter.widget(0)
        top.layout().activate()
        # the list's own height decides; the buttons under it and the label over it come on top
        self.sets_view.setMinimumHeight(min(self.list_height(), max(pane.height() // 3, 60)))
        if self.user_sized or not pane.isVisible():
            return
        total = sum(splitter.sizes()) or (pane.width() if wide else pane.height())
        if wide:
            first = max(top.minimumSizeHint().width(), total * 2 // 5)
        else:
            extra = top.sizeHint().height() - self.sets_view.sizeHint().height()
            first = min(self.list_height() + max(extra, 0), total // 2)
        splitter.setSizes([first, total - first])
