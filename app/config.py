"""The one configuration layer: a declarative defaults table, layered files, one typed accessor.

Layers, lowest first::

    defaults (OPTIONS below)
    < per-machine IT file  (platformdirs site config dir / kildefinner.toml)
    < per-user file        (platformdirs user config dir / kildefinner.toml; written by the settings dialog)
    < command-line flags

except that a key the IT file *locks* keeps the IT value whatever the user file or the flags say. The IT file
locks keys either with a top-level list ``locked = ["index_dir"]`` (locking the values given at top level) or
with a ``[locked]`` table (``[locked]`` / ``index_dir = "..."``: locked to those values).

A value that is unknown, of the wrong type or out of range is ignored (the next lower layer wins) and noted in
``Config.ignored`` so the UI can say so once. No module reads settings any other way.

A file is read as UTF-8 (with or without a byte-order mark). UTF-16 with a byte-order mark (Notepad's
"Unicode") is read too, with a warning to save it as UTF-8. Anything else (Windows-1252/"ANSI", UTF-16
without a mark), a file over ``MAX_FILE_BYTES``, invalid TOML or nesting too deep to parse is ignored with
a logged warning: the app always starts. See docs/it-guide.md.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from app.i18n import N_, tr, tr_in

log = logging.getLogger(__name__)

APP_NAME = "kildefinner"
FILE_NAME = "kildefinner.toml"
MAX_FILE_BYTES = 64 * 1024  # a real file is under 2 KB; a bigger one is a mistake or hostile
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


class Reason(str):
    """Why a value or file was ignored. As a string it is English (the log, IT); ``shown()`` is the same reason
    in the UI language, for the banner. ``template`` is a bokmål source string (``N_``) with ``{names}``; a
    value that is itself a ``Reason`` is translated too."""

    def __new__(cls, template: str, /, **values):
        english = tr_in("en", template, **{k: str(v) for k, v in values.items()})
        made = super().__new__(cls, english)
        made.template, made.values = template, values
        return made

    def shown(self) -> str:
        return tr(self.template, **{k: v.shown() if isinstance(v, Reason) else v for k, v in self.values.items()})


def shown(reason: str) -> str:
    """A reason in the UI language (plain strings are shown as they are)."""
    return reason.shown() if isinstance(reason, Reason) else reason


LAYERS = {"machine": N_("IT-oppsettet"), "user": N_("ditt oppsett"), "command line": N_("kommandolinjen")}
TYPE_NAMES = {str: N_("tekst"), int: N_("heltall"), float: N_("tall"), bool: N_("true eller false"),
              list: N_("liste"), dict: N_("tabell")}


def _type_name(kind: type) -> str:
    return Reason(TYPE_NAMES[kind]) if kind in TYPE_NAMES else Reason(N_("dato eller klokkeslett")) \
        if kind.__module__ == "datetime" else kind.__name__


@dataclass(frozen=True, slots=True)
class Option:
    key: str
    type: type
    default: Any
    description: str
    choices: tuple = ()
    check: Callable[[Any], str] | None = None  # returns a reason when the value is not acceptable


def _scale(value: float) -> str:
    return "" if 0.5 <= value <= 3.0 else Reason(N_("må være mellom 0,5 og 3,0"))


def _minutes(value: int) -> str:
    return "" if 0 <= value <= 10080 else Reason(N_("må være mellom 0 og 10080 minutter (én uke)"))


def _folders(value: list) -> str:
    return "" if all(isinstance(v, str) for v in value) else Reason(N_("må være en liste med mappestier"))


OPTIONS: tuple[Option, ...] = (
    Option("index_dir", str, "", "Index to open: a built index folder, or a published share (read-only network "
                                 "folder with a PUBLISHED file, copied to the user cache and served from "
                                 "there); empty opens the built-in demo index."),
    Option("update_check_minutes", int, 60, "How often to look for a newer published index on the share "
                                            "(minutes; 0 = only at start)", check=_minutes),
    Option("published_sets_dir", str, "", "Folder of read-only onboarding sets published by IT; empty = none."),
    Option("gap_log", bool, False, "Count searches that found nothing useful, locally and aggregated, for the "
                                   "content-gap report (index/gaps.py). Read from the machine (IT) configuration "
                                   "only; never sent anywhere."),
    Option("model_path", str, "", "Embedding model folder; empty uses the model shipped with the app."),
    Option("tablet_mode", str, "auto", "Touch layout: auto (small or touch screens), on or off.",
           choices=("auto", "on", "off")),
    Option("language", str, "nb", "Interface language: nb (bokmål), nn (nynorsk) or en (English).",
           choices=("nb", "nn", "en")),
    Option("font_scale", float, 1.0, "Text size relative to the system font (0.5–3.0).", check=_scale),
    Option("semantic", bool, True, "Load the embedding model for semantic search (off = word search only)."),
    Option("sources_var", list, [], "Source folders of VAR (primary source) procedures, for Fil → Bygg indeks.",
           check=_folders),
    Option("sources_regional", list, [], "Source folders of regional procedures.", check=_folders),
    Option("sources_local", list, [], "Source folders of local procedures.", check=_folders),
)
BY_KEY = {o.key: o for o in OPTIONS}


def user_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / FILE_NAME


def machine_config_path() -> Path:
    return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False)) / FILE_NAME


def coerce(option: Option, value: Any) -> tuple[Any, str]:
    """The value as the option's type, or (None, reason)."""
    if option.type is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if option.type is str and isinstance(value, Path):
        value = str(value)
    if _has_surrogate(value):  # a path decoded with surrogateescape: TOML cannot store it, so it would not read back
        return None, Reason(N_("inneholder tegn som ikke kan lagres (ikke gyldig Unicode)"))
    if not isinstance(value, option.type) or (option.type is not bool and isinstance(value, bool)):
        return None, Reason(N_("ventet {expected}, fikk {got}"), expected=_type_name(option.type),
                            got=_type_name(type(value)))
    if option.choices and value not in option.choices:
        return None, Reason(N_("må være en av {choices}"), choices=", ".join(option.choices))
    reason = option.check(value) if option.check else ""
    return (None, reason) if reason else (value, "")


