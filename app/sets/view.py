"""The "Sett og bokmerker" pane: the list of sets above, the chosen set's items below, and what can be done.

Personal sets and "Mine bokmerker" live in the ``SetStore``; sets IT published (``published_sets_dir``) are
read from their folder on the task runner and shown apart, read-only (they can be ticked, walked, printed and
copied). After every index change the items are checked against the engine, so gone and superseded documents
show as such. A timer notices commits from another app instance (``PRAGMA data_version``) and reloads.
Editing slots are in ``app.sets.editing``, file operations (export, import, PDF, print) in ``app.sets.files``,
window actions in ``app.sets.actions``.
"""

from __future__ import annotations

import logging
import sqlite3

from app.errors import show_error
from app.i18n import tr
from app.qt import (
    QDesktopServices,
    QEvent,
    Qt,
    QTimer,
    QUrl,
    QWidget,
    Signal,
)
from app.sets import check
from app.sets.dialogs import ask
from app.sets.editing import SetEditing
from app.sets.fileformat import read_published
from app.sets.files import SetFiles
from app.sets.layout import build_pane
from app.sets.model import SetItemsModel, SetListModel, set_display_name
from app.sets.records import OnboardingSet, SetItem, SetsError, StoreBusy, StoreReadOnly
from app.sets.store import SetStore
from app.sets.walk import WalkBar

log = logging.getLogger(__name__)
WATCH_MS = 1500
REOPEN_MS = 10_000
BUSY, READ_ONLY, BROKEN = "busy", "read-only", "broken"


