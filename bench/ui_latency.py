"""UI latency benchmark (not a test): keystroke-to-results through the real widget, and cold start time.

    python -m bench.ui_latency [--queries N] [--skip-nursing] [--starts N]

Drives the real ``MainWindow`` offscreen. Each query is typed into the search field one key at a time
(``QTest.keyClicks`` per character, 60 ms apart: faster than the debounce, as a nurse types), then three
moments are taken: the last keystroke, the debounce timer firing, and the result model being populated for that query.
"debounce" is the wait we impose on purpose; "search+UI" is the part a user waits on beyond it: the search
on the worker thread, the hand-back to the main thread and the model reset. Lexical and hybrid are run on
the demo corpus and on the nursing-nb corpus (indexed here as a local source into bench/out/).

Cold start: ``python -m app --measure-startup`` in a fresh process, which prints the ms from the start of
``app.main`` to the window being shown; the wall time of the whole process (interpreter start, imports,
exit) is reported too.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
NURSING = REPO.parent / "shared" / "eval" / "nursing-nb"
TYPING_MS = 60
DEMO_QUERIES = ["PVK", "venflon", "trykksår", "blodtrykksmåling", "korleis måle blodtrykk", "sepsis tegn",
                "stell av sentralt venekateter", "hjertestans voksen", "kateter kvinne", "munnstell",
                "isolasjon smitte", "blodsukker", "fall eldre", "oksygen kols", "sondeernæring"]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def ensure_index(name: str, sources: list[tuple[str, Path]], manifest: Path | None) -> Path:
    from index import api

    folder = OUT / f"ui-{name}"
    started = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        print(f"\r  {name}: {stage} {done}/{total}   ", end="", file=sys.stderr)

    report = api.build(folder, sources, manifest=manifest, use_model=True, progress=progress)
    print(f"\r  {name}: index ready ({report.indexed} embedded, {report.reused} reused, "
          f"{time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return folder


def nursing_queries(n: int) -> list[str]:
    import csv

    with open(NURSING / "queries-dev.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [r["query"] for r in rows[:n]]


def measure(index_dir: Path, queries: list[str], *, hybrid: bool) -> dict[str, list[float]]:
    from PySide6.QtTest import QTest

    from app.config import Config
    from app.qt import QApplication
    from app.session import LOADING, READY, Session
    from app.tasks import TaskRunner
    from app.window.mainwindow import MainWindow

    app = QApplication.instance() or QApplication([])
    config = Config(flags={"tablet_mode": "off", "language": "nb"})
    session = Session(runner=TaskRunner(), index_dir=index_dir, semantic=hybrid)
    window = MainWindow(config=config, session=session)
    window.resize(1280, 800)
    window.show()
    session.start()
    deadline = time.monotonic() + 600
    while (session.engine is None or (hybrid and session.semantic == LOADING)) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    if hybrid and session.semantic != READY:
        raise SystemExit(f"semantic search not ready: {session.semantic_reason}")

    marks: dict[str, float] = {}
    window.debounce.timeout.connect(lambda: marks.__setitem__("fired", time.perf_counter()))

    def populated() -> None:
        outcome = window.results.outcome
        if outcome is not None and outcome.query == marks.get("query"):
            marks["populated"] = time.perf_counter()

    window.results.model.populated.connect(populated)
    field = window.search_bar.field
    times: dict[str, list[float]] = {"debounce": [], "search+UI": [], "total": []}
    modes = set()
    for query in [queries[0], *queries]:  # the first query warms caches and is not counted
        field.clear()
        QTest.qWait(50)
        marks.clear()
        marks["query"] = query
        for ch in query:
            QTest.keyClicks(field, ch)  # the string form types any Unicode letter
            QTest.qWait(TYPING_MS)
        last_key = time.perf_counter() - TYPING_MS / 1000  # the wait after the last key is not latency
        end = time.monotonic() + 30
        while "populated" not in marks and time.monotonic() < end:
            app.processEvents()
        if "populated" not in marks or "fired" not in marks:
            print(f"  no result for {query!r}", file=sys.stderr)
            continue
        modes.add(window.results.outcome.result.mode)
        times["debounce"].append((marks["fired"] - last_key) * 1000)
        times["search+UI"].append((marks["populated"] - marks["fired"]) * 1000)
        times["total"].append((marks["populated"] - last_key) * 1000)
    for key in times:
        times[key] = times[key][1:]  # drop the warm-up
    window.close()
    session.shutdown()
    times["modes"] = sorted(modes)
    return times


def startup(runs: int) -> tuple[list[float], list[float]]:
    shown, wall = [], []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
            env[var] = str(Path(tmp) / var.lower())
        for _ in range(runs):
            started = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "app", "--measure-startup"], cwd=REPO, env=env,
                                  capture_output=True, text=True, check=True, timeout=120)
            wall.append((time.perf_counter() - started) * 1000)
            m = re.search(r"window shown after (\d+) ms", proc.stdout)
            if m:
                shown.append(float(m.group(1)))
    return shown, wall


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--queries", type=int, default=25, help="nursing-nb queries to type (default 25)")
    p.add_argument("--skip-nursing", action="store_true")
    p.add_argument("--starts", type=int, default=5, help="cold starts to time (default 5)")
    args = p.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from app.window.mainwindow import DEBOUNCE_MS
    from index import api

    OUT.mkdir(parents=True, exist_ok=True)
    print("preparing indexes (first run embeds every document: minutes on a small CPU) …", file=sys.stderr)
    sources, manifest = api.demo_sources()
    corpora = [("demo", ensure_index("demo", sources, manifest), DEMO_QUERIES)]
    if not args.skip_nursing and (NURSING / "docs").is_dir():
        corpora.append(("nursing-nb", ensure_index("nursing-nb", [("local", NURSING / "docs")], None),
                        nursing_queries(args.queries)))

    rows = []
    for name, folder, queries in corpora:
        for hybrid in (False, True):
            t = measure(folder, queries, hybrid=hybrid)
            rows.append((name, "hybrid" if hybrid else "lexical", t))
    shown, wall = startup(args.starts)

    print(f"\nKeystroke → results populated (typing {TYPING_MS} ms/key, debounce {DEBOUNCE_MS} ms), "
          f"{os.cpu_count()} CPU cores, Qt offscreen")
    print(f"{'corpus':<11} {'mode':<8} {'n':>3} | {'debounce p50':>12} | {'search+UI p50':>13} "
          f"{'p95':>7} {'max':>7} | {'total p50':>9} {'p95':>7}")
    print("-" * 92)
    for name, mode, t in rows:
        ran = "/".join(t["modes"])
        print(f"{name:<11} {mode:<8} {len(t['total']):>3} | {percentile(t['debounce'], 50):>9.0f} ms | "
              f"{percentile(t['search+UI'], 50):>10.0f} ms {percentile(t['search+UI'], 95):>4.0f} ms "
              f"{max(t['search+UI'], default=float('nan')):>4.0f} ms | "
              f"{percentile(t['total'], 50):>6.0f} ms {percentile(t['total'], 95):>4.0f} ms  (ran: {ran})")
    print(f"\nCold start, window shown ({len(shown)} runs): p50 {statistics.median(shown):.0f} ms, "
          f"min {min(shown):.0f} ms, max {max(shown):.0f} ms (from app.main import)")
    print(f"Whole process (interpreter start → exit): p50 {statistics.median(wall):.0f} ms, "
          f"min {min(wall):.0f} ms, max {max(wall):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
