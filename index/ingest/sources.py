"""Finding the files to index: source folders, their tiers, and the optional metadata manifest (CSV).

A source is ``(tier, folder)``. ``discover`` walks each folder recursively in a fixed (sorted) order, skips
hidden and temporary files (``.name``, ``~$name.docx``, ``.~lock.name#``) and files of unsupported types,
and attaches the manifest row that names each file. Manifest paths may be relative to the manifest's own
folder or to a source folder; a ``manifest.csv`` at the top of a source folder is read automatically (an
explicitly given manifest wins over it, field by field; the file's own metadata wins over both, later, in
``index.ingest.formats``). Problems (missing folders, bad manifest rows, files that cannot be indexed safely) are
returned with printable paths, never raised. Symbolic links are followed only to a file inside the same
source folder; see ``_walk`` and docs/it-guide.md.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import hashlib
import io
import os
import posixpath
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from index.errors import ParseError
from index.ingest.decode import decode_text
from index.ingest.formats import SUPPORTED_SUFFIXES
from index.ingest.metadata import tier_of
from index.ingest.safetext import is_clean_name, printable
from index.records import Tier

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("path", "id", "title", "source", "owner", "unit", "language", "revised", "review_due",
                    "status", "keywords", "url", "replaced_by")
_COLUMN_ALIASES = {"erstattet_av": "replaced_by", "file": "path", "fil": "path", "sti": "path"}
MAX_MANIFEST_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class SourceFile:
    """One file to index. ``rel`` (``"<tier>/<path in the folder>"``) is its stable key."""

    path: Path  # absolute
    rel: str
    tier_default: str
    meta: dict = field(hash=False)  # manifest row for this file ({} if none)


def parse_source_arg(arg: str) -> tuple[str, Path]:
    """``"var=DIR"``, ``"regional=DIR"``, ``"local=DIR"`` (also ``lokal=``) or a plain ``"DIR"``.

    A plain folder gets the default tier ``local``; each file's own ``source`` metadata still wins.
    Raises ``ValueError`` with a readable message for an unknown tier or an empty folder.
    """
    text = arg.strip()
    if not text:
        raise ValueError("empty source: give a folder, optionally as TIER=FOLDER (var, regional, local)")
    name, sep, rest = text.partition("=")
    if sep:
        tier = tier_of(name)
        if tier is not None:
            if not rest.strip():
                raise ValueError(f"no folder given after '{name}=' in source {arg!r}")
            return tier, Path(rest.strip()).expanduser()
        if re.fullmatch(r"[^\W\d]+", name.strip()):
            raise ValueError(f"unknown source tier {name.strip()!r} in {arg!r}: "
                             "use var=FOLDER, regional=FOLDER or local=FOLDER (lokal=FOLDER)")
    return Tier.LOCAL, Path(text).expanduser()


def _key(path: str) -> str:
    """Normalised manifest key: forward slashes, no ``./``, case-insensitive."""
    text = path.strip().replace("\\", "/")
    if not text:
        return ""
    absolute = text.startswith("/") or bool(re.match(r"^[A-Za-z]:/", text))
    norm = posixpath.normpath(text)
    if not absolute:
        norm = norm.lstrip("/")
    return "" if norm == "." else norm.casefold()


def _column(name: str) -> str:
    name = re.sub(r"[\s-]+", "_", name.strip().casefold())
    return _COLUMN_ALIASES.get(name, name)


def load_manifest(path: Path) -> tuple[dict[str, dict], list[tuple[str, str]]]:
    """Read a manifest CSV (``,`` or ``;``; UTF-8 with or without BOM, or Windows-1252).

    Returns ``(rows, problems)``: rows keyed by normalised path, each a dict of its non-empty cells
    (``path`` as written); problems as ``("manifest.csv:LINE", reason)`` for rows that were skipped.
    Raises ``ParseError`` when the file cannot be read at all or has no ``path`` column.
    """
    path = Path(path)
    try:
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise ParseError(path, "manifest too large")
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(path, f"cannot read manifest ({exc.strerror or exc})") from None
    text, _ = decode_text(data, path) if data.strip() else ("", [])
    lines = text.split("\n")
    header_line = next((line for line in lines if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next((row for row in reader if any(cell.strip() for cell in row)), None)
    except csv.Error as exc:
        raise ParseError(path, f"manifest is not valid CSV ({exc})") from None
    if header is None or "path" not in (columns := [_column(c) for c in header]):
        raise ParseError(path, "manifest has no 'path' column")
    problems: list[tuple[str, str]] = []
    unknown = [c for c in columns if c not in MANIFEST_COLUMNS]
    if unknown:
        problems.append((f"{path.name}:{reader.line_num}", f"unknown column(s) ignored: {', '.join(unknown)}"))
    rows: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. an over-long field: skip that row, keep reading
            problems.append((f"{path.name}:{reader.line_num}", f"not valid CSV ({exc})"))
            continue
        where = f"{path.name}:{reader.line_num}"
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
            problems.append((where, f"row has {len(cells)} fields but the header has {len(columns)}"))
            continue
        row = {col: cell.strip() for col, cell in zip(columns, cells, strict=False)
               if col in MANIFEST_COLUMNS and cell.strip()}
        key = _key(row.get("path", ""))
        if not key:
            problems.append((where, "no path given"))
        elif key in rows:
            problems.append((where, f"duplicate row for {row['path']!r} (line {first_line[key]} is used)"))
        else:
            rows[key] = row
            first_line[key] = reader.line_num
    return rows, problems


def _skipped_name(name: str) -> bool:
    return name.startswith((".", "~", "__MACOSX")) or name.endswith("~")


def _hidden_on_windows(path: str) -> bool:
    if os.name != "nt":
        return False
    try:
        attrs = getattr(os.stat(path, follow_symlinks=False), "st_file_attributes", 0)
    except OSError:
        return False
    return bool(attrs & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0))


def _walk(root: Path, problems: list[tuple[str, str]]) -> list[tuple[str, Path]]:
    """``(relative posix path, absolute path)`` of every supported file under ``root``, sorted.

    What cannot be indexed safely is reported in ``problems`` with a printable path, never dropped silently:
    a name that is not valid Unicode (it could not be stored or shown), a link to a folder (not followed), a
    link that leaves the source folder (it could publish any readable file on the machine), a dangling or
    looping link, and anything that is not a regular file (a FIFO would hang the build, a device never ends).
    """
    found: list[tuple[str, Path]] = []

    def onerror(err: OSError) -> None:
        problems.append((printable(err.filename or root), f"folder not readable ({err.strerror or err})"))

    for folder, dirs, files in os.walk(root, onerror=onerror):
        keep = []
        for name in sorted(dirs):
            full = os.path.join(folder, name)
            if _skipped_name(name) or _hidden_on_windows(full):
                continue
            if not is_clean_name(name):
                problems.append((printable(full), NOT_UNICODE))
            elif os.path.islink(full):
                problems.append((printable(full), "link to a folder: not followed"))
            else:
                keep.append(name)
        dirs[:] = keep
        for name in files:
            if _skipped_name(name) or os.path.splitext(name)[1].lower() not in SUPPORTED_SUFFIXES:
                continue
            full = os.path.join(folder, name)
            if _hidden_on_windows(full):
                continue
            reason = NOT_UNICODE if not is_clean_name(full) else _unusable(full, root)
            if reason:
                problems.append((printable(full), reason))
                continue
            found.append((Path(os.path.relpath(full, root)).as_posix(), Path(full)))
    found.sort(key=lambda item: (item[0].casefold(), item[0]))
    return found


NOT_UNICODE = "file name is not valid Unicode (e.g. copied from an old system); rename it to index it"


def _unusable(full: str, root: Path) -> str:
    """Why ``full`` must not be indexed, or "" for a regular file (or a link to one inside ``root``)."""
    try:
        info = os.lstat(full)
        if stat.S_ISLNK(info.st_mode):
            try:
                target = Path(os.path.realpath(full, strict=True))
            except OSError as exc:
                return "link loop" if exc.errno == errno.ELOOP else "broken link (its target is missing)"
            if target != root and root not in target.parents:
                return f"link leads outside the source folder (to {printable(target)}): not followed"
            info = os.stat(full)
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a FIFO, device or socket)"
    return ""


def _read_manifest(path: Path, problems: list[tuple[str, str]]) -> dict[str, dict]:
    try:
        rows, found = load_manifest(path)
    except ParseError as exc:
        problems.append((str(path), exc.reason))
        return {}
    problems.extend(found)
    return rows


def _candidates(full: Path, root: Path, relpath: str, rel: str, base: Path | None) -> list[str]:
    keys = []
    if base is not None:
        with contextlib.suppress(ValueError):  # another drive on Windows: no relative path
            keys.append(_key(os.path.relpath(full, base)))
    keys += [_key(relpath), _key(rel), _key(str(full))]
    return keys


def _lookup(rows: dict[str, dict], keys: list[str], used: set[str]) -> dict:
    for key in keys:
        if key in rows:
            used.add(key)
            return rows[key]
    return {}


def discover(sources: list[tuple[str, Path]], manifest: Path | None = None
             ) -> tuple[list[SourceFile], list[tuple[str, str]]]:
    """All files to index from ``sources`` ([(tier, folder)]) and the problems met on the way."""
    problems: list[tuple[str, str]] = []
    explicit: dict[str, dict] = {}
    base = None
    if manifest is not None:
        manifest = Path(manifest).expanduser().resolve()
        explicit = _read_manifest(manifest, problems)
        base = manifest.parent
    used: set[str] = set()
    files: list[SourceFile] = []
    taken: set[str] = set()
    for tier_name, folder in sources:
        tier = tier_of(tier_name)
        if tier is None:
            raise ValueError(f"unknown source tier {tier_name!r} (use var, regional or local)")
        folder = Path(folder).expanduser()
        if not folder.is_dir():
            problems.append((printable(folder), "source folder not found" if not folder.exists()
                             else "source is not a folder"))
            continue
        root = folder.resolve()
        if not is_clean_name(str(root)):
            problems.append((printable(root), "source folder name is not valid Unicode; rename it to index it"))
            continue
        local_rows: dict[str, dict] = {}
        local_used: set[str] = set()
        auto = root / MANIFEST_NAME
        if auto.is_file() and auto != manifest:
            local_rows = _read_manifest(auto, problems)
        for relpath, full in _walk(root, problems):
            rel = _unique(f"{tier}/{relpath}", f"{tier}/{root.name}/{relpath}", taken)
            keys = _candidates(full, root, relpath, rel, base)
            meta = {**_lookup(local_rows, [_key(relpath)], local_used), **_lookup(explicit, keys, used)}
            files.append(SourceFile(path=full, rel=rel, tier_default=tier, meta=meta))
        _report_unused(auto, local_rows, local_used, problems)
    _report_unused(manifest, explicit, used, problems)
    return files, problems


def _report_unused(manifest: Path | None, rows: dict[str, dict], used: set[str],
                   problems: list[tuple[str, str]]) -> None:
    for key, row in rows.items():
        if key not in used:
            problems.append((str(manifest), f"manifest names a file that was not found: {row['path']}"))


def _unique(rel: str, alternative: str, taken: set[str]) -> str:
    """``rel``, unless an earlier source folder of the same tier already produced it."""
    candidate, n = rel, 1
    while candidate.casefold() in taken:
        candidate = alternative if n == 1 else f"{alternative}~{n}"
        n += 1
    taken.add(candidate.casefold())
    return candidate


def file_hash(path: Path) -> str:
    """SHA-256 of the file's content (hex), read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
