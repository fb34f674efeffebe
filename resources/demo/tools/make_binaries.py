#!/usr/bin/env python3
"""Regenerate the demo corpus' DOCX and PDF files from their Markdown sources.

Fictional demo material – not clinical guidance.

Sources live in ``resources/demo/tools/sources/*.md`` and use the same YAML front matter as the Markdown
procedures in the demo corpus. Where each binary goes (and whether it is DOCX or PDF) is read from
``resources/demo/manifest.csv``: the row whose ``id`` equals the source's ``id`` gives the output path, and
the file extension picks the format. The script also checks that the manifest row's metadata matches the
front matter, so the manifest and the binaries cannot drift apart silently.

Output is deterministic: fixed ZIP timestamps and core-property dates in DOCX (taken from ``revised``),
and reportlab's ``invariant=1`` for PDF. Running the script twice gives byte-identical files.

Usage (from the repository root)::

    .venv/bin/python resources/demo/tools/make_binaries.py          # write the binaries
    .venv/bin/python resources/demo/tools/make_binaries.py --check  # exit 1 if a binary is out of date
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DEMO = Path(__file__).resolve().parents[1]
SOURCES = DEMO / "tools" / "sources"
MANIFEST = DEMO / "manifest.csv"
FIELDS = ["id", "title", "source", "owner", "unit", "language", "revised", "review_due", "status", "keywords", "url"]
GENERATOR = "Kildefinner demo corpus (resources/demo/tools/make_binaries.py)"
ZIP_DATE = (2026, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------------------------------------------
# A tiny Markdown reader: only what the sources use (headings, paragraphs, bullet and numbered lists,
# one level of nested bullets, *italic* and **bold**).


@dataclass
class Block:
    kind: str  # "h1" | "h2" | "p" | "bullet" | "number" | "subbullet"
    text: str
    number: str = ""


@dataclass
class Source:
    path: Path
    meta: dict
    blocks: list[Block] = field(default_factory=list)


def read_source(path: Path) -> Source:
    text = path.read_text(encoding="utf-8")
    m = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S)
    if not m:
        raise SystemExit(f"{path}: missing YAML front matter")
    meta = yaml.safe_load(m.group(1))
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block("p", " ".join(para)))
            para.clear()

    for line in m.group(2).splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif line.startswith("## "):
            flush()
            blocks.append(Block("h2", line[3:].strip()))
        elif line.startswith("# "):
            flush()
            blocks.append(Block("h1", line[2:].strip()))
        elif re.match(r"^\s{2,}- ", line):
            flush()
            blocks.append(Block("subbullet", stripped[2:]))
        elif line.startswith("- "):
            flush()
            blocks.append(Block("bullet", line[2:].strip()))
        elif nm := re.match(r"^(\d+)\. (.*)$", line):
            flush()
            blocks.append(Block("number", nm.group(2).strip(), nm.group(1)))
        else:
            para.append(stripped)
    flush()
    return Source(path, meta, blocks)


_INLINE = re.compile(r"(\*\*[^*]+\*\*|\*[^*]+\*)")


def runs(text: str) -> list[tuple[str, str]]:
    """Split inline Markdown into (style, text) runs; style is "", "b" or "i"."""
    out = []
    for part in _INLINE.split(text):
        if not part:
            continue
        if part.startswith("**"):
            out.append(("b", part[2:-2]))
        elif part.startswith("*"):
            out.append(("i", part[1:-1]))
        else:
            out.append(("", part))
    return out


def subject_of(meta: dict) -> str:
    """Document subject: the main topic (first keyword). Kildefinner treats a file's subject as a keyword."""
    return meta["keywords"][0]


def meta_row(meta: dict) -> dict[str, str]:
    row = {}
    for k in FIELDS:
        v = meta.get(k, "")
        if k == "keywords":
            v = ";".join(v or [])
        row[k] = "" if v is None else str(v)
    return row


# --------------------------------------------------------------------------------------------------------------
# DOCX


