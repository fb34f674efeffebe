"""The client side of a published index: a verified local copy of the share's current version.

Client copy (an ordinary index folder, so ``Engine`` opens it unchanged)::

    CACHE/CURRENT, CACHE/snapshots/<version>/      in the user cache dir, one folder per share
    CACHE/.building-<pid>-sync-<version>/          a copy in progress: never read, removed later

``sync`` copies a new version into a temporary folder, checks every file against the listing (whose hash
the pointer carries), opens the copy once, then renames it into place and switches ``CURRENT``. Anything
wrong — share unreachable, pointer damaged, a file missing, short or changed — leaves the local copy
serving as it was. A killed copy is a ``.building-*`` folder that nothing reads. The share's layout:
``index.builder.publish``.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar

from index.builder.publish import (
    CHUNK,
    LISTING,
    VERSIONS,
    Pointer,
    listing_bytes,
    read_pointer,
    remove_leftovers,
    safe_rel,
)
from index.errors import IndexCorruptError, IndexMissingError
from index.store import snapshot as _snapshot

_T = TypeVar("_T")
_P = ParamSpec("_P")

log = logging.getLogger(__name__)

KEEP_LOCAL = 2  # in the cache: the new version and the one the app may still be serving
_SYNC_LOCK = threading.Lock()

# sync() outcomes
UPDATED, UP_TO_DATE, UNREACHABLE, REJECTED = "updated", "up-to-date", "unreachable", "rejected"
LOCAL_FAILED = "local-failed"  # the share is fine; this machine's disk could not take the copy (full, read-only)


class _LocalWriteError(Exception):
    """Writing the local copy failed (``__cause__`` is the OSError): not the share's fault."""


@dataclass(frozen=True, slots=True)
class SyncResult:
    status: str  # UPDATED, UP_TO_DATE, UNREACHABLE, REJECTED or LOCAL_FAILED
    version: str  # the version serving locally afterwards ("" if there is no local copy)
    published: str = ""  # the version the share names ("" if unknown)
    reason: str = ""  # why the share could not be used (UNREACHABLE / REJECTED / LOCAL_FAILED)

    @property
    def changed(self) -> bool:
        return self.status == UPDATED


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
    bad = next((f["path"] for f in files if not safe_rel(f["path"])), None)
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
    remove_leftovers(cache, ".building-")
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
    _local(work.mkdir, parents=True)
    for entry in files:
        if cancelled():
            return "cancelled"
        dest = work / entry["path"]
        _local(dest.parent.mkdir, parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        try:
            with open(source / entry["path"], "rb") as src, _local(open, dest, "wb") as out:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    _local(out.write, chunk)
                _local(out.flush)
        except FileNotFoundError:
            return f"{entry['path']} missing on the share"
        if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
            return f"{entry['path']} on the share does not match the listing (damaged or half-copied)"
    _local((work / LISTING).write_bytes, listing_bytes(files))
    return ""


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
