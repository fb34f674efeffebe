"""The procedure team's progress over builds: a small history of counts, kept in each snapshot.

Every build appends one entry — when it was built, how many documents overlap VAR (candidates), and how many
have each decision — to the history the previous snapshot carried, so the trend travels with the index
(also to ward PCs) without a database. The report draws it and lists it in ``summary.csv``.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

log = logging.getLogger(__name__)

FILE = "progress.json"
KEEP = 200  # builds remembered; at a build a day this is more than half a year
COUNTS = ("candidates", "utfases", "lokalt_tillegg", "beholdes", "not_assessed")


def load(folder: Path | None) -> list[dict]:
    if folder is None:
        return []
    try:
        data = json.loads((Path(folder) / FILE).read_text(encoding="utf-8"))
        return [e for e in data if isinstance(e, dict) and "built_at" in e]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, TypeError) as exc:
        log.warning("%s unreadable, progress history starts again: %s", Path(folder) / FILE, exc)
        return []


def entry(built_at: str, candidates: Iterable[str], decisions: Mapping[str, object]) -> dict:
    """Counts for one build: ``candidates`` are the ids of documents with an overlap verdict; ``decisions``
    doc_id → Decision (all valid decisions, also for documents that are not candidates)."""
    candidates = set(candidates)
    kinds = Counter(getattr(d, "decision", "") for d in decisions.values() if getattr(d, "decision", ""))
    decided = {k for k, d in decisions.items() if getattr(d, "decision", "")}
    return {"built_at": built_at, "candidates": len(candidates), "utfases": kinds["utfases"],
            "lokalt_tillegg": kinds["lokalt_tillegg"], "beholdes": kinds["beholdes"],
            "not_assessed": len(candidates - decided)}


def write(folder: Path, previous: Path | None, new: dict) -> list[dict]:
    history = [*load(previous), new][-KEEP:]
    (Path(folder) / FILE).write_text(json.dumps(history, ensure_ascii=False), encoding="utf-8")
    return history
