"""Old runtime against new, side by side in one run: the same index and queries searched by two checkouts.

    python -m bench.lean --index DIR --old-root DIR [--old-python PY] [--queries nursing-nb,liveqa-med]
                         [--rounds 2] [--passages 96]

``--old-root`` is a checkout of the code before issue 14 (torch, sentence-transformers' model through
``index/model_lean.py``) with its own interpreter (``--old-python``, a venv that has torch); the new side is
this checkout with the running interpreter (onnxruntime + tokenizers, no torch). Each side runs in a fresh
process per round, the two taking turns so machine load hits both alike, and reports:

    ready      process start → ``Engine.load_model()`` done (imports, index open, model load): "semantic ready"
    embed      query embedding alone, per query, one at a time (p50 / p95)
    hybrid     ``Engine.search(mode="hybrid", top=30)`` per query, query embedding included (p50 / p95)
    chunks/s   passage embedding of the first ``--passages`` nursing-nb chunks, handed over as each build does
               (the old build: 32 per call; the new: one call, sorted and padded per batch inside)
    peak RSS   the process's VmHWM after the searches (the app's case), and after the passages too
    torch      whether torch was imported

Both sides search the same index folder (vectors from either path: the ONNX graph is verified against
sentence-transformers); queries are warmed once (10 untimed) before timing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import EVAL, NURSING, REPO, machine, read_tsv, table

_PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
from index import api
args = json.load(open(sys.argv[1]))
engine = api.Engine(args["index"])
if not engine.load_model():
    raise SystemExit("model: " + engine.model_error)
ready = time.perf_counter() - t0
embedder = engine.embedder
out = {"ready": ready, "embed": {}, "hybrid": {}}
for name, queries in args["queries"].items():
    for q in queries[:10]:
        engine.search(q, top=30, mode="hybrid")
    emb, hyb = [], []
    for q in queries:
        s = time.perf_counter(); embedder.encode_queries([q]); emb.append(time.perf_counter() - s)
        s = time.perf_counter(); engine.search(q, top=30, mode="hybrid"); hyb.append(time.perf_counter() - s)
    out["embed"][name], out["hybrid"][name] = emb, hyb
def hwm():
    status = open("/proc/self/status").read()
    return int(next(l for l in status.splitlines() if l.startswith("VmHWM")).split()[1]) / 1024
out["search_peak_mb"] = hwm()
texts = args["passages"]
if texts:
    per_call = args["per_call"]
    s = time.perf_counter()
    for i in range(0, len(texts), per_call):
        embedder.encode_passages(texts[i:i + per_call])
    out["chunks_per_s"] = len(texts) / (time.perf_counter() - s)
out["peak_mb"] = hwm()
out["torch"] = "torch" in sys.modules
out["code"] = api.__file__
print("RESULT " + json.dumps(out))
"""


def queries(name: str) -> list[str]:
    if name == "nursing-nb":
        return [r["query"] for r in read_tsv(NURSING / "queries-dev.tsv")]
    if name == "liveqa-med":
        with open(EVAL / "external" / "liveqa-med" / "queries.jsonl", encoding="utf-8") as fh:
            return [json.loads(line)["text"] for line in fh]
    raise SystemExit(f"unknown query set {name}")


def probe(python: str, root: Path, payload: dict) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(payload, fh)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(root)}
    try:
        done = subprocess.run([python, "-c", _PROBE, fh.name], cwd=root, env=env, capture_output=True, text=True,
                              timeout=3600, check=False)
    finally:
        os.unlink(fh.name)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"{root}: probe failed\n{done.stderr[-3000:]}")
    return json.loads(line[len("RESULT "):])


def pct(values: list[float], q: float) -> float:
    return float(statistics.quantiles(values, n=100)[q - 1]) * 1000 if len(values) > 1 else values[0] * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--old-root", type=Path, required=True)
    ap.add_argument("--old-python", default=sys.executable)
    ap.add_argument("--queries", default="nursing-nb,liveqa-med")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--passages", type=int, default=96)
    args = ap.parse_args()
    from bench.embedding import chunk_sample

    texts = chunk_sample(args.passages) if args.passages else []
    qs = {name: queries(name) for name in args.queries.split(",")}
    sides = {"old (torch)": (args.old_python, args.old_root.resolve(), 32),
             "new (onnx)": (sys.executable, REPO, 512)}
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    results: dict[str, list[dict]] = {label: [] for label in sides}
    for _ in range(args.rounds):
        for label, (python, root, per_call) in sides.items():
            payload = {"index": str(args.index.resolve()), "queries": qs, "passages": texts, "per_call": per_call}
            results[label].append(probe(python, root, payload))
            print(f"{label}: round done ({results[label][-1]['code']})", flush=True)
    rows = []
    for label, runs in results.items():
        row = [label, f"{statistics.median(r['ready'] for r in runs):.1f}"]
        for name in qs:
            emb = [t for r in runs for t in r["embed"][name]]
            hyb = [t for r in runs for t in r["hybrid"][name]]
            row += [f"{pct(emb, 50):.1f} / {pct(emb, 95):.1f}", f"{pct(hyb, 50):.1f} / {pct(hyb, 95):.1f}"]
        row += [f"{statistics.median(r.get('chunks_per_s', 0) for r in runs):.2f}",
                f"{max(r['search_peak_mb'] for r in runs):.0f}", f"{max(r['peak_mb'] for r in runs):.0f}",
                str(any(r["torch"] for r in runs))]
        rows.append(row)
    head = ["runtime", "ready s (median)"]
    for name in qs:
        head += [f"embed ms p50/p95 {name}", f"hybrid ms p50/p95 {name}"]
    head += [f"chunks/s ({len(texts)} chunks)", "peak RSS MB after searches", "… and passages", "torch"]
    print(f"\n{machine()} · index {args.index} · {args.rounds} rounds · load avg {load} → "
          + "/".join(f"{x:.1f}" for x in os.getloadavg()))
    print(table(head, rows))


if __name__ == "__main__":
    main()
