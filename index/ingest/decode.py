"""Bytes of a text-like file (Markdown, HTML, plain text) → ``str``, or ``ParseError``: BOMs, UTF-8,
Windows-1252 when it is plausible, charset detection last; binary data is refused."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import charset_normalizer

from index.errors import ParseError

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


def decode_text(data: bytes, path: str | Path) -> tuple[str, list[str]]:
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
