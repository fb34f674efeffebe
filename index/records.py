"""Frozen records that cross the engine facade: procedures, sections, hits, status."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np


class Tier(StrEnum):
    """Where a procedure comes from, in order of authority: the national VAR library is the primary source."""

    VAR = "var"
    REGIONAL = "regional"
    LOCAL = "local"


class SearchMode(StrEnum):
    """How a search ranks: words and meaning fused, words only, or meaning only."""

    HYBRID = "hybrid"
    LEXICAL = "lexical"
    DENSE = "dense"


TIERS = tuple(Tier)
LANGUAGES = ("nb", "nn", "en")
STATUSES = ("active", "superseded")
OVERLAP_KINDS = ("full", "partial", "duplicate")


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
    tier: Tier
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


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked result. Scores are kept for debugging; ``fused`` is what the ranking used."""

    doc_id: str
    title: str
    tier: Tier
    owner: str
    unit: str
    language: str
    status: str
    stale: bool
    review_due: dt.date | None
    revised: dt.date | None
    section: str  # heading of the best-matching section ("" if none)
    snippet: str  # plain text around the best match (matched words: ``marks``)
    path: str
    url: str
    lexical: float = 0.0
    dense: float = 0.0
    fused: float = 0.0
    replaced_by: str = ""
    # Overlap with a VAR procedure (or, for a local duplicate, with its newer copy), from index.overlap.
    overlaps_id: str = ""
    overlaps_title: str = ""
    overlap_kind: str = ""  # one of OVERLAP_KINDS, "" if none
    grouped: bool = False  # placed right under the VAR procedure it overlaps, which is in this result list
    marks: tuple[tuple[int, int], ...] = ()  # [start, end) character spans of the matched words in ``snippet``
    good: bool = True  # a real match (index.ranking.Confidence), not only the closest the index has
    # The procedure team's decision (index.decisions): "utfases" / "lokalt_tillegg" / "beholdes", "" if none;
    # a decision naming a VAR procedure also sets overlaps_id/overlaps_title to it (the one-click jump).
    decision: str = ""
    decision_last_date: dt.date | None = None

    def marked_words(self) -> list[str]:
        return [self.snippet[a:b] for a, b in self.marks]


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Restrictions a caller puts on a search. Query prefixes (``var:``, ``lokal:``) map onto these."""

    tiers: frozenset[str] = frozenset()  # empty = all
    languages: frozenset[str] = frozenset()  # empty = all
    include_stale: bool = True
    include_superseded: bool = False
    owner: str = ""  # substring match on owner/unit, case-insensitive


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]
    mode: SearchMode  # what actually ran
    suggestion: str = ""  # "did you mean" text, empty when none
    fuzzy: bool = False  # the query was replaced by ``suggestion`` (else the suggestion is only offered)
    notice: str = ""  # plain-language note (e.g. "semantic search unavailable: lexical only")
    matches: int = -1  # hits that are real matches (``Hit.good``); -1: all of them

    def __post_init__(self) -> None:
        if self.matches < 0:
            object.__setattr__(self, "matches", sum(h.good for h in self.hits))


@dataclass(frozen=True, slots=True)
class BuildReport:
    indexed: int
    reused: int  # unchanged files carried over from the previous snapshot
    skipped: tuple[tuple[str, str], ...]  # (path, reason)
    warnings: tuple[tuple[str, str], ...]  # (path, message)
    removed: int
    seconds: float
    snapshot: str


@dataclass(frozen=True, slots=True)
class IndexStats:
    snapshot: str
    built_at: str
    documents: int
    chunks: int
    by_tier: dict
    by_language: dict
    stale: int
    superseded: int
    model: str  # "" when the snapshot has no vectors
    dim: int


@dataclass(frozen=True, slots=True)
class SectionMatch:
    heading: str  # section of the local document
    other_heading: str  # its closest section in the other document
    similarity: float


@dataclass(frozen=True, slots=True)
class Overlap:
    """``doc_id`` (local/regional) covers the task of ``other_id`` (VAR, or a newer local copy for duplicates)."""

    doc_id: str
    other_id: str
    kind: str  # one of OVERLAP_KINDS
    score: float  # the decision score; higher = more certain
    semantic: float  # document-embedding cosine (0 without vectors)
    lexical: float  # TF-IDF cosine over stems
    title: float  # TF-IDF cosine of the titles
    primary: bool  # this document's verdict (False = an alternative worth a look)
    shared_terms: tuple[str, ...] = ()
    sections: tuple[SectionMatch, ...] = ()
    additions: tuple[str, ...] = ()  # sections of ``doc_id`` with no counterpart in ``other_id`` (index.overlap)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Overlap:
        sections = tuple(SectionMatch(*s) if isinstance(s, list) else SectionMatch(**s)
                         for s in data.get("sections", ()))
        return cls(**{**data, "shared_terms": tuple(data.get("shared_terms", ())), "sections": sections,
                      "additions": tuple(data.get("additions", ()))})


class Embedder(Protocol):
    """A loaded embedding model (``index.model.load_embedder``: the ONNX or the sentence-transformers backend).
    Vectors are float32 and L2-normalised."""

    name: str
    dim: int
    variant: str

    @property
    def record(self) -> dict:
        """What a snapshot's manifest stores about the vectors this model makes (``index.model.vectors_mismatch``)."""
        ...

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...
