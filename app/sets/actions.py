"""The window's side of sets: the "Sett" menu, the star (Ctrl+D) and the "add to set" menu for a hit or document.

``target()`` (given by the window) says what an action applies to: the open document or the selected hit.
Both ``Procedure`` and ``Hit`` carry what an item keeps (``app.sets.check.snapshot_of``). The sets themselves are
reached through the pane's ``SetsHost`` interface, its ``SetEditor`` (a new set) and ``SetFiles`` (import).
"""

from __future__ import annotations

from collections.abc import Callable

from app.i18n import N_, tr
from app.qt import QAction, QCursor, QKeySequence, QMenu, QObject, QPoint, QWidget, Signal
from app.sets.check import snapshot_of
from app.sets.dialogs import SetDialog
from app.sets.editing import SetEditor
from app.sets.files import SetFiles
from app.sets.host import SetsHost
from app.sets.model import set_display_name
from app.sets.records import PERSONAL, SetsError


class SetsActions(QObject):
    show_requested = Signal()  # bring the sets pane forward

    def __init__(self, *, host: SetsHost, editor: SetEditor, files: SetFiles, window: QWidget,
                 target: Callable[[], object | None]):
        super().__init__(window)
        self.host, self.editor, self.files, self.window, self.target = host, editor, files, window, target
        self._texts: list[tuple[QAction, str]] = []

        def action(text: str, slot, *keys) -> QAction:
            a = QAction(window)
            a.setShortcuts([QKeySequence(k) for k in keys])
            a.triggered.connect(slot)
            window.addAction(a)
            self._texts.append((a, text))
            return a

        self.act_show = action(N_("Vis sett og bokmerker"), self.show_requested, "Ctrl+Shift+B")
        self.act_bookmark = action(N_("Bokmerke (stjerne)"), self.on_bookmark, "Ctrl+D")
        self.act_add = action(N_("Legg til i sett …"), self.on_add, "Ctrl+Shift+D")
        self.act_new = action(N_("Nytt sett …"), self.on_new)
        self.act_import = action(N_("Importer sett …"), self.on_import)
        self.menu = QMenu()
        for a in (self.act_show, None, self.act_bookmark, self.act_add, None, self.act_new, self.act_import):
            self.menu.addSeparator() if a is None else self.menu.addAction(a)
        enabled = host.store is not None
        for a in (self.act_bookmark, self.act_add, self.act_new, self.act_import):
            a.setEnabled(enabled)
        self.retranslate()

    # -- doing --------------------------------------------------------------------------------------------
    def toggle_bookmark(self, doc) -> bool | None:
        try:
            on = self.host.store.toggle_bookmark(**snapshot_of(doc))
        except SetsError as exc:
            self.host.on_failed(str(exc))
            return None
        self.host.refresh()
        self.host.tell(tr("«{title}» er lagt i Mine bokmerker.", title=doc.title) if on
                               else tr("«{title}» er fjernet fra Mine bokmerker.", title=doc.title))
        return on

    def add_to(self, set_uid: str, doc) -> bool:
        try:
            _item, added = self.host.store.add_procedure(set_uid, **snapshot_of(doc))
            name = set_display_name(self.host.store.get(set_uid))
        except SetsError as exc:
            self.host.on_failed(str(exc))
            return False
        self.host.refresh()
        self.host.tell(tr("«{title}» er lagt til i «{name}».", title=doc.title, name=name) if added
                               else tr("«{title}» står allerede i «{name}».", title=doc.title, name=name))
        return added

    def remove_from(self, set_uid: str, doc) -> None:
        data = self.host.store.get(set_uid)
        item = next((i for i in data.procedures if i.doc_id == doc.doc_id), None)
        if item is not None:
            self.host.change(lambda: self.host.store.remove_item(set_uid, item.uid))
            self.host.tell(tr("«{title}» er fjernet fra «{name}».", title=doc.title,
                                      name=set_display_name(data)))

    def new_set_with(self, doc) -> None:
        def made(name: str, description: str) -> None:
            data = self.editor.create_set(name, description)
            if data is not None:
                self.add_to(data.uid, doc)

        SetDialog(parent=self.window, title=tr("Nytt sett"), on_accept=made).open()

    def add_menu(self, doc, parent: QWidget | None = None) -> QMenu:
        """Mine bokmerker and every personal set, ticked where the document already is; then "new set"."""
        menu = QMenu(parent or self.window)
        store = self.host.store
        if store is None:
            return menu
        try:
            sets = store.list_sets()
            holding = store.sets_with(doc.doc_id)
        except SetsError as exc:
            self.host.on_failed(str(exc))
            return menu
        for data in sets:
            label = ("★ " if data.kind != PERSONAL else "") + set_display_name(data)
            a = menu.addAction(label)
            a.setCheckable(True)
            a.setChecked(data.uid in holding)
            a.triggered.connect(lambda on, uid=data.uid: self.add_to(uid, doc) if on else self.remove_from(uid, doc))
        menu.addSeparator()
        menu.addAction(tr("Nytt sett med denne prosedyren …"), lambda: self.new_set_with(doc))
        return menu

    def popup(self, doc, at: QPoint) -> QMenu | None:
        if doc is None or self.host.store is None:
            return None
        menu = self.add_menu(doc)
        menu.popup(at)
        return menu

    def holding(self, doc_id: str) -> set[str]:
        """Uids of the sets (bookmarks included) that hold the document."""
        try:
            return self.host.store.sets_with(doc_id) if self.host.store is not None else set()
        except SetsError:
            return set()

    # -- slots --------------------------------------------------------------------------------------------
    def on_bookmark(self) -> None:
        doc = self.target()
        if doc is not None and self.host.store is not None:
            self.toggle_bookmark(doc)

    def on_add(self) -> None:
        self.popup(self.target(), QCursor.pos())

    def on_new(self) -> None:
        self.show_requested.emit()
        self.editor.on_new()

    def on_import(self) -> None:
        self.show_requested.emit()
        self.files.on_import()

    def retranslate(self) -> None:
        for a, text in self._texts:
            a.setText(tr(text))
        self.menu.setTitle(tr("&Sett"))
