"""Published index snapshots: the procedure team publishes to a share, clients keep a verified local copy.

Share layout (written only by ``publish``; clients never write, lock or open Whoosh there)::

    SHARE/PUBLISHED                   small JSON pointer, written last with os.replace:
                                      {"format", "version", "listing_sha256", "published_at", "documents"}
    SHARE/versions/<version>/         one snapshot folder (manifest.json, docs.sqlite, whoosh/, vectors …)
                            /FILES.json   every file of the snapshot: relative path, size, sha256
    SHARE/versions/.incoming-<pid>-<version>/   a publish in progress: never named by the pointer

A version name is ``<UTC time>-<content hash>``, so names sort by age and equal content is not published twice.

Clients copy it with ``index.builder.sync``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from index.errors import IndexCorruptError, KildefinnerError
from index.store import snapshot as _snapshot

log = logging.getLogger(__name__)

POINTER = "PUBLISHED"
VERSIONS = "versions"
LISTING = "FILES.json"
FORMAT = 1
KEEP_PUBLISHED = 3  # on the share: the pointed-to version and older ones clients may still be copying
INCOMING_STALE_S = 6 * 3600  # an unfinished publish this old on the share is abandoned (its PC may differ)
MAX_POINTER_BYTES = 64 * 1024
_VERSION_RE = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{12}$")
CHUNK = 1 << 20

class PublishError(KildefinnerError):
    """Publishing failed (source index missing, share not writable, copy did not verify)."""


@dataclass(frozen=True, slots=True)
class PublishReport:
    version: str
    share: Path
    documents: int
    files: int
    bytes: int
    already_published: bool = False
    pruned: tuple[str, ...] = ()


# ------------------------------------------------------------------------------------------- helpers
def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _listing(folder: Path) -> list[dict]:
    """Every file under ``folder`` as {path (posix, relative), size, sha256}, sorted by path."""
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel == LISTING:
            continue
        files.append({"path": rel, "size": path.stat().st_size, "sha256": sha256_file(path)})
    return files


def listing_bytes(files: list[dict]) -> bytes:
    return json.dumps({"format": FORMAT, "files": files}, indent=0, sort_keys=True).encode("utf-8")


def safe_rel(rel: str) -> bool:
    """A listing path that stays inside the version folder (no absolute paths, no ``..``)."""
    parts = rel.split("/")
    return bool(rel) and not rel.startswith("/") and ":" not in rel and "\\" not in rel and all(
        p not in ("", ".", "..") for p in parts)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _pid_of(name: str) -> int | None:
    """The writer's pid in ``.incoming-<pid>-…`` / ``.building-<pid>-…`` names."""
    parts = name.split("-")
    return int(parts[1]) if len(parts) >= 3 and parts[1].isdigit() else None


def remove_leftovers(folder: Path, prefix: str, *, min_age_s: float = 0) -> None:
    """Remove folders of killed writers. On a share the pid may belong to another PC, so there a leftover
    must also be ``min_age_s`` old before it counts as abandoned."""
    now = time.time()
    for leftover in folder.glob(f"{prefix}*"):
        pid = _pid_of(leftover.name)
        try:
            old_enough = now - leftover.stat().st_mtime >= min_age_s
        except OSError:
            continue
        if old_enough and (pid is None or (pid != os.getpid() and not _snapshot.pid_alive(pid))):
            shutil.rmtree(leftover, ignore_errors=True)


# ------------------------------------------------------------------------------------------- reading
@dataclass(frozen=True, slots=True)
class Pointer:
    version: str
    listing_sha256: str
    published_at: str = ""
    documents: int = 0


def read_pointer(share: Path) -> Pointer:
    """The pointer on the share. OSError if unreachable; IndexCorruptError if damaged."""
    path = Path(share) / POINTER
    with open(path, "rb") as fh:
        raw = fh.read(MAX_POINTER_BYTES + 1)
    if len(raw) > MAX_POINTER_BYTES:
        raise IndexCorruptError(f"{path}: too large to be a pointer")
    try:
        data = json.loads(raw.decode("utf-8"))
        pointer = Pointer(version=data["version"], listing_sha256=data["listing_sha256"],
                          published_at=str(data.get("published_at", "")), documents=int(data.get("documents", 0)))
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise IndexCorruptError(f"{path}: damaged ({exc.__class__.__name__}: {exc})") from exc
    if data.get("format") != FORMAT:
        raise IndexCorruptError(f"{path}: format {data.get('format')!r}, this version reads {FORMAT}")
    if not isinstance(pointer.version, str) or not _VERSION_RE.match(pointer.version):
        raise IndexCorruptError(f"{path}: names an invalid version {pointer.version!r}")
    if not isinstance(pointer.listing_sha256, str) or not re.fullmatch(r"[0-9a-f]{64}", pointer.listing_sha256):
        raise IndexCorruptError(f"{path}: invalid listing hash")
    return pointer


