"""Speed: build time, query latency (lexical, dense, hybrid), peak RSS, cold time to first lexical result.

    python -m bench.speed [--build] [--reps 5] [--top 30] [--cold 5] [--save OUT.json] [--compare OLD.json]

Latency goes through the public ``Engine.search`` over the nursing-nb dev queries, query embedding included,
warm (one untimed pass per mode first), ``--reps`` timed passes; ``top`` is the app's 30 hits. The index is the
one bench.quality caches in bench/out/index-nursing-nb (updated incrementally here; a first build embeds
170 documents, ~5 min on 2 cores). ``--build`` also times fresh builds in a temporary folder: lexical only
(no model) and full (parse + embed + write, model load included). Peak RSS is this process's high-water mark
with the index open, the model loaded and every query run (the cached index is updated in a child process,
and this is taken before any ``--build``). Cold start runs
``--cold`` fresh interpreters that import ``index.api``, open the engine and run one lexical search; the
files are in the OS page cache by then, so it is a warm-disk cold start. The load average is printed because
other work on a 2-core machine shows up directly in the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import NURSING, OUT, REPO, machine, read_tsv, require_shared, table
from index import api
from index.records import SearchMode

MODES = (SearchMode.LEXICAL, SearchMode.DENSE, SearchMode.HYBRID)
COLD_QUERY = "PVK"
_COLD_SNIPPET = """
import json, sys, time
t0 = time.perf_counter()
from index import api
engine = api.Engine(sys.argv[1])
result = engine.search(sys.argv[2], mode="lexical")
print(json.dumps({"ms": (time.perf_counter() - t0) * 1000, "hits": len(result.hits)}))
"""

_UPDATE_SNIPPET = """
import sys
from pathlib import Path
from index import api
report = api.build(Path(sys.argv[1]), [("local", Path(sys.argv[2]))])
print(f"[nursing-nb] index: {report.indexed} parsed, {report.reused} reused, {report.seconds:.1f} s", flush=True)
"""


def _ms(values: list[float]) -> dict:
    a = np.asarray(values) * 1000
    return {"n": len(a), "p50": float(np.percentile(a, 50)), "p95": float(np.percentile(a, 95)),
            "min": float(a.min()), "max": float(a.max()), "mean": float(a.mean())}


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def measure_latency(engine: api.Engine, queries: list[str], *, reps: int, top: int) -> dict:
    out = {}
    for mode in MODES:
        for q in queries:  # warm: first use of Whoosh readers, stems cache, torch kernels
            engine.search(q, top=top, mode=mode)
        times = []
        for _ in range(reps):
            for q in queries:
                t = time.perf_counter()
                engine.search(q, top=top, mode=mode)
                times.append(time.perf_counter() - t)
        out[mode] = _ms(times)
    embedder = getattr(engine, "embedder", None) or getattr(engine._searcher, "embedder", None)
    if embedder is not None:  # the query-embedding share of dense/hybrid, alone
        times = []
        for _ in range(reps):
            for q in queries:
                t = time.perf_counter()
                embedder.encode_queries([q])
                times.append(time.perf_counter() - t)
        out["embed only"] = _ms(times)
    return out


def measure_cold(index_dir: Path, runs: int) -> dict:
    inner, outer = [], []
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    for _ in range(runs):
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _COLD_SNIPPET, str(index_dir), COLD_QUERY], cwd=REPO,
                              env=env, check=True, capture_output=True, text=True)
        outer.append(time.perf_counter() - t)
        inner.append(json.loads(done.stdout.strip().splitlines()[-1])["ms"] / 1000)
    return {"import+open+search": _ms(inner), "whole process": _ms(outer)}


def measure_build(sources) -> dict:
    out = {}
    with tempfile.TemporaryDirectory(prefix="kf-speed-") as tmp:
        for label, use_model in (("lexical only", False), ("full (embeddings)", True)):
            t = time.perf_counter()
            report = api.build(Path(tmp) / label.split()[0], sources, use_model=use_model)
            seconds = time.perf_counter() - t
            out[label] = {"docs": report.indexed, "seconds": seconds, "docs_per_s": report.indexed / seconds}
            print(f"  build {label}: {report.indexed} docs in {seconds:.1f} s", flush=True)
    return out


def print_report(r: dict, old: dict | None) -> None:
    print(f"\n{r['date']} · {r['machine']} · load avg {r['load_before']} → {r['load_after']}")
    print(f"open {r['open_ms']:.0f} ms · load model {r['model_s']:.1f} s · {r['queries']} queries × "
          f"{r['reps']} reps · top {r['top']}")
    headers = ["mode", "p50 ms", "p95 ms", "max ms", "mean ms"]
    rows = []
    for mode, s in r["latency"].items():
        row = [mode, *(f"{s[k]:.1f}" for k in ("p50", "p95", "max", "mean"))]
        if old and mode in old.get("latency", {}):
            o = old["latency"][mode]
            row = [mode, *(f"{o[k]:.1f} → {s[k]:.1f}" for k in ("p50", "p95", "max", "mean"))]
        rows.append(row)
    print(table(headers, rows))
    rss = f"{r['peak_rss_mb']:.0f} MB"
    if old:
        rss = f"{old['peak_rss_mb']:.0f} → {rss}"
    print(f"peak RSS (index open, model loaded, all queries run): {rss}")
    if r.get("cold"):
        print(table(["cold start to first lexical result", "runs", "p50 ms", "min ms", "max ms"],
                    [[k, v["n"], f"{v['p50']:.0f}", f"{v['min']:.0f}", f"{v['max']:.0f}"]
                     for k, v in r["cold"].items()]))
    if r.get("build"):
        print(table(["build (fresh, temp folder)", "docs", "seconds", "docs/s"],
                    [[k, v["docs"], f"{v['seconds']:.1f}", f"{v['docs_per_s']:.1f}"]
                     for k, v in r["build"].items()]))


def main() -> None:
    require_shared()
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", action="store_true", help="also time fresh builds in a temp folder (~5 min)")
    ap.add_argument("--reps", type=int, default=5, help="timed passes over the dev queries per mode")
    ap.add_argument("--top", type=int, default=30, help="hits per search (the app shows 30)")
    ap.add_argument("--cold", type=int, default=5, help="cold-process runs (0 to skip)")
    ap.add_argument("--save", type=Path, help="write the figures as JSON")
    ap.add_argument("--compare", type=Path, help="a JSON from --save to print beside these figures")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    index_dir = OUT / "index-nursing-nb"
    sources = [("local", NURSING / "docs")]
    queries = [row["query"] for row in read_tsv(NURSING / "queries-dev.tsv")]
    load_before = _load()

    # Bring the cached index up to date in a child process: building loads a model of its own, which would
    # otherwise count in this process's peak RSS.
    subprocess.run([sys.executable, "-c", _UPDATE_SNIPPET, str(index_dir), str(NURSING / "docs")], cwd=REPO,
                   check=True)
    t = time.perf_counter()
    engine = api.Engine(index_dir)
    open_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    if not engine.load_model():
        sys.exit(f"dense unavailable: {engine.model_error}")
    model_s = time.perf_counter() - t
    latency = measure_latency(engine, queries, reps=args.reps, top=args.top)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    engine.close()
    result = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": machine(), "queries": len(queries),
              "reps": args.reps, "top": args.top, "open_ms": open_ms, "model_s": model_s, "latency": latency,
              "peak_rss_mb": peak_rss_mb}
    result["cold"] = measure_cold(index_dir, args.cold) if args.cold else {}
    result["build"] = measure_build(sources) if args.build else {}
    result["load_before"], result["load_after"] = load_before, _load()
    old = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None
    print_report(result, old)
    if args.save:
        args.save.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
