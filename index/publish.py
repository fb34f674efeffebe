"""Published index snapshots: the procedure team publishes to a share, clients keep a verified local copy.

Share layout (written only by ``publish``; clients never write, lock or open Whoosh there)::

    SHARE/PUBLISHED                   small JSON pointer, written last with os.replace:
                                      {"format", "version", "listing_sha256", "published_at", "documents"}
    SHARE/versions/<version>/         one snapshot folder (manifest.json, docs.sqlite, whoosh/, vectors …)
                            /FILES.json   every file of the snapshot: relative path, size, sha256
    SHARE/versions/.incoming-<pid>-<version>/   a publish in progress: never named by the pointer

A version name is ``<UTC time>-<content hash>``, so names sort by age and equal content is not published twice.

Client copy (an ordinary index folder, so ``Engine`` opens it unchanged)::

    CACHE/CURRENT, CACHE/snapshots/<version>/      in the user cache dir, one folder per share
    CACHE/.building-<pid>-sync-<version>/          a copy in progress: never read, removed later

``sync`` copies a new version into a temporary folder, checks every file against the listing (whose hash
the pointer carries), opens the copy once, then renames it into place and switches ``CURRENT``. Anything
wrong — share unreachable, pointer damaged, a file missing, short or changed — leaves the local copy
serving as it was. A killed copy is a ``.building-*`` folder that nothing reads.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar

from index import snapshot as _snapshot
from index.errors import IndexCorruptError, IndexMissingError, KildefinnerError

log = logging.getLogger(__name__)

POINTER = "PUBLISHED"
VERSIONS = "versions"
LISTING = "FILES.json"
FORMAT = 1
KEEP_PUBLISHED = 3  # on the share: the pointed-to version and older ones clients may still be copying
KEEP_LOCAL = 2  # in the cache: the new version and the one the app may still be serving
INCOMING_STALE_S = 6 * 3600  # an unfinished publish this old on the share is abandoned (its PC may differ)
MAX_POINTER_BYTES = 64 * 1024
_VERSION_RE = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{12}$")
_CHUNK = 1 << 20
_SYNC_LOCK = threading.Lock()

# sync() outcomes
UPDATED, UP_TO_DATE, UNREACHABLE, REJECTED = "updated", "up-to-date", "unreachable", "rejected"
LOCAL_FAILED = "local-failed"  # the share is fine; this machine's disk could not take the copy (full, read-only)


class _LocalWriteError(Exception):
    """Writing the local copy failed (``__cause__`` is the OSError): not the share's fault."""


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


@dataclass(frozen=True, slots=True)
class SyncResult:
    status: str  # UPDATED, UP_TO_DATE, UNREACHABLE, REJECTED or LOCAL_FAILED
    version: str  # the version serving locally afterwards ("" if there is no local copy)
    published: str = ""  # the version the share names ("" if unknown)
    reason: str = ""  # why the share could not be used (UNREACHABLE / REJECTED / LOCAL_FAILED)

    @property
    def changed(self) -> bool:
        return self.status == UPDATED


# ------------------------------------------------------------------------------------------- helpers
def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _listing(folder: Path) -> list[dict]:
    """Every file under ``folder`` as {path (posix, relative), size, sha256}, sorted by path."""
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel == LISTING:
            continue
        files.append({"path": rel, "size": path.stat().st_size, "sha256": _sha256(path)})
    return files


def _listing_bytes(files: list[dict]) -> bytes:
    return json.dumps({"format": FORMAT, "files": files}, indent=0, sort_keys=True).encode("utf-8")


def _safe_rel(rel: str) -> bool:
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


def _remove_leftovers(folder: Path, prefix: str, *, min_age_s: float = 0) -> None:
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
    listing = _listing_bytes(files)
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
    _remove_leftovers(versions, ".incoming-", min_age_s=INCOMING_STALE_S)
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
            if _sha256(path) != entry["sha256"]:
                return f"{entry['path']}: content differs"
        except OSError as exc:
            return f"{entry['path']}: {exc}"
    return ""


