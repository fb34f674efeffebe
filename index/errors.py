"""The engine's error hierarchy: one base class, specific subclasses.

The UI shows any ``KildefinnerError`` through one function; anything else is a bug and goes to the log.
"""

from __future__ import annotations

from os import PathLike


class KildefinnerError(Exception):
    """Base class for every error the engine raises on purpose."""


class ParseError(KildefinnerError):
    """One source file could not be read. The build reports it (path + reason) and skips the file."""

    def __init__(self, path: str | PathLike[str], reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class IndexMissingError(KildefinnerError):
    """No snapshot exists at the given location."""


class IndexCorruptError(KildefinnerError):
    """A snapshot exists but cannot be opened safely."""


class BuildCancelled(KildefinnerError):
    """The caller cancelled a build through its progress callback; the previous snapshot keeps serving."""


class IndexWriteError(KildefinnerError):
    """A build could not write its snapshot (disk full, permission denied); the previous one keeps serving."""


class BuildRunningError(KildefinnerError):
    """Another build of the same index is running; this one did not start (the message names it)."""


class NothingIndexedError(KildefinnerError):
    """A build found no usable document at all."""


class ModelUnavailableError(KildefinnerError):
    """No embedding model could be loaded; search falls back to lexical only."""
