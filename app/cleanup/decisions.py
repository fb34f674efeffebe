"""Recording the procedure team's decisions from «Rydding» (one document or a selection at once).

Decisions go into the decisions file the open index was built from (``index.store.decisions``: beside the source
folders, recorded in the snapshot). Editing is offered only where that file's folder is writable — the
procedure team's PCs; on a ward PC the share is read-only or absent and the button stays disabled. Saving runs
on the task runner (the file may be on a slow share); a concurrent change by someone else is merged or, for
the same document, refused with the engine's message. Ward PCs see the decisions after the next build and
publish.
"""

from __future__ import annotations

import datetime as dt

from app.i18n import tr
from app.qt import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit
from index.api import Decision, DecisionStore
from index.records import Tier

CHOICES = (("utfases", "Utfases"), ("lokalt_tillegg", "Lokalt tillegg"), ("beholdes", "Beholdes"),
           ("", "Ikke vurdert"))


def shown_decision(engine, doc_id: str) -> tuple[Decision | None, str]:
    """The decision the open index applies to ``doc_id`` and the title of the VAR procedure it names, for the
    reader (a «Lokalt tillegg» marks the sections VAR does not cover; both link to the VAR procedure)."""
    decided = engine.decision(doc_id) if engine is not None else None
    if decided is None or not decided.decision:
        return None, ""
    return decided, engine.title(decided.var_id) or decided.var_id


def writable_store(engine) -> DecisionStore | None:
    path = engine.decisions_source() if engine is not None else None
    if path is None:
        return None
    store = DecisionStore(path)
    if not store.writable:
        return None
    # what this user sees (a save detects whatever others change after this), and the lines the build skips
    store.load(known=engine.doc_ids(), var_ids=engine.doc_ids(Tier.VAR))
    return store


class DecisionDialog(QDialog):
    """One decision, applied to every selected document; ``var_id`` is prefilled from the first row."""

    def __init__(self, *, count: int, var_id: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Beslutning for {n} dokumenter", n=count))
        self.choice = QComboBox()
        for key, label in CHOICES:
            self.choice.addItem(tr(label), key)
        self.var_id = QLineEdit(var_id)
        self.last_date = QLineEdit()
        self.last_date.setPlaceholderText(tr("ÅÅÅÅ-MM-DD (valgfri)"))
        self.reason = QLineEdit()
        self.error = QLabel()
        form = QFormLayout(self)
        form.addRow(tr("Beslutning"), self.choice)
        form.addRow(tr("VAR-prosedyre (id)"), self.var_id)
        form.addRow(tr("Siste dag"), self.last_date)
        form.addRow(tr("Begrunnelse"), self.reason)
        form.addRow(self.error)
        buttons = QDialogButtonBox()
        buttons.addButton(tr("Lagre"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("Avbryt"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.on_accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def template(self) -> Decision:
        """The decision as entered (raises ValueError for a bad date)."""
        text = self.last_date.text().strip()
        return Decision("", self.choice.currentData() or "", self.var_id.text().strip(),
                        dt.date.fromisoformat(text) if text else None, self.reason.text().strip())

    def on_accept(self) -> None:
        try:
            d = self.template()
        except ValueError:
            self.error.setText(tr("Datoen må skrives ÅÅÅÅ-MM-DD."))
            return
        if d.decision == "lokalt_tillegg" and not d.var_id:
            self.error.setText(tr("Et lokalt tillegg må høre til en VAR-prosedyre."))
            return
        self.accept()
