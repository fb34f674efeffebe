"""Text made safe for where it goes: a terminal or log line, and a spreadsheet cell.

``printable`` shows a file name or title on a terminal, in a log, in ``manifest.json`` or a report without
letting it act: bytes that are not UTF-8 (a name decoded with ``surrogateescape``), control characters (an
escape sequence that would recolour or retitle the terminal) and bidi overrides come out as visible
``\\xNN``/``\\uNNNN`` escapes. ``csv_cell`` and ``write_csv`` neutralise spreadsheet formulas the way OWASP
recommends for CSV injection: a text cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return
gets a leading apostrophe (Excel and LibreOffice then show it as text; the value stays readable), and every
text cell is quoted, so a ``;`` or ``,`` inside cannot start a new, formula-carrying cell in a spreadsheet
that splits on the other separator (Norwegian Excel splits on ``;``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

# C0 and C1 controls, DEL, bidi embeddings/overrides/isolates, and lone surrogates (undecodable bytes).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # and full-width forms


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: object) -> str:
    """``text`` (a str, Path or anything) with every control, bidi and undecodable character escaped."""
    return _UNSAFE.sub(_escape, str(text))


def is_clean_name(name: str) -> bool:
    """True when a file name is valid Unicode (no bytes that failed to decode)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def csv_cell(value: object) -> object:
    """A cell value that a spreadsheet shows as text, never runs as a formula. Numbers pass unchanged."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(path: str | Path, header: Iterable, rows: Iterable[Iterable], *, encoding: str = "utf-8-sig") -> Path:
    """Write one CSV file the project hands to people: formulas neutralised, text cells quoted."""
    path = Path(path)
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow([csv_cell(c) for c in header])
        for row in rows:
            writer.writerow([csv_cell(c) for c in row])
    return path
