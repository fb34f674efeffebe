"""The cleanup report for the procedure team: what overlaps VAR, what is stale, superseded, duplicated or local only.

Read-only analysis of one snapshot: it reads the document metadata and the overlap pairs found at build time
(``index.overlap``) and never touches the source folders. ``collect`` gives a ``Report`` (frozen records, also
what the app's cleanup view shows); ``write`` puts it on disk as CSV files plus one self-contained HTML page
(``index.report_html``). The CSV columns are documented in ``docs/report.md``; change both together.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from index import progress
from index.gaps import Gap
from index.overlap import OverlapPolicy, confidence
from index.records import Overlap, SearchFilters, SearchResult
from index.safetext import write_csv
from index.snapshot import DocMeta, Snapshot

# overlaps.csv ``verdict``: what the team is advised to do with the document
VERDICTS = {"full": "phase_out", "partial": "review_local_addition"}

# file name → column names. Files are UTF-8 with BOM (Excel reads the æøå right), comma-separated.
CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "summary.csv": ("measure", "group", "count"),
    "overlaps.csv": ("rank", "doc_id", "title", "tier", "owner", "unit", "language", "kind", "verdict",
                     "confidence", "score", "semantic", "lexical", "title_similarity", "var_id", "var_title",
                     "alternatives", "shared_terms", "matching_sections", "path"),
    "stale.csv": ("doc_id", "title", "tier", "owner", "unit", "review_due", "days_overdue", "status", "path"),
    "superseded.csv": ("doc_id", "title", "tier", "owner", "unit", "revised", "replaced_by", "replaced_by_title",
                       "replacement_in_index", "path"),
    "duplicates.csv": ("doc_id", "title", "owner", "unit", "revised", "status", "copy_of_id", "copy_of_title",
                       "copy_of_owner", "copy_of_unit", "copy_of_revised", "score", "title_similarity",
                       "shared_terms", "matching_sections", "path"),
    "additions.csv": ("doc_id", "title", "owner", "unit", "kind", "var_id", "var_title", "section",
                      "path"),
    "gaps.csv": ("rank", "query", "count", "last_week", "closest_var_ids", "closest_var_titles"),
    "local_only.csv": ("doc_id", "title", "tier", "owner", "unit", "language", "revised", "review_due", "stale",
                       "path"),
}
HTML_FILE = "report.html"


@dataclass(frozen=True, slots=True)
class OverlapRow:
    """One overlap pair with both documents' metadata: ``doc`` repeats (or copies) ``other``."""

    overlap: Overlap
    doc: DocMeta
    other: DocMeta

    @property
    def kind(self) -> str:
        return self.overlap.kind

    @property
    def score(self) -> float:
        return self.overlap.score


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the report shows. Lists are sorted the way the team works through them."""

    snapshot: str
    built_at: str
    today: dt.date
    documents: tuple[DocMeta, ...]
    overlaps: tuple[OverlapRow, ...]  # each document's VAR verdict (full, partial), most certain first
    alternatives: dict  # doc_id → tuple of runner-up OverlapRows (also similar VAR procedures, not verdicts)
    duplicates: tuple[OverlapRow, ...]  # local copies of one another: ``doc`` is the older copy
    stale: tuple[DocMeta, ...]  # active documents past review_due, longest overdue first
    superseded: tuple[DocMeta, ...]  # marked superseded but still in the sources
    local_only: tuple[DocMeta, ...]  # active non-VAR documents with no VAR equivalent and no newer copy: keep
    hybrid: bool = True  # overlaps found with embeddings (the confidence scale depends on it)
    paths: dict[str, str] | None = None  # rel path → the file's real path at build time (manifest ``source_paths``)
    gaps: tuple = ()  # (Gap, ((var_id, title), …)): merged unmet searches with their closest VAR procedures
    decisions: dict | None = None  # doc_id → index.decisions.Decision applied by the build
    progress: tuple = ()  # index.progress entries, oldest first (one per build)

    def path_of(self, doc: DocMeta) -> str:
        return (self.paths or {}).get(doc.path, doc.path)

    def confidence(self, o: Overlap) -> float:
        return confidence_of(o, self.hybrid)

    def title_of(self, doc_id: str) -> str:
        return next((d.title for d in self.documents if d.doc_id == doc_id), "")

    def has(self, doc_id: str) -> bool:
        return any(d.doc_id == doc_id for d in self.documents)

    def summary(self) -> list[tuple[str, str, int]]:
        """(measure, group, count) rows: documents by tier, status, language, owner/unit; overlaps by kind;
        stale documents by owner/unit."""
        rows: list[tuple[str, str, int]] = [("documents", "all", len(self.documents))]

        def add(measure: str, counts: Counter) -> None:
            rows.extend((measure, group, n) for group, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

        add("documents_by_tier", Counter(d.tier for d in self.documents))
        add("documents_by_status", Counter("stale" if is_stale(d, self.today) else d.status
                                           for d in self.documents))
        add("documents_by_language", Counter(d.language for d in self.documents))
        add("documents_by_owner_unit", Counter(owner_unit(d) for d in self.documents))
        kinds = Counter(r.kind for r in self.overlaps)
        kinds["duplicate"] = len(self.duplicates)
        kinds["local_only"] = len(self.local_only)
        add("overlaps_by_kind", Counter({k: kinds.get(k, 0) for k in ("full", "partial", "duplicate",
                                                                      "local_only")}))
        add("stale_by_owner_unit", Counter(owner_unit(d) for d in self.stale))
        decided = self.decisions or {}
        candidates = {r.doc.doc_id: r.doc for r in (*self.overlaps, *self.duplicates)}
        by_kind = Counter(d.decision for k, d in decided.items() if d.decision)
        by_kind["not_assessed"] = sum(1 for k in candidates if not getattr(decided.get(k), "decision", ""))
        add("decisions_by_kind", Counter({k: by_kind.get(k, 0)
                                          for k in ("utfases", "lokalt_tillegg", "beholdes", "not_assessed")}))
        docs = {d.doc_id: d for d in self.documents}
        add("decided_by_owner_unit", Counter(owner_unit(docs[k]) for k, d in decided.items()
                                             if d.decision and k in docs))
        add("not_assessed_by_owner_unit", Counter(owner_unit(d) for k, d in candidates.items()
                                                  if not getattr(decided.get(k), "decision", "")))
        for e in self.progress:  # the trend: one group per build
            rows.extend((f"progress_{c}", e["built_at"], int(e.get(c, 0))) for c in ("candidates", "utfases",
                        "lokalt_tillegg", "beholdes", "not_assessed"))
        return rows


def unit_of(doc: DocMeta) -> str:
    """The unit: from the metadata, else the first part of an owner written "unit, hospital[, trust]"."""
    if doc.unit:
        return doc.unit
    parts = [p.strip() for p in doc.owner.split(",")]
    return parts[0] if len(parts) > 1 else ""


def owner_unit(doc: DocMeta) -> str:
    if doc.unit and doc.unit not in doc.owner:
        return f"{doc.owner} / {doc.unit}" if doc.owner else doc.unit
    return doc.owner or "(ukjent eier)"


def is_stale(doc: DocMeta, today: dt.date) -> bool:
    return doc.overdue(today)


def confidence_of(o: Overlap, hybrid: bool = True) -> float:
    """The overlap's 0–1 confidence (``index.overlap.confidence``)."""
    return confidence(o.score, OverlapPolicy(), hybrid=hybrid)