def is_share(location: Path) -> bool:
    """True if ``location`` holds a published pointer (False too when it cannot be reached)."""
    try:
        return (Path(location) / POINTER).is_file()
    except OSError:
        return False


# ------------------------------------------------------------------------------------------- publishing
def publish(index_dir: str | Path, share: str | Path, *, keep: int = KEEP_PUBLISHED,
            now: dt.datetime | None = None) -> PublishReport:
    """Copy the serving snapshot of ``index_dir`` to ``share`` as a new version, then switch the pointer."""
    index_dir, share = Path(index_dir), Path(share)
    source = _snapshot.current_dir(index_dir)  # IndexMissingError / IndexCorruptError for the CLI
    snap = _snapshot.Snapshot(source)  # refuse to publish a snapshot that does not open
    documents = len(snap.docs)
    snap.close()
    files = _listing(source)
    listing = listing_bytes(files)
    listing_sha = hashlib.sha256(listing).hexdigest()
    total = sum(f["size"] for f in files)

    versions = share / VERSIONS
    try:
        versions.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(f"cannot write to the share {share}: {exc}") from exc
    try:
        current = read_pointer(share)
    except FileNotFoundError:
        current = None
    except (OSError, IndexCorruptError) as exc:
        log.warning("existing pointer on %s unreadable (%s); publishing over it", share, exc)
        current = None
    if current is not None and current.listing_sha256 == listing_sha and (versions / current.version).is_dir():
        log.info("%s already published as %s", source.name, current.version)
        return PublishReport(version=current.version, share=share, documents=documents, files=len(files),
                             bytes=total, already_published=True)

    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    version = f"{stamp}-{listing_sha[:12]}"
    target = versions / version
    incoming = versions / f".incoming-{os.getpid()}-{version}"
    remove_leftovers(versions, ".incoming-", min_age_s=INCOMING_STALE_S)
    try:
        if not target.is_dir():
            shutil.rmtree(incoming, ignore_errors=True)
            incoming.mkdir()
            for entry in files:
                dest = incoming / entry["path"]
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source / entry["path"], dest)
            (incoming / LISTING).write_bytes(listing)
            problem = _verify(incoming, files)  # what landed on the share, read back
            if problem:
                raise PublishError(f"the copy on the share did not verify: {problem}")
            os.rename(incoming, target)
        elif _verify(target, files):
            raise PublishError(f"{target} exists and differs from the snapshot; remove it and publish again")
        pointer = {"format": FORMAT, "version": version, "listing_sha256": listing_sha,
                   "published_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                   "documents": documents, "snapshot": source.name}
        _write_atomic(share / POINTER, json.dumps(pointer, indent=1).encode("utf-8"))
    except OSError as exc:
        shutil.rmtree(incoming, ignore_errors=True)
        raise PublishError(f"publishing to {share} failed: {exc}") from exc
    except PublishError:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    pruned = _prune_share(share, version, keep)
    log.info("published %s (%d documents, %d files) to %s", version, documents, len(files), share)
    return PublishReport(version=version, share=share, documents=documents, files=len(files), bytes=total,
                         pruned=tuple(pruned))


def _prune_share(share: Path, serving: str, keep: int) -> list[str]:
    names = sorted(p.name for p in (share / VERSIONS).iterdir() if p.is_dir() and _VERSION_RE.match(p.name))
    pruned = []
    for name in names[:-keep] if keep > 0 else []:
        if name != serving:
            shutil.rmtree(share / VERSIONS / name, ignore_errors=True)
            pruned.append(name)
    return pruned


def _verify(folder: Path, files: list[dict]) -> str:
    """"" if every listed file is in ``folder`` with its size and hash, else the first problem."""
    for entry in files:
        path = folder / entry["path"]
        try:
            size = path.stat().st_size
            if size != entry["size"]:
                return f"{entry['path']}: {size} bytes, expected {entry['size']}"
            if sha256_file(path) != entry["sha256"]:
                return f"{entry['path']}: content differs"
        except OSError as exc:
            return f"{entry['path']}: {exc}"
    return ""
