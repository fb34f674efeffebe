"""Records of bookmarks and onboarding sets, and the errors about them (plain Python, no Qt).

A set is a frozen ``OnboardingSet`` holding ``SetItem`` rows; the store, the file format, the models and the
printout all pass these around, never database rows or JSON dicts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

PROCEDURE, HEADING = "procedure", "heading"
BOOKMARKS, PERSONAL, PUBLISHED = "bookmarks", "personal", "published"


class SetsError(Exception):
    """Base of every sets error; ``str(exc)`` is a plain-language message for the user."""


class SetGone(SetsError):
    pass


class ItemGone(SetsError):
    pass


class NameTaken(SetsError):
    pass


class ReadOnlySet(SetsError):
    pass


class StoreBusy(SetsError):
    """Another process holds the write lock; nothing is lost, try again later."""


class StoreReadOnly(SetsError):
    """The sets can be read but not saved now (disk full, read-only file or folder); nothing is lost."""


@dataclass(frozen=True, slots=True)
class SetItem:
    """One row of a set: a procedure (doc id + snapshot) or a grouping heading (``title`` is its text)."""

    uid: str
    kind: str  # PROCEDURE | HEADING
    title: str
    doc_id: str = ""
    tier: str = ""
    owner: str = ""
    revised: str = ""  # ISO date of the snapshot, "" when unknown
    note: str = ""

    @property
    def is_heading(self) -> bool:
        return self.kind == HEADING


@dataclass(frozen=True, slots=True)
class OnboardingSet:
    uid: str
    name: str
    description: str
    kind: str  # BOOKMARKS | PERSONAL | PUBLISHED
    items: tuple[SetItem, ...] = ()
    updated: str = ""
    source: str = ""  # published sets: the file they came from

    @property
    def read_only(self) -> bool:
        return self.kind == PUBLISHED

    @property
    def procedures(self) -> tuple[SetItem, ...]:
        return tuple(i for i in self.items if not i.is_heading)

    def item(self, uid: str) -> SetItem | None:
        return next((i for i in self.items if i.uid == uid), None)

    def content(self) -> tuple:
        """What a set *says* (for comparing copies): name, description, items without local ids."""
        return (self.name, self.description,
                tuple((i.kind, i.title, i.doc_id, i.tier, i.owner, i.revised, i.note) for i in self.items))


def new_uid() -> str:
    return uuid.uuid4().hex


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()
