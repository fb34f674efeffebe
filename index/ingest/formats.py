"""Parsing source files (Markdown, HTML, PDF, DOCX, plain text) into ``Procedure`` records.

``parse_file`` picks a parser by file extension. Each parser returns raw metadata and sections; the
metadata is merged with the manifest row (the file's own values win, the manifest fills gaps), validated
(bad values become warnings and defaults) and turned into a ``Procedure``. Bad input of any kind raises
``ParseError(path, reason)`` with a plain-language reason; no library exception escapes. Nothing is ever
fetched over the network, and size limits guard against huge files, zip bombs and XML entity expansion.
"""

from __future__ import annotations

import io
import math
import re
import warnings as pywarnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.errors import ParseError
from index.ingest import sections, zipcheck
from index.ingest.decode import decode_text
from index.ingest.markdown import front_matter
from index.ingest.metadata import PLACEHOLDERS, STATUS_ALIASES, derived_id, normalise, tier_of
from index.ingest.sections import SectionBuilder, heading_of, normalise_block, one_line, prettify_stem
from index.records import Procedure, Section

if TYPE_CHECKING:  # python-docx is imported only when a DOCX is parsed
    from docx.table import Table
    from docx.text.paragraph import Paragraph

__all__ = ["MAX_FILE_BYTES", "SUPPORTED_SUFFIXES", "derived_id", "parse_file", "tier_of"]

SUPPORTED_SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".txt"})
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 2000
MAX_DOCX_UNPACKED = 200 * 1024 * 1024  # total uncompressed size of the DOCX zip members
MAX_DOCX_MEMBERS = 10_000
MAX_MARKUP_CHARS = 16 * 1024 * 1024  # Markdown/HTML source parsed (a long procedure is under 1 MB)
MAX_DOCX_XML = 16 * 1024 * 1024  # XML python-docx parses into a tree (~10x in memory); a long procedure is 1-5 MB


@dataclass
class _Raw:
    builder: SectionBuilder = field(default_factory=SectionBuilder)
    meta: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def parse_file(path: Path, *, rel: str, tier_default: str, extra_meta: dict | None = None) -> Procedure:
    """Parse one source file. Raises ``ParseError`` (and nothing else) when the file cannot be used."""
    path = Path(path)
    suffix = path.suffix.lower()
    parser = _PARSERS.get(suffix)
    if parser is None:
        raise ParseError(path, f"unsupported file type ({suffix or 'no extension'})")
    data = _read(path)
    try:
        return _assemble(parser(data, path), path, rel, tier_default, extra_meta or {})
    except ParseError:
        raise
    except RecursionError:
        raise ParseError(path, "document structure is too deeply nested") from None
    except MemoryError:
        raise ParseError(path, "document is too large to process") from None
    except Exception as exc:  # noqa: BLE001 - any library failure on bad input becomes a ParseError
        raise ParseError(path, f"could not be read ({_reason(exc)})") from None


def _reason(exc: BaseException) -> str:
    text = one_line(str(exc), 200)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _mb(n: float) -> str:
    """Bytes as MB for messages, rounded up to one decimal (``50.1``), or ``0.01`` precision when tiny."""
    mb = n / 2**20
    return f"{math.ceil(mb * 10) / 10:g}" if mb >= 1 else f"{mb:.2g}"


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ParseError(path, f"file too large ({_mb(size)} MB > {_mb(MAX_FILE_BYTES)} MB)")
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ParseError(path, f"cannot read file ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ParseError(path, f"file too large (> {_mb(MAX_FILE_BYTES)} MB)")
    if not data.strip():
        raise ParseError(path, "empty document")
    return data


# --- Markdown ---------------------------------------------------------------------------------------------
def _decode_head(data: bytes, path: Path, chars: int) -> tuple[str, list[str]]:
    """The file's text, at most ``chars`` characters: a 45 MB file is not copied whole through every step.

    Only the start can be indexed (``MAX_TEXT_CHARS``), so the bytes are cut first (at a UTF-8 character
    boundary, 4 bytes per character at most) and the text after decoding; a cut is noted as a warning.
    """
    warnings: list[str] = []
    if len(data) > 4 * chars and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        cut = 4 * chars
        while cut > 0 and 0x80 <= data[cut] <= 0xBF:  # never split a UTF-8 sequence
            cut -= 1
        data = data[:cut]
    text, found = decode_text(data, path)
    if len(text) > chars:
        text = text[:chars]
        warnings.append(f"only the first {chars // 1_000_000} million characters of the file were read")
    return text, found + warnings


def _parse_markdown(data: bytes, path: Path) -> _Raw:
    text, warnings = _decode_head(data, path, MAX_MARKUP_CHARS)
    raw = _Raw(warnings=warnings)
    raw.meta, body = front_matter(text, raw.warnings)
    raw.builder.markdown(body)
    return raw


# --- HTML -------------------------------------------------------------------------------------------------
_HTML_SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math",
                        "img", "picture", "video", "audio", "canvas", "head", "title", "frame", "frameset",
                        "applet", "link", "meta", "base", "button", "select", "input", "textarea"})
