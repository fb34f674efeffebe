"""Retrieval quality: nDCG@10, Recall@10, MRR@10, VAR-first for lexical, dense and hybrid search, each beside
its plain reference on the same corpus and queries (``bench/plain.py``: plain BM25F, plain e5, plain RRF).

    python -m bench.quality [--datasets nursing-nb,norquad,liveqa-sub] [--failures] [--lexical-only] [--tag NAME]

Datasets: ``nursing-nb`` (dev queries), ``norquad`` (the **dev** split; its test split is held out),
``liveqa-med`` (all 17 908 passages; embedding them takes hours on 2 cores, so use it with --lexical-only)
and ``liveqa-sub`` (the 1 936 judged passages plus 600 others drawn with a fixed seed: every mode).

Scores come from the acceptance scorer (../shared/eval/score.py). Indexes are cached under bench/out/ and
updated incrementally, so a re-run after a ranking change costs seconds. bench/out may be shared by several
people measuring at once: ``--tag`` names this run's files (``run-NAME-…``) so they do not overwrite others'.
"""

from __future__ import annotations

import argparse
import json
import time

from bench import plain
from bench.common import (
    EVAL,
    NURSING,
    OUT,
    REPO,
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
from index.embed.model import default_model_dir
from index.records import SearchMode

MODES = (SearchMode.LEXICAL, SearchMode.DENSE, SearchMode.HYBRID)


LIVEQA_OTHERS = 600  # unjudged passages beside the judged ones in liveqa-sub
LANGUAGE = {"nursing-nb": "nb", "norquad": "nb", "liveqa-med": "en", "liveqa-sub": "en"}


def _dataset(name: str):
    """(sources, qrels, docs_dir for tiers, queries [(qid, text, type)], corpus folder)"""
    if name == "nursing-nb":
        queries = [(r["qid"], r["query"], r["type"]) for r in read_tsv(NURSING / "queries-dev.tsv")]
        docs = NURSING / "docs"
        return [("local", docs)], NURSING / "qrels-dev.tsv", docs, queries, docs
    base = "liveqa-med" if name == "liveqa-sub" else name
    ext = EVAL / "external" / base
    corpus = ext / ("corpus.jsonl.gz" if (ext / "corpus.jsonl.gz").exists() else "corpus.jsonl")
    split = "dev" if base == "norquad" else "test"
    qrels = beir_qrels(ext / "qrels" / f"{split}.tsv", OUT / f"qrels-{name}.tsv")
    keep = None
    if name == "liveqa-sub":
        keep = _liveqa_subset(corpus, {r["doc_id"] for r in read_tsv(qrels)})
    folder = beir_to_folder(corpus, OUT / f"corpus-{name}", language=LANGUAGE[name], keep=keep)
    wanted = {r["qid"] for r in read_tsv(qrels)}
    queries = []
    with open(ext / "queries.jsonl", encoding="utf-8") as fh:
        for line in fh:
            q = json.loads(line)
            if q["_id"] in wanted:
                queries.append((q["_id"], q["text"], "all"))
    return [("var", folder)], qrels, OUT / "no-tiers", queries, folder


def _liveqa_subset(corpus, judged: set[str]) -> set[str]:
    import gzip
    import random

    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        ids = sorted(json.loads(line)["_id"] for line in fh)
    others = [i for i in ids if i not in judged]
    return judged | set(random.Random(13).sample(others, LIVEQA_OTHERS))


def evaluate(name: str, *, failures: bool = False, lexical_only: bool = False) -> tuple[list[list], dict]:
    """(rows: dataset, mode, ours × 4 metrics, plain nDCG, ours − plain; per-query-type nDCG of hybrid)."""
    sources, qrels, docs_dir, queries, corpus = _dataset(name)
    (OUT / "no-tiers").mkdir(parents=True, exist_ok=True)
    index_dir = OUT / (f"index-{name}-lexical" if lexical_only else f"index-{name}")
    t0 = time.perf_counter()
    report = api.build(index_dir, sources, use_model=not lexical_only)
    print(f"[{name}] index: {report.indexed} parsed, {report.reused} reused, {report.seconds:.1f} s")
    engine = api.Engine(index_dir)
    if not lexical_only and not engine.load_model():
        print(f"[{name}] dense unavailable: {engine.model_error}")
    modes = ("lexical",) if lexical_only else MODES
    qtypes = OUT / f"qtypes-{name}.tsv"
    qtypes.write_text("qid\ttype\n" + "".join(f"{q}\t{t}\n" for q, _, t in queries), encoding="utf-8")

    def scored(results: dict, tag: str) -> dict:
        run = OUT / f"run-{RUN_TAG}{name}-{tag}.txt"
        write_run(run, results, f"kf-{tag}")
        return score(run, qrels, docs_dir, qtypes)

    checks = CHECKS
    docs = plain.read_folder(corpus)
    pairs = [(q, t) for q, t, _ in queries]
    plain_runs = {"lexical": plain.bm25(docs, pairs, LANGUAGE[name])}
    if not lexical_only:
        plain_runs["dense"] = plain.e5(docs, pairs, default_model_dir())  # the sentence-transformers folder
        plain_runs["hybrid"] = plain.rrf(plain_runs["lexical"], plain_runs["dense"])
    rows, by_type = [], {}
    offtopic = [line.strip() for line in NO_MATCH.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]
    for mode in modes:
        results, no_good, rewritten = {}, 0, 0
        for qid, text, _ in queries:
            res = engine.search(text, top=100, mode=mode)
            results[qid] = [(h.doc_id, h.fused) for h in res.hits]
            no_good += res.matches == 0
            rewritten += res.fuzzy
        caught = sum(engine.search(q, top=30, mode=mode).matches == 0 for q in offtopic)
        checks.append([name, mode, no_good / len(queries), caught / len(offtopic), rewritten / len(queries)])
        ours, ref = scored(results, mode), scored(plain_runs[mode], f"plain-{mode}")
        o, r = ours["summary"], ref["summary"]
        rows.append([name, mode, o["ndcg"], o["recall"], o["mrr"], o["varfirst"], PLAIN_NAME[mode], r["ndcg"],
                     r["recall"], r["mrr"], r["varfirst"], o["ndcg"] - r["ndcg"]])
        if mode == modes[-1]:
            by_type = ours["by_type"]
            if failures and name == "nursing-nb":
                _print_failures(ours["per"], queries, results)
    print(f"[{name}] done in {time.perf_counter() - t0:.1f} s")
    engine.close()
    return rows, by_type


PLAIN_NAME = {"lexical": "BM25F", "dense": "e5", "hybrid": "RRF"}
NO_MATCH = REPO / "bench" / "data" / "no-match-queries.txt"
RUN_TAG = ""  # --tag, as a prefix of the run files' names
CHECKS: list[list] = []  # dataset, mode, share of its queries with no good hit, of no-match queries, rewritten


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
    ap.add_argument("--datasets", default="nursing-nb,norquad,liveqa-sub")
    ap.add_argument("--failures", action="store_true", help="list nursing-nb queries that miss a target")
    ap.add_argument("--lexical-only", action="store_true",
                    help="build without embeddings and score lexical search only (large corpora, quick)")
    ap.add_argument("--tag", default="", help="name this run's files in bench/out (run-TAG-…)")
    args = ap.parse_args()
    global RUN_TAG
    RUN_TAG = f"{args.tag}-" if args.tag else ""
    OUT.mkdir(parents=True, exist_ok=True)
    rows, types = [], {}
    for name in args.datasets.split(","):
        r, by_type = evaluate(name, failures=args.failures, lexical_only=args.lexical_only)
        rows += r
        if name == "nursing-nb":
            types = by_type
    print(f"\n{time.strftime('%Y-%m-%d')} · {machine()}")
    if types:
        print(table(["nursing-nb type", "nDCG@10"], [[t, v] for t, v in sorted(types.items())]))
    print(table(["dataset", "mode", "nDCG@10", "R@10", "MRR@10", "VAR-first", "plain", "nDCG@10", "R@10",
                 "MRR@10", "VAR-first", "Δ nDCG"], rows))
    print(table(["dataset", "mode", "queries with no good hit", "no-match queries caught", "queries rewritten"],
                CHECKS))


if __name__ == "__main__":
    main()