# ------------------------------------------------------------------------------------------- client side
def local_copy_dir(share: str | Path, cache_root: str | Path) -> Path:
    """The local index folder mirroring ``share``: one per share path, under ``cache_root``."""
    text = str(share)
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(text).name or "share")[:40]
    return Path(cache_root) / f"{slug}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}"


def local_version(cache: Path) -> str:
    try:
        return _snapshot.current_dir(cache).name
    except (IndexMissingError, IndexCorruptError):
        return ""


def sync(share: str | Path, cache: str | Path, *, cancelled: Callable[[], bool] = lambda: False) -> SyncResult:
    """Bring the local copy ``cache`` up to the version the share publishes. Never raises for share trouble.

    The share is only read. The copy is verified file by file against the published listing before it is
    switched in with one ``os.replace`` of ``CURRENT``; until then the previous local version serves.
    """
    share, cache = Path(share), Path(cache)
    have = local_version(cache)
    try:
        pointer = read_pointer(share)
    except FileNotFoundError:
        return SyncResult(UNREACHABLE, have, reason=f"nothing published at {share}")
    except OSError as exc:
        return SyncResult(UNREACHABLE, have, reason=f"share not reachable: {exc}")
    except IndexCorruptError as exc:
        log.warning("published pointer rejected: %s", exc)
        return SyncResult(REJECTED, have, reason=str(exc))
    if pointer.version == have:
        return SyncResult(UP_TO_DATE, have, pointer.version)

    source = share / VERSIONS / pointer.version
    try:
        listing = (source / LISTING).read_bytes()
    except FileNotFoundError:
        return SyncResult(REJECTED, have, pointer.version, f"{source}: no {LISTING} (incomplete version)")
    except OSError as exc:
        return SyncResult(UNREACHABLE, have, pointer.version, f"share not reachable: {exc}")
    if hashlib.sha256(listing).hexdigest() != pointer.listing_sha256:
        return SyncResult(REJECTED, have, pointer.version, f"{source / LISTING} does not match the pointer")
    try:
        files = json.loads(listing.decode("utf-8"))["files"]
        files = [{"path": str(f["path"]), "size": int(f["size"]), "sha256": str(f["sha256"])} for f in files]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        return SyncResult(REJECTED, have, pointer.version, f"{source / LISTING}: damaged ({exc})")
    bad = next((f["path"] for f in files if not _safe_rel(f["path"])), None)
    if bad is not None:
        return SyncResult(REJECTED, have, pointer.version, f"{source / LISTING}: unsafe path {bad!r}")

    with _SYNC_LOCK:  # one copier per process (the app's start-up open and its timer may meet here)
        return _sync_locked(share, cache, pointer, files, have, cancelled)