def collect(snapshot: Snapshot, *, today: dt.date | None = None) -> Report:
    """Analyse one open snapshot (read-only)."""
    today = today or dt.date.today()
    docs = {d.doc_id: d for d in snapshot.docs}
    rows = [OverlapRow(o, docs[o.doc_id], docs[o.other_id]) for o in snapshot.overlaps()
            if o.doc_id in docs and o.other_id in docs]
    overlaps = sorted((r for r in rows if r.kind in ("full", "partial") and r.overlap.primary),
                      key=lambda r: (r.kind != "full", -r.score, r.doc.doc_id))
    alternatives: dict[str, tuple[OverlapRow, ...]] = {}
    for r in rows:
        if r.kind in ("full", "partial") and not r.overlap.primary:
            alternatives[r.doc.doc_id] = (*alternatives.get(r.doc.doc_id, ()), r)
    duplicates = sorted((r for r in rows if r.kind == "duplicate"), key=lambda r: (-r.score, r.doc.doc_id))
    covered = {r.doc.doc_id for r in rows}  # any VAR overlap (also an alternative) or an older copy
    active = [d for d in snapshot.docs if d.status == "active"]
    return Report(
        snapshot=snapshot.name, built_at=snapshot.manifest.get("built_at", ""), today=today,
        documents=tuple(snapshot.docs), overlaps=tuple(overlaps), alternatives=alternatives,
        duplicates=tuple(duplicates), hybrid=bool(snapshot.manifest.get("model")),
        paths=dict(snapshot.manifest.get("source_paths", {})), decisions=snapshot.decisions(),
        progress=tuple(progress.load(snapshot.folder)),
        stale=tuple(sorted((d for d in active if is_stale(d, today)), key=lambda d: (d.review_due, d.doc_id))),
        superseded=tuple(sorted((d for d in snapshot.docs if d.status == "superseded"), key=lambda d: d.doc_id)),
        local_only=tuple(sorted((d for d in active if d.tier != "var" and d.doc_id not in covered),
                                key=lambda d: (d.tier, owner_unit(d), d.title))))


