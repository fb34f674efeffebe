"""Ranking parameters against all three sets at once: one objective, cross-checked set by set.

    python -m bench.tune [--datasets nursing-nb,norquad,liveqa-sub] [--grid fusion|policy|fields|all]

Each query's evidence (lexical and dense scores, ``Searcher.evidence``) is computed once per index; the
ranking stages (fusion, source priority, grouping) then run in-process for every parameter set, scored with
the acceptance scorer's own function (``../shared/eval/score.py``). Field weights change the lexical scores
themselves, so the ``fields`` grid (BM25F's length normalisation b per field) re-runs the lexical side
(milliseconds a query); ``--mode lexical`` scores lexical search alone (LiveQA-Med's full corpus has no vectors:
``--datasets nursing-nb,norquad,liveqa-med --mode lexical``).

The objective is the mean over the sets of hybrid nDCG@10, with nursing-nb's R@10, MRR@10 and VAR-first
added as constraints (a parameter set that loses on any of them against the shipped one is marked). A
parameter tuned on one set must not lose on the others: the table prints every set's figures per candidate.
The indexes are bench/quality.py's (run it first).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import importlib.util
import itertools
import json
import pickle
import time

import numpy as np

from bench.common import EVAL, OUT, REPO, machine, require_shared, table
from bench.quality import _dataset
from index import api
from index.search import lexical
from index.search.ranking import Fusion, SourcePriority, VariantGrouping

# The modules whose code decides a query's evidence (a change to any of them invalidates the cache).
EVIDENCE_CODE = ("search/searcher.py", "search/lexical.py", "search/dense.py", "analysis/analyzer.py",
                 "analysis/synonyms.py", "analysis/spelling.py", "analysis/nynorsk.py", "embed/model.py")


class _QueryVectors:
    """The model's query vectors, kept on disk by text: a change to the ranking code re-runs the evidence
    without embedding every question again (the model and its files are part of the key)."""

    def __init__(self, embedder):
        self.embedder = embedder
        key = hashlib.sha256(str(embedder.path).encode())
        for f in sorted(p for p in embedder.path.iterdir() if p.is_file()):
            key.update(f"{f.name}{f.stat().st_size}{f.stat().st_mtime_ns}".encode())
        self.file = OUT / f"query-vectors-{key.hexdigest()[:12]}.pkl"
        self.vectors = pickle.loads(self.file.read_bytes()) if self.file.exists() else {}

    def encode_queries(self, texts: list[str]):
        missing = [t for t in texts if t not in self.vectors]
        if missing:
            self.vectors.update(zip(missing, self.embedder.encode_queries(missing), strict=True))
        return np.stack([self.vectors[t] for t in texts])

    def save(self) -> None:
        self.file.write_bytes(pickle.dumps(self.vectors))


def _scorer():
    spec = importlib.util.spec_from_file_location("acceptance_score", EVAL / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Set:
    """One dataset's engine, qrels, tiers and per-query evidence."""

    def __init__(self, name: str, scorer, mode: str = "hybrid"):
        _, qrels, docs_dir, queries, _ = _dataset(name)
        self.name, self.scorer, self.mode = name, scorer, mode
        folder = OUT / f"index-{name}"
        if mode == "lexical" and not folder.exists():
            folder = OUT / f"index-{name}-lexical"  # bench/quality.py --lexical-only
        self.engine = api.Engine(folder)
        if mode != "lexical":
            self.engine.load_model()
        self.searcher = self.engine._searcher
        if self.searcher.embedder is not None:
            self.searcher.embedder = _QueryVectors(self.searcher.embedder)
        self.queries = queries
        self.qrels = scorer.load_qrels(qrels)
        self.tiers = scorer.tiers(docs_dir)
        self.today = dt.date(2026, 12, 3)
        self.evidence = self._evidence(folder)

    def _evidence(self, folder) -> dict:
        """Each query's evidence, cached under bench/out per snapshot, mode and the code that computes it."""
        h = hashlib.sha256(json.dumps(self.searcher.snapshot.manifest, sort_keys=True).encode())
        for module in EVIDENCE_CODE:
            h.update((REPO / "index" / module).read_bytes())
        h.update(self.mode.encode())
        cache = OUT / f"evidence-{self.name}-{h.hexdigest()[:16]}.pkl"
        if cache.exists():
            return pickle.loads(cache.read_bytes())
        evidence = {q: self.searcher.evidence(t, mode=self.mode) for q, t, _ in self.queries}
        if isinstance(self.searcher.embedder, _QueryVectors):
            self.searcher.embedder.save()
        cache.write_bytes(pickle.dumps(evidence))
        return evidence

    def relex(self) -> None:
        """Recompute the lexical side after a change of field weights (the dense side stays)."""
        self.searcher.lexical._term_postings.cache_clear()
        self.searcher.lexical._fields.clear()
        for q in self.evidence:
            ev = self.evidence[q]
            lex, coverage = self.searcher._lexical(ev.concepts)
            self.evidence[q] = dataclasses.replace(ev, lexical=lex, coverage=coverage)

    def score(self, *, fusion: Fusion, policy: SourcePriority, grouping: VariantGrouping) -> dict:
        s = self.searcher
        s.fusion, s.policy, s.grouping = fusion, policy, grouping
        docs = s.snapshot.docs
        run = {}
        for q, ev in self.evidence.items():
            ranked, _ = s.rank(ev, self.today)
            run[q] = [docs[c.idx].doc_id for c in ranked[:100]]
        summary, _ = self.scorer.score(run, self.qrels, self.tiers)
        return summary


