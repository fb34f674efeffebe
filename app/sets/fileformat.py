"""The ``.kildesett`` file: a set shared between machines as versioned JSON, and its strict validation.

A file comes from someone else's PC, a mail attachment or a shared folder, so reading it trusts nothing: it
must be at most ``MAX_BYTES``, valid UTF-8 JSON with no duplicate keys, ``format == "kildesett"`` and a
``version`` this app knows, and every field must have the right type and a sane length. Text is only ever
shown as plain text (names, notes and titles are never interpreted as HTML), doc ids are matched against the
index and never used as paths. Any fault raises ``SetFileError`` with a plain-language reason, before
anything is stored: a broken or hostile file changes nothing.

Learner ticks are not exported: they belong to the person who made them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
from pathlib import Path

from app.i18n import tr
from app.sets.records import HEADING, PROCEDURE, PUBLISHED, OnboardingSet, SetItem, SetsError, new_uid
from index.records import Tier

log = logging.getLogger(__name__)

SUFFIX = ".kildesett"
FORMAT = "kildesett"
VERSION = 1
MAX_BYTES = 1_000_000
MAX_ITEMS = 1000
MAX_NAME, MAX_DESCRIPTION, MAX_TITLE, MAX_NOTE, MAX_FIELD = 200, 5000, 500, 2000, 200
KNOWN_TIERS = frozenset({"", *Tier})  # "" = not known; written and read as plain strings
_UID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
# C0 and C1 controls, DEL, and the bidi embeddings/overrides/isolates that can make a name read backwards
# ("Uke 1\u202egnidnal" shows as something else than it is). Tab and newline are handled by ``_text``.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_line(text: str) -> str:
    """One line of user text (a set name): control and bidi-override characters removed, spaces collapsed."""
    return " ".join(_UNSAFE.sub(" ", text).split())


class SetFileError(SetsError):
    """A ``.kildesett`` file that cannot be used; ``str()`` says why in plain language."""


# -- writing ---------------------------------------------------------------------------------------------
def to_json(data: OnboardingSet, *, exported: dt.datetime | None = None) -> str:
    items = []
    for item in data.items:
        if item.is_heading:
            items.append({"type": HEADING, "id": item.uid, "text": item.title})
        else:
            items.append({"type": PROCEDURE, "id": item.uid, "doc_id": item.doc_id, "title": item.title,
                          "tier": item.tier, "owner": item.owner, "revised": item.revised, "note": item.note})
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported": (exported or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "app": "Kildefinner",
        "set": {"id": data.uid, "name": data.name, "description": data.description, "items": items},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def export_set(data: OnboardingSet, path: str | Path) -> Path:
    """Write atomically (temporary file + rename), so a full disk never leaves half a file behind."""
    path = Path(path)
    if path.suffix != SUFFIX:
        path = path.with_name(path.name + SUFFIX)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(to_json(data))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SetFileError(tr("Filen kunne ikke lagres: {reason}", reason=exc.strerror or exc)) from exc
    return path


# -- reading ---------------------------------------------------------------------------------------------
def read_set(path: str | Path) -> OnboardingSet:
    """Read and validate a file; raises ``SetFileError``. The result is a detached set (kind PUBLISHED)."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SetFileError(tr("Filen kunne ikke leses: {reason}", reason=exc.strerror or exc)) from exc
    data = parse(raw)
    return OnboardingSet(uid=data.uid, name=data.name, description=data.description, kind=PUBLISHED,
                         items=data.items, source=str(path))