class SetsPane(SetEditing, QWidget):
    open_requested = Signal(str)  # doc id
    message = Signal(str)  # a short confirmation for the status bar
    states_ready = Signal()  # item states checked against the index (tests)

    def __init__(self, *, session, config, store: SetStore | None = None, parent=None):
        super().__init__(parent)
        self.session, self.config = session, config
        self.store, self.store_error, self.store_state = store, "", ""
        if store is None:
            self._take_store(self._open_store)
        elif store.read_only:
            self.store_error, self.store_state = store.read_only, READ_ONLY
        self.published: list[OnboardingSet] = []
        self.published_skipped: list[tuple[str, str]] = []
        self.states: dict[str, check.ItemState] = {}
        self._undo: tuple[str, SetItem, int] | None = None
        self._check_seq = 0
        self.list_model = SetListModel(parent=self)
        self.items_model = SetItemsModel(store=self.store, parent=self)
        self.items_model.failed.connect(self.on_failed)
        self.items_model.ticked.connect(self.on_ticked)
        self.items_model.changed.connect(self.on_items_changed)
        self.walk = WalkBar()
        self.walk.open_requested.connect(self.open_requested)
        self.walk.tick_requested.connect(self.on_walk_tick)
        self.files = SetFiles(pane=self)
        build_pane(self)
        self._version = self.store.data_version() if self.store else 0
        self.watch = QTimer(self)
        self.watch.setInterval(WATCH_MS)
        self.watch.timeout.connect(self.on_watch)
        if self.store is not None:
            self.watch.start()
        self.reopen = QTimer(self)  # busy or read-only sets: try again now and then, in the background
        self.reopen.setInterval(REOPEN_MS)
        self.reopen.timeout.connect(self.on_reopen)
        if self.store_state in (BUSY, READ_ONLY):
            self.reopen.start()
        session.engine_changed.connect(self.check_states)
        self.retranslate()
        self.refresh()
        self.load_published()
        if self.store is not None and self.store.recovered_from is not None:
            QTimer.singleShot(0, self._tell_recovered)

    # -- the store: damaged, busy or read-only ------------------------------------------------------------
    @staticmethod
    def _open_store() -> SetStore:
        return SetStore()

    def _take_store(self, opener) -> None:
        """Open the store (``opener()``) and note its state; an intact file is never given up here."""
        try:
            self.store = opener()
        except StoreBusy as exc:
            self.store_error, self.store_state = str(exc), BUSY
        except StoreReadOnly as exc:  # e.g. the first start on a full disk: nothing to show, nothing lost
            self.store_error, self.store_state = str(exc), READ_ONLY
        except (SetsError, sqlite3.Error, OSError) as exc:
            log.error("sets store unavailable: %s", exc)
            self.store_error, self.store_state = str(exc), BROKEN
        else:
            read_only = self.store.read_only
            self.store_error, self.store_state = read_only, READ_ONLY if read_only else ""

    def on_reopen(self) -> None:
        """Busy or read-only: open a fresh store on the task runner; take it when it can be written."""
        path = self.store.path if self.store is not None else None

        def done(store: SetStore) -> None:
            if store.read_only:
                store.close()
                return
            old, self.store = self.store, store
            if old is not None:
                old.close()
            self.items_model.store = store
            self.store_error, self.store_state = "", ""
            self.reopen.stop()
            self._version = store.data_version()
            self.watch.start()
            self.retranslate()
            self.refresh()
            self.message.emit(tr("Settene kan lagres igjen."))

        self.session.runner.run(lambda _t: SetStore(path=path) if path else SetStore(), owner=self,
                                name="sets-reopen", on_success=done,
                                on_failure=lambda exc: log.info("sets store still unavailable: %s", exc))

    def _tell_recovered(self) -> None:
        aside = self.store.recovered_from
        ask(self, title=tr("Settene dine"),
            text=tr("Filen med settene dine var skadet og er lagt til side ({path}). Nye sett lagres i en ny fil.",
                    path=aside),
            details=tr("Ta vare på filen: IT kan kanskje hente settene ut av den."),
            choices=[("show", tr("Vis filen")), ("ok", tr("OK"))],
            on_choice=lambda _key: QDesktopServices.openUrl(QUrl.fromLocalFile(str(aside.parent))))

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
        keep = self.items_view.currentIndex().row()
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

    def on_watch(self) -> None:
        try:
            version = self.store.data_version()
        except sqlite3.Error:
            return
        if version != self._version:
            self._version = version
            self.refresh()

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
        notes = []
        if data is not None and data.read_only:
            notes.append(tr("Publisert av IT-avdelingen: kan ikke endres, men du kan krysse av, skrive ut og "
                            "kopiere det til dine egne sett."))
        ids = [i.doc_id for i in data.procedures] if data else []
        gone = sum(self.states.get(d) is not None and self.states[d].state == check.MISSING for d in ids)
        old = [self.states[d] for d in ids if self.states.get(d) is not None
               and self.states[d].state == check.SUPERSEDED]
        replaceable = sum(s.can_replace for s in old)
        if data is not None and not data.items:
            notes.append(tr("Settet er tomt. Legg til prosedyrer fra søketreffene: høyreklikk et treff eller trykk "
                            "Ctrl+Shift+D, eller bruk «☆ Legg til i sett …» over dokumentet."))
        if gone:
            notes.append(tr("{n} prosedyre(r) finnes ikke lenger i indeksen.", n=gone))
        if replaceable:
            notes.append(tr("{n} prosedyre(r) er utgått; velg punktet og «Bytt til erstatningen».", n=replaceable))
        if len(old) > replaceable:  # the button cannot help: say what can
            notes.append(tr("{n} prosedyre(r) er utgått uten at erstatningen finnes i indeksen; søk etter en "
                            "nyere prosedyre eller fjern punktet.", n=len(old) - replaceable))
        self.notice.setText(" ".join(notes))
        self.notice.setVisible(bool(notes))
        self._enable()

    def _enable(self) -> None:
        data, item = self.current, self.current_item()
        editable = self.items_model.editable
        row = self.items_view.currentIndex().row()
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
        self.undo_button.setEnabled(self._undo is not None and editable and self._undo[0] == data.uid)
        self.new_button.setEnabled(self.store is not None)
        self.files.enable(data)

    def current_item(self) -> SetItem | None:
        return self.items_model.item(self.items_view.currentIndex().row())

    def select_item(self, uid: str) -> None:
        row = self.items_model.row_of(uid)
        if row >= 0:
            self.items_view.setCurrentIndex(self.items_model.index(row))
            self.items_view.scrollTo(self.items_model.index(row))

    def set_touch(self, *, target: int) -> None:
        self.items_view.itemDelegate().min_height = target * 2 if target else 0
        self.items_view.scheduleDelayedItemsLayout()

    # -- editing ------------------------------------------------------------------------------------------
    def _do(self, change, *, select: str = "") -> bool:
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
            row = self.items_model.row_of(item_uid)
            state = Qt.CheckState.Checked if done else Qt.CheckState.Unchecked
            self.items_model.setData(self.items_model.index(row), state, Qt.ItemDataRole.CheckStateRole)

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
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        row = self.items_view.currentIndex().row()
        if ctrl and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_current(-1 if key == Qt.Key.Key_Up else +1)
            return True
        if key == Qt.Key.Key_Delete:
            self.remove_current()
            return True
        if key == Qt.Key.Key_F2:
            self.on_note()
            return True
        if key == Qt.Key.Key_Space and row >= 0:
            item = self.items_model.item(row)
            if item is not None and not item.is_heading:
                done = item.uid in self.items_model.ticks
                self.items_model.setData(self.items_model.index(row),
                                         Qt.CheckState.Unchecked if done else Qt.CheckState.Checked,
                                         Qt.ItemDataRole.CheckStateRole)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_item(row)
            return True
        if ctrl and key == Qt.Key.Key_Z:
            self.undo_remove()
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
        self.error_label.setText(self.store_error if self.store_state in (BUSY, READ_ONLY) else
                                 tr("Settene kan ikke lagres på denne maskinen: {reason}", reason=self.store_error))
        self.error_label.setVisible(bool(self.store_error))
        self.walk.retranslate()
        self.files.retranslate()
        self.list_model.layoutChanged.emit()
        self._describe()