def main() -> None:
    require_shared()
    ap = argparse.ArgumentParser()
    ap.add_argument("--datasets", default="nursing-nb,norquad,liveqa-sub")
    ap.add_argument("--grid", default="fusion", choices=("fusion", "policy", "fields"))
    ap.add_argument("--mode", default="hybrid", choices=("lexical", "hybrid"))
    args = ap.parse_args()
    scorer = _scorer()
    t0 = time.perf_counter()
    sets = [Set(n, scorer, args.mode) for n in args.datasets.split(",")]
    print(f"evidence for {sum(len(s.queries) for s in sets)} queries in {time.perf_counter() - t0:.0f} s")
    base = dict(fusion=Fusion(), policy=SourcePriority(), grouping=VariantGrouping())
    grid: list[tuple[str, dict]] = [("shipped", base)]
    if args.grid == "fusion":
        for lw, coord, power in itertools.product((0.55, 0.6, 0.65), (0.0, 0.25, 0.5), (1.0, 2.0, 2.25, 2.5, 3.0)):
            f = Fusion(lexical_weight=lw, coord_power=coord, dense_power=power)
            grid.append((f"lex {lw} coord {coord} dense power {power}", {**base, "fusion": f}))
    elif args.grid == "policy":
        for bonus, ratio in itertools.product((0.15, 0.2, 0.25, 0.3, 0.35), (0.5, 0.7, 0.9)):
            p = SourcePriority(bonus={"var": bonus, "regional": bonus * 0.4, "local": 0.0})
            grid.append((f"bonus {bonus} ratio {ratio}", {**base, "policy": p,
                                                          "grouping": VariantGrouping(partial_ratio=ratio)}))
    rows = []
    if args.grid == "fields":
        shipped_b = dict(lexical.FIELD_B)
        for title_b, keywords_b, body_b in itertools.product((0.0, 0.3, 0.5, 0.75), (0.0, 0.3, 0.75),
                                                             (0.6, 0.75, 0.85)):
            lexical.FIELD_B.clear()
            lexical.FIELD_B.update(title=title_b, keywords=keywords_b, body=body_b)
            for s in sets:
                s.relex()
            rows.append(_row(f"b: title {title_b} keywords {keywords_b} body {body_b}", sets, base))
        lexical.FIELD_B.clear()
        lexical.FIELD_B.update(shipped_b)
    else:
        rows = [_row(label, sets, params) for label, params in grid]
    rows.sort(key=lambda r: -r[1])
    headers = ["parameters", "mean nDCG"] + [f"{s.name} {m}" for s in sets for m in ("nDCG", "R@10", "MRR", "VF")]
    print(f"\n{dt.date.today()} · {machine()} · grid {args.grid}")
    print(table(headers, rows[:25]))


def _row(label: str, sets: list[Set], params: dict) -> list:
    scores = [s.score(**params) for s in sets]
    row = [label, sum(sc["ndcg"] for sc in scores) / len(scores)]
    for sc in scores:
        row += [sc["ndcg"], sc["recall"], sc["mrr"], sc["varfirst"]]
    return row


if __name__ == "__main__":
    main()
