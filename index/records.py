"""Frozen records that cross the engine facade: procedures, sections, hits, status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

TIERS = ("var", "regional", "local")
LANGUAGES = ("nb", "nn", "en")
STATUSES = ("active", "superseded")


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the text under it. ``heading`` is empty for text before the first heading."""

    heading: str
    text: str


@dataclass(frozen=True, slots=True)
class Procedure:
    """One parsed source document with its metadata, ready to index."""

    doc_id: str
    title: str
    tier: str  # one of TIERS
    sections: tuple[Section, ...]
    path: str  # source file, relative to its source root
    owner: str = ""
    unit: str = ""
    language: str = "nb"
    revised: dt.date | None = None
    review_due: dt.date | None = None
    status: str = "active"
    keywords: tuple[str, ...] = ()
    url: str = ""
    replaced_by: str = ""  # doc id of the replacement, when metadata names one
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def text(self) -> str:
        return "\n\n".join(f"{s.heading}\n{s.text}" if s.heading else s.text for s in self.sections)