def parse(raw: bytes) -> OnboardingSet:
    if len(raw) > MAX_BYTES:
        raise SetFileError(tr("Filen er for stor til å være et sett (over {n} kB).", n=MAX_BYTES // 1000))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SetFileError(tr("Filen er ikke en Kildefinner-settfil (ikke UTF-8-tekst).")) from exc
    try:
        document = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except RecursionError as exc:
        raise SetFileError(tr("Filen er ikke en Kildefinner-settfil (for dypt nøstet).")) from exc
    except ValueError as exc:
        raise SetFileError(tr("Filen er skadet eller ufullstendig (ugyldig JSON: {reason}).",
                              reason=str(exc)[:200])) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SetFileError(tr("Filen er ikke en Kildefinner-settfil."))
    version = document.get("version")
    if type(version) is not int:
        raise SetFileError(tr("Filen mangler et gyldig versjonsnummer."))
    if version > VERSION:
        raise SetFileError(tr("Filen er laget av en nyere versjon av Kildefinner (format {v}); "
                              "oppdater programmet for å åpne den.", v=version))
    if version < 1:
        raise SetFileError(tr("Ukjent filversjon {v}.", v=version))
    body = document.get("set")
    if not isinstance(body, dict):
        raise SetFileError(tr("Filen mangler selve settet."))
    name = _text(body, "name", MAX_NAME, tr("navn"), required=True)
    description = _text(body, "description", MAX_DESCRIPTION, tr("beskrivelse"), multiline=True)
    uid = body.get("id", "")
    if not isinstance(uid, str) or (uid and not _UID.match(uid)):
        raise SetFileError(tr("Feltet «{field}» er ugyldig.", field="id"))
    raw_items = body.get("items", [])
    if not isinstance(raw_items, list):
        raise SetFileError(tr("Feltet «{field}» må være en liste.", field="items"))
    if len(raw_items) > MAX_ITEMS:
        raise SetFileError(tr("Settet har for mange punkter (over {n}).", n=MAX_ITEMS))
    items, seen = [], set()
    for number, raw_item in enumerate(raw_items, start=1):
        try:
            item = _item(raw_item)
        except SetFileError as exc:
            raise SetFileError(tr("Punkt {n} i settet er ugyldig: {reason}", n=number, reason=str(exc))) from exc
        if item.uid in seen:
            item = SetItem(new_uid(), item.kind, item.title, item.doc_id, item.tier, item.owner, item.revised,
                           item.note)
        seen.add(item.uid)
        items.append(item)
    return OnboardingSet(uid=uid or new_uid(), name=name, description=description, kind=PUBLISHED,
                         items=tuple(items))


def _item(raw) -> SetItem:
    if not isinstance(raw, dict):
        raise SetFileError(tr("punktet er ikke et objekt"))
    kind = raw.get("type")
    uid = raw.get("id") or new_uid()
    if not isinstance(uid, str) or not _UID.match(uid):
        raise SetFileError(tr("Feltet «{field}» er ugyldig.", field="id"))
    if kind == HEADING:
        return SetItem(uid=uid, kind=HEADING, title=_text(raw, "text", MAX_TITLE, tr("overskrift"), required=True))
    if kind != PROCEDURE:
        raise SetFileError(tr("ukjent type punkt"))
    doc_id = _text(raw, "doc_id", MAX_FIELD, "doc_id", required=True)
    tier = _text(raw, "tier", MAX_FIELD, "tier")
    if tier not in KNOWN_TIERS:
        raise SetFileError(tr("ukjent kildenivå «{tier}»", tier=tier[:40]))
    revised = _text(raw, "revised", 10, "revised")
    if revised:
        try:
            dt.date.fromisoformat(revised)
        except ValueError as exc:
            raise SetFileError(tr("ugyldig revisjonsdato")) from exc
    return SetItem(uid=uid, kind=PROCEDURE, doc_id=doc_id, tier=tier, revised=revised,
                   title=_text(raw, "title", MAX_TITLE, tr("tittel"), required=True),
                   owner=_text(raw, "owner", MAX_FIELD, tr("eier")),
                   note=_text(raw, "note", MAX_NOTE, tr("merknad"), multiline=True))


def _text(obj: dict, key: str, limit: int, label: str, *, required: bool = False, multiline: bool = False) -> str:
    value = obj.get(key, "")
    if not isinstance(value, str):
        raise SetFileError(tr("Feltet «{field}» må være tekst.", field=label))
    value = value.replace("\r\n", "\n").strip()
    if _CONTROL.search(value) or (not multiline and ("\n" in value or "\t" in value)):
        raise SetFileError(tr("Feltet «{field}» inneholder ugyldige tegn.", field=label))
    if len(value) > limit:
        raise SetFileError(tr("Feltet «{field}» er for langt (over {n} tegn).", field=label, n=limit))
    if required and not value:
        raise SetFileError(tr("Feltet «{field}» mangler.", field=label))
    return value


def _no_duplicates(pairs: list) -> dict:
    out = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _no_constant(name: str):
    raise ValueError(f"{name} is not allowed")


# -- published sets --------------------------------------------------------------------------------------
def read_published(folder: str | Path) -> tuple[list[OnboardingSet], list[tuple[str, str]]]:
    """Every ``.kildesett`` in the IT folder (not recursive), by name, and the files skipped with why."""
    sets, skipped = [], []
    if not folder:
        return sets, skipped
    folder = Path(folder)
    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix == SUFFIX and p.is_file())
    except OSError as exc:
        return sets, [(str(folder), exc.strerror or str(exc))]
    seen = set()
    for path in paths:
        try:
            data = read_set(path)
        except SetFileError as exc:
            log.warning("published set %s skipped: %s", path, exc)
            skipped.append((str(path), str(exc)))
            continue
        if data.uid in seen:  # two copies of one set: the first by file name wins
            skipped.append((str(path), tr("samme sett som en annen fil")))
            continue
        seen.add(data.uid)
        sets.append(data)
    sets.sort(key=lambda s: s.name.casefold())
    return sets, skipped
