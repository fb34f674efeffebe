"""Frozen records that cross the engine facade: procedures, sections, hits, status, the cleanup report."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # records stay importable without numpy (annotations only)
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
# A build's progress callback: (stage, done, total) → False to cancel. Stages: scan, parse, embed, overlap, write.
ProgressFn = Callable[[str, int, int], "bool | None"]


class Embedder(Protocol):
    """A loaded embedding model (``index.embed.model.load_embedder``: the ONNX or the sentence-transformers
    backend). Vectors are float32 and L2-normalised."""

    name: str
    dim: int
    variant: str

    @property
    def record(self) -> dict:
        """What a snapshot's manifest stores about the vectors this model makes (``vectors_mismatch``)."""
        ...

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...
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
    # Overlap with a VAR procedure (or, for a local duplicate, with its newer copy), from index.cleanup.overlap.
    overlaps_id: str = ""
    overlaps_title: str = ""
    overlap_kind: str = ""  # one of OVERLAP_KINDS, "" if none
    grouped: bool = False  # placed right under the VAR procedure it overlaps, which is in this result list
    marks: tuple[tuple[int, int], ...] = ()  # [start, end) character spans of the matched words in ``snippet``
    good: bool = True  # a real match (index.search.ranking.Confidence), not only the closest the index has
    # The procedure team's decision (index.store.decisions): "utfases" / "lokalt_tillegg" / "beholdes", "" if none;
    # a decision naming a VAR procedure also sets overlaps_id/overlaps_title to it (the one-click jump).
    decision: str = ""
    decision_last_date: dt.date | None = None

    def marked_words(self) -> list[str]:
        return [self.snippet[a:b] for a, b in self.marks]


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Restrictions a caller puts on a search. Query prefixes (``var:``, ``lokal:``) map onto these."""

    tiers: frozenset[Tier] = frozenset()  # empty = all
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
    additions: tuple[str, ...] = ()  # sections of ``doc_id`` with no counterpart in ``other_id``

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Overlap:
        sections = tuple(SectionMatch(*s) if isinstance(s, list) else SectionMatch(**s)
                         for s in data.get("sections", ()))
        return cls(**{**data, "shared_terms": tuple(data.get("shared_terms", ())), "sections": sections,
                      "additions": tuple(data.get("additions", ()))})


# --- the cleanup report (index.cleanup.report collects it; the CLI writes it, the app's cleanup view shows it) ---
@dataclass(frozen=True, slots=True)
class ReportDoc:
    """A document as the cleanup report shows it: its metadata, nothing of the index's internals."""

    doc_id: str
    title: str
    tier: Tier
    owner: str
    unit: str
    language: str
    status: str
    revised: dt.date | None
    review_due: dt.date | None
    path: str
    replaced_by: str

    @property
    def owner_unit(self) -> str:
        """Owner and unit as one label (the report groups by it)."""
        if self.unit and self.unit not in self.owner:
            return f"{self.owner} / {self.unit}" if self.owner else self.unit
        return self.owner or "(ukjent eier)"

    def stale(self, today: dt.date) -> bool:
        return self.review_due is not None and self.review_due < today

    def overdue(self, today: dt.date) -> bool:
        """Active and past its review date: what every count of stale documents means (superseded ones apart)."""
        return self.status == "active" and self.stale(today)


@dataclass(frozen=True, slots=True)
class OverlapRow:
    """One overlap pair with both documents' metadata: ``doc`` repeats (or copies) ``other``."""

    overlap: Overlap
    doc: ReportDoc
    other: ReportDoc
    confidence: float  # 0–1, on the scale the build's overlap policy gives (with or without vectors)

    @property
    def kind(self) -> str:
        return self.overlap.kind

    @property
    def score(self) -> float:
        return self.overlap.score


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the cleanup report shows. Lists are sorted the way the team works through them."""

    snapshot: str
    built_at: str
    today: dt.date
    documents: tuple[ReportDoc, ...]
    overlaps: tuple[OverlapRow, ...]  # each document's VAR verdict (full, partial), most certain first
    alternatives: dict[str, tuple[OverlapRow, ...]]  # doc_id → runner-up rows (similar VAR procedures too)
    duplicates: tuple[OverlapRow, ...]  # local copies of one another: ``doc`` is the older copy
    stale: tuple[ReportDoc, ...]  # active documents past review_due, longest overdue first
    superseded: tuple[ReportDoc, ...]  # marked superseded but still in the sources
    local_only: tuple[ReportDoc, ...]  # active non-VAR documents with no VAR equivalent and no newer copy: keep
    hybrid: bool = True  # overlaps found with embeddings (the confidence scale depends on it)
    paths: dict[str, str] | None = None  # rel path → the file's real path at build time (``source_paths``)
    gaps: tuple = ()  # (Gap, ((var_id, title), …)): merged unmet searches with their closest VAR procedures
    decisions: dict | None = None  # doc_id → index.store.decisions.Decision applied by the build
    progress: tuple = ()  # index.store.progress entries, oldest first (one per build)

    def path_of(self, doc: ReportDoc) -> str:
        return (self.paths or {}).get(doc.path, doc.path)

    def title_of(self, doc_id: str) -> str:
        return next((d.title for d in self.documents if d.doc_id == doc_id), "")

    def has(self, doc_id: str) -> bool:
        return any(d.doc_id == doc_id for d in self.documents)

    def summary(self) -> list[tuple[str, str, int]]:
        """(measure, group, count) rows: documents by tier, status, language, owner/unit; overlaps by kind;
        stale documents by owner/unit; decisions; the progress trend."""
        rows: list[tuple[str, str, int]] = [("documents", "all", len(self.documents))]

        def add(measure: str, counts: Counter) -> None:
            rows.extend((measure, group, n) for group, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

        add("documents_by_tier", Counter(d.tier for d in self.documents))
        add("documents_by_status", Counter("stale" if d.overdue(self.today) else d.status
                                           for d in self.documents))
        add("documents_by_language", Counter(d.language for d in self.documents))
        add("documents_by_owner_unit", Counter(d.owner_unit for d in self.documents))
        kinds = Counter(r.kind for r in self.overlaps)
        kinds["duplicate"] = len(self.duplicates)
        kinds["local_only"] = len(self.local_only)
        add("overlaps_by_kind", Counter({k: kinds.get(k, 0) for k in ("full", "partial", "duplicate",
                                                                      "local_only")}))
        add("stale_by_owner_unit", Counter(d.owner_unit for d in self.stale))
        decided = self.decisions or {}
        candidates = {r.doc.doc_id: r.doc for r in (*self.overlaps, *self.duplicates)}
        by_kind = Counter(d.decision for k, d in decided.items() if d.decision)
        by_kind["not_assessed"] = sum(1 for k in candidates if not getattr(decided.get(k), "decision", ""))
        add("decisions_by_kind", Counter({k: by_kind.get(k, 0)
                                          for k in ("utfases", "lokalt_tillegg", "beholdes", "not_assessed")}))
        docs = {d.doc_id: d for d in self.documents}
        add("decided_by_owner_unit", Counter(docs[k].owner_unit for k, d in decided.items()
                                             if d.decision and k in docs))
        add("not_assessed_by_owner_unit", Counter(d.owner_unit for k, d in candidates.items()
                                                  if not getattr(decided.get(k), "decision", "")))
        for e in self.progress:  # the trend: one group per build
            rows.extend((f"progress_{c}", e["built_at"], int(e.get(c, 0))) for c in ("candidates", "utfases",
                        "lokalt_tillegg", "beholdes", "not_assessed"))
        return rows
