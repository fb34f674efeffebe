"""A procedure as HTML for the document view. Every piece of document text goes through ``html.escape``.

The HTML is generated here from the ``Procedure`` record, never taken from the source file, so a source can
not smuggle markup, scripts or remote images into the view. Query terms are highlighted with the palette's
selection colours (no hard-coded colours), and each section gets an anchor ``sec-N`` to jump to.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection

from index.records import Procedure

_QUERY_PREFIX = re.compile(r"^\w+:$")
# PDF symbol-font bullets arrive as private-use characters or as DEL/C1 control characters (empty boxes on
# screen): they are shown as bullets.
_BULLETS = re.compile("[\ue000-\uf8ff\x7f-\x9f]")


def clean(text: str) -> str:
    return _BULLETS.sub("•", text)


def joined_lines(block: str) -> list[str]:
    """A PDF's layout line breaks undone: a line starting with a lower-case letter continues the one above
    (a list item, a numbered step or a heading-like line starts with a bullet, a digit or a capital)."""
    out: list[str] = []
    for line in (ln.strip() for ln in block.splitlines()):
        if not line:
            continue
        if out and line[0].islower():
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out
_WORD = re.compile(r"\w[\w-]*", re.UNICODE)


def anchor(index: int) -> str:
    return f"sec-{index}"


def highlight_terms(query: str, marked: list[str] = ()) -> list[str]:
    """Words to highlight: those the engine marked in the snippet plus the query's own words."""
    out: list[str] = []
    for word in [*marked, *query.split()]:
        if _QUERY_PREFIX.match(word):
            continue
        for w in _WORD.findall(word):
            if len(w) >= 3 and w.casefold() not in (t.casefold() for t in out):
                out.append(w)
    return out


def term_pattern(terms: list[str]) -> re.Pattern | None:
    """Matches a term at the start of a word (so «trykksår» also lights up «trykksårforebygging»)."""
    if not terms:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE | re.UNICODE)


def highlighted(text: str, pattern: re.Pattern | None, style: str) -> str:
    text = clean(text)
    if pattern is None:
        return html.escape(text)
    out, pos = [], 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[pos:m.start()]))
        out.append(f'<span style="{style}">{html.escape(m.group(0))}</span>')
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _body(text: str, pattern, style: str) -> str:
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    parts = []
    for block in blocks:
        lines = joined_lines(clean(block))
        parts.append("<p>" + "<br/>".join(highlighted(ln, pattern, style) for ln in lines) + "</p>")
    return "\n".join(parts)


def procedure_html(proc: Procedure, *, terms: list[str], highlight_bg: str, highlight_fg: str,
                   flagged: Collection[int] = (), flag_note: str = "", flag_bg: str = "#fff3e0") -> str:
    """The whole document: title, then each section with an anchor and a heading. ``flagged`` sections (the
    side-by-side view's differences) sit on a ``flag_bg`` background under ``flag_note``."""
    pattern = term_pattern(terms)
    style = f"background-color:{highlight_bg}; color:{highlight_fg}"
    parts = [f"<h1>{html.escape(proc.title)}</h1>"]
    for i, section in enumerate(proc.sections):
        if i in flagged:  # a one-cell table: Qt's rich text draws backgrounds on cells, not on divs
            parts.append(f'<table width="100%" bgcolor="{flag_bg}" cellpadding="4"><tr><td>'
                         f"<small><b>{html.escape(flag_note)}</b></small>")
        # The anchor sits inside the heading's block, so jumping puts the heading at the top of the view.
        mark = f'<a name="{anchor(i)}"></a>'
        if section.heading:
            parts.append(f"<h2>{mark}{highlighted(section.heading, pattern, style)}</h2>")
            parts.append(_body(section.text, pattern, style))
        else:
            parts.append(_body(section.text, pattern, style).replace("<p>", f"<p>{mark}", 1) or f"<p>{mark}</p>")
        if i in flagged:
            parts.append("</td></tr></table>")
    return "<html><body>" + "\n".join(parts) + "</body></html>"


def section_index(proc: Procedure, heading: str) -> int:
    """Index of the section with this heading (the hit's best section), or -1."""
    if not heading:
        return -1
    for i, s in enumerate(proc.sections):
        if s.heading == heading:
            return i
    folded = heading.casefold()
    return next((i for i, s in enumerate(proc.sections) if s.heading.casefold() == folded), -1)