_HTML_HEADINGS = {"h1": 1, "h2": 2, "h3": 3}
_DATA_URI_RE = re.compile(r"""(\bsrc\s*=\s*)(["'])data:[^"']*\2""", re.IGNORECASE)
_HTML_BLOCKS = frozenset({"p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "ul",
                          "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "blockquote",
                          "pre", "h4", "h5", "h6", "figure", "figcaption", "address", "details", "summary",
                          "hr", "form", "fieldset", "legend", "caption", "center", "body", "html"})


def _parse_html(data: bytes, path: Path) -> _Raw:
    from bs4 import BeautifulSoup, CData, NavigableString, Tag

    text, warnings = _decode_head(data, path, 4 * MAX_MARKUP_CHARS)
    text = _DATA_URI_RE.sub(r"\1\2\2", text)  # inline images (Word's HTML export) are most of such a file
    if len(text) > MAX_MARKUP_CHARS:
        text = text[:MAX_MARKUP_CHARS]
        warnings.append(f"only the first {MAX_MARKUP_CHARS // 1_000_000} million characters of HTML were read")
    raw = _Raw(warnings=warnings)
    with pywarnings.catch_warnings():  # "looks like a URL/filename", "XML parsed as HTML": not our concern
        pywarnings.simplefilter("ignore")
        soup = BeautifulSoup(text, "lxml")
    meta = raw.meta
    if (title := soup.find("title")) is not None:
        meta["title"] = title.get_text(" ")
    if (html := soup.find("html")) is not None and isinstance(html.get("lang"), str):
        meta["language"] = html["lang"]
    for tag in soup.find_all("meta"):
        name, content = tag.get("name") or tag.get("property"), tag.get("content")
        if not isinstance(name, str) or not isinstance(content, str):
            continue
        name = re.sub(r"^(?:dc|dcterms|og)[.:]", "", name.strip().casefold())
        if name in ("keywords", "subject") and meta.get("keywords"):
            meta["keywords"] += "," + content
        elif name == "subject":
            meta["keywords"] = content
        else:
            meta.setdefault(name, content)
    b = raw.builder
    root = soup.body or soup
    stack = [(root, iter(root.contents))]
    pre = 0
    while stack and not b.full:
        parent, children = stack[-1]
        node = next(children, None)
        if node is None:
            stack.pop()
            if parent.name in _HTML_BLOCKS:
                b.newline()
            pre -= parent.name == "pre"
            continue
        if isinstance(node, Tag):
            name = node.name
            if name in _HTML_SKIP or node.has_attr("hidden"):
                continue
            if name in _HTML_HEADINGS:
                b.heading(_HTML_HEADINGS[name], node.get_text(" "))
                continue
            if name == "br":
                b.text("\n")
            elif name in ("td", "th"):
                b.text(" ")
            elif name in _HTML_BLOCKS:
                b.newline()
            pre += name == "pre"
            stack.append((node, iter(node.contents)))
        elif type(node) in (NavigableString, CData):
            b.text(str(node) if pre else str(node).replace("\n", " "))
    return raw


