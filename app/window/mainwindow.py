"""The main window: its panes, desktop and tablet layouts, fonts, language, the notice banner.

Desktop: results and document side by side (a splitter). Tablet: one pane at a time (a stack) with a back
button, larger type and touch targets of at least 9 mm. The behaviour is split by concern into mixins:
``app.window.search`` (typing, results, keyboard), ``app.window.documents`` (reader, history, actions on a
hit) and ``app.window.menus`` (menus, actions and the dialogs they open).
"""

from __future__ import annotations

import itertools
import logging

from app import contrast, tablet
from app.config import LAYERS, Config, shown
from app.i18n import set_language, tr
from app.qt import (
    QApplication,
    QFrame,
    QLabel,
    QLocale,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    Qt,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    is_alive,
)
from app.search.document import DocumentPane
from app.search.history import History
from app.search.results_pane import ResultsPane
from app.search.searchbar import SearchBar
from app.session import Session
from app.sets.view import SetsPane
from app.window.documents import WindowDocuments
from app.window.menus import WindowMenus
from app.window.search import WindowSearch
from app.window.statusbar import StatusBar

log = logging.getLogger(__name__)
DEBOUNCE_MS = 150
PREVIEW_MS = 250  # a highlighted hit shows in the reader once the highlight rests this long


_SYSTEM_FONT: list = []


def system_font():
    """The application font before any scaling of ours (taken once, so scaling never compounds)."""
    if not _SYSTEM_FONT:
        _SYSTEM_FONT.append(QApplication.font())
    return _SYSTEM_FONT[0]


class MainWindow(WindowSearch, WindowDocuments, WindowMenus, QMainWindow):
    document_shown = Signal(str)  # doc id, after the document view shows it (tests, self-test)

    def __init__(self, *, config: Config, session: Session):
        super().__init__()
        from app import qt_strings

        qt_strings.install()  # Qt's own buttons and file dialogs in the UI language
        # WCAG AA text contrast whatever the platform theme (e.g. Fusion's selection blue is 3.7:1 with white)
        QApplication.setPalette(contrast.accessible_palette(QApplication.palette()))
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
        self._set_tab_order()  # once every pane is in the window; a later layout switch keeps the order
        self.fit_to_screen()

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

    def _set_tab_order(self) -> None:
        """Tab follows the screen, top left to bottom right: the tabs, the search field and filters, the hits (or
        the start page's examples, then «Legg inn egne prosedyrer»), then the reader: a set's walk bar, the
        document's buttons, its sections, «Fra starten», the text and the find bar. Hidden or disabled widgets
        are skipped by Qt; the facts panel is read with the text, not a stop of its own."""
        bar, res, doc, walk = self.search_bar, self.results, self.document, self.sets.walk
        self.document.meta_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        chain = [self.left.tabBar(), self.banner_close, bar.field, bar.filter_button, *bar.tier_boxes.values(),
                 *bar.language_boxes.values(), bar.stale_box, bar.superseded_box, bar.owner_field, bar.reset_button,
                 res.suggestion_button, res.newer_button, res.view, *res.example_buttons, res.build_button,
                 res.reset_button, res.none_build_button, walk.prev_button, walk.next_button, walk.done_box,
                 walk.close_button, doc.back_button, doc.star_button, doc.open_button, doc.copy_link_button,
                 doc.copy_title_button, doc.zoom_out_button, doc.zoom_in_button, doc.sections, doc.start_button,
                 doc.browser, doc.find_bar.field, doc.find_bar.prev_button, doc.find_bar.next_button,
                 doc.find_bar.close_button]
        for first, then in itertools.pairwise(chain):
            QWidget.setTabOrder(first, then)

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
            for pane in (self.results_box, self.document):
                pane.show()  # the stack hid the page not in front; a splitter keeps a hidden child hidden
            self.splitter.setStretchFactor(0, 2)
            self.splitter.setStretchFactor(1, 3)
            self.central.setCurrentWidget(self.splitter)
        self.setStyleSheet(tablet.stylesheet(target) if self.tablet else "")
        self.document.back_button.setVisible(self.tablet)
        self.results.set_touch(target=target)
        self.search_bar.set_touch(target=target)
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
        lines += ["• " + tr("{key} fra {layer}: {reason}", key=key, layer=tr(LAYERS.get(layer, layer)),
                            reason=shown(reason)) for layer, key, reason in self.config.ignored]
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

    def closeEvent(self, event) -> None:
        self.debounce.stop()
        self.preview.stop()
        super().closeEvent(event)
