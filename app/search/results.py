"""The result list: a Qt model over ``Hit`` records and a delegate that draws source badges, flags and snippets.

Badges are the only hard-coded colours in the app. Each tier has a dark shade (white text) for light palettes
and a light shade (black text) for dark ones; every pair has a contrast ratio of at least 4.5:1, and the hue
differs between tiers, so VAR stands out at a glance in any palette.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from app.i18n import tr
from app.qt import (
    QAbstractListModel,
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QPen,
    QRect,
    QRectF,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QTextDocument,
    Signal,
)
from app.search.dochtml import clean
from index.records import Hit, Tier

# tier → (light-palette background, light-palette text, dark-palette background, dark-palette text)
BADGE_COLOURS = {
    Tier.VAR: ("#1b5e20", "#ffffff", "#a5d6a7", "#000000"),
    Tier.REGIONAL: ("#0d47a1", "#ffffff", "#90caf9", "#000000"),
    Tier.LOCAL: ("#6a1b9a", "#ffffff", "#ce93d8", "#000000"),
    "stale": ("#ffd54f", "#000000", "#ffd54f", "#000000"),
    "superseded": ("#b71c1c", "#ffffff", "#ef9a9a", "#000000"),
    "overlap": ("#37474f", "#ffffff", "#b0bec5", "#000000"),  # repeats a VAR procedure (or a newer copy)
    "weak": ("#616161", "#ffffff", "#bdbdbd", "#000000"),  # not a real match, only the closest the index has
}
LANGUAGE_NAMES = {"nb": "bokmål", "nn": "nynorsk", "en": "English"}


def badge_text(tier: str) -> str:
    return {Tier.VAR: tr("Primærkilde · VAR"), Tier.REGIONAL: tr("Regional"), Tier.LOCAL: tr("Lokal")}.get(tier, tier)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def chip_colours(kind: str, palette: QPalette) -> tuple[QColor, QColor]:
    light_bg, light_fg, dark_bg, dark_fg = BADGE_COLOURS[kind]
    return (QColor(dark_bg), QColor(dark_fg)) if is_dark(palette) else (QColor(light_bg), QColor(light_fg))


@dataclass(frozen=True, slots=True)
class Flag:
    kind: str  # a BADGE_COLOURS key
    text: str


def hit_flags(hit: Hit, titles: dict[str, str]) -> list[Flag]:
    flags = [] if hit.good else [Flag("weak", tr("Nærmeste forslag"))]
    if hit.status == "superseded":
        target = titles.get(hit.replaced_by) or hit.replaced_by
        flags.append(Flag("superseded", tr("Utgått – erstattet av {title}", title=target) if target
                          else tr("Utgått")))
    if hit.stale:
        due = hit.review_due.isoformat() if isinstance(hit.review_due, dt.date) else "?"
        flags.append(Flag("stale", tr("Revisjon forfalt {date}", date=due)))
    flags.extend(overlap_flags(hit))
    return flags


def overlap_flags(hit: Hit) -> list[Flag]:
    """"VAR AS IS": say which VAR procedure a local hit repeats (placed under it when both are listed)."""
    if not hit.overlaps_id:
        return []
    title = hit.overlaps_title or hit.overlaps_id
    if hit.decision == "utfases":  # the procedure team's decision outranks the detector's finding
        return [Flag("overlap", tr("Utfases — bruk VAR: {title}", title=title))]
    if hit.decision == "lokalt_tillegg":
        return [Flag("overlap", tr("Lokalt tillegg til: {title}", title=title))]
    if hit.overlap_kind == "duplicate":
        return [Flag("overlap", tr("Kopi av: {title}", title=title))]
    if hit.grouped:
        return [Flag("overlap", tr("Lokal variant av: {title}", title=title))]
    return [Flag("overlap", tr("Overlapper VAR: {title}", title=title))]


def snippet_html(hit: Hit) -> str:
    """The snippet with the engine's matched words bold, everything else escaped."""
    text = clean(hit.snippet)  # same length: one character for one
    out, pos = [], 0
    for start, end in hit.marks:
        out.append(html.escape(text[pos:start]))
        out.append(f"<b>{html.escape(text[start:end])}</b>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def marked_terms(hit: Hit) -> list[str]:
    return [w.strip(".,;:!?()[]«»\"'") for w in hit.marked_words()]


class ResultsModel(QAbstractListModel):
    """Hits of the current search, in the engine's order (primary source first)."""

    HitRole = Qt.ItemDataRole.UserRole + 1
    BadgeRole = Qt.ItemDataRole.UserRole + 2
    FlagsRole = Qt.ItemDataRole.UserRole + 3
    populated = Signal()  # after every update, also an empty one (the benchmark listens)

    def __init__(self, *, parent=None):
        super().__init__(parent)
        self._hits: list[Hit] = []
        self.titles: dict[str, str] = {}

    def set_hits(self, hits, titles: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.titles = dict(titles or {})
        self.endResetModel()
        self.populated.emit()

    def clear(self) -> None:
        self.set_hits([])

    def hit(self, row: int) -> Hit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def hits(self) -> list[Hit]:
        return list(self._hits)

    def row_of(self, doc_id: str) -> int:
        return next((i for i, h in enumerate(self._hits) if h.doc_id == doc_id), -1)

    def retranslate(self) -> None:
        if self._hits:
            self.dataChanged.emit(self.index(0), self.index(len(self._hits) - 1))

    def rowCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._hits)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        hit = self.hit(index.row()) if index.isValid() else None
        if hit is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == self.HitRole:
            return hit
        if role == self.BadgeRole:
            return badge_text(hit.tier)
        if role == self.FlagsRole:
            return [f.text for f in hit_flags(hit, self.titles)]
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            parts = [badge_text(hit.tier), hit.title, owner_line(hit)]
            parts += [f.text for f in hit_flags(hit, self.titles)]
            if hit.section:
                parts.append(tr("Best treff: {section}", section=hit.section))
            return ". ".join(p for p in parts if p)
        return None


def owner_line(hit: Hit) -> str:
    parts = [hit.owner]
    if hit.unit and hit.unit not in hit.owner:
        parts.append(hit.unit)
    parts.append(LANGUAGE_NAMES.get(hit.language, hit.language))
    if hit.revised:
        parts.append(tr("revidert {date}", date=hit.revised.isoformat()))
    return " · ".join(p for p in parts if p)


class ResultDelegate(QStyledItemDelegate):
    """Draws one hit: chips (source badge, flags), the title, owner line, best section and snippet."""

    def __init__(self, *, parent=None, min_height: int = 0):
        super().__init__(parent)
        self.min_height = min_height  # tablet mode: a comfortable touch target

    def _padding(self, option) -> int:
        return max(6, QFontMetrics(option.font).height() // 2)

    @staticmethod
    def indent(hit: Hit, option) -> int:
        """A local variant placed under its VAR procedure is indented, so the pair reads as one group."""
        return 2 * QFontMetrics(option.font).height() if hit.grouped else 0

    def _chips(self, hit: Hit, model) -> list[tuple[str, str]]:
        return [(hit.tier, badge_text(hit.tier))] + [(f.kind, f.text) for f in hit_flags(hit, model.titles)]

    def _document(self, hit: Hit, option, width: float) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(option.font)
        title_size = option.font.pointSizeF() * 1.15 if option.font.pointSizeF() > 0 else 0
        size_css = f"font-size:{title_size:.1f}pt;" if title_size else ""
        parts = [f"<div style='{size_css}font-weight:600'>{html.escape(hit.title)}</div>",
                 f"<div>{html.escape(owner_line(hit))}</div>"]
        if hit.section:
            parts.append(f"<div><i>§ {html.escape(hit.section)}</i></div>")
        if hit.snippet:
            parts.append(f"<div>{snippet_html(hit)}</div>")
        doc.setHtml("".join(parts))
        doc.setTextWidth(max(50.0, width))
        return doc

    def _chip_metrics(self, option) -> tuple[QFont, int]:
        font = QFont(option.font)
        font.setBold(True)
        return font, QFontMetrics(font).height() + 6

    def sizeHint(self, option, index) -> QSize:
        hit = index.data(ResultsModel.HitRole)
        if hit is None:
            return super().sizeHint(option, index)
        pad = self._padding(option)
        width = self._row_width(option) - 2 * pad - self.indent(hit, option)
        chips_h = self._chip_rows(hit, index.model(), option, width)
        doc = self._document(hit, option, width)
        height = int(pad + chips_h + pad // 2 + doc.size().height() + pad)
        return QSize(int(width + 2 * pad), max(height, self.min_height))

    @staticmethod
    def _row_width(option) -> int:
        """The width a row will be painted at: the list's viewport (option.rect is not reliable here)."""
        view = option.widget
        if view is not None and hasattr(view, "viewport"):
            return max(100, view.viewport().width() - 2 * view.spacing())
        return option.rect.width() or 400

    def _chip_rows(self, hit, model, option, width) -> int:
        font, chip_h = self._chip_metrics(option)
        fm = QFontMetrics(font)
        x, rows = 0, 1
        for _, text in self._chips(hit, model):
            text = fm.elidedText(text, Qt.TextElideMode.ElideRight, int(width) - 16)  # long VAR titles
            w = fm.horizontalAdvance(text) + 16
            if x and x + w > width:
                rows, x = rows + 1, 0
            x += w + 6
        return rows * chip_h + (rows - 1) * 4

    def paint(self, painter: QPainter, option, index) -> None:
        hit = index.data(ResultsModel.HitRole)
        if hit is None:
            return super().paint(painter, option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget else None
        painter.save()
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        pad = self._padding(option)
        indent = self.indent(hit, option)
        rect = option.rect.adjusted(pad + indent, pad, -pad, -pad)
        font, chip_h = self._chip_metrics(option)
        fm = QFontMetrics(font)
        painter.setFont(font)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if hit.tier == Tier.VAR:  # the primary source also gets an edge stripe: visible at a glance
            stripe = QRectF(option.rect.left() + 1, option.rect.top() + pad / 2, max(3, pad // 2),
                            option.rect.height() - pad)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(chip_colours(Tier.VAR, option.palette)[0])
            painter.drawRoundedRect(stripe, 2, 2)
        if indent:  # an elbow from the VAR hit above down to this variant
            painter.setPen(QPen(option.palette.color(QPalette.ColorRole.Mid), 2))
            left = option.rect.left() + pad + indent // 3
            mid = option.rect.top() + pad + self._chip_metrics(option)[1] // 2
            painter.drawLine(left, option.rect.top(), left, mid)
            painter.drawLine(left, mid, option.rect.left() + pad + indent - 4, mid)
        x, y = rect.left(), rect.top()
        for kind, text in self._chips(hit, index.model()):
            text = fm.elidedText(text, Qt.TextElideMode.ElideRight, rect.width() - 16)  # the tooltip has it all
            w = fm.horizontalAdvance(text) + 16
            if x > rect.left() and x + w > rect.right():
                x, y = rect.left(), y + chip_h + 4
            bg, fg = chip_colours(kind, option.palette)
            chip = QRect(x, y, w, chip_h)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(bg)
            painter.drawRoundedRect(QRectF(chip), chip_h / 2.5, chip_h / 2.5)
            painter.setPen(fg)
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
            x += w + 6
        y += chip_h + pad // 2
        doc = self._document(hit, option, rect.width())
        painter.translate(rect.left(), y)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.ColorRole.Text, option.palette.color(text_role))
        ctx.clip = QRectF(0, 0, rect.width(), rect.bottom() - y + 1)
        doc.documentLayout().draw(painter, ctx)
        painter.restore()
        painter.save()
        painter.setPen(option.palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(option.rect.left() + pad, option.rect.bottom(), option.rect.right() - pad,
                         option.rect.bottom())
        painter.restore()
