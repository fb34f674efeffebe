"""The document view: the procedure with headings, a section list, metadata, find-in-document and zoom.

``SafeBrowser`` is a ``QTextBrowser`` that loads nothing by itself: no remote (or any) resources, no link
following. Links inside the generated HTML are only ``doc:ID`` links to other procedures, handled here; the
original file or web page opens only when the user clicks "Åpne original".
"""

from __future__ import annotations

import datetime as dt
import html
import logging

from app.flowlayout import FlowLayout
from app.i18n import tr
from app.qt import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPalette,
    QPushButton,
    QScrollArea,
    QShortcut,
    QSplitter,
    Qt,
    QTextBrowser,
    QTimer,
    QUrl,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.search import dochtml
from app.search.findbar import FindBar
from app.search.results import badge_text, chip_colours
from index.api import Decision
from index.records import Procedure

log = logging.getLogger(__name__)
SHORT_INTRO = 200  # characters: an introduction this short above the hit's section needs no "from the start"


class SafeBrowser(QTextBrowser):
    """Shows generated HTML; fetches no resource and follows no link on its own."""

    def __init__(self, *, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.blocked: list[str] = []  # resource requests refused (for the log and the tests)

    def loadResource(self, kind: int, url: QUrl):
        self.blocked.append(url.toString())
        log.info("document view refused to load resource %s", url.toString())

    def setSource(self, url: QUrl, *args) -> None:
        log.info("document view ignored navigation to %s", url.toString())


class DocumentPane(QWidget):
    """Shows one procedure. Emits requests; the window decides what to do with them."""

    back_requested = Signal()
    open_original_requested = Signal(object)  # Procedure
    document_requested = Signal(str)  # doc id (a "replaced by" link)
    copy_requested = Signal(str, str)  # what ("link"/"title"), text
    star_requested = Signal(object, object)  # Procedure, global QPoint: the "add to set" menu goes there

    def __init__(self, *, parent=None):
        super().__init__(parent)
        self.procedure: Procedure | None = None
        self.current_section = -1
        self._terms: list[str] = []
        self._replaced_title = ""
        self._decision: Decision | None = None
        self._var_title = ""
        self._zoom = 0

        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.back_requested)
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.on_open_original)
        self.copy_link_button = QPushButton()
        self.copy_link_button.clicked.connect(lambda: self._copy("link"))
        self.copy_title_button = QPushButton()
        self.copy_title_button.clicked.connect(lambda: self._copy("title"))
        self.star_button = QPushButton()
        self.star_button.clicked.connect(self.on_star)
        self._starred = False
        self.zoom_out_button = QPushButton("A−")
        self.zoom_out_button.clicked.connect(lambda: self.zoom(-1))
        self.zoom_in_button = QPushButton("A+")
        self.zoom_in_button.clicked.connect(lambda: self.zoom(+1))
        title_row = QHBoxLayout()
        title_row.addWidget(self.back_button)
        title_row.addWidget(self.title_label, 1)
        actions = FlowLayout(right=True)  # wraps at large text instead of holding the window wider than the screen
        for b in (self.star_button, self.open_button, self.copy_link_button, self.copy_title_button,
                  self.zoom_out_button, self.zoom_in_button):
            actions.addWidget(b)
        self.title_label.setMinimumWidth(100)

        self.sections = QListWidget()
        self.sections.setWordWrap(True)  # long headings wrap in the narrow column (large text) rather than scroll
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.sections.itemClicked.connect(self.on_section_clicked)
        self.sections.itemActivated.connect(self.on_section_clicked)
        self.sections_label = QLabel()
        self.meta_label = QLabel()
        self.meta = QFormLayout()
        self.meta.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        meta_box = QFrame()
        meta_box.setFrameShape(QFrame.Shape.StyledPanel)
        meta_box.setLayout(self.meta)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.sections_label)
        side_layout.addWidget(self.sections, 1)
        side_layout.addWidget(self.meta_label)
        # The facts scroll rather than squeeze the section list (large text, 800-pixel-high screens).
        self.meta_scroll = QScrollArea()
        self.meta_scroll.setWidget(meta_box)
        self.meta_scroll.setWidgetResizable(True)
        self.meta_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.meta_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side_layout.addWidget(self.meta_scroll, 1)

        self.browser = SafeBrowser()
        self.browser.anchorClicked.connect(self.on_anchor)
        self.find_bar = FindBar(browser=self.browser)
        reader = QWidget()
        reader_layout = QVBoxLayout(reader)
        reader_layout.setContentsMargins(0, 0, 0, 0)
        # Opened at the section with the hit: say so, and offer the way back to the title and the start.
        self.start_bar = QFrame()
        self.start_bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.start_label = QLabel()
        self.start_label.setWordWrap(True)
        self.start_label.setTextFormat(Qt.TextFormat.PlainText)
        self.start_button = QPushButton()
        self.start_button.clicked.connect(self.go_to_start)
        start_layout = QHBoxLayout(self.start_bar)
        start_layout.setContentsMargins(6, 2, 2, 2)
        start_layout.addWidget(self.start_label, 1)
        start_layout.addWidget(self.start_button)
        self.start_bar.hide()
        self.browser.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        home = QShortcut(QKeySequence("Ctrl+Home"), self.browser, self.go_to_start)
        home.setContext(Qt.ShortcutContext.WidgetShortcut)
        reader_layout.addWidget(self.start_bar)
        reader_layout.addWidget(self.browser, 1)
        reader_layout.addWidget(self.find_bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(side)
        self.splitter.addWidget(reader)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(title_row)
        layout.addLayout(actions)
        layout.addWidget(self.splitter, 1)
        self.side = side
        self.retranslate()
        self._set_enabled(False)

    # -- showing ------------------------------------------------------------------------------------------
    def show_procedure(self, proc: Procedure, *, section: str = "", terms: list[str] = (),
                       replaced_title: str = "", decision: Decision | None = None, var_title: str = "") -> None:
        """``decision``: the procedure team's (index.decisions), with ``var_title`` the VAR procedure it names; a
        «Lokalt tillegg» marks the sections VAR does not cover in the section list."""
        self.procedure, self._terms, self._replaced_title = proc, list(terms), replaced_title
        self._decision, self._var_title = decision, var_title
        self._set_enabled(True)
        self.side.show()
        self._render()
        self.sections.clear()
        added = set(decision.uncovered) if decision is not None and decision.decision == "lokalt_tillegg" else set()
        for i, s in enumerate(proc.sections):
            heading = s.heading or tr("(innledning)")
            item = QListWidgetItem(f"＋ {heading}" if i in added else heading)
            item.setData(Qt.ItemDataRole.UserRole, i)
            if i in added:  # what this local addition keeps: VAR has no counterpart
                font = item.font()
                font.setBold(True)
                item.setFont(font)
                item.setToolTip(tr("Ikke i VAR-prosedyren"))
                item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, tr("Ikke i VAR-prosedyren"))
            self.sections.addItem(item)
        self._fill_meta()
        target = max(dochtml.section_index(proc, section), 0)
        self.jump_to_section(target)
        # Jump again once the new text is laid out at its final width (the pane may just have been shown).
        QTimer.singleShot(0, lambda: self.jump_to_section(target) if self.procedure is proc else None)

    def _render(self) -> None:
        palette = self.palette()
        page = dochtml.procedure_html(
            self.procedure, terms=self._terms,
            highlight_bg=palette.color(QPalette.ColorRole.Highlight).name(),
            highlight_fg=palette.color(QPalette.ColorRole.HighlightedText).name())
        self.browser.setHtml(page)
        self.title_label.setText(f"<b>{html.escape(self.procedure.title)}</b>")

    def jump_to_section(self, index: int) -> None:
        if self.procedure is None or not 0 <= index < len(self.procedure.sections):
            return
        self.current_section = index
        self.sections.setCurrentRow(index)
        self.browser.scrollToAnchor(dochtml.anchor(index))
        self._update_start_bar()

    def go_to_start(self) -> None:
        """Back to the title, the facts and the first section (the "from the start" control, Ctrl+Home)."""
        self.browser.verticalScrollBar().setValue(0)
        self.current_section = 0
        self.sections.setCurrentRow(0)
        self.start_bar.hide()

    def _on_scrolled(self, value: int) -> None:
        if value == 0:
            self.start_bar.hide()  # the start is in view: nothing to offer

    def _update_start_bar(self) -> None:
        # Not for the first section under a short introduction: then there is little above to miss.
        index = self.current_section
        above = sum(len(s.text) for s in self.procedure.sections[:index]) if self.procedure else 0
        away = index > 0 and (index > 1 or above > SHORT_INTRO) and self.browser.verticalScrollBar().value() > 0
        if away:
            heading = self.procedure.sections[self.current_section].heading or tr("(innledning)")
            self.start_label.setText(tr("Viser avsnittet «{section}».", section=heading))
        self.start_bar.setVisible(away)

    def on_section_clicked(self, item: QListWidgetItem) -> None:
        self.jump_to_section(int(item.data(Qt.ItemDataRole.UserRole)))

    def on_anchor(self, url: QUrl) -> None:
        if url.scheme() == "doc":
            self.document_requested.emit(url.path())
        elif url.hasFragment() and not url.scheme():
            self.browser.scrollToAnchor(url.fragment())

    def _fill_meta(self) -> None:
        while self.meta.rowCount():
            self.meta.removeRow(0)
        p = self.procedure

        def row(label: str, text: str, *, chip: str = "", link: str = "") -> None:
            value = QLabel(text)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
            value.setTextFormat(Qt.TextFormat.RichText if link else Qt.TextFormat.PlainText)
            if link:
                value.setText(f'<a href="{html.escape(link)}">{html.escape(text)}</a>')
                value.linkActivated.connect(lambda href: self.document_requested.emit(href.removeprefix("doc:")))
            if chip:
                bg, fg = chip_colours(chip, self.palette())
                value.setAutoFillBackground(True)
                pal = value.palette()
                pal.setColor(QPalette.ColorRole.Window, bg)
                pal.setColor(QPalette.ColorRole.WindowText, fg)
                value.setPalette(pal)
                value.setContentsMargins(6, 3, 6, 3)
            value.setAccessibleName(f"{label} {text}")
            self.meta.addRow(label, value)

        row(tr("Kilde"), badge_text(p.tier), chip=p.tier)
        if p.owner:
            row(tr("Eier"), p.owner)
        if p.unit:
            row(tr("Enhet"), p.unit)
        row(tr("Språk"), {"nb": "bokmål", "nn": "nynorsk", "en": "English"}.get(p.language, p.language))
        if p.revised:
            row(tr("Revidert"), p.revised.isoformat())
        if p.review_due:
            if p.review_due < dt.date.today():
                row(tr("Neste revisjon"), tr("Revisjon forfalt {date}", date=p.review_due.isoformat()),
                    chip="stale")
            else:
                row(tr("Neste revisjon"), p.review_due.isoformat())
        if p.status == "superseded":
            title = self._replaced_title or p.replaced_by
            if p.replaced_by:
                row(tr("Status"), tr("Utgått – erstattet av {title}", title=title), chip="superseded",
                    link=f"doc:{p.replaced_by}")
            else:
                row(tr("Status"), tr("Utgått"), chip="superseded")
        decided = self._decision
        if decided is not None and decided.var_id and decided.decision in ("utfases", "lokalt_tillegg"):
            text = (tr("Utfases — bruk VAR: {title}", title=self._var_title) if decided.decision == "utfases"
                    else tr("Lokalt tillegg til: {title}", title=self._var_title))
            row(tr("Beslutning"), text, link=f"doc:{decided.var_id}")  # a link on a dark chip is unreadable
        if p.keywords:
            row(tr("Nøkkelord"), ", ".join(p.keywords))
        row(tr("ID"), p.doc_id)

    def _show_placeholder(self) -> None:
        self.side.hide()
        self.title_label.clear()
        self.browser.setHtml(f"<p style='margin-top:2em'>{tr('Velg et treff for å lese prosedyren her.')}</p>")

    def _set_enabled(self, on: bool) -> None:
        for w in (self.star_button, self.open_button, self.copy_link_button, self.copy_title_button,
                  self.zoom_in_button, self.zoom_out_button):
            w.setEnabled(on)

    # -- actions ------------------------------------------------------------------------------------------
    def on_open_original(self) -> None:
        if self.procedure is not None:
            self.open_original_requested.emit(self.procedure)

    def on_star(self) -> None:
        if self.procedure is not None:
            button = self.star_button
            self.star_requested.emit(self.procedure, button.mapToGlobal(button.rect().bottomLeft()))

    def set_starred(self, on: bool) -> None:
        """A filled star while the shown document is in a set or the bookmarks."""
        self._starred = on
        self.star_button.setText(tr("★ I sett …") if on else tr("☆ Legg til i sett …"))

    def _copy(self, what: str) -> None:
        p = self.procedure
        if p is None:
            return
        text = p.title if what == "title" else (p.url or f"kildefinner:{p.doc_id}")
        self.copy_requested.emit(what, text)

    def zoom(self, step: int) -> None:
        """One step = 2 points larger/smaller; 0 resets."""
        points = -self._zoom if step == 0 else 2 * step
        if not -6 <= self._zoom + points <= 24:
            return
        self._zoom += points
        if points > 0:
            self.browser.zoomIn(points)
        elif points < 0:
            self.browser.zoomOut(-points)

    def show_find(self) -> None:
        self.find_bar.open()

    def retranslate(self) -> None:
        self.back_button.setText(tr("← Tilbake til treff"))
        self.back_button.setAccessibleName(tr("Tilbake til treff"))
        self.open_button.setText(tr("Åpne original"))
        self.open_button.setToolTip(tr("Åpner kildefilen eller nettadressen i et annet program"))
        self.copy_link_button.setText(tr("Kopier lenke"))
        self.copy_title_button.setText(tr("Kopier tittel"))
        self.set_starred(self._starred)
        self.star_button.setToolTip(tr("Legg prosedyren i Mine bokmerker eller et sett (Ctrl+D = bokmerke)"))
        self.zoom_in_button.setAccessibleName(tr("Større tekst"))
        self.zoom_in_button.setToolTip(tr("Større tekst (Ctrl++)"))
        self.zoom_out_button.setAccessibleName(tr("Mindre tekst"))
        self.zoom_out_button.setToolTip(tr("Mindre tekst (Ctrl+-)"))
        self.sections_label.setText(tr("Avsnitt"))
        self.sections.setAccessibleName(tr("Avsnitt i dokumentet"))
        self.meta_label.setText(tr("Om dokumentet"))
        self.browser.setAccessibleName(tr("Dokumenttekst"))
        self.start_button.setText(tr("↑ Fra starten"))
        self.start_button.setToolTip(tr("Til tittelen og starten av prosedyren (Ctrl+Home)"))
        self.start_button.setAccessibleName(tr("Les fra starten av prosedyren"))
        self.find_bar.retranslate()
        if self.procedure is None:
            self._show_placeholder()
        else:
            current = self.current_section
            self.show_procedure(self.procedure, terms=self._terms, replaced_title=self._replaced_title,
                                decision=self._decision, var_title=self._var_title)
            self.jump_to_section(current)
