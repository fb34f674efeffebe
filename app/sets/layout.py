"""The widgets of the sets pane and their layout: the set list above, the chosen set below, buttons under it.

Only construction and geometry live here; ``SetsPane`` owns the behaviour. Buttons are plain push buttons so the
tablet style sheet gives them touch-sized heights. ``ListFitter`` keeps every set in the list in view: the list
gets the height of all its rows (the sets IT published included) up to half the pane, and on a wide pane
(tablet mode, full window width) the list and the chosen set stand side by side.
"""

from __future__ import annotations

from app.qt import (
    QAbstractItemView,
    QEvent,
    QHBoxLayout,
    QLabel,
    QListView,
    QObject,
    QProgressBar,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from app.sets.delegate import SetItemDelegate

WIDE_PX = 900  # from this pane width on, the list of sets and the chosen set stand side by side


def build_pane(pane) -> None:
    """Create the pane's widgets and lay them out (names on ``pane`` are what the pane and the tests use)."""
    pane.sets_view = QListView()
    pane.sets_view.setModel(pane.list_model)
    # long set names wrap instead of hiding behind a horizontal scroll bar (large text, a narrow column)
    pane.sets_view.setWordWrap(True)
    pane.sets_view.setResizeMode(QListView.ResizeMode.Adjust)
    pane.sets_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    pane.sets_view.selectionModel().currentChanged.connect(pane.on_set_selected)
    pane.new_button = QPushButton()
    pane.new_button.clicked.connect(pane.on_new)
    pane.import_button = QPushButton()
    pane.import_button.clicked.connect(pane.files.on_import)
    top = QWidget()
    top_layout = QVBoxLayout(top)
    top_layout.setContentsMargins(0, 0, 0, 0)
    pane.sets_label = QLabel()
    top_layout.addWidget(pane.sets_label)
    top_layout.addWidget(pane.sets_view, 1)
    row = QHBoxLayout()
    for b in (pane.new_button, pane.import_button):
        row.addWidget(b)
    row.addStretch(1)
    top_layout.addLayout(row)

    pane.title = QLabel()
    pane.title.setTextFormat(Qt.TextFormat.PlainText)
    pane.title.setWordWrap(True)
    font = pane.title.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.2 if font.pointSizeF() > 0 else 12)
    pane.title.setFont(font)  # ListFitter keeps it 1.2 × the pane's font when the text size changes
    pane.description = QLabel()
    pane.description.setTextFormat(Qt.TextFormat.PlainText)
    pane.description.setWordWrap(True)
    pane.notice = QLabel()
    pane.notice.setTextFormat(Qt.TextFormat.PlainText)
    pane.notice.setWordWrap(True)
    pane.progress = QProgressBar()
    pane.reset_button = QPushButton()
    pane.reset_button.clicked.connect(pane.on_reset)
    pane.walk_button = QPushButton()
    pane.walk_button.clicked.connect(pane.start_walk)
    pane.edit_button = QPushButton()
    pane.edit_button.clicked.connect(pane.on_edit)
    pane.file_button = QPushButton()
    pane.file_button.setMenu(pane.files.menu)
    pane.items_view = QListView()
    pane.items_view.setModel(pane.items_model)
    pane.items_view.setItemDelegate(SetItemDelegate(parent=pane))
    pane.items_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    pane.items_view.setUniformItemSizes(False)
    pane.items_view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
    pane.items_view.setDefaultDropAction(Qt.DropAction.MoveAction)
    pane.items_view.setDropIndicatorShown(True)
    pane.items_view.activated.connect(lambda index: pane.open_item(index.row()))
    pane.items_view.doubleClicked.connect(lambda index: pane.open_item(index.row()))
    pane.items_view.installEventFilter(pane)
    pane.items_view.selectionModel().currentChanged.connect(lambda *_: pane._enable())

    def button(slot) -> QPushButton:
        b = QPushButton()
        b.clicked.connect(slot)
        return b

    pane.up_button = button(lambda: pane.move_current(-1))
    pane.down_button = button(lambda: pane.move_current(+1))
    pane.note_button = button(pane.on_note)
    pane.heading_button = button(pane.on_heading)
    pane.replace_button = button(pane.replace_current)
    pane.remove_button = button(pane.remove_current)
    pane.undo_button = button(pane.undo_remove)

    detail = QWidget()
    d = QVBoxLayout(detail)
    d.setContentsMargins(0, 0, 0, 0)
    d.addWidget(pane.title)
    d.addWidget(pane.description)
    bar = QHBoxLayout()
    bar.addWidget(pane.progress, 1)
    bar.addWidget(pane.reset_button)
    d.addLayout(bar)
    d.addWidget(pane.notice)
    actions = QHBoxLayout()
    for b in (pane.walk_button, pane.edit_button, pane.file_button):
        actions.addWidget(b)
    actions.addStretch(1)
    d.addLayout(actions)
    d.addWidget(pane.items_view, 1)
    for group in ((pane.up_button, pane.down_button, pane.note_button, pane.heading_button),
                  (pane.replace_button, pane.remove_button, pane.undo_button)):
        line = QHBoxLayout()
        for b in group:
            line.addWidget(b)
        line.addStretch(1)
        d.addLayout(line)

    pane.splitter = QSplitter(Qt.Orientation.Vertical)
    pane.splitter.addWidget(top)
    pane.splitter.addWidget(detail)
    pane.splitter.setStretchFactor(0, 1)
    pane.splitter.setStretchFactor(1, 3)
    pane.splitter.setChildrenCollapsible(False)
    pane.error_label = QLabel()
    pane.error_label.setWordWrap(True)
    pane.error_label.setTextFormat(Qt.TextFormat.PlainText)
    pane.error_label.setVisible(bool(pane.store_error))
    layout = QVBoxLayout(pane)
    layout.setContentsMargins(6, 6, 6, 6)
    layout.addWidget(pane.error_label)
    layout.addWidget(pane.splitter, 1)
    pane.fitter = ListFitter(pane=pane)


class ListFitter(QObject):
    """Sizes the sets pane's splitter so the whole list of sets shows (see the module docstring); a splitter the
    user dragged is left as the user set it."""

    def __init__(self, *, pane):
        super().__init__(pane)
        self.pane = pane
        self.user_sized = False
        pane.splitter.splitterMoved.connect(self._on_moved)
        pane.list_model.modelReset.connect(self.fit)
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
        self.pane.title.setFont(font)

    def list_height(self) -> int:
        """Height the list of sets needs to show every row without scrolling."""
        view = self.pane.sets_view
        rows = sum(max(view.sizeHintForRow(r), 0) for r in range(self.pane.list_model.rowCount()))
        return rows + 2 * view.frameWidth() + 2

    def fit(self) -> None:
        pane = self.pane
        splitter = pane.splitter
        wide = pane.width() >= WIDE_PX
        splitter.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)
        top = splitter.widget(0)
        top.layout().activate()
        # the list's own height decides; the buttons under it and the label over it come on top
        pane.sets_view.setMinimumHeight(min(self.list_height(), max(pane.height() // 3, 60)))
        if self.user_sized or not pane.isVisible():
            return
        total = sum(splitter.sizes()) or (pane.width() if wide else pane.height())
        if wide:
            first = max(top.minimumSizeHint().width(), total * 2 // 5)
        else:
            extra = top.sizeHint().height() - pane.sets_view.sizeHint().height()
            first = min(self.list_height() + max(extra, 0), total // 2)
        splitter.setSizes([first, total - first])
