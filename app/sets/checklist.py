"""The printed checklist for a new employee: PDF (``QPdfWriter``), printer (``QPrinter``) or a page image.

One layout serves all three: the body is a ``QTextDocument`` (escaped HTML, so nothing in a set's text is
ever interpreted) paginated to the page's body area, with the table header repeated on every page; the
header (set name) and footer (print date, "page n of m") are painted around it on each page.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections.abc import Mapping
from pathlib import Path

from app.i18n import tr
from app.qt import (
    QAbstractTextDocumentLayout,
    QFont,
    QFontMetrics,
    QImage,
    QMarginsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QRectF,
    QSizeF,
    Qt,
    QTextDocument,
)
from app.search.results import badge_text
from app.sets.check import MISSING, STALE, SUPERSEDED, ItemState, current, warning
from app.sets.model import set_display_name
from app.sets.records import OnboardingSet, SetsError

MARGINS_MM = QMarginsF(15, 14, 15, 14)
BODY_PT = 9.5


def checklist_html(data: OnboardingSet, states: Mapping[str, ItemState],
                   ticks: Mapping[str, dt.date] | None = None) -> str:
    """``ticks`` (item uid → date): a learner's progress, printed as ticked boxes with the date; None = blank."""
    e = html.escape
    out = [f"<h2>{e(set_display_name(data))}</h2>"]
    if ticks is not None:
        done = sum(p.uid in ticks for p in data.procedures)
        out.append(f"<p><b>{e(tr('Fremdrift: {done} av {total} utført', done=done, total=len(data.procedures)))}"
                   "</b></p>")
    if data.description:
        out.append("".join(f"<p>{e(line)}</p>" for line in data.description.splitlines() if line.strip()))
    blank = "_" * 28
    out.append("<table width='100%' cellpadding='4' style='margin-top:6px'><tr>"
               f"<td>{e(tr('Ny medarbeider'))}: {blank}</td><td>{e(tr('Veileder'))}: {blank}</td></tr><tr>"
               f"<td>{e(tr('Avdeling/enhet'))}: {blank}</td><td>{e(tr('Startdato'))}: {blank}</td></tr></table><br>")
    out.append("<table width='100%' border='1' cellspacing='0' cellpadding='5' "
               "style='border-collapse:collapse; border-color:#777'>"
               f"<thead><tr style='background-color:#e6e6e6'><th width='5%'>{e(tr('Nr.'))}</th>"
               f"<th width='59%' align='left'>{e(tr('Prosedyre'))}</th>"
               f"<th width='9%'>{e(tr('Utført'))}</th>"
               f"<th width='27%' align='left'>{e(tr('Dato / signatur'))}</th></tr></thead>")
    number = 0
    for item in data.items:
        if item.is_heading:
            out.append(f"<tr style='background-color:#f2f2f2'><td colspan='4'><b>{e(item.title)}</b></td></tr>")
            continue
        number += 1
        state = states.get(item.doc_id)
        now = current(item, state)
        meta = [badge_text(now["tier"]) if now["tier"] else "", now["owner"],
                tr("revidert {date}", date=now["revised"]) if now["revised"] else ""]
        cell = [f"<b>{e(now['title'])}</b>", f"<br><small>{e(' · '.join(p for p in meta if p))}</small>"]
        warning = _warning(state)
        if warning:
            cell.append(f"<br><small><b>{e(tr('OBS'))}: {e(warning)}</b></small>")
        if item.note:
            note = "<br>".join(e(line) for line in item.note.splitlines())
            cell.append(f"<br><i>{e(tr('Merknad'))}: {note}</i>")
        ticked = ticks.get(item.uid) if ticks is not None else None
        box, when = ("☑", e(tr("Utført {date}", date=ticked.isoformat()))) if ticked else ("☐", "")
        out.append(f"<tr><td align='center'>{number}</td><td>{''.join(cell)}</td>"
                   f"<td align='center'><span style='font-size:16pt'>{box}</span></td><td>{when}</td></tr>")
    if number == 0:
        out.append(f"<tr><td colspan='4'>{e(tr('Settet har ingen prosedyrer ennå.'))}</td></tr>")
    out.append("</table><br>")
    out.append(f"<p>{e(tr('Signatur veileder'))}: {'_' * 34} &nbsp; {e(tr('Dato'))}: {'_' * 16}</p>")
    reminder = tr("Les alltid gjeldende versjon av prosedyren i Kildefinner; en utskrift kan bli utdatert.")
    out.append(f"<p><small>{e(reminder)}</small></p>")
    return "".join(out)


def _warning(state: ItemState | None) -> str:
    if state is None:
        return ""
    if state.state == MISSING:
        return tr("Finnes ikke lenger i indeksen")
    if state.state == SUPERSEDED:
        return warning(state)
    if state.state == STALE:
        return tr("Revisjon forfalt {date}", date=state.review_due)
    return ""


