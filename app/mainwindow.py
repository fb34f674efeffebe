"""The main window: search bar + results + document, menus, shortcuts, history, desktop and tablet layouts.

Desktop: results and document side by side (a splitter). Tablet: one pane at a time (a stack) with a back
button, larger type and touch targets of at least 9 mm. Typing is debounced by one single-shot timer; the
session runs the search in the background and the newest result wins.
"""

from __future__ import annotations

import logging

from app import dochtml, tablet
from app.cleanup_decisions import shown_decision
from app.config import Config
from app.document import DocumentPane
from app.errors import show_error
from app.history import History, Place
from app.i18n import N_, set_language, tr
from app.originals import DOCUMENT_SUFFIXES, open_url, openable
from app.qt import (
    QAction,
    QApplication,
    QEvent,
    QFrame,
    QKeySequence,
    QLabel,
    QLocale,
    QMainWindow,
    QMenu,
    QPushButton,
    QShortcut,
    QSplitter,
    QStackedWidget,
    Qt,
    QTabWidget,
    QTimer,
    QUrl,
    QVBoxLayout,
    QWidget,
    Signal,
    is_alive,
)
from app.results import marked_terms
from app.results_pane import ResultsPane
from app.searchbar import SearchBar
from app.session import LOADING, READY, SearchOutcome, Session
from app.sets_actions import SetsActions
from app.sets_view import SetsPane
from app.statusbar import StatusBar
from index.records import Hit, Procedure

log = logging.getLogger(__name__)
DEBOUNCE_MS = 150
PREVIEW_MS = 250  # a highlighted hit shows in the reader once the highlight rests this long


_SYSTEM_FONT: list = []


def system_font():
    """The application font before any scaling of ours (taken once, so scaling never compounds)."""
    if not _SYSTEM_FONT:
        _SYSTEM_FONT.append(QApplication.font())
    return _SYSTEM_FONT[0]


