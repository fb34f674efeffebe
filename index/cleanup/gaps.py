"""Content gaps: searches that found nothing useful, counted locally, aggregated, scrubbed of personal data.

Off unless IT enables ``gap_log`` in the machine configuration. The app counts a search as *unmet* when it
gave no hit or no result was opened before the user moved on to another search. Only an aggregate is kept —
per normalised query: the count and the last ISO week it was seen — never who, never a timestamp, never a
per-search line. Entries not seen for ``RETENTION_DAYS`` (90) are dropped on every write. Nothing is sent
anywhere: the procedure team collects the files (``kildefinner-index export-gaps``) and merges them into the
cleanup report (``kildefinner-index report --gaps FILE …``: top unmet needs with the closest VAR procedures).

**What is never stored** (``normalise`` returns None and the query is dropped before anything is written):
a query with a run of more than 4 digits once spaces, dots, dashes, slashes, plus signs and brackets between
digits are taken out — this covers 11-digit national identity numbers (``010190 12345``), dates of birth
written with digits (``01.01.1990``, ``010190``), phone numbers (``+47 912 34 567``, ``22 11 33 44``) and
case or room numbers; and a query with a date written with a month name (``1. januar 1990``) or the word
«født»/«fødd»/«f.» next to a number. Short numbers (``NEWS2 5``, ``1000 ml``) are kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

FILE = "gaps.json"
RETENTION_DAYS = 90
MAX_QUERY_CHARS = 200
EXPORT_COLUMNS = ("query", "count", "last_week")

_BETWEEN_DIGITS = re.compile(r"(?<=\d)[\s.\-/+()]+(?=\d)")
_LONG_NUMBER = re.compile(r"\d{5,}")
_MONTH_DATE = re.compile(r"\b\d{1,2}\.?\s*(jan|feb|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|des|dec)[a-zæøå]*"
                         r"\.?\s*\d{2,4}\b", re.IGNORECASE)
_BORN = re.compile(r"\b(født|fødd|f\.)\s*\d", re.IGNORECASE)


def default_path() -> Path:
    """Where the app keeps the aggregate on this PC (the user data folder)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("kildefinner", appauthor=False)) / FILE


def normalise(query: str) -> str | None:
    """The query as it is counted (case-folded, single spaces), or None if it may hold personal data."""
    text = " ".join(query.split()).casefold()[:MAX_QUERY_CHARS].strip(" .,;:!?")
    if not text:
        return None
    if _LONG_NUMBER.search(_BETWEEN_DIGITS.sub("", text)) or _MONTH_DATE.search(text) or _BORN.search(text):
        return None
    return text


def week_of(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _week_start(week: str) -> dt.date:
    year, w = week.split("-W")
    return dt.date.fromisocalendar(int(year), int(w), 1)


@dataclass(frozen=True, slots=True)
class Gap:
    query: str
    count: int
    last_week: str


class GapLog:
    """The local aggregate file. ``record`` is cheap enough to call per settled search."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def gaps(self) -> dict[str, Gap]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {q: Gap(q, int(v["count"]), str(v["last_week"])) for q, v in data.get("queries", {}).items()}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}  # a damaged aggregate is started afresh: it is statistics, not a record

    def record(self, query: str, *, today: dt.date | None = None) -> bool:
        """Count one unmet search; False if the query was dropped (possibly personal) or not written."""
        text = normalise(query)
        if text is None:
            return False
        today = today or dt.date.today()
        gaps = self.gaps()
        old = gaps.get(text)
        gaps[text] = Gap(text, (old.count if old else 0) + 1, week_of(today))
        try:
            self._write(gaps, today)
        except OSError:
            return False  # a full or read-only disk must never disturb searching
        return True

    def _write(self, gaps: dict[str, Gap], today: dt.date) -> None:
        cutoff = today - dt.timedelta(days=RETENTION_DAYS)
        kept = {q: {"count": g.count, "last_week": g.last_week} for q, g in gaps.items()
                if _week_start(g.last_week) + dt.timedelta(days=6) >= cutoff}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"format": 1, "queries": kept}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)

    def export(self, out: Path, *, today: dt.date | None = None) -> int:
        """Write the aggregate (within retention) as CSV for the procedure team; returns the rows written."""
        today = today or dt.date.today()
        gaps = self.gaps()
        if gaps:
            self._write(gaps, today)  # apply retention before anything leaves the PC
        rows = sorted(self.gaps().values(), key=lambda g: (-g.count, g.query))
        with open(out, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(EXPORT_COLUMNS)
            writer.writerows((g.query, g.count, g.last_week) for g in rows)
        return len(rows)


def merge(files: Iterable[Path]) -> list[Gap]:
    """Exported gap files from many PCs as one list, most frequent first (counts summed, latest week kept).
    Rows are normalised and scrubbed again, so a hand-edited file cannot bring a personal query in."""
    total: dict[str, Gap] = {}
    for path in files:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                text = normalise(row.get("query", ""))
                try:
                    count = int(row.get("count", "0"))
                except ValueError:
                    continue
                if text is None or count <= 0:
                    continue
                old = total.get(text)
                week = max(row.get("last_week", ""), old.last_week if old else "")
                total[text] = Gap(text, count + (old.count if old else 0), week)
    return sorted(total.values(), key=lambda g: (-g.count, g.query))
