"""The cleanup report for the procedure team: what overlaps VAR, what is stale, superseded, duplicated or local only.

Read-only analysis of one snapshot: it reads the document metadata and the overlap pairs found at build time
(``index.cleanup.overlap``) and never touches the source folders. ``collect`` gives a ``Report`` (frozen records, also
what the app's cleanup view shows); ``write`` puts it on disk as CSV files plus one self-contained HTML page
(``index.cleanup.report_html``). The CSV columns are documented in ``docs/report.md``; change both together.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Protocol

from index.cleanup.gaps import Gap
from index.cleanup.overlap import OverlapPolicy, confidence
from index.cleanup.report_html import render
from index.ingest.safetext import write_csv
from index.records import Overlap, OverlapRow, Report, ReportDoc, SearchFilters, SearchResult, Tier
from index.store import progress
from index.store.snapshot import DocMeta, Snapshot

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


def unit_of(doc: ReportDoc) -> str:
    """The unit: from the metadata, else the first part of an owner written "unit, hospital[, trust]"."""
    if doc.unit:
        return doc.unit
    parts = [p.strip() for p in doc.owner.split(",")]
    return parts[0] if len(parts) > 1 else ""


def confidence_of(o: Overlap, hybrid: bool = True) -> float:
    """The overlap's 0–1 confidence (``index.cleanup.overlap.confidence``)."""
    return confidence(o.score, OverlapPolicy(), hybrid=hybrid)


def _doc(d: DocMeta) -> ReportDoc:
    return ReportDoc(doc_id=d.doc_id, title=d.title, tier=d.tier, owner=d.owner, unit=d.unit, language=d.language,
                     status=d.status, revised=d.revised, review_due=d.review_due, path=d.path,
                     replaced_by=d.replaced_by)


def collect(snapshot: Snapshot, *, today: dt.date | None = None) -> Report:
    """Analyse one open snapshot (read-only)."""
    today = today or dt.date.today()
    hybrid = bool(snapshot.manifest.get("model"))
    all_docs = tuple(_doc(d) for d in snapshot.docs)
    docs = {d.doc_id: d for d in all_docs}
    rows = [OverlapRow(o, docs[o.doc_id], docs[o.other_id], confidence_of(o, hybrid)) for o in snapshot.overlaps()
            if o.doc_id in docs and o.other_id in docs]
    overlaps = sorted((r for r in rows if r.kind in ("full", "partial") and r.overlap.primary),
                      key=lambda r: (r.kind != "full", -r.score, r.doc.doc_id))
    alternatives: dict[str, tuple[OverlapRow, ...]] = {}
    for r in rows:
        if r.kind in ("full", "partial") and not r.overlap.primary:
            alternatives[r.doc.doc_id] = (*alternatives.get(r.doc.doc_id, ()), r)
    duplicates = sorted((r for r in rows if r.kind == "duplicate"), key=lambda r: (-r.score, r.doc.doc_id))
    covered = {r.doc.doc_id for r in rows}  # any VAR overlap (also an alternative) or an older copy
    active = [d for d in all_docs if d.status == "active"]
    return Report(
        snapshot=snapshot.name, built_at=snapshot.manifest.get("built_at", ""), today=today,
        documents=all_docs, overlaps=tuple(overlaps), alternatives=alternatives,
        duplicates=tuple(duplicates), hybrid=hybrid,
        paths=dict(snapshot.manifest.get("source_paths", {})), decisions=snapshot.decisions(),
        progress=tuple(progress.load(snapshot.folder)),
        stale=tuple(sorted((d for d in active if d.overdue(today)), key=lambda d: (d.review_due, d.doc_id))),
        superseded=tuple(sorted((d for d in all_docs if d.status == "superseded"), key=lambda d: d.doc_id)),
        local_only=tuple(sorted((d for d in active if d.tier != Tier.VAR and d.doc_id not in covered),
                                key=lambda d: (d.tier, d.owner_unit, d.title))))


GAPS_SHOWN = 50  # top unmet needs in the report


class _Searches(Protocol):
    """What ``closest_var`` needs of an engine (``index.api.Engine``)."""

    def search(self, query: str, *, filters: SearchFilters = ..., top: int = ...) -> SearchResult: ...


def closest_var(engine: _Searches, merged: list[Gap]) -> list[tuple]:
    """The top merged gaps, each with the three VAR procedures a search for it ranks first (what exists
    nearest to the unmet need)."""
    only_var = SearchFilters(tiers=frozenset({Tier.VAR}))
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
                f"{r.confidence:.2f}", f"{o.score:.4f}", f"{o.semantic:.4f}", f"{o.lexical:.4f}",
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
