"""The "Sett og bokmerker" pane: the list of sets above, the chosen set's items below, and what can be done.

Personal sets and "Mine bokmerker" live in the ``SetStore``; sets IT published (``published_sets_dir``) are
read from their folder on the task runner and shown apart, read-only (they can be ticked, walked, printed and
copied). After every index change the items are checked against the engine, so gone and superseded documents
show as such. A timer notices commits from another app instance (``PRAGMA data_version``) and reloads.

The pane builds its own widgets (``_build``). What acts on a set gets the pane's ``SetsHost`` interface, never
its widgets: ``SetEditor`` (``app.sets.editing``: create, rename, headings, notes, order, removal with undo) and
``SetFiles`` (``app.sets.files``: export, import, PDF, print); the window's menu is ``app.sets.actions``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping

from app.errors import show_error
from app.i18n import tr
from app.qt import (
    QAbstractItemView,
    QEvent,
    QHBoxLayout,
    QLabel,
    QListView,
    QProgressBar,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.sets import check
from app.sets.delegate import SetItemDelegate
from app.sets.editing import SetEditor
from app.sets.fileformat import read_published
from app.sets.files import SetFiles
from app.sets.keeper import StoreKeeper
from app.sets.layout import ListFitter
from app.sets.model import SetItemsModel, SetListModel, set_display_name
from app.sets.records import OnboardingSet, SetItem, SetsError
from app.sets.store import SetStore
from app.sets.walk import WalkBar

log = logging.getLogger(__name__)


class SetsPane(QWidget):
    """The pane; to its collaborators it is a ``SetsHost`` (store, shown set, selection, refresh, change)."""

    open_requested = Signal(str)  # doc id
    message = Signal(str)  # a short confirmation for the status bar
    states_ready = Signal()  # item states checked against the index (tests)

    def __init__(self, *, session, config, store: SetStore | None = None, parent=None):
        super().__init__(parent)
        self.session, self.config = session, config
        self.keeper = StoreKeeper(store=store, runner=session.runner, widget=self)
        self.keeper.taken_up.connect(self._on_taken_up)
        self.keeper.changed_elsewhere.connect(self.refresh)
        self.published: list[OnboardingSet] = []
        self.published_skipped: list[tuple[str, str]] = []
        self.states: dict[str, check.ItemState] = {}
        self._check_seq = 0
        self.list_model = SetListModel(parent=self)
        self.items_model = SetItemsModel(store=self.store, parent=self)
        self.items_model.failed.connect(self.on_failed)
        self.items_model.ticked.connect(self.on_ticked)
        self.items_model.changed.connect(self.on_items_changed)
        self.walk = WalkBar()
        self.walk.open_requested.connect(self.open_requested)
        self.walk.tick_requested.connect(self.on_walk_tick)
        self.editor = SetEditor(host=self, items=self.items_model, parent=self, edited=self._enable)
        self.files = SetFiles(host=self, parent=self, runner=session.runner, delete=self.editor.delete_current)
        self._build()
        self.fitter = ListFitter(pane=self, splitter=self.splitter, sets_view=self.sets_view, title=self.title)
        session.engine_changed.connect(self.check_states)
        self.retranslate()
        self.refresh()
        self.load_published()

    # -- layout -------------------------------------------------------------------------------------------
    def _build(self) -> None:
        """The set list above (with "new" and "import"), the chosen set below: title, progress, what to do with
        it, its items and the buttons that edit them. Plain push buttons, so the tablet style sheet gives them
        touch-sized heights."""
        editor = self.editor

        def button(slot) -> QPushButton:
            b = QPushButton()
            b.clicked.connect(slot)
            return b

        def label() -> QLabel:
            text = QLabel()
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setWordWrap(True)
            return text

        def row(*widgets) -> QHBoxLayout:
            line = QHBoxLayout()
            for w in widgets:
                line.addWidget(w)
            line.addStretch(1)
            return line

        self.sets_view = QListView()
        self.sets_view.setModel(self.list_model)
        # long set names wrap instead of hiding behind a horizontal scroll bar (large text, a narrow column)
        self.sets_view.setWordWrap(True)
        self.sets_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.sets_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sets_view.selectionModel().currentChanged.connect(self.on_set_selected)
        self.new_button = button(editor.on_new)
        self.import_button = button(self.files.on_import)
        self.sets_label = QLabel()
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.sets_label)
        top_layout.addWidget(self.sets_view, 1)
        top_layout.addLayout(row(self.new_button, self.import_button))

        self.title = label()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2 if font.pointSizeF() > 0 else 12)
        self.title.setFont(font)  # ListFitter keeps it 1.2 × the pane's font when the text size changes
        self.description, self.notice = label(), label()
        self.progress = QProgressBar()
        self.reset_button = button(lambda: editor.reset_progress())
        self.walk_button = button(self.start_walk)
        self.edit_button = button(editor.on_edit)
        self.file_button = QPushButton()
        self.file_button.setMenu(self.files.menu)
        self.items_view = QListView()
        self.items_view.setModel(self.items_model)
        self.items_view.setItemDelegate(SetItemDelegate(parent=self))
        self.items_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.items_view.setUniformItemSizes(False)
        self.items_view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.items_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.items_view.setDropIndicatorShown(True)
        self.items_view.activated.connect(lambda index: self.open_item(index.row()))
        self.items_view.doubleClicked.connect(lambda index: self.open_item(index.row()))
        self.items_view.installEventFilter(self)
        self.items_view.selectionModel().currentChanged.connect(lambda *_: self._enable())
        self.up_button = button(lambda: editor.move_current(-1))
        self.down_button = button(lambda: editor.move_current(+1))
        self.note_button = button(editor.on_note)
        self.heading_button = button(editor.on_heading)
        self.replace_button = button(editor.replace_current)
        self.remove_button = button(editor.remove_current)
        self.undo_button = button(editor.undo_remove)
        detail = QWidget()
        d = QVBoxLayout(detail)
        d.setContentsMargins(0, 0, 0, 0)
        d.addWidget(self.title)
        d.addWidget(self.description)
        bar = QHBoxLayout()
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.reset_button)
        d.addLayout(bar)
        d.addWidget(self.notice)
        d.addLayout(row(self.walk_button, self.edit_button, self.file_button))
        d.addWidget(self.items_view, 1)
        d.addLayout(row(self.up_button, self.down_button, self.note_button, self.heading_button))
        d.addLayout(row(self.replace_button, self.remove_button, self.undo_button))

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        self.error_label = label()
        self.error_label.setVisible(bool(self.keeper.error))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.error_label)
        layout.addWidget(self.splitter, 1)

    # -- the store ------------------------------------------------------------------------------------------
    @property
    def store(self) -> SetStore | None:
        return self.keeper.store

    def _on_taken_up(self) -> None:
        self.items_model.store = self.store
        self.retranslate()
        self.refresh()
        self.message.emit(tr("Settene kan lagres igjen."))

    # -- loading ------------------------------------------------------------------------------------------
    @property
    def current(self) -> OnboardingSet | None:
        return self.items_model.set

    def refresh(self, select: str = "") -> None:
        """Reload the list of sets (and the shown set) from the store, keeping the selection if it still exists."""
        keep = select or (self.current.uid if self.current else "")
        personal, progress = [], {}
        try:
            if self.store is not None:
                personal = self.store.list_sets()
            for data in personal + self.published:
                ticks = self.store.ticks(data.uid) if self.store else {}
                progress[data.uid] = (sum(p.uid in ticks for p in data.procedures), len(data.procedures))
        except SetsError as exc:
            show_error(self, str(exc))  # not on_failed: that refreshes, and would ask again
        self.list_model.set_sets(personal, self.published, progress)
        row = self.list_model.row_of(keep)
        row = row if row >= 0 else self.list_model.row_of(personal[0].uid) if personal else -1
        if row >= 0:
            index = self.list_model.index(row)
            self.sets_view.setCurrentIndex(index)
            self.show_set(self.list_model.set_at(row))
        else:
            self.show_set(None)

    def load_published(self) -> None:
        folder = self.config.get("published_sets_dir")
        if not folder:
            return

        def done(payload) -> None:
            self.published, self.published_skipped = payload
            self.refresh()

        self.session.runner.run(lambda _t: read_published(folder), owner=self, name="published-sets",
                                on_success=done, on_failure=lambda exc: log.warning("published sets: %s", exc))

    def on_set_selected(self, index, _previous=None) -> None:
        data = self.list_model.set_at(index.row())
        if data is not None and (self.current is None or data.uid != self.current.uid):
            self.show_set(data)

    def show_set(self, data: OnboardingSet | None) -> None:
        keep = self.current_row()
        same = data is not None and self.current is not None and data.uid == self.current.uid
        try:
            ticks = self.store.ticks(data.uid) if data is not None and self.store else {}
        except SetsError as exc:
            ticks = {}
            self.on_failed(str(exc))
        self.items_model.show_set(data, ticks)
        self.items_model.set_states(self.states)  # keyed by doc id: valid across sets until the next check
        if same and 0 <= keep < self.items_model.rowCount():
            self.items_view.setCurrentIndex(self.items_model.index(keep))
        if data is not None:
            self.walk.update_set(data, ticks=ticks, states=self.states)
        self._describe()
        self.check_states()

    def check_states(self) -> None:
        data, engine = self.current, self.session.engine
        if data is None or engine is None:
            return
        ids = [i.doc_id for i in data.procedures]
        self._check_seq += 1
        seq = self._check_seq
        lookup, decision = check.engine_lookup(engine), check.engine_decision(engine)
        self.session.runner.run(lambda _t: check.check(ids, lookup, decision=decision), serial=True,
                                owner=self, name="check-set", on_success=lambda s: self._on_states(seq, s))

    def _on_states(self, seq: int, states: dict) -> None:
        if seq != self._check_seq:  # a newer check (another set, another index, an edit) is on its way
            return
        self.states = {**self.states, **states}
        self.items_model.set_states(self.states)
        self.walk.update_set(self.current, ticks=self.items_model.ticks, states=self.states)
        self.items_view.scheduleDelayedItemsLayout()  # rows grow when a flag appears
        self._describe()
        self.states_ready.emit()

    # -- showing ------------------------------------------------------------------------------------------
    def _describe(self) -> None:
        data = self.current
        self.title.setText(set_display_name(data) if data else tr("Ingen sett valgt"))
        self.description.setText(data.description if data else "")
        self.description.setVisible(bool(data and data.description))
        done, total = self.items_model.progress()
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(tr("{done} av {total} utført", done=done, total=total))
        self.progress.setAccessibleName(tr("Fremdrift: {done} av {total} utført", done=done, total=total))
        notes = check.notes(data, self.states) if data is not None else []
        self.notice.setText(" ".join(notes))
        self.notice.setVisible(bool(notes))
        self._enable()

    def _enable(self) -> None:
        data, item = self.current, self.current_item()
        editable = self.items_model.editable
        row = self.current_row()
        state = self.states.get(item.doc_id) if item and not item.is_heading else None
        self.walk_button.setEnabled(bool(data and data.procedures))
        self.edit_button.setEnabled(bool(editable))
        self.file_button.setEnabled(data is not None)
        self.reset_button.setEnabled(bool(data and self.items_model.ticks) and self.store is not None)
        self.up_button.setEnabled(editable and item is not None and row > 0)
        self.down_button.setEnabled(editable and item is not None and row < self.items_model.rowCount() - 1)
        self.note_button.setEnabled(editable and item is not None)
        self.heading_button.setEnabled(editable)
        self.replace_button.setEnabled(editable and state is not None and state.can_replace)
        self.remove_button.setEnabled(editable and item is not None)
        self.undo_button.setEnabled(data is not None and self.editor.can_undo(data.uid))
        self.new_button.setEnabled(self.store is not None)
        self.files.enable(data)

    def current_item(self) -> SetItem | None:
        return self.items_model.item(self.current_row())

    def select_item(self, uid: str) -> None:
        row = self.items_model.row_of(uid)
        if row >= 0:
            self.items_view.setCurrentIndex(self.items_model.index(row))
            self.items_view.scrollTo(self.items_model.index(row))

    def set_touch(self, *, target: int) -> None:
        self.items_view.itemDelegate().min_height = target * 2 if target else 0
        self.items_view.scheduleDelayedItemsLayout()

    # -- SetsHost: what the editor, the files and the window's menu use ---------------------------------
    @property
    def ticks(self) -> Mapping[str, dt.date]:
        return self.items_model.ticks

    def current_row(self) -> int:
        return self.items_view.currentIndex().row()

    def select_row(self, row: int) -> None:
        self.items_view.setCurrentIndex(self.items_model.index(row))

    def tell(self, text: str) -> None:
        self.message.emit(text)

    def change(self, change: Callable[[], object], *, select: str = "") -> bool:
        """Run one store change; on an error say why and show the store's current state."""
        try:
            change()
        except SetsError as exc:
            self.on_failed(str(exc))
            return False
        self.refresh(select=select)
        return True

    def on_failed(self, message: str) -> None:
        show_error(self, message)
        self.refresh()

    # -- progress -----------------------------------------------------------------------------------------
    def on_ticked(self) -> None:
        self._describe()
        self.walk.update_set(self.current, ticks=self.items_model.ticks, states=self.states)
        self._refresh_counts()

    def on_walk_tick(self, set_uid: str, item_uid: str, done: bool) -> None:
        if self.current is not None and self.current.uid == set_uid:
            self.items_model.set_done(self.items_model.row_of(item_uid), done)

    def _refresh_counts(self) -> None:
        keep = self.current.uid if self.current else ""
        index = self.sets_view.currentIndex()
        self.sets_view.selectionModel().blockSignals(True)
        self.refresh(select=keep)
        self.sets_view.selectionModel().blockSignals(False)
        if index.isValid():
            self.sets_view.setCurrentIndex(self.list_model.index(self.list_model.row_of(keep)))

    def on_items_changed(self) -> None:
        self._enable()
        self.walk.update_set(self.current, ticks=self.items_model.ticks, states=self.states)

    # -- walking and opening ------------------------------------------------------------------------------
    def start_walk(self) -> None:
        data = self.current
        if data is not None and data.procedures:
            item = self.current_item()
            self.walk.start(data, ticks=self.items_model.ticks, states=self.states,
                            at=item.uid if item is not None and not item.is_heading else "")

    def open_item(self, row: int) -> None:
        item = self.items_model.item(row)
        if item is None or item.is_heading:
            return
        state = self.states.get(item.doc_id)
        if state is not None and state.state == check.MISSING:
            show_error(self, tr("«{title}» finnes ikke lenger i indeksen. Punktet er beholdt slik at du ser hva "
                                "settet inneholdt; fjern det eller erstatt det med en annen prosedyre.",
                                title=item.title))
            return
        self.open_requested.emit(item.doc_id)

    def eventFilter(self, obj, event) -> bool:
        if obj is not self.items_view or event.type() != QEvent.Type.KeyPress:
            return False
        key, row = event.key(), self.current_row()
        if self.editor.on_key(key, ctrl=bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)):
            return True
        if key == Qt.Key.Key_Space and row >= 0:
            item = self.items_model.item(row)
            if item is not None and not item.is_heading:
                self.items_model.set_done(row, item.uid not in self.items_model.ticks)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_item(row)
            return True
        return False

    def retranslate(self) -> None:
        self.sets_label.setText(tr("Sett og bokmerker"))
        self.sets_view.setAccessibleName(tr("Sett og bokmerker"))
        self.new_button.setText(tr("Nytt sett …"))
        self.import_button.setText(tr("Importer …"))
        self.reset_button.setText(tr("Nullstill"))
        self.reset_button.setToolTip(tr("Fjern alle avkrysninger i settet"))
        self.walk_button.setText(tr("▶ Gå gjennom"))
        self.walk_button.setToolTip(tr("Åpne prosedyrene i settet én etter én"))
        self.edit_button.setText(tr("Rediger …"))
        self.file_button.setText(tr("Del og skriv ut"))
        self.items_view.setAccessibleName(tr("Punkter i settet"))
        self.items_view.setToolTip(tr("Dra for å endre rekkefølgen (eller Ctrl+↑/↓). Mellomrom krysser av, "
                                      "F2 skriver merknad, Delete fjerner."))
        for b, text in ((self.up_button, tr("↑ Opp")), (self.down_button, tr("↓ Ned")),
                        (self.note_button, tr("Merknad …")), (self.heading_button, tr("+ Overskrift …")),
                        (self.replace_button, tr("Bytt til erstatningen")), (self.remove_button, tr("Fjern")),
                        (self.undo_button, tr("Angre"))):
            b.setText(text)
        self.error_label.setText(self.keeper.problem())
        self.error_label.setVisible(bool(self.keeper.problem()))
        self.walk.retranslate()
        self.files.retranslate()
        self.list_model.layoutChanged.emit()
        self._describe()
