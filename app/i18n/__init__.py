"""Interface language: bokmål (the source strings), nynorsk and English.

``tr("Søk")`` returns the string in the current language; the catalogue is keyed by the bokmål text, so code
reads naturally and a missing translation falls back to bokmål. Placeholders use ``str.format`` names:
``tr("{n} treff", n=3)``. Strings defined in one place and shown in another are marked with ``N_``. Widgets rebuild their texts in a ``retranslate()`` method, so a language switch
applies live. (Qt's .ts/.qm route would need lrelease at build time; a Python table keeps the toolchain small.)
"""

from __future__ import annotations

from app.i18n.catalogue import CATALOGUE

LANGUAGES = {"nb": "Norsk bokmål", "nn": "Norsk nynorsk", "en": "English"}
_current = "nb"


def set_language(code: str) -> None:
    global _current
    _current = code if code in LANGUAGES else "nb"


def language() -> str:
    return _current


def tr(text: str, /, **values) -> str:
    translated = CATALOGUE.get(_current, {}).get(text, text) if _current != "nb" else text
    return translated.format(**values) if values else translated


def tr_in(code: str, text: str, /, **values) -> str:
    """``text`` in the language ``code`` whatever the UI language (the log's English reasons)."""
    translated = CATALOGUE.get(code, {}).get(text, text) if code != "nb" else text
    return translated.format(**values) if values else translated


def N_(text: str) -> str:
    """Marks a string for translation where it is defined; ``tr()`` translates it where it is shown."""
    return text


def missing(code: str, texts: list[str]) -> list[str]:
    """Source strings without a translation in ``code`` (the catalogue test uses this)."""
    table = CATALOGUE.get(code, {})
    return [t for t in texts if t not in table]
