"""Text helpers shared by the format parsers: decoding, heading detection, Markdown and front matter.

Everything here works on text, not files. ``decode_text`` turns the bytes of a text-like file (Markdown,
HTML, plain text) into ``str`` or raises ``ParseError``; ``SectionBuilder`` collects ``(heading, text)``
pieces in document order with a size cap; ``heading_of`` recognises the usual Norwegian (and English)
procedure headings in files without markup (PDF text layers, plain text, unstyled Word paragraphs);
``front_matter`` and ``SectionBuilder.markdown`` read Markdown with YAML front matter.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable
from os import PathLike

import charset_normalizer
import yaml

from index.errors import ParseError

MAX_TEXT_CHARS = 5 * 1024 * 1024  # extracted text beyond this is cut off (with a warning)
MAX_FRONT_MATTER = 256 * 1024

# Headings of Norwegian nursing procedures (bokmål and nynorsk), plus English ones. The one list used to
# split PDF text layers, plain text and unstyled Word paragraphs into sections. Compare with ``_fold``.
KNOWN_HEADINGS = (
    "Hensikt", "Hensikt og omfang", "Formål", "Formål og omfang", "Føremål", "Føremål og omfang", "Omfang",
    "Målgruppe", "Ansvar", "Ansvar og myndighet", "Ansvar og mynde", "Utstyr", "Utstyrsliste",
    "Framgangsmåte", "Fremgangsmåte", "Gjennomføring", "Praktisk gjennomføring", "Utførelse", "Prosedyre",
    "Observasjoner", "Observasjonar", "Observasjon", "Komplikasjoner", "Komplikasjonar", "Dokumentasjon",
    "Referanser", "Referansar", "Kilder", "Kjelder", "Litteratur", "Bakgrunn", "Definisjoner",
    "Definisjonar", "Indikasjoner", "Indikasjonar", "Indikasjon", "Kontraindikasjoner",
    "Kontraindikasjonar", "Forberedelse", "Forberedelser", "Førebuing", "Førebuingar", "Etterarbeid",
    "Oppfølging", "Opplæring", "Hygiene", "Smittevern", "Pasientinformasjon", "Informasjon til pasienten",
    "Tiltak", "Risiko", "Forsiktighetsregler", "Merknader", "Merknadar", "Vedlegg", "Relaterte prosedyrer",
    "Kryssreferanser", "Endringer", "Endringar", "Endringslogg", "Generelt", "Anbefalinger", "Tilrådingar",
    "Purpose", "Scope", "Responsibility", "Responsibilities", "Equipment", "Procedure", "Observations",
    "Complications", "Documentation", "References", "Background", "Definitions", "Indications",
    "Contraindications", "Preparation", "Aftercare", "Training",
)
_HEADING_MAX = 80
_HEADING_JOINERS = (" og ", " ved ", " for ", " til ", " av ", " and ", " – ", " - ", " (")
_NUMBERING_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]?|[A-Za-z][.)])\s+")
_WS_RE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def _fold(s: str) -> str:
    return " ".join(s.casefold().split())


_KNOWN = frozenset(_fold(h) for h in KNOWN_HEADINGS)


def heading_of(line: str) -> str | None:
    """The line as a heading if it looks like a known procedure heading, else None.

    A heading is short (< 80 characters), has no final period and is one of ``KNOWN_HEADINGS`` (after
    dropping numbering such as ``2.1`` and a trailing colon), or starts with one followed by a short
    qualifier ("Utstyr og forberedelse", "Observasjoner etter inngrepet" is *not* accepted).
    """
    text = " ".join(line.split())
    if not text or len(text) >= _HEADING_MAX or text.endswith((".", ",", ";")):
        return None
    text = _NUMBERING_RE.sub("", text).rstrip(":").strip()
    folded = _fold(text)
    if folded in _KNOWN:
        return text
    if len(folded.split()) <= 6:
        for joiner in _HEADING_JOINERS:
            head, sep, _ = folded.partition(joiner)
            if sep and head in _KNOWN:
                return text
    return None


def normalise_block(text: str) -> str:
    """Collapse runs of spaces, strip lines and keep at most one blank line between paragraphs."""
    out: list[str] = []
    blank = False
    for raw in text.splitlines():
        line = _WS_RE.sub(" ", raw).strip()
        if not line:
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(line)
    return "\n".join(out)


def one_line(text: str, limit: int = 300) -> str:
    return " ".join(text.split())[:limit].strip()


def prettify_stem(stem: str) -> str:
    """``pvk_innleggelse-v2`` -> ``Pvk innleggelse v2``: a readable title from a file name."""
    words = re.sub(r"[_\-.]+", " ", stem).split()
    text = " ".join(words) or stem
    return text[:1].upper() + text[1:]


class SectionBuilder:
    """Collects sections in document order. Level 0 is text before the first heading."""

    def __init__(self, limit: int | None = None):
        self.sections: list[list] = [[0, "", []]]  # [level, heading, [text pieces]]
        self.size = 0
        self.limit = MAX_TEXT_CHARS if limit is None else limit
        self.truncated = False

    @property
    def full(self) -> bool:
        return self.truncated

    def heading(self, level: int, text: str) -> None:
        text = one_line(text)
        if text and not self.truncated:
            self.sections.append([level, text, []])
            self.size += len(text)

    def text(self, text: str) -> None:
        if self.truncated or not text:
            return
        room = self.limit - self.size
        if len(text) > room:
            text = text[:max(room, 0)]
            self.truncated = True
        self.sections[-1][2].append(text)
        self.size += len(text)

    def newline(self) -> None:
        """End the current line unless it is already ended (markup-driven line breaks, as in HTML)."""
        pieces = self.sections[-1][2]
        for piece in reversed(pieces):
            cut = piece.rfind("\n")
            if cut >= 0 and not piece[cut + 1:].strip():
                return
            if piece.strip():
                break
        if pieces:
            self.text("\n")

    def first_heading(self) -> str:
        return next((h for _, h, _ in self.sections[1:] if h), "")

    def plain_lines(self, lines: Iterable[str], *, first_is_title: bool) -> None:
        """Feed unmarked text (PDF, plain text): known headings split; the first short line is the title."""
        seen_text = not first_is_title
        for line in lines:
            if self.truncated:
                return
            stripped = line.strip()
            if not seen_text and stripped:
                seen_text = True
                if len(stripped) <= 200 and not stripped.endswith("."):
                    self.heading(1, stripped)
                    continue
            head = heading_of(stripped) if stripped else None
            if head:
                self.heading(2, head)
            else:
                self.text(line + "\n")

    def markdown(self, body: str) -> None:
        """Feed a Markdown body: ATX headings (levels 1-3) split sections; fenced code is kept as text."""
        fence = ""
        for line in _drop_comments(body).split("\n"):
            if self.truncated:
                return
            if fence:
                stripped = line.strip()
                if stripped.startswith(fence) and not stripped.strip(fence[0]):
                    fence = ""
                else:
                    self.text(line + "\n")
                continue
            if m := _FENCE_RE.match(line):
                fence = m.group(1)
                continue
            if m := _ATX_RE.match(line):
                heading = _ATX_CLOSE_RE.sub("", m.group(2) or "").strip()
                heading = "" if set(heading) <= {"#"} else strip_markdown(heading)
                if len(m.group(1)) <= 3:
                    self.heading(len(m.group(1)), heading)
                else:
                    self.text(heading + "\n")
                continue
            self.text(strip_markdown(line) + "\n")


# --- decoding -------------------------------------------------------------------------------------------
_BINARY = "binary or unreadable text"
# Characters a Norwegian text saved as Windows-1252/Latin-1 plausibly contains beyond ASCII.
_CP1252_PLAUSIBLE = frozenset(
    "ÆØÅæøåÄÖÜäöüÉÈÊËéèêëÁÀÂáàâÓÒÔóòôÍÌÎíìîÚÙÛúùûÇçÑñßÿ–—‘’‚“”„•…€°±§µ·«»×÷©®™†‰\u00a0²³¹¼½¾¿¡"
)


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:200_000]
    bad = sum(1 for ch in sample if ch not in "\t\n\r\f" and unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"))
    return bad / len(sample)


def _plausible_cp1252(data: bytes) -> str | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    high = [ch for ch in text[:500_000] if ord(ch) > 127]
    if not high:
        return text
    good = sum(1 for ch in high if ch in _CP1252_PLAUSIBLE)
    return text if good >= 0.9 * len(high) else None


def decode_text(data: bytes, path: str | PathLike[str]) -> tuple[str, list[str]]:
    """Decode a text file: UTF-8 (BOM optional), UTF-16 with BOM, Windows-1252, else detected.

    Returns ``(text, warnings)``; raises ``ParseError`` for binary content.
    """
    warnings: list[str] = []
    text: str | None = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(codecs.BOM_UTF32_LE):
        try:
            text = data.decode("utf-16")
            warnings.append("decoded as utf-16")
        except UnicodeDecodeError:
            text = None
    if text is None:
        if b"\x00" in data:
            raise ParseError(path, _BINARY)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _plausible_cp1252(data)
            if text is not None:
                warnings.append("decoded as cp1252")
    if text is None:
        try:
            best = charset_normalizer.from_bytes(data).best()
            if best is not None:
                text = str(best)
                warnings.append(f"decoded as {best.encoding}")
        except Exception:  # noqa: BLE001 - the detector is a heuristic; any failure means "unreadable"
            text = None
    if text is None or _control_ratio(text) > 0.02:
        raise ParseError(path, _BINARY)
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


# --- Markdown ------------------------------------------------------------------------------------------
_MD_IMAGE_RE = re.compile(r"!\[[^\[\]\n]{0,500}\]\([^()\n]{0,2000}\)|!\[[^\[\]\n]{0,500}\]\[[^\[\]\n]{0,200}\]")
_MD_LINK_RE = re.compile(r"\[([^\[\]\n]{0,500})\]\([^()\n]{0,2000}\)|\[([^\[\]\n]{0,500})\]\[[^\[\]\n]{0,200}\]")
_MD_AUTOLINK_RE = re.compile(r"<((?:https?|mailto|ftp):[^>\s]{1,2000})>")
_MD_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s[^<>]{0,1000})?/?>")
_MD_EMPH_RE = re.compile(r"\*{1,3}|~~|(?<!\w)_{1,3}|_{1,3}(?!\w)")
_MD_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_MD_REFDEF_RE = re.compile(r"^ {0,3}\[[^\]]{1,200}\]:\s")
_MD_TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_BULLET_RE = re.compile(r"^(\s*)(?:>\s?)*(?:[-*+]\s+)?")
_MD_RULE_RE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_ESC_BASE = 0xE000  # escaped characters are parked in the private-use area while markup is removed
_ESC_RESTORE_RE = re.compile("[\ue000-\ue07f]")


def _drop_comments(text: str) -> str:
    """Remove ``<!-- ... -->`` (in linear time; an unclosed comment is left as it is)."""
    out, pos = [], 0
    while (start := text.find("<!--", pos)) >= 0 and (end := text.find("-->", start + 4)) >= 0:
        out.append(text[pos:start])
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)


def strip_markdown(line: str) -> str:
    """Remove inline Markdown markup from one line (lightly: text stays, markup goes)."""
    if _MD_REFDEF_RE.match(line) or _MD_TABLE_RULE_RE.match(line) or _MD_RULE_RE.match(line):
        return ""
    line = _MD_BULLET_RE.sub(r"\1", line, count=1)
    line = _MD_ESCAPE_RE.sub(lambda m: chr(_ESC_BASE + ord(m.group(1))), line)
    line = _MD_IMAGE_RE.sub("", line)
    line = _MD_LINK_RE.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), line)
    line = _MD_AUTOLINK_RE.sub(r"\1", line)
    line = _MD_TAG_RE.sub(" ", line)
    line = _MD_EMPH_RE.sub("", line).replace("`", "")
    if "|" in line and line.strip().startswith("|"):
        line = " ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
    return _ESC_RESTORE_RE.sub(lambda m: chr(ord(m.group(0)) - _ESC_BASE), line)


class _MetaLoader(yaml.SafeLoader):
    """Safe YAML with no implicit typing: every scalar stays a string (dates and ids are checked by us)."""


_MetaLoader.yaml_implicit_resolvers = {}
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
_ATX_CLOSE_RE = re.compile(r"[ \t]+#+[ \t]*$")


def front_matter(text: str, warnings: list[str]) -> tuple[dict, str]:
    """Split YAML front matter (between ``---`` lines) from a Markdown text: ``(metadata, body)``."""
    if not text.startswith("---"):
        return {}, text
    first, _, rest = text.partition("\n")
    if first.rstrip() != "---":
        return {}, text
    match = re.search(r"^(?:---|\.\.\.)[ \t]*$", rest, re.MULTILINE)
    if match is None:
        return {}, text
    block, body = rest[:match.start()], rest[match.end():]
    if len(block) > MAX_FRONT_MATTER:
        warnings.append("front matter is too large; ignored")
        return {}, body
    try:
        data = yaml.load(block, Loader=_MetaLoader)
    except Exception:  # noqa: BLE001 - YAML errors, recursion on deep nesting, unhashable keys
        warnings.append("front matter is not valid YAML; ignored")
        return {}, body
    if data is None:
        return {}, body
    if not isinstance(data, dict):
        warnings.append("front matter is not a list of 'key: value' lines; ignored")
        return {}, body
    return data, body