# --- PDF --------------------------------------------------------------------------------------------------
def _parse_pdf(data: bytes, path: Path) -> _Raw:
    from pypdf import PasswordType, PdfReader

    raw = _Raw()
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # noqa: BLE001 - e.g. AES without the 'cryptography' package
                raise ParseError(path, f"encrypted ({_reason(exc)})") from None
            if opened == PasswordType.NOT_DECRYPTED:
                raise ParseError(path, "encrypted")
        count = len(reader.pages)
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise ParseError(path, f"not a readable PDF ({_reason(exc)})") from None
    if count == 0:
        raise ParseError(path, "not a readable PDF (no pages found)")
    if count > MAX_PDF_PAGES:
        raw.warnings.append(f"PDF has {count} pages; only the first {MAX_PDF_PAGES} were read")
    try:
        info: dict[str, Any] = reader.metadata or {}
        for key, name in (("/Title", "title"), ("/Author", "owner"), ("/Keywords", "keywords"),
                          ("/Subject", "subject")):
            value: Any = info.get(key)
            value = value.get_object() if hasattr(value, "get_object") else value
            if isinstance(value, str) and value.strip().casefold() not in PLACEHOLDERS:
                raw.meta[name] = value
    except Exception:  # noqa: BLE001 - broken metadata is not worth losing the text for
        raw.warnings.append("PDF metadata could not be read; ignored")
    if raw.meta.get("title", "").startswith("Microsoft Word - "):
        del raw.meta["title"]
    pages: list[str] = []
    size, failed, first_error = 0, 0, None
    for i in range(min(count, MAX_PDF_PAGES)):
        try:
            page = reader.pages[i].extract_text() or ""
        except Exception as exc:  # noqa: BLE001
            failed, first_error = failed + 1, first_error or exc
            continue
        pages.append(page)
        size += len(page)
        if size > sections.MAX_TEXT_CHARS:
            break
    if first_error is not None and not any(p.strip() for p in pages):  # (set by the first failure)
        raise ParseError(path, f"not a readable PDF ({_reason(first_error)})")
    if failed:
        raw.warnings.append(f"text of {failed} PDF page(s) could not be read")
    if sum(ch.isalpha() for p in pages for ch in p) < 10:  # page numbers alone do not make a text layer
        raise ParseError(path, "no text layer (scanned/image-only PDF?)")
    raw.builder.plain_lines("\n".join(pages).split("\n"), first_is_title=True)
    return raw


# --- DOCX -------------------------------------------------------------------------------------------------
_DOCX_HEADING_RE = re.compile(r"^(?:heading|overskrift)\s*([1-9])$")


def _check_docx_zip(data: bytes, path: Path) -> None:
    """Reject broken zips, zip bombs (lying headers too) and XML with a DTD before python-docx runs."""
    try:
        zipcheck.check(data, max_members=MAX_DOCX_MEMBERS, max_unpacked=MAX_DOCX_UNPACKED, max_xml=MAX_DOCX_XML)
    except zipcheck.ZipRejected as exc:
        reason = str(exc)
        raise ParseError(path, f"not a valid DOCX ({reason})" if reason == zipcheck.BROKEN else f"DOCX {reason}") \
            from None


def _docx_level(paragraph: Paragraph) -> int:
    """Heading level of a Word paragraph from its style (or the style it is based on), 0 for body text."""
    try:
        style = paragraph.style
        for _ in range(5):
            if style is None:
                return 0
            name = (style.name or "").strip().casefold()
            if name in ("title", "tittel"):
                return 1
            if m := _DOCX_HEADING_RE.match(name):
                return int(m.group(1))
            style = style.base_style
    except Exception:  # noqa: BLE001 - a missing or broken styles part means "no heading styles"
        return 0
    return 0


def _docx_table(table: Table, b: SectionBuilder, depth: int = 0) -> None:
    from docx.table import Table

    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # merged cells repeat
                continue
            seen.add(id(cell._tc))
            parts = []
            for item in cell.iter_inner_content():
                if isinstance(item, Table):
                    if depth < 10:
                        _docx_table(item, b, depth + 1)
                else:
                    parts.append(item.text)
            cells.append(" ".join(" ".join(parts).split()))
        b.text(" | ".join(c for c in cells if c) + "\n")


