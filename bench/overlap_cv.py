"""Choosing the overlap detector's weights and thresholds by cross-validation on nursing-nb's dev pairs.

    python -m bench.overlap_cv        (needs bench/out/index-nursing-nb: run ``python -m bench.overlap`` once)

Why: thresholds tuned on all dev pairs scored F1 0.977 on them and 0.81–0.84 on the held-out pairs — they
fitted the pairs they were shown. Here every choice is made on some pairs and scored on others.

- **Signals** per (local, VAR) pair: semantic (document-embedding cosine), lexical (TF-IDF cosine over
  stems), title (TF-IDF cosine of titles), from ``index.cleanup.signals.pair_signals`` — the ones ``detect`` uses.
  Score = semantic + w_lex·lexical + w_title·title; a document's verdict is its best VAR procedure if the
  score reaches ``partial``.
- **Positives**: the dev VAR pairs (a duplicate pair is decided by the copy rule, not by these weights).
- **Negatives**: dev pairs only say what overlaps, so a lower threshold always looks better on them — the
  way the old tuning over-fitted. Each dev document is also scored with its VAR procedure taken out of the
  corpus ("ablation negative"): it should then come out local-only, and a verdict for it counts as a false
  positive. That puts the precision side of the threshold back into the choice.
- **Folds**: leave one topic out — a topic is a VAR procedure with every dev document that overlaps it, so
  near-identical copies of one procedure never sit on both sides. For each fold the grid point with the best
  F1 on the other folds is chosen (ties: the grid point nearest the middle of the tied range), then scored on
  the left-out topic. Pooled counts over the folds give the CV figures.
- **Confidence**: a logistic slope fitted on all positives and negatives (``OverlapPolicy.confidence_slope``).
"""

from __future__ import annotations

import itertools

import numpy as np

from bench.common import NURSING, OUT, machine, read_tsv, require_shared, table
from index import api
from index.cleanup import overlap, signals

W_LEX = (0.0, 0.3, 0.5, 0.7, 1.0, 1.5)
W_TITLE = (0.0, 0.1, 0.2, 0.3, 0.5)
W_MARGIN = (0.0, 0.25, 0.5, 1.0)
PARTIAL = tuple(np.round(np.arange(0.95, 1.20, 0.005), 3))


def _signals():
    engine = api.Engine(OUT / "index-nursing-nb")
    snap = engine.snapshot
    procs = [snap.procedure(i) for i in range(len(snap.docs))]
    matrix, chunk_table = snap.vectors()
    sig = signals.pair_signals(procs, analyzer=engine._searcher.analyzer, vectors=matrix.astype(np.float32),
                               chunk_table=chunk_table)
    ids = [p.doc_id for p in procs]
    engine.close()
    return sig, ids


def _cases(sig, ids):
    """(row in the signal matrices, gold column, topic) for every dev VAR pair."""
    row_of = {ids[r]: i for i, r in enumerate(sig["rows"])}
    col_of = {ids[c]: j for j, c in enumerate(sig["cols"])}
    out = []
    for r in read_tsv(NURSING / "overlaps-dev.tsv"):
        if r["kind"] != "duplicate" and r["doc_id"] in row_of:
            out.append((row_of[r["doc_id"]], col_of[r["overlaps_id"]], r["overlaps_id"]))
    return out


def _decision(s: np.ndarray, margin: float) -> float:
    """What ``partial`` is compared with: the best score plus ``margin`` × its lead over the runner-up
    (``index.cleanup.overlap.decision``)."""
    top = np.partition(s, len(s) - 2)[-2:]
    return float(top[1] + margin * (top[1] - top[0]))


def _cases_arrays(weights: tuple, score: np.ndarray, cases) -> np.ndarray:
    """Per case: (1 if its best VAR procedure is the right one, its decision value, the decision value with its
    VAR procedure removed — the ablation negative)."""
    out = []
    for row, gold, _ in cases:
        s = score[row]
        out.append((float(np.argmax(s) == gold), _decision(s, weights[2]),
                    _decision(np.delete(s, gold), weights[2])))
    return np.array(out).reshape(-1, 3)


