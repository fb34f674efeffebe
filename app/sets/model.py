"""Qt models over the set records: the list of sets (personal apart from published) and one set's items.

``SetItemsModel`` writes through to the store: ticking an item's check box records progress with today's
date, and ``moveRows`` (which ``QListView`` calls for an internal drag and drop, and the pane calls for
Ctrl+↑/↓) moves the item in one transaction. A store error (another window removed the item, the file is
busy) reloads the set and is reported through ``failed`` instead of leaving the view out of step.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging

from app.i18n import tr
from app.qt import QAbstractListModel, QFont, QFontDatabase, QFontMetrics, QMimeData, QModelIndex, Qt, Signal
from app.search.results import badge_text
from app.sets.check import MISSING, STALE, SUPERSEDED, ItemState, current, warning
from app.sets.records import BOOKMARKS, PUBLISHED, OnboardingSet, SetItem, SetsError
from app.sets.store import SetStore

log = logging.getLogger(__name__)
MIME = "application/x-kildefinner-set-items"
HEADER = "header"


def set_display_name(data: OnboardingSet) -> str:
    return tr("Mine bokmerker") if data.kind == BOOKMARKS else data.name


@functools.cache
def lock() -> str:
    """"🔒 " where some installed font can draw it; else nothing rather than an empty box (Linux without an emoji
    font). The heading above the published sets says they cannot be changed either way."""
    return "🔒 " if any(QFontMetrics(QFont(f)).inFontUcs4(0x1F512) for f in QFontDatabase.families()) else ""


class SetListModel(QAbstractListModel):
    """Mine bokmerker, the personal sets, then a header and the sets IT published (read-only)."""

    SetRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, *, parent=None):
        super().__init__(parent)
        self._rows: list[OnboardingSet | str] = []
        self._progress: dict[str, tuple[int, int]] = {}

    def set_sets(self, personal: list[OnboardingSet], published: list[OnboardingSet],
                 progress: dict[str, tuple[int, int]]) -> None:
        self.beginResetModel()
        self._rows = [HEADER + ":mine", *personal]
        if published:
            self._rows += [HEADER + ":published", *published]
        self._progress = dict(progress)
        self.endResetModel()

    def set_at(self, row: int) -> OnboardingSet | None:
        value = self._rows[row] if 0 <= row < len(self._rows) else None
        return value if isinstance(value, OnboardingSet) else None

    def row_of(self, uid: str) -> int:
        return next((i for i, r in enumerate(self._rows) if isinstance(r, OnboardingSet) and r.uid == uid), -1)

    def rowCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def flags(self, index):
        if self.set_at(index.row()) is None:
            return Qt.ItemFlag.ItemIsEnabled  # a section header: not selectable
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if isinstance(row, str):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return tr("Mine sett") if row.endswith("mine") else tr("Publisert av IT-avdelingen (kan ikke endres)")
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == self.SetRole:
            return row
        done, total = self._progress.get(row.uid, (0, len(row.procedures)))
        if role == Qt.ItemDataRole.DisplayRole:
            if row.kind == BOOKMARKS:  # a reading list, not a plan: a count, no progress
                return f"★ {set_display_name(row)}  ({total})"
            return f"{lock() if row.kind == PUBLISHED else ''}{set_display_name(row)}  ({done}/{total})"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            parts = [set_display_name(row), tr("{done} av {total} utført", done=done, total=total)]
            if row.kind == PUBLISHED:
                parts.append(tr("Publisert sett, kan ikke endres"))
            if row.description:
                parts.append(row.description)
            return ". ".join(parts)
        return None


class SetItemsModel(QAbstractListModel):
    """The items of one set, in order, with progress ticks and what the index says about each document."""

    ItemRole = Qt.ItemDataRole.UserRole + 1
    StateRole = Qt.ItemDataRole.UserRole + 2
    DoneRole = Qt.ItemDataRole.UserRole + 3
    LinesRole = Qt.ItemDataRole.UserRole + 4  # [(kind, text)] for the delegate's second line
    failed = Signal(str)
    ticked = Signal()  # progress changed
    changed = Signal()  # the set itself changed (order)

    def __init__(self, *, store: SetStore | None, parent=None):
        super().__init__(parent)
        self.store = store
        self.set: OnboardingSet | None = None
        self.ticks: dict[str, dt.date] = {}
        self.states: dict[str, ItemState] = {}

    # -- content ------------------------------------------------------------------------------------------
    def show_set(self, data: OnboardingSet | None, ticks: dict[str, dt.date]) -> None:
        self.beginResetModel()
        self.set, self.ticks = data, dict(ticks)
        self.endResetModel()

    def set_states(self, states: dict[str, ItemState]) -> None:
        self.states = dict(states)
        if self.rowCount():
            self.dataChanged.emit(self.index(0), self.index(self.rowCount() - 1))

    def item(self, row: int) -> SetItem | None:
        items = self.set.items if self.set is not None else ()
        return items[row] if 0 <= row < len(items) else None

    def row_of(self, uid: str) -> int:
        items = self.set.items if self.set is not None else ()
        return next((i for i, it in enumerate(items) if it.uid == uid), -1)

    @property
    def editable(self) -> bool:
        return self.set is not None and not self.set.read_only and self.store is not None

    def progress(self) -> tuple[int, int]:
        procs = self.set.procedures if self.set is not None else ()
        return sum(p.uid in self.ticks for p in procs), len(procs)

    def reload(self) -> None:
        if self.set is None or self.set.read_only or self.store is None:
            return
        try:
            data = self.store.get(self.set.uid)
            ticks = self.store.ticks(data.uid)
        except SetsError as exc:
            data, ticks = None, {}
            self.failed.emit(str(exc))
        self.show_set(data, ticks)

    # -- Qt model -----------------------------------------------------------------------------------------
    def rowCount(self, parent=None) -> int:
        return 0 if (parent is not None and parent.isValid()) or self.set is None else len(self.set.items)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if self.editable else Qt.ItemFlag.NoItemFlags
        item = self.item(index.row())
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if item is not None and not item.is_heading and self.store is not None:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        if self.editable:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        item = self.item(index.row()) if index.isValid() else None
        if item is None:
            return None
        state = self.states.get(item.doc_id) if not item.is_heading else None
        if role == Qt.ItemDataRole.DisplayRole:
            return item.title if item.is_heading else current(item, state)["title"]
        if role == self.ItemRole:
            return item
        if role == self.StateRole:
            return state
        if role == self.DoneRole:
            return self.ticks.get(item.uid)
        if role == Qt.ItemDataRole.CheckStateRole and not item.is_heading:
            return Qt.CheckState.Checked if item.uid in self.ticks else Qt.CheckState.Unchecked
        if role == self.LinesRole:
            return [] if item.is_heading else self.lines(item, state)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            if item.is_heading:
                return tr("Overskrift: {text}", text=item.title)
            parts = [current(item, state)["title"]] + [text for _, text in self.lines(item, state)]
            return ". ".join(p for p in parts if p)
        return None

    def lines(self, item: SetItem, state: ItemState | None) -> list[tuple[str, str]]:
        """(kind, text) pieces under the title: source, flags, owner/revision, done date, note."""
        now = current(item, state)
        out = [(now["tier"] or "plain", badge_text(now["tier"]) if now["tier"] else "")]
        if state is not None and state.state == MISSING:
            out.append(("superseded", tr("Finnes ikke lenger i indeksen")))
        elif state is not None and state.state == SUPERSEDED:
            out.append(("superseded", warning(state)))
        elif state is not None and state.state == STALE:
            out.append(("stale", tr("Revisjon forfalt {date}", date=state.review_due)))
        meta = " · ".join(p for p in (now["owner"], tr("revidert {date}", date=now["revised"])
                                      if now["revised"] else "") if p)
        if meta:
            out.append(("meta", meta))
        done = self.ticks.get(item.uid)
        if done is not None:
            out.append(("done", tr("Utført {date}", date=done.isoformat())))
        if item.note:
            out.append(("note", item.note))
        return [(k, t) for k, t in out if t]

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        item = self.item(index.row()) if index.isValid() else None
        if item is None or item.is_heading or role != Qt.ItemDataRole.CheckStateRole or self.store is None:
            return False
        done = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        try:
            self.store.tick(self.set.uid, item.uid, done)
        except SetsError as exc:
            self.failed.emit(str(exc))
            return False
        if done:
            self.ticks[item.uid] = dt.date.today()
        else:
            self.ticks.pop(item.uid, None)
        self.dataChanged.emit(index, index)
        self.ticked.emit()
        return True

    def set_done(self, row: int, done: bool) -> bool:
        """Tick or untick the item in ``row`` (keyboard, walk-through), as its check box does."""
        return self.setData(self.index(row), done, Qt.ItemDataRole.CheckStateRole)

    # -- reordering ---------------------------------------------------------------------------------------
    def supportedDropActions(self):
        return Qt.DropAction.MoveAction

    def supportedDragActions(self):
        return Qt.DropAction.MoveAction

    def moveRows(self, source_parent, source_row, count, destination_parent, destination_child) -> bool:
        if not self.editable or count != 1 or self.item(source_row) is None:
            return False
        destination_child = max(0, min(destination_child, self.rowCount()))
        if destination_child in (source_row, source_row + 1):
            return False  # Qt's way of saying "no move"
        target = destination_child if destination_child < source_row else destination_child - 1
        uid = self.item(source_row).uid
        try:
            self.store.move_item(self.set.uid, uid, target)
            data = self.store.get(self.set.uid)
        except SetsError as exc:
            self.failed.emit(str(exc))
            self.reload()
            return False
        if not self.beginMoveRows(QModelIndex(), source_row, source_row, QModelIndex(), destination_child):
            self.reload()
            return True
        self.set = data
        self.endMoveRows()
        self.changed.emit()
        return True

    def move(self, row: int, to_row: int) -> bool:
        """Move one row to end up at ``to_row`` (keyboard and buttons)."""
        if to_row == row or not 0 <= to_row < self.rowCount():
            return False
        return self.moveRows(QModelIndex(), row, 1, QModelIndex(), to_row + 1 if to_row > row else to_row)

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes) -> QMimeData:
        mime = QMimeData()
        uids = [self.item(i.row()).uid for i in indexes if self.item(i.row()) is not None]
        mime.setData(MIME, json.dumps({"set": self.set.uid if self.set else "", "items": uids}).encode())
        return mime

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        return self.editable and data.hasFormat(MIME)

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        """A drop from another view of this set (the list view itself uses ``moveRows``)."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        try:
            payload = json.loads(bytes(data.data(MIME)).decode())
        except ValueError:
            return False
        if payload.get("set") != self.set.uid or len(payload.get("items", [])) != 1:
            return False
        source = self.row_of(payload["items"][0])
        row = self.rowCount() if row < 0 else row
        if source < 0:
            return False
        self.moveRows(QModelIndex(), source, 1, QModelIndex(), row)
        return False  # moved already: the view must not also remove the dragged row
