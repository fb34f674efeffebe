"""Memory: where the embedding model's resident memory goes, the old path (sentence-transformers, torch)
against the runtime one (ONNX Runtime + tokenizers).

    python -m bench.memory [--model DIR] [--variants sentence-transformers,onnx] [--rounds 1] [--queries 100]
                           [--passages 200]
    python -m bench.memory --app INDEX [--against OLD_CODE_DIR] [--rounds 2] [--queries 100]
    python -m bench.memory --quality [--sets nursing-nb,norquad,liveqa-sub25]   # int8 against float32, nDCG@10

Each variant runs in a fresh interpreter (``--probe VARIANT``) that reads VmRSS (current) and VmHWM (peak)
from /proc/self/status, plus RSS split into anonymous memory and file pages, after each stage:

    bare python → import the runtime → load model → queries → passages

``sentence-transformers`` imports torch and sentence-transformers and loads the folder with them
(``index.embed.st``); ``onnx`` imports onnxruntime and tokenizers and loads ``<model>/onnx`` (``index.embed.onnx``),
the app's path. RSS = anon (the process's own memory) + file (mapped files: libraries, weights).

Queries are encoded one at a time on one worker thread, as ``index.search.searcher`` does (the nursing-nb dev
queries when ``../shared/eval`` is there, else the model's verification sentences); passages are ~180-word
chunks of the demo procedures in ``resources/demo``, handed over 32 per call. Latency is per query, query
embedding only. ``--rounds`` repeats the variants alternately (latency is pooled over rounds, RSS is from the
first round). The load average is printed because other work on a 2-core machine shows up in the latencies.

``--app INDEX``: where the app's memory goes with a real index (bench/app_memory.py): a fresh process per code
tree, RSS/PSS/USS after each step of opening a hybrid index and searching it; ``--against DIR`` runs the same
probe on another checkout (e.g. ``git archive`` of main) alternately with this one. ``--quality``: the dense
representation's effect on retrieval (bench/app_memory.py).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import NURSING, REPO, machine, memory_mb, read_tsv, table

VARIANTS = ("sentence-transformers", "onnx")
STAGES = ("bare python", "import the runtime", "load model", "queries", "passages")


def _queries(n: int) -> list[str]:
    path = NURSING / "queries-dev.tsv"
    if path.is_file():
        pool = [row["query"] for row in read_tsv(path)]
    else:
        from index.embed.model import VERIFY_SENTENCES

        pool = [s for s in VERIFY_SENTENCES if len(s) < 120]
    return [pool[i % len(pool)] for i in range(n)]


def _passages(n: int, words: int = 180) -> list[str]:
    chunks = []
    for path in sorted((REPO / "resources" / "demo").rglob("*.md")):
        text = re.sub(r"\A---\n.*?\n---\n", "", path.read_text(encoding="utf-8"), flags=re.DOTALL).split()
        chunks.extend(" ".join(text[i:i + words]) for i in range(0, len(text), words))
    return [chunks[i % len(chunks)] for i in range(n)]


def probe(variant: str, model: Path, n_queries: int, n_passages: int) -> dict:
    """Run in a fresh process: the stages in order, RSS after each."""
    stages = {"bare python": memory_mb()}
    if variant == "onnx":
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    else:
        import sentence_transformers  # noqa: F401
        import torch  # noqa: F401
    stages["import the runtime"] = memory_mb()
    from concurrent.futures import ThreadPoolExecutor

    from index.embed.model import load_embedder

    queries, passages = _queries(n_queries), _passages(n_passages)
    t = time.perf_counter()
    embedder = load_embedder(model, encoder=variant)
    load_s = time.perf_counter() - t
    stages["load model"] = memory_mb()
    times = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        for q in queries:
            t = time.perf_counter()
            pool.submit(embedder.encode_queries, [q]).result()
            times.append((time.perf_counter() - t) * 1000)
    stages["queries"] = memory_mb()
    t = time.perf_counter()
    for start in range(0, len(passages), 32):
        embedder.encode_passages(passages[start:start + 32])
    passage_s = time.perf_counter() - t
    stages["passages"] = memory_mb()
    heavy = sorted(m for m in ("torch", "transformers", "sentence_transformers") if m in sys.modules)
    return {"variant": variant, "stages": stages, "load_s": load_s, "query_ms": times,
            "passages_per_s": len(passages) / passage_s, "heavy": heavy}


def run_probe(variant: str, args) -> dict:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    cmd = [sys.executable, "-m", "bench.memory", "--probe", variant, "--model", str(args.model),
           "--queries", str(args.queries), "--passages", str(args.passages)]
    done = subprocess.run(cmd, cwd=REPO, env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def print_report(results: dict[str, list[dict]]) -> None:
    variants = list(results)
    headers = ["stage"] + [f"{v} {col}" for v in variants for col in ("RSS", "peak", "anon", "file")]
    rows = []
    for stage in STAGES:
        row = [stage]
        for v in variants:
            s = results[v][0]["stages"][stage]
            row += [f"{s['rss']:.0f}", f"{s['peak']:.0f}", f"{s['anon']:.0f}", f"{s['file']:.0f}"]
        rows.append(row)
    print("\nResident memory, MB (RSS = anon + file; peak = VmHWM so far)")
    print(table(headers, rows))
    print("\nCost of each stage, MB (RSS after minus RSS before)")
    rows = []
    for before, stage in itertools.pairwise(STAGES):
        row = [stage]
        for v in variants:
            s = results[v][0]["stages"]
            row.append(f"{s[stage]['rss'] - s[before]['rss']:+.0f}")
        rows.append(row)
    print(table(["stage", *variants], rows))
    rows = []
    for v in variants:
        times = [t for r in results[v] for t in r["query_ms"]]
        rows.append([v, len(times), f"{_pct(times, 50):.1f}", f"{_pct(times, 95):.1f}", f"{max(times):.1f}",
                     f"{statistics.fmean(r['passages_per_s'] for r in results[v]):.1f}",
                     f"{statistics.fmean(r['load_s'] for r in results[v]):.1f}"])
    print("\nQuery embedding, one query at a time (ms); passages (32 per call); model load")
    print(table(["variant", "queries", "p50 ms", "p95 ms", "max ms", "passages/s", "load s"], rows))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path, help="model folder (default: the app's, index.embed.model.default_model_dir)")
    ap.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated: sentence-transformers, onnx")
    ap.add_argument("--rounds", type=int, default=1, help="run the variants alternately this many times")
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--passages", type=int, default=200)
    ap.add_argument("--probe", choices=VARIANTS, help=argparse.SUPPRESS)
    ap.add_argument("--app", type=Path, metavar="INDEX", help="RSS by step of the app with this (hybrid) index")
    ap.add_argument("--against", type=Path, metavar="DIR", help="with --app: also probe this code checkout")
    ap.add_argument("--quality", action="store_true", help="int8 chunk matrix against float32, nDCG@10")
    ap.add_argument("--sets", default="", help="with --quality: comma-separated (nursing-nb,norquad,liveqa-sub25)")
    args = ap.parse_args()
    if args.app or args.quality:
        from bench import app_memory

        if args.model is None:
            from index.embed.model import default_model_dir

            args.model = default_model_dir()
        if args.quality:
            app_memory.quality(args.model, [n for n in args.sets.split(",") if n])
        else:
            app_memory.compare(args.app, args.model, args.against, args.rounds, args.queries)
        return
    if args.probe:
        print(json.dumps(probe(args.probe, args.model, args.queries, args.passages)))
        return
    if args.model is None:
        from index.embed.model import default_model_dir

        args.model = default_model_dir()
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    if unknown := set(variants) - set(VARIANTS):
        sys.exit(f"unknown variant(s): {', '.join(sorted(unknown))}")
    load_before = os.getloadavg()[0]
    results: dict[str, list[dict]] = {v: [] for v in variants}
    for round_ in range(args.rounds):
        for v in variants:
            print(f"[memory] round {round_ + 1}/{args.rounds}: {v} ...", flush=True)
            results[v].append(run_probe(v, args))
    print(f"\n{time.strftime('%Y-%m-%d %H:%M')} · {machine()} · model {args.model} · load avg "
          f"{load_before:.2f} → {os.getloadavg()[0]:.2f}")
    for v in variants:
        heavy = ", ".join(results[v][0]["heavy"]) or "none of torch, transformers, sentence_transformers"
        print(f"{v}: imported {heavy}")
    print_report(results)


if __name__ == "__main__":
    main()
