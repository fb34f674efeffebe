"""Two documents side by side: the local procedure and the VAR procedure (or copy) it overlaps.

The matching sections found at build time are listed on top; choosing one scrolls both texts to that pair, so
a reviewer can judge an overlap in seconds. The local sections VAR does not cover (``Overlap.additions``, what
a «Lokalt tillegg» would keep) are highlighted, and the two texts scroll together (proportionally, so a short
and a long document stay level) unless «Synkron rulling» is switched off. Both documents are read on the task
runner, never on the main thread. The text is rendered by ``app.search.dochtml`` into ``SafeBrowser``s: nothing is
fetched, nothing followed.
"""

from __future__ import annotations

import html

from app.cleanup.model import CATEGORIES, CleanupRow
from app.errors import show_error
from app.i18n import tr
from app.qt import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPalette,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from app.search import dochtml
from app.search.document import SafeBrowser
from app.search.results import badge_text
from index.records import Procedure


class CompareDialog(QDialog):
    """Non-modal: several pairs can be open while the team works down the list."""

    def __init__(self, *, session, row: CleanupRow, parent=None):
        super().__init__(parent)
        self.row = row
        self.procedures: tuple[Procedure, Procedure] | None = None
        self.flagged: frozenset[int] = frozenset()  # local sections VAR does not cover
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(tr("Side om side: {title}", title=row.title))
        self.heading = QLabel(tr("{kind} · sikkerhet {score}", kind=tr(CATEGORIES[row.category]),
                                 score=f"{row.score:.0%}" if row.score is not None else "–"))
        self.matches_label = QLabel(tr("Like seksjoner (velg for å vise begge):"))
        self.matches = QListWidget()
        self.matches.setMaximumHeight(6 * self.fontMetrics().height())
        self.matches.currentRowChanged.connect(self.on_match)
        self.left_title, self.right_title = QLabel(), QLabel()
        self.left, self.right = SafeBrowser(), SafeBrowser()
        self.left.setAccessibleName(tr("Lokalt dokument"))
        self.right.setAccessibleName(tr("VAR / annet dokument"))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for title, browser in ((self.left_title, self.left), (self.right_title, self.right)):
            title.setWordWrap(True)
            title.setTextFormat(Qt.TextFormat.RichText)
            pane = QWidget()
            layout = QVBoxLayout(pane)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(title)
            layout.addWidget(browser, 1)
            splitter.addWidget(pane)
        self.sync = QCheckBox(tr("Synkron rulling"))
        self.sync.setChecked(True)
        self._syncing = False
        for source, target in ((self.left, self.right), (self.right, self.left)):
            source.verticalScrollBar().valueChanged.connect(
                lambda _v, s=source, t=target: self.on_scrolled(s, t))
        buttons = QDialogButtonBox()
        # Decide from here too: the «Rydding» view saves it (its decisions file, its background save).
        self.decide_button = buttons.addButton(tr("Beslutning …"), QDialogButtonBox.ButtonRole.ActionRole)
        self.decide_button.setEnabled(getattr(parent, "store", None) is not None)
        self.decide_button.clicked.connect(lambda: parent.decide_rows([row]))
        buttons.addButton(tr("Lukk"), QDialogButtonBox.ButtonRole.RejectRole)  # Qt's own "Close" is not translated
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.matches_label)
        layout.addWidget(self.matches)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.sync)
        layout.addWidget(buttons)
        self.resize(1100, 750)
        self._load(session)

    def _load(self, session) -> None:
        engine = session.engine
        if engine is None:
            return
        row = self.row
        session.runner.run(lambda _t: (engine.document(row.doc_id), engine.document(row.other_id)), serial=True,
                           owner=self, name="compare", on_success=self.on_loaded,
                           on_failure=lambda exc: show_error(self, tr("Dokumentene kunne ikke åpnes."), str(exc)))

    def on_loaded(self, procedures: tuple[Procedure, Procedure]) -> None:
        self.procedures = procedures
        palette = self.palette()
        colours = {"highlight_bg": palette.color(QPalette.ColorRole.Highlight).name(),
                   "highlight_fg": palette.color(QPalette.ColorRole.HighlightedText).name()}
        terms = list(self.row.overlap.shared_terms) if self.row.overlap else []
        additions = set(self.row.overlap.additions) if self.row.overlap else set()
        local = procedures[0]
        self.flagged = frozenset(i for i, s in enumerate(local.sections)
                                 if (s.heading or s.text[:40]) in additions)
        for proc, title, browser, flagged in zip(procedures, (self.left_title, self.right_title),
                                                 (self.left, self.right), (self.flagged, ()), strict=True):
            title.setText(f"<b>{html.escape(badge_text(proc.tier))}</b> · {html.escape(proc.title)}<br/>"
                          f"<small>{html.escape(proc.owner)} · {html.escape(proc.doc_id)}</small>")
            browser.setHtml(dochtml.procedure_html(proc, terms=terms, flagged=flagged,
                                                   flag_note=tr("Ikke i VAR-prosedyren"), **colours))
        self.matches.clear()
        for m in (self.row.overlap.sections if self.row.overlap else ()):
            item = QListWidgetItem(f"{m.heading}  ↔  {m.other_heading}   ({m.similarity:.2f})")
            item.setData(Qt.ItemDataRole.UserRole, (m.heading, m.other_heading))
            self.matches.addItem(item)
        self.matches_label.setVisible(self.matches.count() > 0)
        self.matches.setVisible(self.matches.count() > 0)
        if self.matches.count():
            self.matches.setCurrentRow(0)

    def on_scrolled(self, source, target) -> None:
        if self._syncing or not self.sync.isChecked():
            return
        src, dst = source.verticalScrollBar(), target.verticalScrollBar()
        share = src.value() / src.maximum() if src.maximum() else 0.0
        self._syncing = True
        try:
            dst.setValue(round(share * dst.maximum()))
        finally:
            self._syncing = False

    def on_match(self, index: int) -> None:
        item = self.matches.item(index)
        if item is None or self.procedures is None:
            return
        self._syncing = True  # each text jumps to its own section of the pair
        try:
            self._show_pair(item)
        finally:
            self._syncing = False

    def _show_pair(self, item) -> None:
        for proc, browser, heading in zip(self.procedures, (self.left, self.right),
                                          item.data(Qt.ItemDataRole.UserRole), strict=True):
            section = dochtml.section_index(proc, heading)
            if section < 0:  # a section without a heading is named by its first words
                section = next((i for i, s in enumerate(proc.sections) if s.text.startswith(heading)), -1)
            if section >= 0:
                browser.scrollToAnchor(dochtml.anchor(section))
