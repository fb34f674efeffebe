"""Real DOCX and PDF bytes generated at test time (python-docx, reportlab): nothing binary is committed."""

from __future__ import annotations

import io


def docx_bytes(blocks, *, core: dict | None = None) -> bytes:
    """A DOCX from ``blocks``: ``(style, text)`` paragraphs (style None = Normal) or ``("table", rows)``."""
    import docx

    document = docx.Document()
    for style, content in blocks:
        if style == "table":
            table = document.add_table(rows=len(content), cols=len(content[0]))
            for r, row in enumerate(content):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
        else:
            document.add_paragraph(content, style=style)
    for key, value in (core or {}).items():
        setattr(document.core_properties, key, value)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(pages, *, title: str | None = None, author: str | None = None) -> bytes:
    """A PDF with a text layer: ``pages`` is a list of pages, each a list of lines (None = draw a shape)."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    if title:
        c.setTitle(title)
    if author:
        c.setAuthor(author)
    for lines in pages:
        y = 780
        for line in lines:
            if line is None:
                c.rect(100, y - 200, 300, 200, fill=1)  # a picture-like shape, no text
                y -= 210
            else:
                c.drawString(72, y, line)
                y -= 16
        c.showPage()
    c.save()
    return out.getvalue()
