"""Interface language: bokmål (the source strings), nynorsk and English.

``tr("Søk")`` returns the string in the current language; the translations are keyed by the bokmål text, so
code reads naturally and a missing translation falls back to bokmål. Placeholders use ``str.format`` names:
``tr("{n} treff", n=3)``. Strings defined in one place and shown in another are marked with ``N_``. Widgets
rebuild their texts in a ``retranslate()`` method, so a language switch applies live.

The translations are data, one UTF-8 JSON file per language in ``resources/i18n/`` (``nn.json``, ``en.json``:
bokmål source → translation; see ``resources/README.md``), found where the app finds its other resources (also
in the frozen bundle). A translator edits them without touching code. (Qt's .ts/.qm route would need lrelease
at build time; plain JSON keeps the toolchain small.)
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path

from index.api import resources_dir

log = logging.getLogger(__name__)

LANGUAGES = {"nb": "Norsk bokmål", "nn": "Norsk nynorsk", "en": "English"}


def read_table(path: Path) -> dict[str, str]:
    """One language's translations. A file that is not a JSON object of strings, or names a source string twice
    (the second would silently win), is refused with its path and the reason."""

    def unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
        twice = [key for key, n in Counter(key for key, _ in pairs).items() if n > 1]
        if twice:
            raise ValueError(f"{path}: source string given twice: {twice[0]!r}")
        return dict(pairs)

    table = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=unique)
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise ValueError(f"{path}: not an object of source string → translation")
    return table


def load(folder: Path) -> dict[str, dict[str, str]]:
    """The translations of every language but bokmål; a missing or broken file leaves that language in bokmål
    (logged with the reason) rather than stopping the app."""
    catalogue = {}
    for code in LANGUAGES:
        if code == "nb":
            continue
        try:
            catalogue[code] = read_table(folder / f"{code}.json")
        except (OSError, ValueError) as exc:
            log.error("translations for %s not loaded (%s); the interface stays in bokmål", code, exc)
            catalogue[code] = {}
    return catalogue


CATALOGUE = load(resources_dir() / "i18n")
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