def _docx_blocks(container: Any, parent: Any, depth: int = 0) -> Iterator[Paragraph | Table]:
    # container: an lxml element of the document body; parent: the python-docx object owning it
    """Paragraphs and tables in document order, including those inside content controls (``w:sdt``)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        tag = child.tag.rpartition("}")[2] if isinstance(child.tag, str) else ""
        if tag == "p":
            yield Paragraph(child, parent)
        elif tag == "tbl":
            yield Table(child, parent)
        elif tag in ("sdt", "sdtContent", "customXml") and depth < 10:
            yield from _docx_blocks(child, parent, depth + 1)


def _parse_docx(data: bytes, path: Path) -> _Raw:
    import docx
    from docx.table import Table

    _check_docx_zip(data, path)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001
        raise ParseError(path, f"not a valid DOCX ({_reason(exc)})") from None
    raw = _Raw()
    try:
        props = document.core_properties
        for name in ("title", "subject", "keywords", "author", "identifier", "category", "language",
                     "content_status"):
            value = getattr(props, name, "")
            if isinstance(value, str) and value.strip() and value.strip().casefold() not in PLACEHOLDERS:
                raw.meta[name] = value
    except Exception:  # noqa: BLE001
        raw.warnings.append("DOCX document properties could not be read; ignored")
    if "category" in raw.meta and tier_of(raw.meta["category"]):
        raw.meta["source"] = raw.meta["category"]
    status = raw.meta.pop("content_status", "")
    if status.strip().casefold() in STATUS_ALIASES:  # Word's free-text status: use it only when it is ours
        raw.meta["status"] = status
    b = raw.builder
    for block in _docx_blocks(document.element.body, document._body):
        if b.full:
            break
        if isinstance(block, Table):
            _docx_table(block, b)
            continue
        text = block.text
        level = _docx_level(block)
        if 1 <= level <= 3:
            b.heading(level, text)
        elif (head := heading_of(text)) is not None:
            b.heading(2, head)
        else:
            b.text(text + "\n")
    return raw


# --- plain text -------------------------------------------------------------------------------------------
def _parse_txt(data: bytes, path: Path) -> _Raw:
    text, warnings = _decode_head(data, path, sections.MAX_TEXT_CHARS + 1)  # the rest would be cut anyway
    raw = _Raw(warnings=warnings)
    raw.builder.plain_lines(text.split("\n"), first_is_title=True)
    return raw


_PARSERS = {".md": _parse_markdown, ".markdown": _parse_markdown, ".html": _parse_html, ".htm": _parse_html,
            ".pdf": _parse_pdf, ".docx": _parse_docx, ".txt": _parse_txt}


# --- assembly ------------------------------------------------------------------------------------------
def _sections(b: SectionBuilder, title: str) -> tuple[Section, ...]:
    """Drop empty sections; a (level 2+) heading with no text of its own prefixes its sub-headings; the
    title heading itself becomes the unnamed opening section."""
    out: list[Section] = []
    context: tuple[int, str] | None = None  # (level, heading) of an empty parent heading
    folded_title = " ".join(title.casefold().split())
    for level, heading, pieces in b.sections:
        text = normalise_block("".join(pieces))
        is_title = level <= 1 and " ".join(heading.casefold().split()) == folded_title
        if heading and context and level <= context[0]:
            context = None
        if not text:
            if heading and level >= 2 and context is None:
                context = (level, heading)
            continue
        if is_title:
            heading = ""
        elif heading and context:
            heading = f"{context[1]} › {heading}"
        out.append(Section(heading, text))
    return tuple(out)


def _assemble(raw: _Raw, path: Path, rel: str, tier_default: str, extra: dict) -> Procedure:
    warnings = raw.warnings
    fields = normalise(raw.meta, extra, rel=rel, tier_default=tier_default, warnings=warnings)
    title = fields.pop("title") or raw.builder.first_heading()
    if not title:
        title = prettify_stem(path.stem)
        warnings.append("no title found; using the file name")
    found = _sections(raw.builder, title)
    if not found:
        raise ParseError(path, "empty document")
    if raw.builder.truncated:
        warnings.append(f"text truncated at {_mb(sections.MAX_TEXT_CHARS)} MB")
    return Procedure(title=title, sections=found, path=rel.replace("\\", "/"), **fields,
                     warnings=tuple(dict.fromkeys(warnings)))
