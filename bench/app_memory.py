"""The app's memory with a real hybrid index, step by step, and what the dense representation costs in quality
(``python -m bench.memory --app INDEX`` / ``--quality``).

**Memory.** A fresh interpreter per probe reads /proc/self/status (VmRSS, VmHWM = peak so far, RssAnon,
RssFile) and /proc/self/smaps_rollup (PSS, USS = private pages) after each step the app takes:

    bare python → imports → open index → chunk matrix → model → first query → N queries

"open index" is ``api.Engine`` (snapshot metadata, vocabulary, the Whoosh reader) and ``Engine.stats()``, which
the app shows in its status bar. "chunk matrix" attaches a
stand-in embedder, so the engine prepares its dense matrix exactly as it does for the real one (before this
change: the float16 matrix and its float32 copy; after: int8 codes) without loading the model. "model" is
``Engine.load_model``: the ONNX session and the tokenizer. The tokenizer alone is measured in a probe of its own.
``--against DIR`` runs the probe on another checkout of the code (``index`` imported from there), alternately
with this one, so both see the same machine.

**Quality.** On the evaluation sets' indexes that bench/quality.py leaves in bench/out (read, never rebuilt) and
a LiveQA-Med subset built here (``liveqa_subset``): every dev query in dense and hybrid mode with the int8
chunk matrix and with the float32 product it replaces, nDCG@10 from the acceptance scorer and the share of
queries whose top 10 is identical.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.common import EVAL, NURSING, OUT, REPO, machine, memory_mb, read_tsv, score, table, write_run

STAGES = ("bare python", "imports", "open index", "chunk matrix", "model", "first query", "queries")
MEMORY = OUT / "memory"


def _memory() -> dict[str, float]:
    """MB: rss, peak (VmHWM), anon, file, pss, uss."""
    out = memory_mb()
    rollup = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        key, _, value = line.partition(":")
        rollup[key] = int(value.split()[0]) / 1024
    out["pss"] = rollup.get("Pss", 0.0)
    out["uss"] = rollup.get("Private_Clean", 0.0) + rollup.get("Private_Dirty", 0.0)
    return out


def _queries(index: Path, n: int) -> list[str]:
    """The queries beside a bench/scale.py index (``queries.json``), else the nursing-nb dev queries."""
    beside = index.parent / "queries.json"
    pool = (json.loads(beside.read_text(encoding="utf-8")) if beside.is_file()
            else [r["query"] for r in read_tsv(NURSING / "queries-dev.tsv")])
    return [pool[i % len(pool)] for i in range(n)]


class _StandIn:
    """An embedder that matches the snapshot but is never asked to encode: attaching it makes the engine read
    its chunk matrix, so that step is measured apart from the model."""

    def __init__(self, manifest: dict):
        self.name, self.dim = manifest["model"], manifest["dim"]
        self.variant = (manifest.get("encoder") or {}).get("variant", "")
        self.record = dict(manifest.get("encoder") or {}, name=self.name, dim=self.dim)

    def encode_queries(self, texts: list[str]):
        raise AssertionError("the stand-in never encodes")

    encode_passages = encode_queries


def app_probe(index: Path, model: Path, n: int, code: Path) -> dict:
    """In a fresh process, with ``index`` imported from ``code``: memory after each step."""
    stages = {"bare python": _memory()}
    sys.path.insert(0, str(code))
    import onnxruntime  # noqa: F401
    import tokenizers  # noqa: F401

    from index import api
    from index.records import SearchMode

    stages["imports"] = _memory()
    engine = api.Engine(index)
    engine.stats()  # as the app's status bar does once the index is open
    stages["open index"] = _memory()
    assert engine.attach_embedder(_StandIn(engine.snapshot.manifest)), engine.model_error
    stages["chunk matrix"] = _memory()
    assert engine.load_model(model), engine.model_error
    stages["model"] = _memory()
    queries = _queries(index, n)
    engine.search(queries[0], top=30, mode=SearchMode.HYBRID)
    stages["first query"] = _memory()
    for q in queries[1:]:
        engine.search(q, top=30, mode=SearchMode.HYBRID)
    stages["queries"] = _memory()
    return {"code": str(code), "index_from": api.__file__, "stages": stages}


def tokenizer_probe(model: Path, n: int) -> dict:
    """The tokenizer alone: RSS after import, after loading, after encoding ``n`` queries (its word cache)."""
    stages = {"bare python": _memory()}
    from tokenizers import Tokenizer

    stages["import tokenizers"] = _memory()
    tok = Tokenizer.from_file(str(model / "onnx" / "tokenizer.json"))
    stages["load tokenizer"] = _memory()
    for q in _queries(Path("/nonexistent/index"), n):
        tok.encode("query: " + q)
    stages["encode queries"] = _memory()
    return {"pieces": tok.get_vocab_size(), "stages": stages}


def _run(args: list[str]) -> dict:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    done = subprocess.run([sys.executable, "-m", "bench.app_memory", *args], cwd=REPO, env=env, check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(index: Path, model: Path, against: Path | None, rounds: int, n: int) -> None:
    trees = {"this": REPO} if against is None else {"against": against.resolve(), "this": REPO}
    load = os.getloadavg()[0]
    results: dict[str, list[dict]] = {name: [] for name in trees}
    for round_ in range(rounds):
        for name, code in trees.items():
            print(f"[app memory] round {round_ + 1}/{rounds}: {name} ({code}) ...", flush=True)
            results[name].append(_run(["--probe", str(index), str(model), str(n), str(code)]))
    tok = _run(["--tokenizer", str(model), str(n)])
    print(f"\n{time.strftime('%Y-%m-%d %H:%M')} · {machine()} · index {index} · {n} hybrid queries · load avg "
          f"{load:.2f} → {os.getloadavg()[0]:.2f}")
    for name in trees:
        print(f"{name}: index imported from {results[name][0]['index_from']}")
    cols = ("rss", "peak", "anon", "file", "uss")
    headers = ["step"] + [f"{name} {c}" for name in trees for c in cols]
    rows = []
    for stage in STAGES:
        row = [stage if stage != "queries" else f"{n} queries"]
        for name in trees:
            s = results[name][0]["stages"][stage]
            row += [f"{s[c]:.0f}" for c in cols]
        rows.append(row)
    print("\nResident memory after each step, MB (first round; peak = VmHWM so far, USS = private pages)")
    print(table(headers, rows))
    rows = []
    for before, stage in itertools.pairwise(STAGES):
        row = [stage if stage != "queries" else f"{n} queries"]
        for name in trees:
            deltas = [r["stages"][stage]["rss"] - r["stages"][before]["rss"] for r in results[name]]
            row.append(" / ".join(f"{d:+.0f}" for d in deltas))
        rows.append(row)
    print("\nCost of each step, MB (RSS after minus before; one figure per round)")
    print(table(["step", *trees], rows))
    peaks = {name: [r["stages"]["queries"]["peak"] for r in results[name]] for name in trees}
    print("\nPeak RSS after all queries, MB: " + "; ".join(
        f"{name} {' / '.join(f'{p:.0f}' for p in v)}" for name, v in peaks.items()))
    t = {k: v["rss"] for k, v in tok["stages"].items()}
    print(f"Tokenizer alone ({tok['pieces']} pieces): import {t['import tokenizers'] - t['bare python']:+.0f} MB, "
          f"load {t['load tokenizer'] - t['import tokenizers']:+.0f} MB, "
          f"{n} queries {t['encode queries'] - t['load tokenizer']:+.0f} MB")
    MEMORY.mkdir(parents=True, exist_ok=True)
    (MEMORY / "app-memory.json").write_text(json.dumps({"results": results, "tokenizer": tok}, indent=1),
                                            encoding="utf-8")


# ---------------------------------------------------------------------------------------------------- quality
SETS = {  # name: (index, qrels, docs folder for tiers, queries)
    "nursing-nb": (OUT / "index-nursing-nb", NURSING / "qrels-dev.tsv", NURSING / "docs", None),
    "norquad": (OUT / "index-norquad", OUT / "qrels-norquad.tsv", OUT / "no-tiers",
                EVAL / "external" / "norquad" / "queries.jsonl"),
    # 25 LiveQA-Med questions (drawn with seed 14 from liveqa-sub's), their judged passages and 100 others (seed
    # 13): liveqa-sub's 6 700 chunks take over an hour to embed on 2 shared cores. Made by liveqa_subset().
    "liveqa-sub25": (MEMORY / "index-liveqa-sub25", MEMORY / "qrels-liveqa-sub25.tsv", OUT / "no-tiers",
                     EVAL / "external" / "liveqa-med" / "queries.jsonl"),
}


def liveqa_subset(questions: int = 25, others: int = 100) -> None:
    """Write bench/out/memory/corpus-liveqa-sub25 and its qrels from bench.quality's liveqa-sub, and build its
    hybrid index (run ``python -m bench.quality --datasets liveqa-sub`` once first for the corpus)."""
    import random
    import shutil

    from index import api

    rows = read_tsv(OUT / "qrels-liveqa-sub.tsv")
    pick = set(random.Random(14).sample(sorted({r["qid"] for r in rows}), questions))
    kept = [r for r in rows if r["qid"] in pick]
    judged_any = {r["doc_id"] for r in rows}
    source = OUT / "corpus-liveqa-sub"
    unjudged = [p.stem for p in sorted(source.glob("*.md")) if p.stem not in judged_any]
    docs = {r["doc_id"] for r in kept} | set(random.Random(13).sample(unjudged, others))
    dest = MEMORY / "corpus-liveqa-sub25"
    dest.mkdir(parents=True, exist_ok=True)
    for d in sorted(docs):
        shutil.copy(source / f"{d}.md", dest / f"{d}.md")
    with open(MEMORY / "qrels-liveqa-sub25.tsv", "w", encoding="utf-8") as fh:
        fh.write("qid\tdoc_id\tgrade\n")
        fh.writelines(f"{r['qid']}\t{r['doc_id']}\t{r['grade']}\n" for r in kept)
    api.build(MEMORY / "index-liveqa-sub25", [("var", dest)], use_model=True)


class Float32Product:
    """The product this change replaced: the float16 matrix converted to float32 once, times the query."""

    def __init__(self, matrix):
        import numpy as np

        self.matrix = np.asarray(matrix, dtype=np.float32)

    def scores(self, query):
        return self.matrix @ query


def _set_queries(qrels: Path, source: Path | None) -> list[tuple[str, str]]:
    if source is None:
        return [(r["qid"], r["query"]) for r in read_tsv(NURSING / "queries-dev.tsv")]
    wanted = {r["qid"] for r in read_tsv(qrels)}
    with open(source, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return [(q["_id"], q["text"]) for q in rows if q["_id"] in wanted]


def quality(model: Path, names: list[str] | None = None) -> None:
    from index import api
    from index.records import SearchMode

    MEMORY.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, (index, qrels, docs, source) in SETS.items():
        if names and name not in names:
            continue
        if name == "liveqa-sub25" and not (index / "CURRENT").is_file() and (OUT / "corpus-liveqa-sub").is_dir():
            print(f"[{name}] building {index} (~1 600 chunks to embed) ...", flush=True)
            liveqa_subset()
        if not (index / "CURRENT").is_file():
            print(f"[{name}] no index at {index} (bench/quality.py builds it): skipped")
            continue
        engine = api.Engine(index)
        assert engine.load_model(model), engine.model_error
        searcher = engine._searcher
        int8 = searcher.chunk_matrix()
        float32 = Float32Product(engine.snapshot.vectors()[0])
        queries = _set_queries(qrels, source)
        for mode in (SearchMode.DENSE, SearchMode.HYBRID):
            runs: dict[str, dict] = {}
            for label, matrix in (("float32", float32), ("int8", int8)):
                searcher._matrix = matrix
                runs[label] = {qid: [(h.doc_id, h.fused) for h in engine.search(text, top=100, mode=mode).hits]
                               for qid, text in queries}
            searcher._matrix = int8
            ndcg = {}
            for label, results in runs.items():
                path = MEMORY / f"run-{name}-{mode}-{label}.txt"
                write_run(path, results, f"kf-{label}")
                ndcg[label] = score(path, qrels, docs)["summary"]["ndcg"]
            same = sum([d for d, _ in runs["float32"][q][:10]] == [d for d, _ in runs["int8"][q][:10]]
                       for q, _ in queries) / len(queries)
            rows.append([name, str(mode), len(queries), ndcg["float32"], ndcg["int8"],
                         f"{ndcg['int8'] - ndcg['float32']:+.4f}", f"{same:.0%}"])
            print(rows[-1], flush=True)
        engine.close()
    print(f"\n{time.strftime('%Y-%m-%d %H:%M')} · {machine()}")
    print(table(["set", "mode", "queries", "nDCG@10 float32", "nDCG@10 int8", "difference", "same top 10"], rows))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--probe", nargs=4, metavar=("INDEX", "MODEL", "N", "CODE"))
    ap.add_argument("--tokenizer", nargs=2, metavar=("MODEL", "N"))
    args = ap.parse_args()
    if args.probe:
        index, model, n, code = args.probe
        print(json.dumps(app_probe(Path(index), Path(model), int(n), Path(code))))
    elif args.tokenizer:
        print(json.dumps(tokenizer_probe(Path(args.tokenizer[0]), int(args.tokenizer[1]))))


if __name__ == "__main__":
    main()
