"""Editing a set from the pane: create, rename, delete, headings, notes, order, removal with undo, progress reset.

``SetEditor`` acts through the pane's ``SetsHost`` interface and the shown set's ``SetItemsModel``: every change
is one store call through ``host.change``, which reports a store error in plain language and reloads, so the view
never shows a state the file does not have. Dialogs open over ``parent``.
"""

from __future__ import annotations

from collections.abc import Callable

from app.i18n import tr
from app.qt import Qt, QWidget
from app.sets.dialogs import SetDialog, TextDialog, ask
from app.sets.host import SetsHost
from app.sets.model import SetItemsModel, set_display_name
from app.sets.records import PERSONAL, OnboardingSet, SetItem


class SetEditor:
    def __init__(self, *, host: SetsHost, items: SetItemsModel, parent: QWidget, edited: Callable[[], None]):
        """``edited()`` runs after a move or a removal, when what the pane's buttons may do has changed."""
        self.host, self.items, self.parent, self.edited = host, items, parent, edited
        self.undo: tuple[str, SetItem, int] | None = None  # (set uid, removed item, its position)

    def can_undo(self, set_uid: str) -> bool:
        return self.undo is not None and self.items.editable and self.undo[0] == set_uid

    def on_key(self, key: int, *, ctrl: bool) -> bool:
        """The editing keys of the item list: Ctrl+↑/↓ move, Delete removes, F2 writes a note, Ctrl+Z undoes a
        removal. True when the key was one of them."""
        if ctrl and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_current(-1 if key == Qt.Key.Key_Up else +1)
        elif key == Qt.Key.Key_Delete:
            self.remove_current()
        elif key == Qt.Key.Key_F2:
            self.on_note()
        elif ctrl and key == Qt.Key.Key_Z:
            self.undo_remove()
        else:
            return False
        return True

    def create_set(self, name: str, description: str = "") -> OnboardingSet | None:
        host, made = self.host, []
        host.change(lambda: made.append(host.store.create(name, description)))
        if made:
            host.refresh(select=made[0].uid)
            host.tell(tr("Settet «{name}» er opprettet.", name=made[0].name))
        return made[0] if made else None

    def on_new(self) -> None:
        SetDialog(parent=self.parent, title=tr("Nytt sett"), on_accept=self.create_set).open()

    def on_edit(self) -> None:
        host, data = self.host, self.host.current
        if data is None or not self.items.editable:
            return
        dialog = SetDialog(parent=self.parent, title=tr("Rediger sett"), name=set_display_name(data),
                           description=data.description,
                           on_accept=lambda n, d: host.change(lambda: host.store.update(
                               data.uid, name=n if data.kind == PERSONAL else None, description=d)))
        dialog.name.setEnabled(data.kind == PERSONAL)  # "Mine bokmerker" keeps its name
        dialog.open()

    def delete_current(self, *, confirmed: bool = False) -> None:
        host, data = self.host, self.host.current
        if data is None or data.kind != PERSONAL:
            return
        if not confirmed:
            ask(self.parent, title=tr("Slett sett"), text=tr("Slette settet «{name}» med {n} punkter? Dette kan "
                                                            "ikke angres.", name=data.name, n=len(data.items)),
                choices=[("delete", tr("Slett")), ("cancel", tr("Avbryt"))],
                on_choice=lambda _k: self.delete_current(confirmed=True))
            return
        host.change(lambda: host.store.delete(data.uid))
        host.tell(tr("Settet «{name}» er slettet.", name=data.name))

    def add_heading(self, text: str) -> None:
        host, data, row = self.host, self.host.current, self.host.current_row()
        if data is None or not text.strip():
            return
        made = []
        host.change(lambda: made.append(host.store.add_heading(data.uid, text, position=row if row >= 0 else None)))
        if made:
            host.select_item(made[0].uid)

    def on_heading(self) -> None:
        TextDialog(parent=self.parent, title=tr("Ny overskrift"),
                   label=tr("Overskrift (f.eks. «Uke 1»), settes inn over valgt punkt:"), multiline=False,
                   on_accept=self.add_heading).open()

    def set_note(self, text: str, *, item: SetItem | None = None) -> None:
        host = self.host
        item, data = item or host.current_item(), host.current
        if item is None or data is None:
            return
        field = "title" if item.is_heading else "note"
        if item.is_heading and not text.strip():
            return
        host.change(lambda: host.store.edit_item(data.uid, item.uid, **{field: text}), select=data.uid)
        host.select_item(item.uid)

    def on_note(self) -> None:
        item = self.host.current_item()
        if item is None:
            return
        if item.is_heading:
            TextDialog(parent=self.parent, title=tr("Endre overskrift"), label=tr("Overskrift:"), text=item.title,
                       multiline=False, on_accept=lambda t: self.set_note(t, item=item)).open()
        else:
            TextDialog(parent=self.parent, title=tr("Merknad"),
                       label=tr("Merknad til «{title}» (f.eks. «øves med veileder før selvstendig utførelse»):",
                                title=item.title),
                       text=item.note, multiline=True, on_accept=lambda t: self.set_note(t, item=item)).open()

    def move_current(self, delta: int) -> None:
        row, item = self.host.current_row(), self.host.current_item()
        if item is not None and self.items.move(row, row + delta):
            self.host.select_item(item.uid)
            self.edited()

    def remove_current(self) -> None:
        host, data, item = self.host, self.host.current, self.host.current_item()
        if data is None or item is None or not self.items.editable:
            return
        row = host.current_row()
        removed = []
        if host.change(lambda: removed.append(host.store.remove_item(data.uid, item.uid))):
            self.undo = (data.uid, *removed[0])
            count = self.items.rowCount()
            if count:
                host.select_row(min(row, count - 1))
            self.edited()
            host.tell(tr("«{title}» er fjernet fra settet. Angre med «Angre».", title=item.title))

    def undo_remove(self) -> None:
        if self.undo is None:
            return
        set_uid, item, position = self.undo
        self.undo = None
        self.host.change(lambda: self.host.store.restore_item(set_uid, item, position), select=set_uid)
        self.host.select_item(item.uid)

    def replace_current(self) -> None:
        """Point a superseded item at the document its metadata names as replacement (note is kept)."""
        host, data, item = self.host, self.host.current, self.host.current_item()
        state = host.states.get(item.doc_id) if item else None
        if data is None or state is None or not state.can_replace:
            return
        replacement = state.replaced_by
        if replacement in {i.doc_id for i in data.procedures}:
            host.change(lambda: host.store.remove_item(data.uid, item.uid))
            host.tell(tr("Erstatningen står allerede i settet; det utgåtte punktet er fjernet."))
            return
        host.change(lambda: host.store.edit_item(data.uid, item.uid, doc_id=replacement,
                                                 title=state.replacement_title, tier="", owner="", revised=""))
        host.select_item(item.uid)
        host.tell(tr("Punktet viser nå til «{title}».", title=state.replacement_title))

    def reset_progress(self, *, confirmed: bool = False) -> None:
        host, data = self.host, self.host.current
        if data is None or host.store is None:
            return
        if not confirmed:
            ask(self.parent, title=tr("Nullstill fremdrift"),
                text=tr("Fjerne alle avkrysninger i «{name}»?", name=set_display_name(data)),
                choices=[("reset", tr("Nullstill")), ("cancel", tr("Avbryt"))],
                on_choice=lambda _k: self.reset_progress(confirmed=True))
            return
        host.change(lambda: host.store.reset_progress(data.uid), select=data.uid)
