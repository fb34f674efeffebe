"""Draws one item of a set: check box, title, source chip and flags, owner/revision, done date and note.

Headings are drawn as larger bold group titles without a check box. All text is escaped before it reaches the
``QTextDocument``: titles, notes and headings may come from an imported file and are never markup.
"""

from __future__ import annotations

import html

from app.qt import (
    QAbstractTextDocumentLayout,
    QFontMetrics,
    QPalette,
    QRectF,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QTextDocument,
)
from app.search.results import BADGE_COLOURS, is_dark
from app.sets.model import SetItemsModel


class SetItemDelegate(QStyledItemDelegate):
    def __init__(self, *, parent=None, min_height: int = 0):
        super().__init__(parent)
        self.min_height = min_height  # tablet mode: a comfortable touch target

    def _document(self, index, option, width: float) -> QTextDocument:
        item = index.data(SetItemsModel.ItemRole)
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(option.font)
        e = html.escape
        if item.is_heading:
            size = option.font.pointSizeF() * 1.2 if option.font.pointSizeF() > 0 else 0
            style = f"font-size:{size:.1f}pt;" if size else ""
            doc.setHtml(f"<div style='{style}font-weight:700'>{e(item.title)}</div>")
        else:
            dark = is_dark(option.palette)
            parts = [f"<div style='font-weight:600'>{e(str(index.data(Qt.ItemDataRole.DisplayRole)))}</div>"]
            chips, rest = [], []
            for kind, text in index.data(SetItemsModel.LinesRole) or []:
                if kind in BADGE_COLOURS:
                    light_bg, light_fg, dark_bg, dark_fg = BADGE_COLOURS[kind]
                    bg, fg = (dark_bg, dark_fg) if dark else (light_bg, light_fg)
                    chips.append(f"<span style='background-color:{bg};color:{fg}'>&nbsp;{e(text)}&nbsp;</span>")
                elif kind == "note":
                    rest.append(f"<div><i>{'<br>'.join(e(line) for line in text.splitlines())}</i></div>")
                elif kind == "done":
                    rest.append(f"<div>✓ {e(text)}</div>")
                else:
                    rest.append(f"<div>{e(text)}</div>")
            if chips:
                parts.append(f"<div>{' '.join(chips)}</div>")
            doc.setHtml("".join(parts + rest))
        doc.setTextWidth(max(50.0, width))
        return doc

    def _text_left(self, option, index) -> int:
        """Where the text starts: right of the check box (procedures) or at the padding (headings)."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget else None
        pad = self._pad(option)
        if style is None or not opt.features & QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator:
            return option.rect.left() + pad
        check = style.subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, opt, widget)
        return check.right() + pad

    @staticmethod
    def _pad(option) -> int:
        return max(4, QFontMetrics(option.font).height() // 3)

    def sizeHint(self, option, index) -> QSize:
        if index.data(SetItemsModel.ItemRole) is None:
            return super().sizeHint(option, index)
        view = option.widget
        width = view.viewport().width() if view is not None and hasattr(view, "viewport") else 400
        pad = self._pad(option)
        left = self._text_left(option, index) - option.rect.left()
        doc = self._document(index, option, width - left - pad)
        return QSize(width, max(int(doc.size().height()) + 2 * pad, self.min_height))

    def paint(self, painter, option, index) -> None:
        if index.data(SetItemsModel.ItemRole) is None:
            return super().paint(painter, option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget else None
        if style is not None:  # background, selection, focus and the check box, without text
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        pad = self._pad(option)
        left = self._text_left(option, index)
        width = option.rect.right() - pad - left
        doc = self._document(index, option, width)
        painter.save()
        painter.translate(left, option.rect.top() + pad)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        ctx.clip = QRectF(0, 0, width, option.rect.height() - pad)
        doc.documentLayout().draw(painter, ctx)
        painter.restore()
        painter.save()
        painter.setPen(option.palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(option.rect.left() + pad, option.rect.bottom(), option.rect.right() - pad,
                         option.rect.bottom())
        painter.restore()
