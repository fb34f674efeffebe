"""Walking through a set: a bar above the document with "3 of 12", previous/next and a "done" tick.

The bar follows the document view rather than driving it: when the reader opens something outside the set
(a search, a "replaced by" link) the bar hides, and it comes back when a document of the set is shown again.
Headings are skipped; an item whose document left the index is announced instead of opened.
"""

from __future__ import annotations

from app.i18n import tr
from app.qt import QCheckBox, QFrame, QHBoxLayout, QKeySequence, QLabel, QPushButton, QShortcut, Qt, Signal
from app.sets.check import MISSING, ItemState
from app.sets.model import set_display_name
from app.sets.records import OnboardingSet, SetItem


class WalkBar(QFrame):
    open_requested = Signal(str)  # doc id
    tick_requested = Signal(str, str, bool)  # set uid, item uid, done

    def __init__(self, *, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.set: OnboardingSet | None = None
        self.steps: tuple[SetItem, ...] = ()
        self.position = -1
        self.ticks: dict = {}
        self.states: dict[str, ItemState] = {}
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.prev_button = QPushButton()
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button = QPushButton()
        self.next_button.clicked.connect(lambda: self.step(+1))
        self.done_box = QCheckBox()
        self.done_box.toggled.connect(self.on_done_toggled)
        self.close_button = QPushButton("✕")
        self.close_button.clicked.connect(self.stop)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.label, 1)
        for w in (self.prev_button, self.next_button, self.done_box, self.close_button):
            layout.addWidget(w)
        for keys, delta in (("Alt+PgDown", +1), ("Alt+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda d=delta: self.step(d) if self.set is not None else None)
        self.retranslate()
        self.hide()

    @property
    def active(self) -> bool:
        return self.set is not None

    @property
    def current(self) -> SetItem | None:
        return self.steps[self.position] if 0 <= self.position < len(self.steps) else None

    def start(self, data: OnboardingSet, *, ticks: dict, states: dict[str, ItemState], at: str = "") -> None:
        """Begin at item ``at`` (uid), else at the first procedure not yet done."""
        self.set, self.steps = data, data.procedures
        self.ticks, self.states = dict(ticks), dict(states)
        if not self.steps:
            self.stop()
            return
        uids = [s.uid for s in self.steps]
        if at in uids:
            self.position = uids.index(at)
        else:
            self.position = next((i for i, s in enumerate(self.steps) if s.uid not in self.ticks), 0)
        self._go()

    def update_set(self, data: OnboardingSet, *, ticks: dict, states: dict[str, ItemState]) -> None:
        """The set changed (reorder, removal, another window): keep walking from the same item if it exists."""
        if self.set is None or data.uid != self.set.uid:
            return
        keep = self.current.uid if self.current else ""
        self.set, self.steps, self.ticks, self.states = data, data.procedures, dict(ticks), dict(states)
        uids = [s.uid for s in self.steps]
        if not uids:
            self.stop()
            return
        self.position = uids.index(keep) if keep in uids else min(self.position, len(uids) - 1)
        self._describe()

    def step(self, delta: int) -> None:
        target = self.position + delta
        if self.set is not None and 0 <= target < len(self.steps):
            self.position = target
            self._go()

    def stop(self) -> None:
        self.set, self.steps, self.position = None, (), -1
        self.hide()

    def _go(self) -> None:
        item = self.current
        self._describe()
        self.show()
        state = self.states.get(item.doc_id)
        if state is None or state.state != MISSING:
            self.open_requested.emit(item.doc_id)

    def on_document_shown(self, doc_id: str) -> None:
        if self.set is None:
            return
        if self.current is not None and self.current.doc_id == doc_id:
            self.show()
            return
        ids = [s.doc_id for s in self.steps]
        if doc_id in ids:  # opened from the set list: follow it
            self.position = ids.index(doc_id)
            self._describe()
            self.show()
        else:
            self.hide()

    def on_done_toggled(self, done: bool) -> None:
        item = self.current
        if item is None or done == (item.uid in self.ticks):
            return
        if done:
            self.ticks[item.uid] = True
        else:
            self.ticks.pop(item.uid, None)
        self.tick_requested.emit(self.set.uid, item.uid, done)

    def _describe(self) -> None:
        item = self.current
        if item is None:
            return
        state = self.states.get(item.doc_id)
        text = tr("{set}: {n} av {total} – {title}", set=set_display_name(self.set), n=self.position + 1,
                  total=len(self.steps), title=item.title)
        if state is not None and state.state == MISSING:
            text += " " + tr("(finnes ikke lenger i indeksen)")
        if item.note:
            text += "\n" + tr("Merknad: {note}", note=item.note)
        self.label.setText(text)
        self.prev_button.setEnabled(self.position > 0)
        self.next_button.setEnabled(self.position < len(self.steps) - 1)
        self.done_box.blockSignals(True)
        self.done_box.setChecked(item.uid in self.ticks)
        self.done_box.blockSignals(False)

    def retranslate(self) -> None:
        self.prev_button.setText(tr("◀ Forrige"))
        self.prev_button.setToolTip(tr("Forrige prosedyre i settet (Alt+PgUp)"))
        self.next_button.setText(tr("Neste ▶"))
        self.next_button.setToolTip(tr("Neste prosedyre i settet (Alt+PgDown)"))
        self.done_box.setText(tr("Utført"))
        self.close_button.setAccessibleName(tr("Avslutt gjennomgangen"))
        self.close_button.setToolTip(tr("Avslutt gjennomgangen"))
        self.setAccessibleName(tr("Gjennomgang av sett"))
        self._describe()
