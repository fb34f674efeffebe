"""Sections from text: the usual procedure headings in unmarked text, and ``SectionBuilder``.

``SectionBuilder`` collects ``(heading, text)`` pieces in document order with a size cap; ``heading_of``
recognises the usual Norwegian (and English) procedure headings in files without markup (PDF text layers,
plain text, unstyled Word paragraphs); ``SectionBuilder.markdown`` splits a Markdown body at its headings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from index.ingest.markdown import ATX_CLOSE_RE, ATX_RE, FENCE_RE, drop_comments, strip_markdown

MAX_TEXT_CHARS = 5 * 1024 * 1024  # extracted text beyond this is cut off (with a warning)

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
        for line in drop_comments(body).split("\n"):
            if self.truncated:
                return
            if fence:
                stripped = line.strip()
                if stripped.startswith(fence) and not stripped.strip(fence[0]):
                    fence = ""
                else:
                    self.text(line + "\n")
                continue
            if m := FENCE_RE.match(line):
                fence = m.group(1)
                continue
            if m := ATX_RE.match(line):
                heading = ATX_CLOSE_RE.sub("", m.group(2) or "").strip()
                heading = "" if set(heading) <= {"#"} else strip_markdown(heading)
                if len(m.group(1)) <= 3:
                    self.heading(len(m.group(1)), heading)
                else:
                    self.text(heading + "\n")
                continue
            self.text(strip_markdown(line) + "\n")
