"""Retrieval quality: nDCG@10, Recall@10, MRR@10, VAR-first for lexical, dense and hybrid search.

    python -m bench.quality [--datasets nursing-nb,norquad,liveqa-med] [--failures] [--lexical-only]

Scores come from the acceptance scorer (../shared/eval/score.py). Indexes are cached under bench/out/ and
updated incrementally, so a re-run after a ranking change costs seconds.
"""

from __future__ import annotations

import argparse
import json
import time

from bench.common import (
    EVAL,
    NURSING,
    OUT,
    beir_qrels,
    beir_to_folder,
    machine,
    read_tsv,
    require_shared,
    score,
    table,
    write_run,
)
from index import api

MODES = ("lexical", "dense", "hybrid")


def _dataset(name: str):
    """(sources, qrels, docs_dir for tiers, queries [(qid, text, type)])"""
    if name == "nursing-nb":
        queries = [(r["qid"], r["query"], r["type"]) for r in read_tsv(NURSING / "queries-dev.tsv")]
        return [("local", NURSING / "docs")], NURSING / "qrels-dev.tsv", NURSING / "docs", queries
    ext = EVAL / "external" / name
    corpus = ext / ("corpus.jsonl.gz" if (ext / "corpus.jsonl.gz").exists() else "corpus.jsonl")
    folder = beir_to_folder(corpus, OUT / f"corpus-{name}", language="nb" if name == "norquad" else "en")
    split = "test"
    qrels = beir_qrels(ext / "qrels" / f"{split}.tsv", OUT / f"qrels-{name}.tsv")
    wanted = {r["qid"] for r in read_tsv(qrels)}
    queries = []
    with open(ext / "queries.jsonl", encoding="utf-8") as fh:
        for line in fh:
            q = json.loads(line)
            if q["_id"] in wanted:
                queries.append((q["_id"], q["text"], "all"))
    return [("var", folder)], qrels, OUT / "no-tiers", queries


def evaluate(name: str, *, failures: bool = False, lexical_only: bool = False) -> list[list]:
    sources, qrels, docs_dir, queries = _dataset(name)
    (OUT / "no-tiers").mkdir(parents=True, exist_ok=True)
    index_dir = OUT / (f"index-{name}-lexical" if lexical_only else f"index-{name}")
    t0 = time.perf_counter()
    report = api.build(index_dir, sources, use_model=not lexical_only)
    print(f"[{name}] index: {report.indexed} parsed, {report.reused} reused, {report.seconds:.1f} s")
    engine = api.Engine(index_dir)
    if not lexical_only and not engine.load_model():
        print(f"[{name}] dense unavailable: {engine.model_error}")
    modes = ("lexical",) if lexical_only else MODES
    rows = []
    qtypes = OUT / f"qtypes-{name}.tsv"
    qtypes.write_text("qid\ttype\n" + "".join(f"{q}\t{t}\n" for q, _, t in queries), encoding="utf-8")
    for mode in modes:
        results = {}
        for qid, text, _ in queries:
            res = engine.search(text, top=100, mode=mode)
            results[qid] = [(h.doc_id, h.fused) for h in res.hits]
        run = OUT / f"run-{name}-{mode}.txt"
        write_run(run, results, f"kf-{mode}")
        s = score(run, qrels, docs_dir, qtypes)
        summ = s["summary"]
        rows.append([name, mode, summ["ndcg"], summ["recall"], summ["mrr"], summ["varfirst"]])
        if mode == modes[-1] and name == "nursing-nb":
            print(table(["type", "nDCG@10"], [[t, v] for t, v in sorted(s["by_type"].items())]))
            if failures:
                _print_failures(s["per"], queries, results)
    print(f"[{name}] done in {time.perf_counter() - t0:.1f} s")
    engine.close()
    return rows


def _print_failures(per: dict, queries, results) -> None:
    text = {q: (t, ty) for q, t, ty in queries}
    qrels = {}
    for r in read_tsv(NURSING / "qrels-dev.tsv"):
        qrels.setdefault(r["qid"], {})[r["doc_id"]] = int(r["grade"])
    for qid, m in sorted(per.items()):
        bad = m["mrr"] < 1 or (m["varfirst"] is not None and m["varfirst"] < 1) or (m["recall"] or 1) < 1
        if bad:
            t, ty = text.get(qid, ("?", "?"))
            top = " ".join(f"{d}({qrels[qid].get(d, 0)})" for d, _ in results.get(qid, [])[:5])
            want = " ".join(f"{d}:{g}" for d, g in sorted(qrels[qid].items(), key=lambda x: -x[1]))
            print(f"  {qid} [{ty}] {t!r} mrr={m['mrr']:.2f} vf={m['varfirst']} | top: {top} | want: {want}")


def main() -> None:
    require_shared()
    ap = argparse.ArgumentParser()
    ap.add_argument("--datasets", default="nursing-nb,norquad")
    ap.add_argument("--failures", action="store_true", help="list nursing-nb queries that miss a target")
    ap.add_argument("--lexical-only", action="store_true",
                    help="build without embeddings and score lexical search only (large corpora, quick)")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in args.datasets.split(","):
        rows += evaluate(name, failures=args.failures, lexical_only=args.lexical_only)
    print(f"\n{time.strftime('%Y-%m-%d')} · {machine()}")
    print(table(["dataset", "mode", "nDCG@10", "R@10", "MRR@10", "VAR-first"], rows))


if __name__ == "__main__":
    main()