class Checklist:
    """The laid-out checklist for one page geometry; ``paint_page`` draws page ``n`` (0-based)."""

    def __init__(self, *, data: OnboardingSet, states: Mapping[str, ItemState], device, page_px: QRectF,
                 printed_on: dt.date | None = None, ticks: Mapping[str, dt.date] | None = None):
        self.data = data
        self.printed_on = printed_on or dt.date.today()
        self.page = QRectF(page_px)
        self.font = QFont()
        self.font.setPointSizeF(BODY_PT)
        self.small = QFont(self.font)
        self.small.setPointSizeF(BODY_PT * 0.85)
        line = QFontMetrics(self.small, device).height()
        self.band = line * 2.2  # header and footer bands
        self.body = self.page.adjusted(0, self.band, 0, -self.band)
        self.doc = QTextDocument()
        self.doc.documentLayout().setPaintDevice(device)  # measure text at the device's resolution
        self.doc.setDefaultFont(self.font)
        self.doc.setHtml(checklist_html(data, states, ticks))
        self.doc.setPageSize(QSizeF(self.body.width(), self.body.height()))

    @property
    def page_count(self) -> int:
        return self.doc.pageCount()

    def paint_page(self, painter: QPainter, n: int) -> None:
        page, body, total = self.page, self.body, self.page_count
        painter.save()
        painter.setFont(self.small)
        painter.setPen(QPen(Qt.GlobalColor.black))
        header = QRectF(page.left(), page.top(), page.width(), self.band * 0.8)
        title = QFontMetrics(self.small, painter.device()).elidedText(
            set_display_name(self.data), Qt.TextElideMode.ElideRight, int(page.width() * 0.6))
        painter.drawText(header, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        painter.drawText(header, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         tr("Kildefinner – opplæringssjekkliste"))
        painter.drawLine(header.bottomLeft(), header.bottomRight())
        footer = QRectF(page.left(), page.bottom() - self.band * 0.8, page.width(), self.band * 0.8)
        painter.drawLine(footer.topLeft(), footer.topRight())
        painter.drawText(footer, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         tr("Skrevet ut {date}", date=self.printed_on.isoformat()))
        painter.drawText(footer, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         tr("Side {n} av {total}", n=n + 1, total=total))
        painter.translate(body.left(), body.top() - n * body.height())
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.clip = QRectF(0, n * body.height(), body.width(), body.height())
        painter.setClipRect(ctx.clip)
        self.doc.documentLayout().draw(painter, ctx)
        painter.restore()


def render(device, data: OnboardingSet, states: Mapping[str, ItemState], *,
           printed_on: dt.date | None = None, ticks: Mapping[str, dt.date] | None = None) -> int:
    """Paint the checklist on a ``QPdfWriter`` or ``QPrinter``; returns the number of pages."""
    painter = QPainter()
    if not painter.begin(device):
        raise SetsError(tr("Utskriften kunne ikke startes."))
    try:
        page_px = QRectF(device.pageLayout().paintRectPixels(device.resolution()))
        page_px.moveTo(0, 0)  # the painter's origin is already the top left of the printable area
        sheet = Checklist(data=data, states=states, device=device, page_px=page_px, printed_on=printed_on,
                          ticks=ticks)
        for n in range(sheet.page_count):
            if n:
                device.newPage()
            sheet.paint_page(painter, n)
        return sheet.page_count
    finally:
        painter.end()


def export_pdf(path: str | Path, data: OnboardingSet, states: Mapping[str, ItemState], *,
               printed_on: dt.date | None = None, ticks: Mapping[str, dt.date] | None = None) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    tmp = path.with_name(f".{path.name}.tmp")
    writer = QPdfWriter(str(tmp))
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     MARGINS_MM, QPageLayout.Unit.Millimeter))
    writer.setTitle(set_display_name(data))
    writer.setCreator("Kildefinner")
    try:
        render(writer, data, states, printed_on=printed_on, ticks=ticks)
        del writer  # flushes and closes the file
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SetsError(tr("PDF-filen kunne ikke lagres: {reason}", reason=exc.strerror or exc)) from exc
    return path


def page_image(data: OnboardingSet, states: Mapping[str, ItemState], *, page: int = 0, dpi: int = 110,
               printed_on: dt.date | None = None, ticks: Mapping[str, dt.date] | None = None) -> QImage:
    """One A4 page as an image (README pictures, a quick look in tests)."""
    size = QPageSize(QPageSize.PageSizeId.A4).sizePoints()
    image = QImage(round(size.width() / 72 * dpi), round(size.height() / 72 * dpi), QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    image.fill(Qt.GlobalColor.white)
    margin = 15 / 25.4 * dpi
    page_px = QRectF(margin, margin, image.width() - 2 * margin, image.height() - 2 * margin)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    sheet = Checklist(data=data, states=states, device=image, page_px=page_px, printed_on=printed_on,
                      ticks=ticks)
    sheet.paint_page(painter, min(page, sheet.page_count - 1))
    painter.end()
    return image