def _counts(arr: np.ndarray, partial: float) -> tuple[int, int, int]:
    """(tp, fp, fn) at threshold ``partial`` over ``_cases_arrays`` rows: a verdict naming the wrong procedure
    is a false positive and a false negative; a verdict for an ablation negative a false positive."""
    right, d, neg = arr[:, 0] > 0, arr[:, 1] >= partial, arr[:, 2] >= partial
    tp = int((right & d).sum())
    return tp, int((~right & d).sum() + neg.sum()), len(arr) - tp


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _choose(arrays: dict, idx: np.ndarray) -> tuple:
    """The grid point with the best F1 on ``cases``: ties go to the middle of the best threshold range of the
    best weights (a margin on both sides rather than an edge)."""
    best, ties = -1.0, []
    for weights, arr in arrays.items():
        for partial in PARTIAL:
            f1 = _f1(*_counts(arr[idx], partial))[2]
            if f1 > best + 1e-9:
                best, ties = f1, [(weights, partial)]
            elif abs(f1 - best) <= 1e-9:
                ties.append((weights, partial))
    by_weights: dict[tuple, list] = {}
    for weights, partial in ties:
        by_weights.setdefault(weights, []).append(partial)
    # the widest range of tied thresholds, then the simplest weights
    weights, partials = max(by_weights.items(), key=lambda kv: (len(kv[1]), -kv[0][2], -kv[0][1]))
    return weights, float(np.median(partials)), best


def _slope(weights: tuple, score: np.ndarray, cases, partial: float) -> float:
    """Logistic slope k in 1/(1+exp(-k(d-partial))) by maximum likelihood over positives and negatives."""
    xs, ys = [], []
    for row, gold, _ in cases:
        xs.append(_decision(score[row], weights[2]) - partial)
        ys.append(1)
        xs.append(_decision(np.delete(score[row], gold), weights[2]) - partial)
        ys.append(0)
    x, y = np.array(xs), np.array(ys)
    grid = np.arange(2.0, 200.0, 1.0)
    ll = [np.sum(y * -np.log1p(np.exp(-k * x)) + (1 - y) * -np.log1p(np.exp(k * x))) for k in grid]
    return float(grid[int(np.argmax(ll))])


def main() -> None:
    require_shared()
    sig, ids = _signals()
    cases = _cases(sig, ids)
    scores = {(wl, wt, wm): sig["semantic"] + wl * sig["lexical"] + wt * sig["title"]
              for wl, wt, wm in itertools.product(W_LEX, W_TITLE, W_MARGIN)}
    arrays = {w: _cases_arrays(w, score, cases) for w, score in scores.items()}
    topic_of = np.array([t for *_, t in cases])
    topics = sorted({t for *_, t in cases})
    rows, pooled, positives = [], np.zeros(3, int), np.zeros(3, int)
    for topic in topics:
        train, test = np.flatnonzero(topic_of != topic), np.flatnonzero(topic_of == topic)
        weights, partial, train_f1 = _choose(arrays, train)
        counts = np.array(_counts(arrays[weights][test], partial))
        pooled += counts
        no_neg = arrays[weights][test].copy()
        no_neg[:, 2] = -np.inf
        positives += _counts(no_neg, partial)
        rows.append([topic, len(test), *weights, partial, train_f1, *counts.tolist()])
    print(table(["left-out topic", "pairs", "w_lex", "w_title", "w_margin", "partial", "train F1", "tp", "fp",
                 "fn"], rows))
    p, r, f1 = _f1(*pooled.tolist())
    print(f"\n{machine()} · nursing-nb dev: {len(cases)} VAR pairs in {len(topics)} topics, "
          f"{len(cases)} ablation negatives")
    print(table(["leave-one-topic-out (pooled over folds)", "precision", "recall", "F1"],
                [["dev pairs + ablation negatives", p, r, f1],
                 ["dev pairs only (as bench/overlap.py scores)", *_f1(*positives.tolist())]]))
    weights, partial, f1_all = _choose(arrays, np.arange(len(cases)))
    slope = _slope(weights, scores[weights], cases, partial)
    print(f"\nchosen on all dev pairs: lexical_weight={weights[0]} title_weight={weights[1]} "
          f"margin_weight={weights[2]} partial={partial:.4f} (dev F1 incl. ablation negatives {f1_all:.3f}); "
          f"confidence_slope={slope}")
    policy = overlap.OverlapPolicy()
    now = (policy.lexical_weight, policy.title_weight, policy.margin_weight)
    if now in scores:
        print(f"OverlapPolicy now: {now} partial={policy.partial}: P/R/F1 on dev incl. ablation negatives "
              f"{'/'.join(f'{v:.3f}' for v in _f1(*_counts(arrays[now], policy.partial)))}")


if __name__ == "__main__":
    main()
