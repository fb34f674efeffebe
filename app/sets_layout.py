"""The widgets of the sets pane and their layout: the set list above, the chosen set below, buttons under it.

Only construction lives here; ``SetsPane`` owns the behaviour. Buttons are plain push buttons so the tablet
style sheet gives them touch-sized heights.
"""

from __future__ import annotations

from app.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QProgressBar,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from app.sets_delegate import SetItemDelegate


def build_pane(pane) -> None:
    """Create the pane's widgets and lay them out (names on ``pane`` are what the pane and the tests use)."""
    pane.sets_view = QListView()
    pane.sets_view.setModel(pane.list_model)
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
    pane.title.setFont(font)
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
