"""Counting searches that found nothing useful, for the content-gap report (``index.cleanup.gaps``; config ``gap_log``).

Enabled only by IT in the machine configuration (a user cannot switch it on). Search-as-you-type shows many
partial queries, so a query counts once it is *settled*: the next search is not a continuation of it (typing
on, or deleting back). A settled query is unmet if it had no hit or no result was opened while it was shown;
the last one settles when the app closes. Only ``GapLog``'s scrubbed aggregate is written, never a raw line.
"""

from __future__ import annotations

from index.api import GapLog


class GapRecorder:
    def __init__(self, log: GapLog):
        self.log = log
        self.pending = ""  # the query whose results are shown now
        self.useful = False  # it had hits and one was opened

    def attach(self, session, window) -> None:
        session.results_ready.connect(lambda outcome: self.on_results(outcome.query, len(outcome.result.hits)))
        window.document_shown.connect(lambda _doc_id: self.on_opened())

    def on_results(self, query: str, hits: int) -> None:
        query = query.strip()
        old, new = self.pending.casefold(), query.casefold()
        if old and not (new.startswith(old) or old.startswith(new)):
            self.flush()
        if query != self.pending:
            self.useful = False
        self.pending = query
        if hits == 0:
            self.useful = False

    def on_opened(self) -> None:
        if self.pending:
            self.useful = True

    def flush(self) -> None:
        """Settle the shown query (also at exit)."""
        if self.pending and not self.useful:
            self.log.record(self.pending)
        self.pending, self.useful = "", False
