"""The optional local query log (config ``query_log``, off by default): one TSV line per search shown.

For reviewing search quality on a ward (which searches found nothing, which needed the second page). The
file stays in the user log folder next to ``kildefinner.log``; nothing is ever sent anywhere. Searches can
contain what a nurse typed about a patient, so it is off unless IT or the user turns it on.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

FILE_NAME = "queries.tsv"
MAX_BYTES = 5_000_000  # then the file is rotated once to queries.tsv.1
HEADER = "time\tquery\thits\ttop_doc\tmode\n"


def _clean(text: str) -> str:
    return " ".join(text.split())[:500]


class QueryLog:
    def __init__(self, path: Path):
        self.path = Path(path)

    def attach(self, session) -> None:
        session.results_ready.connect(self.on_result)

    def on_result(self, outcome) -> None:
        result = outcome.result
        top = result.hits[0].doc_id if result.hits else ""
        self.write(outcome.query, len(result.hits), top, result.mode)

    def write(self, query: str, hits: int, top_doc: str, mode: str) -> None:
        if not query.strip():
            return
        line = "\t".join((dt.datetime.now().isoformat(timespec="seconds"), _clean(query), str(hits),
                          _clean(top_doc), _clean(mode))) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists() and self.path.stat().st_size > MAX_BYTES:
                os.replace(self.path, self.path.with_name(self.path.name + ".1"))
            new = not self.path.exists()
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write((HEADER if new else "") + line)
        except OSError as exc:  # a full or read-only disk must never disturb searching
            log.warning("query log %s not written: %s", self.path, exc)