def build_docx(src: Source) -> bytes:
    import docx
    from docx.shared import Pt

    meta = src.meta
    d = docx.Document()
    d.styles["Normal"].font.name = "Calibri"
    d.styles["Normal"].font.size = Pt(11)
    for b in src.blocks:
        if b.kind == "h1":
            d.add_heading(b.text, level=1)
            continue
        if b.kind == "h2":
            d.add_heading(b.text, level=2)
            continue
        if b.kind == "bullet":
            p = d.add_paragraph(style="List Bullet")
        elif b.kind == "subbullet":
            p = d.add_paragraph(style="List Bullet 2")
        elif b.kind == "number":
            # Literal numbers (not Word auto-numbering), so the step numbers are part of the text.
            p = d.add_paragraph(f"{b.number}. ")
        else:
            p = d.add_paragraph()
        for style, text in runs(b.text):
            r = p.add_run(text)
            r.bold = style == "b"
            r.italic = style == "i"

    revised = dt.datetime.combine(dt.date.fromisoformat(str(meta["revised"])), dt.time(12, 0))
    cp = d.core_properties
    cp.title = meta["title"]
    cp.subject = subject_of(meta)
    cp.keywords = "; ".join(meta["keywords"])
    cp.author = meta["owner"]
    cp.last_modified_by = meta["owner"]
    cp.category = meta["source"]
    cp.identifier = meta["id"]
    cp.language = {"nb": "nb-NO", "nn": "nn-NO"}.get(meta["language"], meta["language"])
    cp.content_status = meta["status"]
    cp.comments = "Fiktiv demoprosedyre – ikke klinisk veiledning. " + GENERATOR
    cp.created = revised
    cp.modified = revised
    cp.last_printed = revised
    cp.revision = 1
    cp.version = str(meta["revised"])

    raw = io.BytesIO()
    d.save(raw)
    # python-docx stamps ZIP entries with the current time; rewrite them with a fixed date.
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, zin.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------------------------------------------
# PDF


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _markup(text: str) -> str:
    out = []
    for style, t in runs(text):
        t = _xml(t)
        out.append(f"<{style}>{t}</{style}>" if style else t)
    return "".join(out)


def build_pdf(src: Source) -> bytes:
    from reportlab.lib.pagesizes import A4, A5
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    meta = src.meta
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=14, spaceAfter=4)
    h1 = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=17, leading=21, spaceAfter=10)
    h2 = ParagraphStyle("h2", fontName="Helvetica-Bold", fontSize=13, leading=17, spaceBefore=10, spaceAfter=4)
    item = ParagraphStyle("item", parent=body, leftIndent=18, firstLineIndent=-12, spaceAfter=2)
    sub = ParagraphStyle("sub", parent=item, leftIndent=34)

    story = []
    for b in src.blocks:
        if b.kind == "h1":
            story.append(Paragraph(_markup(b.text), h1))
        elif b.kind == "h2":
            story.append(Paragraph(_markup(b.text), h2))
        elif b.kind == "bullet":
            story.append(Paragraph("\u2022 " + _markup(b.text), item))
        elif b.kind == "subbullet":
            story.append(Paragraph("\u2013 " + _markup(b.text), sub))
        elif b.kind == "number":
            story.append(Paragraph(f"{b.number}. " + _markup(b.text), item))
        else:
            story.append(Paragraph(_markup(b.text), body))
    story.append(Spacer(1, 12))

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, 1.2 * cm, f"{meta['id']} · {meta['owner']} · revidert {meta['revised']}")
        canvas.drawRightString(doc.pagesize[0] - 2 * cm, 1.2 * cm, f"Side {doc.page}")
        canvas.restoreState()

    class Doc(SimpleDocTemplate):
        def afterPage(self):  # footer drawn after the page body, so text extraction sees the title first
            footer(self.canv, self)

    # Local documents are laid out as A5 "pocket" sheets, which also makes them run over two pages.
    pagesize = A5 if meta["source"] == "local" else A4
    out = io.BytesIO()
    doc = Doc(
        out,
        pagesize=pagesize,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=meta["title"],
        author=meta["owner"],
        subject=subject_of(meta),
        keywords=", ".join(meta["keywords"]),
        creator=GENERATOR,
        producer=GENERATOR,
        lang={"nb": "nb-NO", "nn": "nn-NO"}.get(meta["language"], meta["language"]),
        invariant=1,
    )
    doc.build(story)
    return out.getvalue()


# --------------------------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if any binary differs")
    args = ap.parse_args()

    with open(MANIFEST, encoding="utf-8", newline="") as fh:
        manifest = {row["id"]: row for row in csv.DictReader(fh)}

    problems = 0
    for path in sorted(SOURCES.glob("*.md")):
        src = read_source(path)
        ident = src.meta["id"]
        row = manifest.get(ident)
        if row is None:
            print(f"{path.name}: id {ident} has no row in manifest.csv", file=sys.stderr)
            problems += 1
            continue
        want = meta_row(src.meta)
        for k in FIELDS:
            if row.get(k, "") != want[k]:
                print(f"{path.name}: manifest {k!r} is {row.get(k)!r}, front matter says {want[k]!r}",
                      file=sys.stderr)
                problems += 1
        target = DEMO / row["path"]
        if target.suffix == ".docx":
            data = build_docx(src)
        elif target.suffix == ".pdf":
            data = build_pdf(src)
        else:
            print(f"{path.name}: manifest path {row['path']} is neither .docx nor .pdf", file=sys.stderr)
            problems += 1
            continue
        if args.check:
            if not target.exists() or target.read_bytes() != data:
                print(f"out of date: {row['path']}", file=sys.stderr)
                problems += 1
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            print(f"wrote {row['path']} ({len(data)} bytes)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