class MainWindow(QMainWindow):
    document_shown = Signal(str)  # doc id, after the document view shows it (tests, self-test)

    def __init__(self, *, config: Config, session: Session):
        super().__init__()
        from app import qt_strings

        qt_strings.install()  # Qt's own buttons and file dialogs in the UI language
        self.config = config
        self.session = session
        self.history = History()
        self.tablet = False
        self._base_font = system_font()
        self._query = ""
        self._open_when_ready = False
        self.cleanup = None  # the "Rydding" window, made on first use

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.on_debounced)
        self.preview = QTimer(self)
        self.preview.setSingleShot(True)
        self.preview.setInterval(PREVIEW_MS)
        self.preview.timeout.connect(self.on_preview)

        self.search_bar = SearchBar()
        self.search_bar.text_changed.connect(self.on_text_changed)
        self.search_bar.filters_changed.connect(self.on_filters_changed)
        self.search_bar.field.installEventFilter(self)
        self.results = ResultsPane()
        self.results.open_requested.connect(self.open_hit)
        self.results.query_requested.connect(self.set_query)
        self.results.reset_filters_requested.connect(self.search_bar.reset_filters)
        self.results.current_changed.connect(self.on_current_changed)
        self.results.build_requested.connect(self.on_build_index)
        self.results.view.installEventFilter(self)
        self.document = DocumentPane()
        self.document.back_requested.connect(self.go_back)
        self.document.document_requested.connect(self.open_doc_id)
        self.document.open_original_requested.connect(self.on_open_original)
        self.document.copy_requested.connect(self.on_copy)
        self.document.browser.installEventFilter(self)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner_close = QPushButton()
        self.banner_close.clicked.connect(self.on_banner_closed)
        self.banner_box = QWidget()
        banner_layout = QVBoxLayout(self.banner_box)
        banner_layout.setContentsMargins(0, 0, 0, 0)
        banner_layout.addWidget(self.banner)
        banner_layout.addWidget(self.banner_close, 0, Qt.AlignmentFlag.AlignRight)
        self.banner_box.hide()

        search_page = QWidget()
        left = QVBoxLayout(search_page)
        left.setContentsMargins(6, 6, 6, 6)
        left.addWidget(self.banner_box)
        left.addWidget(self.search_bar)
        left.addWidget(self.results, 1)
        self.sets = SetsPane(session=session, config=config)
        self.left = QTabWidget()  # search and sets share the left column (one page in tablet mode)
        self.left.addTab(search_page, "")
        self.left.addTab(self.sets, "")
        self.results_box = QWidget()
        QVBoxLayout(self.results_box).addWidget(self.left)
        self.results_box.layout().setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.pages = QStackedWidget()
        self.central = QStackedWidget()
        self.central.addWidget(self.splitter)
        self.central.addWidget(self.pages)
        self.setCentralWidget(self.central)
        self.status = StatusBar()
        self.setStatusBar(self.status)
        self.sets.open_requested.connect(self.open_doc_id)
        self.sets.message.connect(lambda text: self.status.showMessage(text, 6000))
        self.document.layout().insertWidget(0, self.sets.walk)
        self.document_shown.connect(self.sets.walk.on_document_shown)

        self._make_actions()
        self._connect_session()
        self.apply_config()
        self.fit_to_screen()

    # -- setup --------------------------------------------------------------------------------------------
    def _make_actions(self) -> None:
        self._texts: list[tuple[object, str]] = []  # (action or menu, bokmål text) for retranslate()

        def action(text: str, slot, *keys, checkable=False) -> QAction:
            a = QAction(self)
            a.setShortcuts([QKeySequence(k) for k in keys])
            a.setCheckable(checkable)
            a.triggered.connect(slot)
            self.addAction(a)
            self._texts.append((a, text))
            return a

        self.act_build = action(N_("Bygg indeks …"), self.on_build_index, "Ctrl+B")
        self.act_settings = action(N_("Innstillinger …"), self.on_settings, QKeySequence.StandardKey.Preferences)
        self.act_quit = action(N_("Avslutt"), self.close, QKeySequence.StandardKey.Quit)
        self.act_focus = action(N_("Søkefeltet"), self.focus_search, "Ctrl+K", "F3", "Ctrl+L")
        self.act_find = action(N_("Finn i dokumentet"), self.on_find, QKeySequence.StandardKey.Find)
        self.act_back = action(N_("Tilbake"), self.go_back, "Alt+Left")
        self.act_forward = action(N_("Fremover"), self.go_forward, "Alt+Right")
        self.act_zoom_in = action(N_("Større tekst"), lambda: self.document.zoom(+1), "Ctrl++", "Ctrl+=")
        self.act_zoom_out = action(N_("Mindre tekst"), lambda: self.document.zoom(-1), "Ctrl+-")
        self.act_zoom_reset = action(N_("Normal tekststørrelse"), lambda: self.document.zoom(0), "Ctrl+0")
        self.act_tablet = action(N_("Nettbrettmodus"), self.on_tablet_toggled, checkable=True)
        self.act_about = action(N_("Om Kildefinner"), self.on_about)
        self.act_help = action(N_("Hurtigtaster og søkeprefiks"), self.on_help, "F1")
        self.act_cleanup = action(N_("Rydding …"), self.on_cleanup, "Ctrl+Shift+R")
        # "/" focuses the search field from anywhere except a text field (where it is just a character).
        self.slash = QShortcut(QKeySequence("/"), self)
        self.slash.activated.connect(self.focus_search)
        menus = ((N_("&Fil"), [self.act_build, self.act_settings, None, self.act_quit]),
                 (N_("&Vis"), [self.act_tablet, self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset]),
                 (N_("&Gå"), [self.act_focus, self.act_find, self.act_back, self.act_forward]),
                 (N_("Verk&tøy"), [self.act_cleanup]),
                 (N_("&Hjelp"), [self.act_help, self.act_about]))
        for title, actions in menus:
            menu = self.menuBar().addMenu("")
            for a in actions:
                menu.addSeparator() if a is None else menu.addAction(a)
            self._texts.append((menu, title))
        self.menu_file = self.menuBar().actions()[0].menu()
        self.sets_actions = SetsActions(pane=self.sets, window=self, target=self.set_target)
        self.sets_actions.show_requested.connect(self.show_sets)
        self.menuBar().insertMenu(self.menuBar().actions()[-1], self.sets_actions.menu)
        self.results.menu_requested.connect(self.on_hit_menu)
        self.document.star_requested.connect(self.sets_actions.popup)
        self.document_shown.connect(self.on_star_state)

    def _connect_session(self) -> None:
        s = self.session
        s.results_ready.connect(self.on_results)
        s.search_failed.connect(lambda msg: self.status.showMessage(tr("Søket feilet: {msg}", msg=msg), 8000))
        s.semantic_changed.connect(self.on_semantic_changed)
        s.stats_changed.connect(lambda st: self.status.set_stats(st, demo=s.is_demo))
        s.engine_changed.connect(self.status.set_opening)
        s.index_progress.connect(self.status.set_build_progress)
        s.index_failed.connect(self.on_index_failed)
        self.status.set_semantic(s.semantic, s.semantic_reason)
        for signal in (s.engine_changed, s.stats_changed, s.semantic_changed, s.index_progress):
            signal.connect(self._update_index_state)
        self._no_index = ""

    def _update_index_state(self, *_args) -> None:
        """The start page says which index is open and whether semantic search is ready (first-start help)."""
        s = self.session
        if s.engine is not None:
            self._no_index = ""
        if self._no_index:
            where = tr("Ingen indeks er åpen.")
        elif s.engine is None:
            where = tr("Åpner indeksen …") if not s.is_demo else tr("Gjør klar demoindeksen …")
        elif s.is_demo:
            where = tr("Åpen indeks: demoindeksen – oppdiktede eksempelprosedyrer som viser hvordan Kildefinner "
                       "virker (ikke til klinisk bruk).")
        else:
            where = tr("Åpen indeks: {folder}", folder=str(s.index_dir))
        if s.stats is not None and s.engine is not None:
            where += " " + tr("{n} dokumenter.", n=s.stats.documents)
        semantic = {LOADING: tr("Semantisk søk (søk på mening, ikke bare ord) lastes i bakgrunnen; ordsøk "
                                "virker allerede."),
                    READY: tr("Semantisk søk er klart: treffene kombinerer ordsøk og søk på mening.")}.get(
            s.semantic, tr("Semantisk søk er ikke tilgjengelig ({reason}); ordsøk virker.",
                           reason=tr(s.semantic_reason) if s.semantic_reason else "?"))
        self.results.set_index_state(text=f"{where}\n{semantic}", no_index=self._no_index)
        self.search_bar.set_unavailable(self._no_index)

    def fit_to_screen(self) -> None:
        """1200×800 where it fits; on a 768- or 800-pixel-high screen the window (title bar and status bar
        included) fits into the available area, so the status bar with the index name is on screen."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            self.resize(1200, 800)
            return
        area = screen.availableGeometry()
        frame = 40  # title bar and borders, which the window manager adds outside the client area
        self.ensurePolished()
        self.layout().activate()
        least = self.minimumSizeHint()
        width = min(max(min(1200, area.width() - 16), least.width()), area.width())
        height = min(max(min(800, area.height() - frame), least.height()), area.height())
        self.resize(width, height)
        self.move(area.x() + max(0, (area.width() - self.width()) // 2),
                  area.y() + max(0, (area.height() - self.height() - frame) // 2))

    # -- configuration, language, layout ------------------------------------------------------------------
    def apply_config(self) -> None:
        set_language(self.config.get("language"))
        # Numbers (the text size factor, percentages) with the language's decimal comma: 1,5 not 1.5.
        QLocale.setDefault(QLocale({"nb": QLocale.Language.NorwegianBokmal, "nn": QLocale.Language.NorwegianNynorsk}
                                   .get(self.config.get("language"), QLocale.Language.English),
                                   QLocale.Country.Norway))
        self.tablet = tablet.want_tablet(self.config.get("tablet_mode"))
        self._apply_fonts()
        self._apply_layout()
        self.retranslate()
        if not self.tablet and self.config.get("tablet_mode") == "auto" and not self._two_panes_fit():
            self.tablet = True  # large text on a small screen: one pane at a time rather than off-screen
            self._apply_fonts()
            self._apply_layout()
            self.retranslate()

    def _two_panes_fit(self) -> bool:
        screen = self.screen() or QApplication.primaryScreen()
        self.ensurePolished()
        self.layout().activate()  # before the first show the size hints are not computed yet
        return screen is None or self.minimumSizeHint().width() <= screen.availableGeometry().width()

    def _apply_fonts(self) -> None:
        font = self._base_font.__class__(self._base_font)
        size = self._base_font.pointSizeF()
        if size > 0:
            font.setPointSizeF(size * self.config.get("font_scale") * (1.2 if self.tablet else 1.0))
        QApplication.setFont(font)
        self.setFont(font)

    def _apply_layout(self) -> None:
        target = tablet.touch_target_px() if self.tablet else 0
        showing_doc = self.pages.currentWidget() is self.document
        if self.tablet:
            self.pages.addWidget(self.results_box)
            self.pages.addWidget(self.document)
            self.pages.setCurrentWidget(self.document if showing_doc else self.results_box)
            self.central.setCurrentWidget(self.pages)
        else:
            self.splitter.addWidget(self.results_box)
            self.splitter.addWidget(self.document)
            self.splitter.setStretchFactor(0, 2)
            self.splitter.setStretchFactor(1, 3)
            self.central.setCurrentWidget(self.splitter)
        self.setStyleSheet(tablet.stylesheet(target) if self.tablet else "")
        self.document.back_button.setVisible(self.tablet)
        self.results.set_touch(target=target)
        self.sets.set_touch(target=target)
        self.status.set_compact(self.tablet)
        tablet.touch_scrolling([self.results.view, self.document.browser, self.document.sections], self.tablet)
        self.act_tablet.setChecked(self.tablet)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Kildefinner – prosedyresøk"))
        for item, text in self._texts:
            (item.setTitle if hasattr(item, "setTitle") else item.setText)(tr(text))
        self.banner_close.setText(tr("Lukk"))
        self.search_bar.retranslate()
        self.results.retranslate()
        self.document.retranslate()
        self.left.setTabText(0, tr("Søk"))
        self.left.setTabText(1, tr("Sett og bokmerker"))
        self.sets.retranslate()
        self.sets_actions.retranslate()
        if self.cleanup is not None and is_alive(self.cleanup):
            self.cleanup.retranslate()
        self.status.retranslate()
        self._update_index_state()
        self._show_ignored()

    def _show_ignored(self) -> None:
        if not self.config.ignored or getattr(self, "_banner_dismissed", False):
            return
        lines = [tr("Noen innstillinger ble ignorert, standardverdier brukes i stedet:")]
        lines += [f"• {key} ({layer}): {reason}" for layer, key, reason in self.config.ignored]
        self.banner.setText("\n".join(lines))
        self.banner_box.show()

    def show_notice(self, text: str, details: list[str] = ()) -> None:
        """A notice above the search field that stays until closed (a new index switched in, and what was
        skipped): not a dialog, so nothing the user is doing is interrupted."""
        lines = [text, *(f"• {line}" for line in details[:5])]
        if len(details) > 5:
            lines.append(tr("… og {n} til (se loggfilen).", n=len(details) - 5))
        self.banner.setText("\n".join(lines))
        self.banner.setAccessibleName(tr("Melding"))
        self.banner_box.show()

    def on_banner_closed(self) -> None:
        self._banner_dismissed = True
        self.banner_box.hide()

    # -- searching ----------------------------------------------------------------------------------------
    def on_launch_request(self, request) -> None:
        """A search or document asked for by a link or a second start (``app.instance``): show it, in front."""
        if self.isVisible():
            self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
            self.raise_()
            self.activateWindow()
        if request.open:
            self.open_doc_id(request.open)
        elif request.search:
            self.set_query(request.search)
        else:
            self.focus_search()

    def set_query(self, text: str) -> None:
        self.left.setCurrentIndex(0)
        self.search_bar.field.setText(text)
        self.show_results()

    def on_text_changed(self, text: str) -> None:
        self._open_when_ready = False
        self.results.apply_pending()  # results held back are applied on the next keystroke
        if not text.strip():
            self.debounce.stop()
            self._query = ""
            self.session.cancel_search()
            self.results.show_start()
            return
        self.debounce.start()

    def on_filters_changed(self) -> None:
        if self.search_bar.field.text().strip():
            self.debounce.start()

    def on_debounced(self) -> None:
        self._query = self.search_bar.field.text().strip()
        if self._query and self.session.engine is None and self._no_index:
            self.results.show_no_index()
        elif self._query:
            self.session.search(self._query, self.search_bar.filters())

    def on_results(self, outcome: SearchOutcome) -> None:
        active = self.search_bar.filters_active()
        if outcome.rerun:
            if self.results.offer_outcome(outcome, filters_active=active, semantic=self.session.semantic):
                return
        else:
            self.results.show_outcome(outcome, filters_active=active, semantic=self.session.semantic,
                                      titles=outcome.titles)
        if self._open_when_ready:
            self._open_when_ready = False
            self.results.open_current()

    def on_semantic_changed(self, state: str, reason: str) -> None:
        self.status.set_semantic(state, reason)

    def focus_search(self) -> None:
        self.left.setCurrentIndex(0)
        self.show_results()
        self.search_bar.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_bar.field.selectAll()

    # -- documents ----------------------------------------------------------------------------------------
    def on_current_changed(self, hit: Hit | None) -> None:
        if hit is not None and not self.tablet:
            self.preview.start()
        else:
            self.preview.stop()

    def on_preview(self) -> None:
        """Wide window: the highlighted hit shows in the reader (no history entry, the focus stays put)."""
        hit = self.results.current_hit()
        shown = self.document.procedure
        if hit is None or self.tablet or (shown is not None and shown.doc_id == hit.doc_id):
            return
        terms = tuple(dochtml.highlight_terms(self._query, marked_terms(hit)))
        self._show_place(Place(query=self._query, doc_id=hit.doc_id, section=hit.section, terms=terms),
                         focus=False)

    def open_hit(self, hit: Hit) -> None:
        self.preview.stop()
        terms = tuple(dochtml.highlight_terms(self._query, marked_terms(hit)))
        self.history.visit(Place(query=self._query))
        place = Place(query=self._query, doc_id=hit.doc_id, section=hit.section, terms=terms)
        self.history.visit(place)
        self._show_place(place)

    def open_doc_id(self, doc_id: str) -> None:
        place = Place(query=self._query, doc_id=doc_id)
        self.history.visit(place)
        self._show_place(place)

    def _show_place(self, place: Place, *, focus: bool = True) -> None:
        if not place.doc_id:
            if self.search_bar.field.text().strip() != place.query:
                self.search_bar.field.setText(place.query)
            self.show_results()
            return

        def ready(proc: Procedure) -> None:
            titles = self.results.model.titles
            decision, var_title = shown_decision(self.session.engine, proc.doc_id)
            self.document.show_procedure(proc, section=place.section, terms=list(place.terms),
                                         replaced_title=titles.get(proc.replaced_by, ""), decision=decision,
                                         var_title=var_title)
            if self.tablet:
                self.pages.setCurrentWidget(self.document)
                self.document.jump_to_section(self.document.current_section)  # laid out anew when shown
            if focus:
                self.document.browser.setFocus(Qt.FocusReason.OtherFocusReason)
            self.document_shown.emit(proc.doc_id)

        def failed(exc: BaseException) -> None:
            show_error(self, tr("Dokumentet kunne ikke åpnes."), str(exc))

        self.session.fetch_document(place.doc_id, on_ready=ready, on_failure=failed, owner=self)

    def show_results(self) -> None:
        if self.tablet:
            self.pages.setCurrentWidget(self.results_box)

    def show_sets(self) -> None:
        self.left.setCurrentWidget(self.sets)
        self.show_results()
        self.sets.items_view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def on_star_state(self, doc_id: str) -> None:
        self.document.set_starred(bool(self.sets_actions.holding(doc_id)))

    def set_target(self):
        """What Ctrl+D / Ctrl+Shift+D act on: the highlighted hit, unless the user is in the reader.

        "In the reader" means the focus is inside the document pane, or (tablet) the document page is showing,
        or the sets tab is in front. Otherwise the hit highlighted in the list (by ↓/↑ from the search field,
        a click, or the automatic first row) is what the user is looking at.
        """
        focus = QApplication.focusWidget()
        in_reader = (focus is not None and (focus is self.document or self.document.isAncestorOf(focus))) or \
            (self.tablet and self.pages.currentWidget() is self.document) or self.left.currentWidget() is self.sets
        hit = self.results.current_hit() if self.results.state == 1 else None
        if in_reader or hit is None:
            return self.document.procedure or hit
        return hit

    def go_back(self) -> None:
        place = self.history.back()
        if place is not None:
            self._show_place(place)
        elif self.tablet:
            self.show_results()

    def go_forward(self) -> None:
        place = self.history.forward()
        if place is not None:
            self._show_place(place)

    def on_find(self) -> None:
        if self.document.procedure is not None:
            if self.tablet:
                self.pages.setCurrentWidget(self.document)
            self.document.show_find()

    def on_open_original(self, proc: Procedure) -> None:
        folders = {t: self.config.get(f"sources_{t}") for t in ("var", "regional", "local")}
        path = self.session.original_file(proc, folders)
        url = QUrl.fromLocalFile(str(path)) if path is not None else QUrl(proc.url) if proc.url else None
        if url is None or not url.isValid():
            show_error(self, tr("Fant verken kildefilen eller en nettadresse for dette dokumentet."),
                       tr("Fil: {path}", path=proc.path))
            return
        refused = openable(url)
        if refused:
            log.warning("«Åpne original» refused for %s", url.toString())
            show_error(self, tr("Originalen ble ikke åpnet."), url.toString(), informative=refused)
            return
        if not open_url(url):
            kind = DOCUMENT_SUFFIXES.get("." + url.fileName().rsplit(".", 1)[-1].lower(), "")
            show_error(self, tr("Ingen program på denne maskinen kunne åpne originalen."), url.toString(),
                       informative=tr("Be IT om et program som åpner {kind}-filer, eller les prosedyren her i "
                                      "Kildefinner.", kind=tr(kind) if kind else tr("slike")))
            return
        self.status.showMessage(tr("Originalen åpnes i et annet program …"), 6000)

    def on_copy(self, what: str, text: str) -> None:
        QApplication.clipboard().setText(text)
        self.status.showMessage(tr("Tittel kopiert") if what == "title" else tr("Lenke kopiert"), 4000)

    # -- keyboard -----------------------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        key = event.key()
        if obj is self.search_bar.field:
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5, Qt.Key.Key_PageUp: -5}[key]
                if self.debounce.isActive():
                    self.debounce.stop()
                    self.on_debounced()
                self.results.move(step)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.debounce.isActive():  # Enter before the results of what was typed: open when they come
                    self.debounce.stop()
                    self.on_debounced()
                    self._open_when_ready = bool(self._query)
                    return True
                return self.results.open_current()
            if key == Qt.Key.Key_Escape:
                if self.search_bar.field.text():
                    self.search_bar.field.clear()
                elif self.tablet and self.pages.currentWidget() is self.document:
                    self.go_back()
                return True
        elif obj is self.results.view and key == Qt.Key.Key_Escape:
            self.focus_search()
            return True
        elif obj is self.document.browser and key == Qt.Key.Key_Escape:
            if self.tablet:
                self.go_back()
                self.results.view.setFocus()
            else:
                self.focus_search()
            return True
        return False

    # -- index, settings, misc ----------------------------------------------------------------------------
    def on_index_failed(self, message: str, details: str) -> None:
        """No usable index: said in the UI language with what to do; the technical text is in the details."""
        self.status.set_stats(None, demo=self.session.is_demo)
        where = str(self.session.effective_index_dir)
        if self.session.engine is not None:  # a replacement failed; the open index keeps serving
            show_error(self, tr("Den nye indeksen kunne ikke åpnes; den forrige brukes fortsatt."),
                       f"{where}\n{message}\n\n{details}")
            return
        self._no_index = tr("Det finnes ingen brukbar indeks i {folder}. Velg Fil → Bygg indeks … for å lage "
                            "en fra mappene med prosedyrene, eller velg en annen indeksmappe i Fil → "
                            "Innstillinger.", folder=where)
        self._update_index_state()
        if self.search_bar.field.text().strip():
            self.results.show_no_index()
        show_error(self, tr("Indeksen kunne ikke åpnes."), f"{self._no_index}\n\n{message}\n\n{details}",
                   informative=self._no_index)

    def on_build_index(self) -> None:
        from app.build_dialog import BuildDialog

        if self.status.building:
            self.status.showMessage(tr("En indeks bygges allerede; se fremdriften nederst i vinduet."), 8000)
            return
        BuildDialog(parent=self, config=self.config, session=self.session).open()

    def on_settings(self) -> None:
        from app.settings_dialog import SettingsDialog

        dialog = SettingsDialog(parent=self, config=self.config)
        dialog.accepted.connect(lambda: self.on_settings_saved(dialog.changed))
        dialog.open()

    def on_settings_saved(self, changed: set[str]) -> None:
        if changed & {"language", "tablet_mode", "font_scale"}:
            self.apply_config()
        if "index_dir" in changed:
            self.status.set_opening()
            self.session.reopen(self.config.get("index_dir") or None)
        if changed & {"model_path", "semantic"}:
            self.status.showMessage(tr("Endringer i språkmodellen brukes fra neste oppstart."), 8000)

    def on_tablet_toggled(self, on: bool) -> None:
        self.config.set_user("tablet_mode", "on" if on else "off")
        self.config.save()
        self.apply_config()

    def on_hit_menu(self, hit: Hit, at) -> QMenu | None:
        """A hit's context menu: open the VAR procedure it overlaps (or the copy it repeats), then the sets."""
        menu = self.sets_actions.add_menu(hit) if self.sets.store is not None else QMenu(self)
        if hit.overlaps_id:
            label = (tr("Åpne nyere kopi: {title}", title=hit.overlaps_title) if hit.overlap_kind == "duplicate"
                     else tr("Åpne VAR-prosedyren: {title}", title=hit.overlaps_title))
            first = menu.actions()[0] if menu.actions() else None
            menu.insertAction(first, QAction(label, menu, triggered=lambda: self.open_doc_id(hit.overlaps_id)))
            if first is not None:
                menu.insertSeparator(first)
        if not menu.actions():
            return None
        menu.popup(at)
        return menu

    def on_cleanup(self) -> None:
        """The procedure team's cleanup view (one window, raised if already open)."""
        from app.cleanup_view import CleanupView

        view = self.cleanup
        if view is None or not is_alive(view):
            view = self.cleanup = CleanupView(session=self.session, parent=self)
            view.open_requested.connect(self.open_doc_id)
            self.session.engine_changed.connect(view.load)
        view.load()
        view.show()
        view.raise_()

    def on_about(self) -> None:
        from app.help import show_about

        show_about(self)

    def on_help(self):
        from app.help import show_help

        return show_help(self, list(dict.fromkeys([*self.actions(), *self.sets_actions.menu.actions()])))

    def closeEvent(self, event) -> None:
        self.debounce.stop()
        self.preview.stop()
        super().closeEvent(event)
