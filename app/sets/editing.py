"""Editing a set from the pane: create, rename, delete, headings, notes, order, removal with undo, progress reset.

A mixin of ``SetsPane`` (it uses the pane's store, models and views): every change is one store call through
``_do``, which reports a store error in plain language and reloads, so the view never shows a state the file
does not have.
"""

from __future__ import annotations

from app.i18n import tr
from app.sets.dialogs import SetDialog, TextDialog, ask
from app.sets.model import set_display_name
from app.sets.records import PERSONAL, OnboardingSet, SetItem


class SetEditing:
    def create_set(self, name: str, description: str = "") -> OnboardingSet | None:
        made: list[OnboardingSet] = []
        self._do(lambda: made.append(self.store.create(name, description)))
        if made:
            self.refresh(select=made[0].uid)
            self.message.emit(tr("Settet «{name}» er opprettet.", name=made[0].name))
        return made[0] if made else None

    def on_new(self) -> None:
        SetDialog(parent=self, title=tr("Nytt sett"), on_accept=self.create_set).open()

    def on_edit(self) -> None:
        data = self.current
        if data is None or not self.items_model.editable:
            return
        dialog = SetDialog(parent=self, title=tr("Rediger sett"), name=set_display_name(data),
                           description=data.description,
                           on_accept=lambda n, d: self._do(lambda: self.store.update(
                               data.uid, name=n if data.kind == PERSONAL else None, description=d)))
        dialog.name.setEnabled(data.kind == PERSONAL)  # "Mine bokmerker" keeps its name
        dialog.open()

    def delete_current(self, *, confirmed: bool = False) -> None:
        data = self.current
        if data is None or data.kind != PERSONAL:
            return
        if not confirmed:
            ask(self, title=tr("Slett sett"), text=tr("Slette settet «{name}» med {n} punkter? Dette kan ikke "
                                                     "angres.", name=data.name, n=len(data.items)),
                choices=[("delete", tr("Slett")), ("cancel", tr("Avbryt"))],
                on_choice=lambda _k: self.delete_current(confirmed=True))
            return
        self._do(lambda: self.store.delete(data.uid))
        self.message.emit(tr("Settet «{name}» er slettet.", name=data.name))

    def add_heading(self, text: str) -> None:
        data, row = self.current, self.items_view.currentIndex().row()
        if data is None or not text.strip():
            return
        made = []
        self._do(lambda: made.append(self.store.add_heading(data.uid, text, position=row if row >= 0 else None)))
        if made:
            self.select_item(made[0].uid)

    def on_heading(self) -> None:
        TextDialog(parent=self, title=tr("Ny overskrift"), label=tr("Overskrift (f.eks. «Uke 1»), settes inn over "
                                                                    "valgt punkt:"), multiline=False,
                   on_accept=self.add_heading).open()

    def set_note(self, text: str, *, item: SetItem | None = None) -> None:
        item = item or self.current_item()
        if item is None or self.current is None:
            return
        field = "title" if item.is_heading else "note"
        if item.is_heading and not text.strip():
            return
        self._do(lambda: self.store.edit_item(self.current.uid, item.uid, **{field: text}), select=self.current.uid)
        self.select_item(item.uid)

    def on_note(self) -> None:
        item = self.current_item()
        if item is None:
            return
        if item.is_heading:
            TextDialog(parent=self, title=tr("Endre overskrift"), label=tr("Overskrift:"), text=item.title,
                       multiline=False, on_accept=lambda t: self.set_note(t, item=item)).open()
        else:
            TextDialog(parent=self, title=tr("Merknad"), label=tr("Merknad til «{title}» (f.eks. «øves med "
                                                                  "veileder før selvstendig utførelse»):",
                                                                  title=item.title),
                       text=item.note, multiline=True, on_accept=lambda t: self.set_note(t, item=item)).open()

    def move_current(self, delta: int) -> None:
        row = self.items_view.currentIndex().row()
        item = self.current_item()
        if item is not None and self.items_model.move(row, row + delta):
            self.select_item(item.uid)
            self._enable()

    def remove_current(self) -> None:
        data, item = self.current, self.current_item()
        if data is None or item is None or not self.items_model.editable:
            return
        row = self.items_view.currentIndex().row()
        removed = []
        if self._do(lambda: removed.append(self.store.remove_item(data.uid, item.uid))):
            self._undo = (data.uid, *removed[0])
            count = self.items_model.rowCount()
            if count:
                self.items_view.setCurrentIndex(self.items_model.index(min(row, count - 1)))
            self._enable()
            self.message.emit(tr("«{title}» er fjernet fra settet. Angre med «Angre».", title=item.title))

    def undo_remove(self) -> None:
        if self._undo is None:
            return
        set_uid, item, position = self._undo
        self._undo = None
        self._do(lambda: self.store.restore_item(set_uid, item, position), select=set_uid)
        self.select_item(item.uid)

    def replace_current(self) -> None:
        """Point a superseded item at the document its metadata names as replacement (note is kept)."""
        data, item = self.current, self.current_item()
        state = self.states.get(item.doc_id) if item else None
        if data is None or state is None or not state.can_replace:
            return
        replacement = state.replaced_by
        if replacement in {i.doc_id for i in data.procedures}:
            self._do(lambda: self.store.remove_item(data.uid, item.uid))
            self.message.emit(tr("Erstatningen står allerede i settet; det utgåtte punktet er fjernet."))
            return
        self._do(lambda: self.store.edit_item(data.uid, item.uid, doc_id=replacement,
                                              title=state.replacement_title, tier="", owner="", revised=""))
        self.select_item(item.uid)
        self.message.emit(tr("Punktet viser nå til «{title}».", title=state.replacement_title))

    def reset_progress(self, *, confirmed: bool = False) -> None:
        data = self.current
        if data is None or self.store is None:
            return
        if not confirmed:
            ask(self, title=tr("Nullstill fremdrift"), text=tr("Fjerne alle avkrysninger i «{name}»?",
                                                               name=set_display_name(data)),
                choices=[("reset", tr("Nullstill")), ("cancel", tr("Avbryt"))],
                on_choice=lambda _k: self.reset_progress(confirmed=True))
            return
        self._do(lambda: self.store.reset_progress(data.uid), select=data.uid)

    def on_reset(self) -> None:
        self.reset_progress()
