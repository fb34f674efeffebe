"""One build at a time per index folder: an OS file lock on ``INDEX/.build.lock``.

Two builds of one index would both run to the end and the last would win: the work of the first is wasted
and the log is confusing. The second build therefore stops at once with ``BuildRunningError`` naming the
running build (pid, host, start time). The lock is the operating system's (``flock`` on POSIX, ``msvcrt``
byte-range lock on Windows), so it dies with its process: the lock file left behind by a build that was
killed is simply locked again by the next one; there is no stale-lock guessing by pid. The file is never
deleted (deleting a lock file lets a waiting opener and a new creator both "hold" it).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sys
from pathlib import Path
from typing import Self

from index.errors import BuildRunningError

LOCK_NAME = ".build.lock"
_REGION = 1 << 20  # Windows: lock a byte far past the holder's note, so the note stays readable


class BuildLock:
    """``with BuildLock(index_dir):`` around a build; raises ``BuildRunningError`` if one is running."""

    def __init__(self, index_dir: str | Path):
        self.path = Path(index_dir) / LOCK_NAME
        self._fd: int | None = None

    def __enter__(self) -> Self:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except OSError:
            holder = _read_note(fd)
            os.close(fd)
            raise BuildRunningError(f"a build of {self.path.parent} is already running ({holder}); "
                                    "wait for it to finish") from None
        self._fd = fd
        note = {"pid": os.getpid(), "host": socket.gethostname(),
                "started": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(note).encode())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            try:
                os.ftruncate(self._fd, 0)
                _unlock(self._fd)
            finally:
                os.close(self._fd)
                self._fd = None


def _read_note(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        note = json.loads(os.read(fd, 4096) or b"{}")
        return f"pid {note['pid']} on {note['host']}, started {note['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "details unknown"


# sys.platform (not os.name) so that the type checker knows which branch runs where.
if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, _REGION, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, _REGION, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
