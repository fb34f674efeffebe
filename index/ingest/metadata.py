"""Source-document metadata: merging the file's own fields with the manifest row, and validating them.

Used by ``index.ingest.formats``. Invalid values never fail a document: they become a plain-language warning and a
default (unknown language -> ``nb``, unknown status -> ``active``, bad date -> none, bad id -> derived id).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping

from index.ingest.sections import one_line
from index.records import Tier

FIELDS = ("id", "title", "source", "owner", "unit", "language", "revised", "review_due", "status",
          "keywords", "url", "replaced_by")
_ALIASES = {"erstattet_av": "replaced_by", "tittel": "title", "kilde": "source", "tier": "source",
            "eier": "owner", "author": "owner", "forfatter": "owner", "enhet": "unit", "avdeling": "unit",
            "lang": "language", "språk": "language", "sprak": "language", "målform": "language",
            "revidert": "revised", "neste_revisjon": "review_due", "nøkkelord": "keywords",
            "emneord": "keywords", "identifier": "id", "lenke": "url"}
# What a folder name, a manifest or front matter may call a tier (bokmål, nynorsk, English) → the tier.
_TIER_ALIASES = {"var": Tier.VAR, "regional": Tier.REGIONAL, "regionalt": Tier.REGIONAL, "regionale": Tier.REGIONAL,
                 "local": Tier.LOCAL, "lokal": Tier.LOCAL, "lokalt": Tier.LOCAL, "lokale": Tier.LOCAL}
_LANG_ALIASES = {"nb": "nb", "no": "nb", "nob": "nb", "bokmål": "nb", "bokmal": "nb", "norsk": "nb",
                 "nn": "nn", "nno": "nn", "nynorsk": "nn", "en": "en", "eng": "en", "english": "en",
                 "engelsk": "en"}
STATUS_ALIASES = {"active": "active", "aktiv": "active", "gjeldende": "active", "gjeldande": "active",
                  "superseded": "superseded", "erstattet": "superseded", "erstatta": "superseded",
                  "utgått": "superseded", "utgatt": "superseded", "obsolete": "superseded"}
# Values authoring tools put in empty metadata fields.
PLACEHOLDERS = frozenset({"untitled", "anonymous", "unspecified", "python-docx", "word document", "unknown"})
_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
_DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Z]*)?$")
_NORWEGIAN_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_URL_SCHEMES = ("http://", "https://", "file:")
_EMPTY = ("", "~", "null")


def tier_of(value: str) -> str | None:
    """``'Lokal'`` -> ``'local'``; None for an unknown tier name."""
    return _TIER_ALIASES.get(str(value).strip().casefold())


def derived_id(rel: str) -> str:
    """The id of a document that names none: stable for the same path across re-indexing."""
    return "f-" + hashlib.sha1(rel.replace("\\", "/").lower().encode("utf-8")).hexdigest()[:12]


def _merge(file_meta: dict, extra: dict, warnings: list[str]) -> dict:
    """Known fields from the manifest row, overridden by the file's own non-empty values."""
    merged: dict = {}
    subject = None
    for source in (extra, file_meta):
        for key, value in source.items():
            key = re.sub(r"[\s-]+", "_", str(key).strip().casefold())
            key = _ALIASES.get(key, key)
            if value is None or (isinstance(value, str) and value.strip().casefold() in _EMPTY):
                continue
            if key == "subject" and source is file_meta:
                subject = value
            elif key in FIELDS:
                merged[key] = value
    if isinstance(subject, str):
        merged["keywords"] = [*_keywords(merged.get("keywords"), warnings), subject]
    return merged


def _scalar(meta: dict, key: str, warnings: list[str]) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
        value = value.isoformat() if isinstance(value, dt.date) else str(value)
    if not isinstance(value, str):
        warnings.append(f"'{key}' should be a single value; ignored")
        return ""
    return one_line(value, 500)


def _date(meta: dict, key: str, warnings: list[str]) -> dt.date | None:
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _scalar(meta, key, warnings)
    try:
        if m := _DATE_RE.match(text):
            return dt.date.fromisoformat(m.group(1))
        if m := _NORWEGIAN_DATE_RE.match(text):  # 18.03.2024, as spreadsheets in Norway write it
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        pass
    warnings.append(f"invalid date in '{key}': {text[:40]!r} (expected YYYY-MM-DD); ignored")
    return None


def _keywords(value: object, warnings: list[str]) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    out: list[str] = []
    seen: set[str] = set()
    for item in items[:500]:
        if isinstance(item, (dt.date, int, float)) and not isinstance(item, bool):
            item = str(item)
        if not isinstance(item, str):
            warnings.append("'keywords' contains a value that is not text; ignored")
            continue
        for word in re.split(r"[;,]", item):
            word = one_line(word, 100)
            if word and word.casefold() not in seen and len(out) < 200:
                seen.add(word.casefold())
                out.append(word)
    return out


def _checked_id(meta: dict, key: str, warnings: list[str], fallback: str) -> str:
    text = _scalar(meta, key, warnings)
    if not text:
        return fallback
    if _ID_RE.match(text):
        return text
    what = f"using {fallback}" if fallback else "ignored"
    warnings.append(f"invalid {key} {text[:40]!r} (letters, digits and . _ : - only, max 100); {what}")
    return fallback


def _choice(meta: dict, key: str, aliases: Mapping[str, str], default: str, warnings: list[str]) -> str:
    text = _scalar(meta, key, warnings)
    if not text:
        return default
    folded = text.casefold()
    found = aliases.get(folded) or (aliases.get(re.split(r"[-_]", folded)[0]) if key == "language" else None)
    if found is None:
        warnings.append(f"unknown {key} {text[:40]!r}; using {default}")
        return default
    return found


def normalise(file_meta: dict, extra: dict, *, rel: str, tier_default: str, warnings: list[str]) -> dict:
    """Procedure fields (all but ``title``, ``sections`` and ``path``) plus ``title`` ("" when none given).

    ``file_meta`` wins over ``extra`` (the manifest row), which fills gaps. Problems go to ``warnings``.
    """
    meta = _merge(file_meta, extra, warnings)
    url = _scalar(meta, "url", warnings)
    if url and not url.casefold().startswith(_URL_SCHEMES):
        warnings.append(f"url {url[:60]!r} is not an http(s) or file link; ignored")
        url = ""
    return {
        "title": _scalar(meta, "title", warnings)[:300],
        "doc_id": _checked_id(meta, "id", warnings, derived_id(rel)),
        "tier": _choice(meta, "source", _TIER_ALIASES, tier_of(tier_default) or Tier.LOCAL, warnings),
        "owner": _scalar(meta, "owner", warnings), "unit": _scalar(meta, "unit", warnings),
        "language": _choice(meta, "language", _LANG_ALIASES, "nb", warnings),
        "revised": _date(meta, "revised", warnings), "review_due": _date(meta, "review_due", warnings),
        "status": _choice(meta, "status", STATUS_ALIASES, "active", warnings),
        "keywords": tuple(_keywords(meta.get("keywords"), warnings)), "url": url,
        "replaced_by": _checked_id(meta, "replaced_by", warnings, ""),
    }
