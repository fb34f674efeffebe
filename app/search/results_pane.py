"""The results side: "did you mean", notices, and one of three states — start page, hit list, no hits.

The start page offers example queries as buttons; the no-hit page suggests broadening the filters (with a
button that does it) and says when semantic search is still loading.
"""

from __future__ import annotations

from app.i18n import tr
from app.qt import (
    QAbstractItemView,
    QEvent,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.search.results import ResultDelegate, ResultsModel
from app.session import LOADING, UNAVAILABLE, SearchOutcome
from index.records import Hit, SearchMode

EXAMPLES = ("PVK", "venflon", "trykksår", "blodtrykksmåling")
EMPTY, LIST, NONE = 0, 1, 2


class ResultList(QListView):
    """The hit list. Recomputes row heights when its width changes (rows wrap)."""

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()


class ResultsPane(QWidget):
    open_requested = Signal(object)  # Hit
    query_requested = Signal(str)
    reset_filters_requested = Signal()
    menu_requested = Signal(object, object)  # Hit, global QPoint: its context menu ("add to set")
    current_changed = Signal(object)  # the highlighted Hit (or None): the reader previews it
    build_requested = Signal()  # "add your own procedures": Fil → Bygg indeks

    def __init__(self, *, parent=None):
        super().__init__(parent)
        self.model = ResultsModel(parent=self)
        self.delegate = ResultDelegate(parent=self)
        self._outcome: SearchOutcome | None = None
        self._filters_active = False
        self._semantic = LOADING
        self._index_text = ""
        self._no_index = ""  # why nothing can be found (no index open), in the UI language; "" = an index is open

        self.suggestion_button = QPushButton()
        self.suggestion_button.setFlat(True)
        self.suggestion_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.suggestion_button.setStyleSheet("color: palette(link); text-decoration: underline;")
        self.suggestion_button.clicked.connect(self.on_suggestion)
        self.suggestion_button.hide()
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.count_label = QLabel()
        # Results that arrive by themselves (semantic search became ready, a new index was switched in) wait
        # behind this button instead of moving the list under the user; the next keystroke applies them too.
        self._pending: SearchOutcome | None = None
        self.newer_button = QPushButton()
        self.newer_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.newer_button.clicked.connect(self.apply_pending)
        self.newer_button.hide()

        self.view = ResultList()
        self.view.setModel(self.model)
        self.view.setItemDelegate(self.delegate)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setUniformItemSizes(False)
        self.view.setWordWrap(True)
        self.view.setSpacing(2)
        self.view.clicked.connect(self.on_clicked)
        self.view.installEventFilter(self)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self.on_context_menu)
        self.view.selectionModel().currentChanged.connect(
            lambda index, _old: self.current_changed.emit(self.model.hit(index.row()) if index.isValid() else None))

        self.stack = QStackedWidget()
        self.stack.addWidget(self._start_page())
        self.stack.addWidget(self.view)
        self.stack.addWidget(self._none_page())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.count_label, 1)
        top.addWidget(self.suggestion_button)
        layout.addLayout(top)
        layout.addWidget(self.newer_button)
        layout.addWidget(self.notice)
        layout.addWidget(self.stack, 1)
        self.retranslate()

    def _start_page(self) -> QWidget:
        page = QWidget()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.index_info = QLabel()  # which index is open, whether semantic search is ready
        self.index_info.setWordWrap(True)
        self.index_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.own_label = QLabel()
        self.own_label.setWordWrap(True)
        self.build_button = QPushButton()
        self.build_button.clicked.connect(self.build_requested)
        self.examples_label = QLabel()
        self.example_buttons = []
        chips = QHBoxLayout()
        for text in EXAMPLES:
            b = QPushButton(text)
            b.clicked.connect(lambda _=False, t=text: self.query_requested.emit(t))
            self.example_buttons.append(b)
            chips.addWidget(b)
        chips.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.intro)
        layout.addWidget(self.examples_label)
        layout.addLayout(chips)
        layout.addSpacing(12)
        layout.addWidget(self.index_info)
        layout.addWidget(self.own_label)
        row = QHBoxLayout()
        row.addWidget(self.build_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _none_page(self) -> QWidget:
        page = QWidget()
        self.none_label = QLabel()
        self.none_label.setWordWrap(True)
        self.none_hint = QLabel()
        self.none_hint.setWordWrap(True)
        self.reset_button = QPushButton()
        self.reset_button.clicked.connect(self.reset_filters_requested)
        self.none_build_button = QPushButton()
        self.none_build_button.clicked.connect(self.build_requested)
        self.none_build_button.hide()
        layout = QVBoxLayout(page)
        layout.addWidget(self.none_label)
        layout.addWidget(self.none_hint)
        row = QHBoxLayout()
        row.addWidget(self.reset_button)
        row.addWidget(self.none_build_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    # -- states -------------------------------------------------------------------------------------------
    @property
    def outcome(self) -> SearchOutcome | None:
        return self._outcome

    @property
    def state(self) -> int:
        return self.stack.currentIndex()

    @property
    def pending(self) -> SearchOutcome | None:
        return self._pending

    def show_start(self) -> None:
        self._outcome = None
        self._drop_pending()
        self.model.clear()
        self.suggestion_button.hide()
        self.notice.hide()
        self.count_label.clear()
        self.stack.setCurrentIndex(EMPTY)

    def set_index_state(self, *, text: str, no_index: str = "") -> None:
        """What the start page says about the open index; ``no_index`` says why searching finds nothing."""
        self._index_text, self._no_index = text, no_index
        self.index_info.setText(text)
        if no_index and self.state == NONE:
            self.show_no_index()

    @property
    def no_index(self) -> str:
        return self._no_index

    def show_no_index(self) -> None:
        """Typing with no index open: say so, and what to do, instead of pretending there are no hits."""
        self._outcome = None
        self._drop_pending()
        self.model.clear()
        self.count_label.clear()
        self.suggestion_button.hide()
        self.notice.hide()
        self.none_label.setText(tr("Søket finner ingenting fordi ingen indeks er åpen."))
        self.none_hint.setText(self._no_index)
        self.reset_button.hide()
        self.none_build_button.show()
        self.stack.setCurrentIndex(NONE)

    def offer_outcome(self, outcome: SearchOutcome, *, filters_active: bool, semantic: str) -> bool:
        """A result nobody typed for (a rerun): shown at once only if it moves nothing the user sees.

        Returns True when it was held back behind the "newer results" button.
        """
        shown = self._outcome
        old = [h.doc_id for h in self.model.hits()]
        new = [h.doc_id for h in outcome.result.hits]
        if (shown is None or shown.query != outcome.query or shown.filters != outcome.filters
                or self.state != LIST or new[:len(old)] == old):
            self.show_outcome(outcome, filters_active=filters_active, semantic=semantic, titles=outcome.titles)
            return False
        self._pending = outcome
        self._semantic = semantic
        n = len(outcome.result.hits)
        self.newer_button.setText(tr("Oppdaterte treff er klare ({n}) – vis dem", n=n))
        self.newer_button.setAccessibleName(tr("Vis oppdaterte treff"))
        self.newer_button.setAccessibleDescription(
            tr("Treff fra semantisk søk eller en ny indeks er klare; listen endres ikke før du ber om det."))
        self.newer_button.show()
        self._describe()
        return True

    def apply_pending(self) -> None:
        outcome = self._pending
        if outcome is not None:
            self.show_outcome(outcome, filters_active=self._filters_active, semantic=self._semantic,
                              titles=outcome.titles)

    def _drop_pending(self) -> None:
        self._pending = None
        self.newer_button.hide()

    def show_outcome(self, outcome: SearchOutcome, *, filters_active: bool, semantic: str,
                     titles: dict[str, str]) -> None:
        self._drop_pending()
        keep = self.current_hit()
        same_query = self._outcome is not None and self._outcome.query == outcome.query
        self._outcome = outcome
        self._filters_active = filters_active
        self._semantic = semantic
        self.model.set_hits(outcome.result.hits, titles)
        row = self.model.row_of(keep.doc_id) if keep is not None and same_query else -1
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(max(row, 0)))
            if row < 0:
                self.view.scrollToTop()
        self.stack.setCurrentIndex(LIST if self.model.rowCount() else NONE)
        self._describe()

    def _describe(self) -> None:
        outcome = self._outcome
        if outcome is None:
            return
        result = outcome.result
        n = result.matches  # real matches: the closest suggestions after them are not counted
        self.count_label.setText(tr("{n} treff", n=n) if n != 1 else tr("1 treff"))
        if result.suggestion:
            self.suggestion_button.setText(tr("Mente du «{text}»?", text=result.suggestion))
            self.suggestion_button.setAccessibleName(tr("Mente du {text}", text=result.suggestion))
            self.suggestion_button.show()
        else:
            self.suggestion_button.hide()
        notes = []
        if result.hits and not result.matches:
            notes.append(tr("Ingen gode treff for «{query}». Det nærmeste indeksen har, står under.",
                            query=outcome.query))
        if result.fuzzy and result.suggestion:
            notes.append(tr("Viser treff for «{text}».", text=result.suggestion))
        if result.mode == SearchMode.LEXICAL and self._semantic == LOADING and self._pending is None:
            notes.append(tr("Viser ordtreff mens semantisk søk lastes."))
        self.notice.setText(" ".join(notes))
        self.notice.setVisible(bool(notes))
        self.none_label.setText(tr("Ingen treff for «{query}».", query=outcome.query))
        hints = []
        if self._filters_active:
            hints.append(tr("Filtrene dine kan skjule treff – prøv å nullstille dem."))
        hints.append(tr("Prøv et kortere eller mer generelt ord, eller et synonym (f.eks. «venflon» for PVK)."))
        if self._semantic == LOADING:
            hints.append(tr("Semantisk søk lastes fortsatt; da kan flere treff dukke opp."))
        elif self._semantic == UNAVAILABLE:
            hints.append(tr("Semantisk søk er ikke tilgjengelig, så bare ordtreff vises."))
        self.none_hint.setText("\n".join(hints))
        self.reset_button.setVisible(self._filters_active)
        self.none_build_button.hide()

    # -- navigation ---------------------------------------------------------------------------------------
    def current_hit(self) -> Hit | None:
        index = self.view.currentIndex()
        return self.model.hit(index.row()) if index.isValid() else None

    def move(self, delta: int) -> None:
        rows = self.model.rowCount()
        if not rows:
            return
        current = self.view.currentIndex().row()
        row = 0 if current < 0 else max(0, min(rows - 1, current + delta))
        self.view.setCurrentIndex(self.model.index(row))
        self.view.scrollTo(self.model.index(row))

    def open_current(self) -> bool:
        hit = self.current_hit()
        if hit is None and self.model.rowCount():
            hit = self.model.hit(0)
        if hit is not None:
            self.open_requested.emit(hit)
        return hit is not None

    def on_clicked(self, index) -> None:
        hit = self.model.hit(index.row())
        if hit is not None:
            self.open_requested.emit(hit)

    def on_context_menu(self, pos) -> None:
        # A right click makes the clicked row current first; the menu key (pos = the view's middle) means the
        # highlighted row. Either way the menu is about the highlighted hit, shown next to it.
        index = self.view.currentIndex()
        if not index.isValid():
            index = self.view.indexAt(pos)
        hit = self.model.hit(index.row()) if index.isValid() else None
        if hit is not None:
            rect = self.view.visualRect(index)
            if not rect.contains(pos):
                pos = rect.bottomLeft() if self.view.viewport().rect().contains(rect.bottomLeft()) else rect.topLeft()
            self.menu_requested.emit(hit, self.view.viewport().mapToGlobal(pos))

    def on_suggestion(self) -> None:
        if self._outcome is not None and self._outcome.result.suggestion:
            self.query_requested.emit(self._outcome.result.suggestion)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.view and event.type() == QEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return self.open_current()
        return False

    def set_touch(self, *, target: int) -> None:
        self.delegate.min_height = target * 2 if target else 0
        for b in (*self.example_buttons, self.reset_button, self.suggestion_button, self.newer_button,
                  self.build_button, self.none_build_button):
            b.setMinimumHeight(target)
        self.view.scheduleDelayedItemsLayout()

    def retranslate(self) -> None:
        self.intro.setText(tr("Skriv i søkefeltet for å finne prosedyrer. Den nasjonale VAR-prosedyren "
                              "(primærkilden) vises først; regionale og lokale varianter er merket."))
        self.examples_label.setText(tr("Prøv for eksempel:"))
        self.own_label.setText(tr("Egne prosedyrer: velg Fil → Bygg indeks … (Ctrl+B) og pek på mappene med "
                                  "dokumentene (PDF, Word, HTML, Markdown eller tekst). VAR-, regionale og lokale "
                                  "mapper velges hver for seg. Søket virker videre mens indeksen bygges."))
        self.build_button.setText(tr("Legg inn egne prosedyrer …"))
        self.build_button.setAccessibleDescription(tr("Åpner Fil → Bygg indeks"))
        self.none_build_button.setText(tr("Bygg indeks …"))
        self.view.setAccessibleName(tr("Søketreff"))
        self.reset_button.setText(tr("Nullstill filtre"))
        self.model.retranslate()
        self._describe()