def _has_surrogate(value: Any) -> bool:
    texts = value if isinstance(value, list) else [value]
    return any(isinstance(t, str) and any(0xD800 <= ord(c) <= 0xDFFF for c in t) for t in texts)


class Config:
    """Effective settings. Read with ``get(key)``; change user values with ``set_user`` + ``save``."""

    def __init__(self, *, user_path: Path | None = None, machine_path: Path | None = None,
                 flags: dict[str, Any] | None = None):
        self.user_path = user_path or user_config_path()
        self.machine_path = machine_path or machine_config_path()
        self.ignored: list[tuple[str, str, str]] = []  # (layer, key, reason)
        self._machine, self.locked = self._read_machine()
        self._user = self._read_layer("user", self._read_toml(self.user_path, "user"))
        self._flags = self._read_layer("command line", {k: v for k, v in (flags or {}).items() if v is not None})

    # -- reading ------------------------------------------------------------------------------------------
    def get(self, key: str) -> Any:
        option = BY_KEY[key]  # KeyError for a typo in the code is wanted
        if key in self.locked:
            return self._machine[key]
        for layer in (self._flags, self._user, self._machine):
            if key in layer:
                return layer[key]
        return list(option.default) if isinstance(option.default, list) else option.default

    def machine_value(self, key: str) -> Any:
        """The machine (IT) configuration's value, ignoring user and command-line layers."""
        return self._machine.get(key, BY_KEY[key].default)

    def is_locked(self, key: str) -> bool:
        return key in self.locked

    def user_value(self, key: str) -> Any:
        return self._user.get(key)

    def as_dict(self) -> dict[str, Any]:
        return {o.key: self.get(o.key) for o in OPTIONS}

    # -- writing (user layer only) --------------------------------------------------------------------------
    def set_user(self, key: str, value: Any) -> str:
        """Set a user value; returns a reason if it was refused (locked or invalid), else ""."""
        if key in self.locked:
            return Reason(N_("låst av IT-oppsettet"))
        value, reason = coerce(BY_KEY[key], value)
        if reason:
            return reason
        if value == BY_KEY[key].default:
            self._user.pop(key, None)
        else:
            self._user[key] = value
        self._flags.pop(key, None)  # the user just chose: a start-up flag no longer masks it
        return ""

    def save(self) -> None:
        self.user_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.user_path.with_suffix(".tmp")
        tmp.write_text(dump_toml(self._user), encoding="utf-8")
        os.replace(tmp, self.user_path)

    # -- internals ------------------------------------------------------------------------------------------
    def _read_toml(self, path: Path, layer: str) -> dict:
        try:
            with open(path, "rb") as fh:
                raw = fh.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            return {}
        except OSError as exc:
            return self._ignore_file(layer, path, Reason(N_("filen kan ikke leses: {error}"),
                                                                    error=exc.strerror or exc))
        if len(raw) > MAX_FILE_BYTES:
            return self._ignore_file(layer, path, Reason(N_("filen er større enn {n} KB"),
                                                                    n=MAX_FILE_BYTES // 1024))
        text, problem = decode_config(raw)
        if text is None:
            return self._ignore_file(layer, path, problem)
        if problem:
            self.ignored.append((layer, str(path), problem))
            log.warning("config file %s: %s", path, problem)
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            where = re.search(r"at line (\d+), column (\d+)", str(exc))
            return self._ignore_file(layer, path, Reason(N_("ikke gyldig TOML (linje {line}, kolonne {column})"),
                                                         line=where[1], column=where[2]) if where else
                                     Reason(N_("ikke gyldig TOML: {detail}"), detail=exc))
        except RecursionError:
            return self._ignore_file(layer, path, Reason(N_("ikke gyldig TOML: for dypt nøstet")))

    def _ignore_file(self, layer: str, path: Path, reason: str) -> dict:
        self.ignored.append((layer, str(path), reason))
        log.warning("config file %s ignored: %s", path, reason)
        return {}

    def _read_layer(self, layer: str, raw: dict) -> dict[str, Any]:
        out = {}
        for key, value in raw.items():
            option = BY_KEY.get(key)
            if option is None:
                self.ignored.append((layer, key, Reason(N_("ukjent innstilling"))))
                continue
            value, reason = coerce(option, value)
            if reason:
                self.ignored.append((layer, key, reason))
            else:
                out[key] = value
        return out

    def _read_machine(self) -> tuple[dict[str, Any], frozenset[str]]:
        raw = self._read_toml(self.machine_path, "machine")
        locked_raw = raw.pop("locked", [])
        values_raw = dict(raw)
        names: list[str] = []
        if isinstance(locked_raw, dict):
            values_raw.update(locked_raw)
            names = list(locked_raw)
        elif isinstance(locked_raw, list):
            names = [n for n in locked_raw if isinstance(n, str)]
        else:
            self.ignored.append(("machine", "locked", Reason(N_("må være en liste med nøkler eller en tabell"))))
        values = self._read_layer("machine", values_raw)
        locked = set()
        for name in names:
            if name not in BY_KEY:
                continue  # already reported as unknown, or a stray name in the list
            if name not in values:
                self.ignored.append(("machine", name, Reason(N_("låst uten en gyldig verdi"))))
            else:
                locked.add(name)
        return values, frozenset(locked)


def decode_config(raw: bytes) -> tuple[str | None, str]:
    """``(text, warning)`` for the bytes of a config file, or ``(None, reason)`` when it cannot be used."""
    bom, encoding = next(((b, e) for b, e in _BOMS if raw.startswith(b)), (b"", "utf-8"))
    try:
        text = raw[len(bom):].decode(encoding)
    except UnicodeDecodeError as exc:
        return None, Reason(N_("ikke UTF-8-tekst (byte {n}; lagret som Windows-1252/ANSI?): filen er "
                                 "ignorert, lagre den som UTF-8"), n=exc.start)
    if encoding.startswith("utf-16"):
        return text, Reason(N_("lagret som UTF-16; lest, men lagre den som UTF-8"))
    return text, ""


def dump_toml(values: dict[str, Any]) -> str:
    """A tiny TOML writer for the value types in OPTIONS (str, float, int, bool, list of str)."""
    lines = ["# Kildefinner user settings (written by the app; see the settings dialog)."]
    for key in sorted(values):
        lines.append(f"{key} = {_toml_value(values[key])}")
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        # \uXXXX holds four hex digits only: a character beyond U+FFFF needs \UXXXXXXXX to read back the same
        escaped = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF
                          else f"\\U{ord(ch):08x}" for ch in escaped)
        return f'"{escaped}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")
