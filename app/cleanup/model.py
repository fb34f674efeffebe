"""The cleanup ("Rydding") table: one row per thing the procedure team should look at, over the engine's ``Report``.

Rows are frozen ``CleanupRow`` records flattened from the engine's ``Report``: VAR overlaps (full, partial),
local copies, stale and superseded documents, and local-only routines to keep. ``CleanupModel`` shows them;
``CleanupFilter`` sorts (scores as numbers, not text) and filters by category and free text.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import N_, tr
from app.qt import QAbstractTableModel, QSortFilterProxyModel, Qt
from index.api import DECISION_LABELS, Decision
from index.records import Overlap, Report

CATEGORIES = {
    "full": N_("Full overlapp"),
    "partial": N_("Delvis overlapp"),
    "duplicate": N_("Lokal kopi"),
    "stale": N_("Revisjon forfalt"),
    "superseded": N_("Utgått"),
    "local_only": N_("Bare lokal – behold"),
}
# Filter choices: key → (label, categories shown). "overlaps" is what the team starts with.
FILTERS = {
    "all": (N_("Alle"), set(CATEGORIES)),
    "overlaps": (N_("Overlapp med VAR"), {"full", "partial"}),
    **{key: (label, {key}) for key, label in CATEGORIES.items()},
}
COLUMNS = (N_("Type"), N_("Sikkerhet"), N_("Lokalt dokument"), N_("Eier / enhet"), N_("VAR / annet dokument"),
           N_("Beslutning"), N_("Bevis"))
KIND, SCORE, DOC, OWNER, OTHER, DECISION, EVIDENCE = range(len(COLUMNS))


@dataclass(frozen=True, slots=True)
class CleanupRow:
    category: str  # a CATEGORIES key
    doc_id: str
    title: str
    owner: str  # owner / unit, as the report shows it
    other_id: str = ""  # the VAR procedure, the newer copy, or the replacement
    other_title: str = ""
    score: float | None = None  # the overlap's 0–1 confidence (None for rows that are not overlaps)
    evidence: str = ""  # shared terms and the best section pair; the review date for stale rows
    overdue_days: int = 0
    overlap: Overlap | None = None
    alternative: bool = False  # a runner-up VAR overlap, not the document's verdict


def rows_from_report(report: Report) -> list[CleanupRow]:
    rows = []
    for r in (*report.overlaps, *report.duplicates):
        o = r.overlap
        best = o.sections[0] if o.sections else None
        parts = [", ".join(o.shared_terms[:5])]
        if best is not None:
            parts.append(f"{best.heading} ↔ {best.other_heading} ({best.similarity:.2f})")
        rows.append(CleanupRow(r.kind, r.doc.doc_id, r.doc.title, r.doc.owner_unit, r.other.doc_id, r.other.title,
                               r.confidence, " · ".join(p for p in parts if p), overlap=o,
                               alternative=not o.primary))
    for d in report.stale:
        rows.append(CleanupRow("stale", d.doc_id, d.title, d.owner_unit, evidence=d.review_due.isoformat(),
                               overdue_days=(report.today - d.review_due).days))
    for d in report.superseded:
        rows.append(CleanupRow("superseded", d.doc_id, d.title, d.owner_unit, d.replaced_by,
                               report.title_of(d.replaced_by) or d.replaced_by))
    for d in report.local_only:
        rows.append(CleanupRow("local_only", d.doc_id, d.title, d.owner_unit))
    return rows


class CleanupModel(QAbstractTableModel):
    RowRole = Qt.ItemDataRole.UserRole + 1
    SortRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, *, parent=None):
        super().__init__(parent)
        self._rows: list[CleanupRow] = []
        self.decisions: dict[str, Decision] = {}  # doc_id → the team's decision, as the decisions file has it

    def set_rows(self, rows: list[CleanupRow], decisions: dict[str, Decision] | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.decisions = dict(decisions or {})
        self.endResetModel()

    def set_decisions(self, changed: dict[str, Decision]) -> None:
        """Show decisions just saved (the table says what is decided without waiting for a build)."""
        self.decisions.update(changed)
        if self._rows:
            self.dataChanged.emit(self.index(0, DECISION), self.index(len(self._rows) - 1, DECISION))

    def decision_text(self, r: CleanupRow) -> str:
        d = self.decisions.get(r.doc_id)
        if d is None or not d.decision:
            return ""
        label = tr(DECISION_LABELS[d.decision])
        if d.decision == "utfases" and d.last_date:
            return tr("{label} (siste dag {date})", label=label, date=d.last_date.isoformat())
        return label

    def row(self, row: int) -> CleanupRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> list[CleanupRow]:
        return list(self._rows)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))

    def rowCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(COLUMNS[section])
        return super().headerData(section, orientation, role)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r = self.row(index.row()) if index.isValid() else None
        if r is None:
            return None
        col = index.column()
        if role == self.RowRole:
            return r
        if role == self.SortRole:
            if col == DECISION:
                return self.decision_text(r).casefold()
            return r.score if col == SCORE else (self._text(r, col) or "").casefold()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.decision_text(r) if col == DECISION else self._text(r, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == SCORE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(r: CleanupRow, col: int) -> str:
        if col == KIND:
            kind = tr(CATEGORIES[r.category])
            return tr("{kind} (alternativ)", kind=kind) if r.alternative else kind
        if col == SCORE:
            return "" if r.score is None else f"{r.score:.0%}"
        if col == DOC:
            return r.title
        if col == OWNER:
            return r.owner
        if col == OTHER:
            return r.other_title
        if r.category == "stale":
            return tr("Forfalt {date}, {n} dager siden", date=r.evidence, n=r.overdue_days)
        return r.evidence


class CleanupFilter(QSortFilterProxyModel):
    """Sorts by ``SortRole`` (numbers for scores) and keeps the rows of the chosen categories matching the text."""

    def __init__(self, *, parent=None):
        super().__init__(parent)
        self.setSortRole(CleanupModel.SortRole)
        self._categories = set(CATEGORIES)
        self._text = ""

    def set_filter(self, key: str) -> None:
        self.beginFilterChange()  # Qt 6.10+: replaces the deprecated invalidateFilter()
        self._categories = FILTERS.get(key, FILTERS["all"])[1]
        self.endFilterChange()

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        r = self.sourceModel().row(source_row)
        if r is None or r.category not in self._categories:
            return False
        if not self._text:
            return True
        decided = self.sourceModel().decision_text(r)
        haystack = f"{r.doc_id} {r.title} {r.owner} {r.other_id} {r.other_title} {r.evidence} {decided}".casefold()
        return all(word in haystack for word in self._text.split())

    def lessThan(self, left, right) -> bool:
        a, b = left.data(self.sortRole()), right.data(self.sortRole())
        if a is None or b is None:  # rows without a score sort after those with one
            return a is not None
        return a < b
