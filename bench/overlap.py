"""Overlap detection quality and speed on nursing-nb: precision, recall, F1 against overlaps-dev.tsv.

    python -m bench.overlap [--sweep]

Only each document's primary verdict counts (one pair per document, as in the judgments); a duplicate pair
counts in either direction. Dev pairs cover half of the corpus's overlaps; the other half is held out, so a
predicted pair whose document has no dev judgment is neither right nor wrong here and is listed apart.
``--sweep`` prints F1 over a grid of thresholds (tune on dev only).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import numpy as np

from bench.common import NURSING, OUT, machine, read_tsv, require_shared, table
from index import api
from index.cleanup import overlap


def _gold() -> dict[str, tuple[str, str]]:
    return {r["doc_id"]: (r["overlaps_id"], r["kind"]) for r in read_tsv(NURSING / "overlaps-dev.tsv")}


def score(pairs: list[overlap.Overlap], gold: dict[str, tuple[str, str]]) -> dict:
    predicted = {p.doc_id: (p.other_id, p.kind) for p in pairs if p.primary}
    gold_pairs = {frozenset((d, o)) if k == "duplicate" else (d, o) for d, (o, k) in gold.items()}

    def key(d, o, k):
        return frozenset((d, o)) if k == "duplicate" else (d, o)

    judged = {d: v for d, v in predicted.items() if d in gold or (v[1] == "duplicate" and v[0] in gold)}
    tp = sum(1 for d, (o, k) in judged.items() if key(d, o, k) in gold_pairs)
    kind_ok = sum(1 for d, (o, k) in judged.items() if d in gold and gold[d] == (o, k))
    precision = tp / len(judged) if judged else 0.0
    recall = tp / len(gold_pairs) if gold_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return dict(precision=precision, recall=recall, f1=f1, kind=kind_ok / max(1, len(gold)),
                unjudged=sorted(set(predicted) - set(judged)),
                missed=sorted(d for d in gold if key(d, *gold[d]) not in {key(a, *v) for a, v in judged.items()}),
                wrong=sorted(d for d, (o, k) in judged.items() if key(d, o, k) not in gold_pairs))


def main() -> None:
    require_shared()
    ap = argparse.ArgumentParser()
    ap.add_argument("--sweep", action="store_true")
    args = ap.parse_args()
    index_dir = OUT / "index-nursing-nb"
    api.build(index_dir, [("local", NURSING / "docs")])
    engine = api.Engine(index_dir)
    snap = engine.snapshot
    procs = [snap.procedure(i) for i in range(len(snap.docs))]
    analyzer = engine._searcher.analyzer
    matrix, chunk_table = snap.vectors()
    matrix = matrix.astype(np.float32)
    gold = _gold()

    t0 = time.perf_counter()
    pairs = overlap.detect(procs, analyzer=analyzer, vectors=matrix, chunk_table=chunk_table)
    seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    lex_pairs = overlap.detect(procs, analyzer=analyzer)
    lex_seconds = time.perf_counter() - t0
    rows = []
    for name, found, secs in (("hybrid", pairs, seconds), ("lexical only", lex_pairs, lex_seconds)):
        s = score(found, gold)
        rows.append([name, s["precision"], s["recall"], s["f1"], s["kind"], len(s["unjudged"]), f"{secs:.2f}"])
        print(f"[{name}] missed: {' '.join(s['missed']) or '-'} · wrong: {' '.join(s['wrong']) or '-'}")
        print(f"[{name}] predicted for documents without dev judgments: {' '.join(s['unjudged']) or '-'}")
    print(f"\n{time.strftime('%Y-%m-%d')} · {machine()} · nursing-nb ({len(procs)} documents), overlaps-dev")
    print(table(["signals", "precision", "recall", "F1", "kind acc.", "unjudged", "seconds"], rows))

    if args.sweep:
        grid = []
        for partial in (0.98, 1.0, 1.02, 1.03, 1.04, 1.05):
            for weight in (0.3, 0.5, 0.7):
                policy = replace(overlap.OverlapPolicy(), partial=partial, lexical_weight=weight)
                s = score(overlap.detect(procs, analyzer=analyzer, vectors=matrix, chunk_table=chunk_table,
                                         policy=policy), gold)
                grid.append([partial, weight, s["precision"], s["recall"], s["f1"], len(s["unjudged"])])
        print(table(["partial", "lex weight", "P", "R", "F1", "unjudged"], grid))
    engine.close()


if __name__ == "__main__":
    main()