def _sync_locked(share: Path, cache: Path, pointer: Pointer, files: list[dict], have: str,
                 cancelled: Callable[[], bool]) -> SyncResult:
    if local_version(cache) == pointer.version:  # another sync finished while we waited
        return SyncResult(UP_TO_DATE, pointer.version, pointer.version)
    source = share / VERSIONS / pointer.version
    snapshots = cache / _snapshot.SNAPSHOTS
    target = snapshots / pointer.version
    if _complete(target, pointer):  # copied and renamed earlier (another instance, or a crash before the switch)
        _snapshot.switch_pointer(cache, pointer.version)
        return SyncResult(UPDATED, pointer.version, pointer.version)
    _remove_leftovers(cache, ".building-")
    work = cache / f".building-{os.getpid()}-sync-{pointer.version}"
    shutil.rmtree(work, ignore_errors=True)
    try:
        _local(lambda: snapshots.mkdir(parents=True, exist_ok=True))
        problem = _copy_verified(source, work, files, cancelled)
        if not problem:
            problem = _opens(work)
    except _LocalWriteError as exc:  # this machine's disk: full, over quota or read-only
        shutil.rmtree(work, ignore_errors=True)
        return SyncResult(LOCAL_FAILED, have, pointer.version, _local_reason(cache, exc.__cause__))
    except OSError as exc:  # the share went away mid-copy
        shutil.rmtree(work, ignore_errors=True)
        return SyncResult(UNREACHABLE, have, pointer.version, f"copy interrupted: {exc}")
    if problem:
        shutil.rmtree(work, ignore_errors=True)
        status = UNREACHABLE if problem == "cancelled" else REJECTED
        log.warning("published version %s not used: %s", pointer.version, problem)
        return SyncResult(status, have, pointer.version, problem)

    try:
        if _complete(target, pointer):  # another app instance got there first: use theirs
            shutil.rmtree(work, ignore_errors=True)
        else:
            if target.exists():  # not a verified copy (should not happen): replace it
                shutil.rmtree(target, ignore_errors=True)
            os.rename(work, target)
        _snapshot.switch_pointer(cache, pointer.version)
    except OSError as exc:  # the local disk, not the share: the previous version still serves
        shutil.rmtree(work, ignore_errors=True)
        return SyncResult(LOCAL_FAILED, local_version(cache), pointer.version, _local_reason(cache, exc))
    _prune_local(cache, pointer.version)
    log.info("published index %s copied from %s and switched in (was %s)", pointer.version, share, have or "none")
    return SyncResult(UPDATED, pointer.version, pointer.version)


def _copy_verified(source: Path, work: Path, files: list[dict], cancelled: Callable[[], bool]) -> str:
    """Copy the listed files, hashing as they are read; "" if all match, else the first problem.

    Reading the share raises ``OSError``; writing the local copy raises ``_LocalWriteError``.
    """
    _local(lambda: work.mkdir(parents=True))
    for entry in files:
        if cancelled():
            return "cancelled"
        dest = work / entry["path"]
        _local(dest.parent.mkdir, parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        try:
            with open(source / entry["path"], "rb") as src, _local(open, dest, "wb") as out:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    _local(out.write, chunk)
                _local(out.flush)
        except FileNotFoundError:
            return f"{entry['path']} missing on the share"
        if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
            return f"{entry['path']} on the share does not match the listing (damaged or half-copied)"
    _local(lambda: (work / LISTING).write_bytes(_listing_bytes(files)))
    return ""


_T = TypeVar("_T")
_P = ParamSpec("_P")


def _local(write: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """``write(*args, **kwargs)``, with an OSError from it marked as the local disk's (not the share's)."""
    try:
        return write(*args, **kwargs)
    except OSError as exc:
        raise _LocalWriteError(str(exc)) from exc


def _local_reason(cache: Path, exc: BaseException | None) -> str:
    what = "the local disk is full" if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) \
        else "the local copy could not be written"
    return f"{what} ({exc}) at {cache}; the share is fine and the previous version keeps serving"


def _complete(folder: Path, pointer: Pointer) -> bool:
    """A local version folder renamed into place after verification, for exactly this publication."""
    try:
        listing = (folder / LISTING).read_bytes()
    except OSError:
        return False
    return hashlib.sha256(listing).hexdigest() == pointer.listing_sha256 and not _opens(folder)


def _opens(folder: Path) -> str:
    try:
        _snapshot.Snapshot(folder).close()
    except IndexCorruptError as exc:
        return str(exc)
    return ""


def _prune_local(cache: Path, serving: str) -> None:
    for folder in _snapshot.snapshot_dirs(cache)[:-KEEP_LOCAL]:
        if folder.name != serving:
            shutil.rmtree(folder, ignore_errors=True)  # a version still open on Windows stays until next time


def ensure_local_copy(share: str | Path, cache: str | Path) -> SyncResult:
    """Before opening: sync if there is no local copy yet (the first start); otherwise report what serves."""
    cache = Path(cache)
    have = local_version(cache)
    if have:
        return SyncResult(UP_TO_DATE, have)
    result = sync(share, cache)
    if not result.version:
        raise IndexMissingError(f"no local copy of the published index at {share} yet, and it cannot be "
                                f"copied now: {result.reason}")
    return result
