"""``kildefinner --self-test``: drive the real window headless through a first start and a few searches.

Opens (or builds) the index, types queries into the search field as a user would, prints the top results,
waits for the embedding model, repeats the queries in hybrid mode and opens a document. Exit code 0 when
every step worked, 1 otherwise; each failure is printed with its reason.
"""

from __future__ import annotations

import time

from app.qt import QCoreApplication, QEventLoop
from app.session import LOADING, READY, SearchOutcome
from index.records import SearchMode, Tier

QUERIES = ("PVK", "venflon", "trykksår")
OPEN_TIMEOUT_S = 600  # a first-run demo build with vectors on a slow PC
MODEL_TIMEOUT_S = 300
SEARCH_TIMEOUT_S = 30


def wait_until(predicate, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            return False
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.005)
    return True


def run_self_test(*, window, session, need_model: bool, out=print) -> int:
    failures: list[str] = []
    outcomes: list[SearchOutcome] = []
    session.results_ready.connect(outcomes.append)
    errors: list[str] = []
    session.index_failed.connect(lambda msg, _details: errors.append(msg))

    out(f"index: {'demo (' + str(session.effective_index_dir) + ')' if session.is_demo else session.index_dir}")
    started = time.perf_counter()
    session.start()
    if not wait_until(lambda: session.engine is not None or errors, OPEN_TIMEOUT_S) or errors:
        out(f"FAIL: the index did not open: {errors[0] if errors else 'timeout'}")
        return 1
    out(f"index open after {time.perf_counter() - started:.1f} s")

    def search_all(label: str) -> None:
        for query in QUERIES:
            outcomes.clear()
            window.set_query(query)
            if not wait_until(lambda q=query: any(o.query == q for o in outcomes), SEARCH_TIMEOUT_S):
                failures.append(f"{label} search {query!r}: no result within {SEARCH_TIMEOUT_S} s")
                continue
            QCoreApplication.processEvents()
            result = next(o for o in outcomes if o.query == query).result
            hits = window.results.model.hits()
            out(f"\n[{label}] {query!r}: {len(hits)} hits (mode {result.mode})")
            for hit in hits[:3]:
                out(f"  {hit.tier:<8} {hit.title}  § {hit.section}")
            if not hits:
                failures.append(f"{label} search {query!r}: no hits")
            elif hits[0].tier != Tier.VAR:
                failures.append(f"{label} search {query!r}: top hit is {hits[0].tier}, not VAR")
            if label == SearchMode.HYBRID and result.mode != SearchMode.HYBRID:
                failures.append(f"hybrid search {query!r} ran as {result.mode}")

    search_all(SearchMode.LEXICAL if session.semantic != READY else SearchMode.HYBRID)
    if need_model:
        if not wait_until(lambda: session.semantic != LOADING, MODEL_TIMEOUT_S):
            failures.append("the embedding model did not finish loading")
        elif session.semantic != READY:
            failures.append(f"semantic search unavailable: {session.semantic_reason}")
        else:
            out(f"\nmodel ready after {time.perf_counter() - started:.1f} s")
            search_all(SearchMode.HYBRID)
    else:
        out("\n(semantic search turned off: lexical only)")

    shown: list[str] = []
    window.document_shown.connect(shown.append)
    if window.results.model.rowCount():
        window.results.open_current()
        if wait_until(lambda: bool(shown), SEARCH_TIMEOUT_S):
            doc = window.document
            out(f"\nopened {shown[0]}: {len(doc.procedure.sections)} sections, at section "
                f"{doc.current_section} ({doc.procedure.sections[doc.current_section].heading!r})")
        else:
            failures.append("opening a document did not finish")
    for failure in failures:
        out(f"FAIL: {failure}")
    out("\nself-test " + ("FAILED" if failures else "passed"))
    return 1 if failures else 0