GAPS_SHOWN = 50  # top unmet needs in the report


class _Searches(Protocol):
    """What ``closest_var`` needs of an engine (``index.api.Engine``)."""

    def search(self, query: str, *, filters: SearchFilters = ..., top: int = ...) -> SearchResult: ...


def closest_var(engine: _Searches, merged: list[Gap]) -> list[tuple]:
    """The top merged gaps, each with the three VAR procedures a search for it ranks first (what exists
    nearest to the unmet need)."""
    from index.records import SearchFilters

    only_var = SearchFilters(tiers=frozenset({"var"}))
    out = []
    for gap in merged[:GAPS_SHOWN]:
        hits = engine.search(gap.query, filters=only_var, top=3).hits
        out.append((gap, tuple((h.doc_id, h.title) for h in hits)))
    return out


def sections_text(o: Overlap) -> str:
    """Matching sections as one cell: ``local heading ↔ other heading (0.91)`` joined by `` | ``."""
    return " | ".join(f"{s.heading} ↔ {s.other_heading} ({s.similarity:.2f})" for s in o.sections)


def _date(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def csv_rows(report: Report) -> dict[str, list[tuple]]:
    """file name → rows (without the header), in ``CSV_COLUMNS`` order."""
    path, unit = report.path_of, unit_of

    def overlap_row(rank: int, r: OverlapRow) -> tuple:
        o, d = r.overlap, r.doc
        alternatives = "; ".join(a.other.doc_id for a in report.alternatives.get(d.doc_id, ()))
        return (rank, d.doc_id, d.title, d.tier, d.owner, unit(d), d.language, o.kind, VERDICTS[o.kind],
                f"{report.confidence(o):.2f}", f"{o.score:.4f}", f"{o.semantic:.4f}", f"{o.lexical:.4f}",
                f"{o.title:.4f}", r.other.doc_id, r.other.title, alternatives, "; ".join(o.shared_terms),
                sections_text(o), path(d))

    def duplicate_row(r: OverlapRow) -> tuple:
        o, d, c = r.overlap, r.doc, r.other
        return (d.doc_id, d.title, d.owner, unit(d), _date(d.revised), d.status, c.doc_id, c.title, c.owner,
                unit(c), _date(c.revised), f"{o.score:.4f}", f"{o.title:.4f}", "; ".join(o.shared_terms),
                sections_text(o), path(d))

    today = report.today
    return {
        "summary.csv": report.summary(),
        "overlaps.csv": [overlap_row(i, r) for i, r in enumerate(report.overlaps, 1)],
        "stale.csv": [(d.doc_id, d.title, d.tier, d.owner, unit(d), _date(d.review_due),
                       (today - d.review_due).days if d.review_due else "", d.status, path(d))
                      for d in report.stale],  # (a stale document has a review date)
        "superseded.csv": [(d.doc_id, d.title, d.tier, d.owner, unit(d), _date(d.revised), d.replaced_by,
                            report.title_of(d.replaced_by), "yes" if report.has(d.replaced_by) else "no", path(d))
                           for d in report.superseded],
        "duplicates.csv": [duplicate_row(r) for r in report.duplicates],
        "additions.csv": [(r.doc.doc_id, r.doc.title, r.doc.owner, unit(r.doc), r.kind, r.other.doc_id,
                           r.other.title, section, path(r.doc))
                          for r in report.overlaps for section in r.overlap.additions],
        "gaps.csv": [(i, g.query, g.count, g.last_week, "; ".join(v for v, _ in near), "; ".join(t for _, t in near))
                     for i, (g, near) in enumerate(report.gaps, 1)],
        "local_only.csv": [(d.doc_id, d.title, d.tier, d.owner, unit(d), d.language, _date(d.revised),
                            _date(d.review_due), "yes" if d.stale(today) else "no", path(d))
                           for d in report.local_only],
    }


def write(report: Report, out_dir: str | Path) -> list[Path]:
    """Write the CSV files and ``report.html`` into ``out_dir`` (created if needed). Returns the paths."""
    from index.report_html import render

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in csv_rows(report).items():
        # titles, owners, units and paths come from source files: never let one run as a spreadsheet formula
        written.append(write_csv(out / name, CSV_COLUMNS[name], rows))
    page = out / HTML_FILE
    page.write_text(render(report), encoding="utf-8")
    written.append(page)
    return written
