"""Overlap detection: which local and regional procedures cover the same task as a VAR procedure.

"VAR AS IS" means a local procedure that repeats a VAR procedure is a candidate for phase-out. At build time
every non-VAR document is compared with every VAR document (and with the other non-VAR documents, for local
duplicates) on semantic, lexical and title similarity (``index.cleanup.signals``: the signals and the
candidate search). This module is the decision model on top: the policy (weights and thresholds), the verdict
per document, its 0–1 confidence, and what an update may reuse. Evidence (section pairs, shared terms, the
sections VAR does not cover: ``index.cleanup.evidence``) is computed only for the pairs kept. Each document gets
one verdict — its primary overlap, or none ("local only — keep") — and the runner-up VAR procedures above the
partial threshold are kept as alternatives. Without vectors (lexical-only snapshot) the lexical signal alone is
used, with its own thresholds.

**Updates.** A full computation at 17 000 documents takes about a minute (the all-pairs products), so each
snapshot also stores what the next build reuses (``CACHE``): every document's stem counts (text and title),
the IDF in force, and each non-VAR document's candidate lists (its ``candidates`` best VAR procedures and
other documents, with scores). An update then

- analyses only new and changed documents; unchanged ones keep their counts, hence their TF-IDF rows;
- computes the candidate lists of new and changed documents, and of unchanged ones that had a changed or
  removed document among their candidates (their next best is not known);
- for every other document, merges its candidates with the scores of the new and changed documents (one
  product of those rows with the corpus; the cosines are symmetric). If none enters, the document's overlap
  records are kept as the previous snapshot has them, else they are computed again.

A document's records depend only on its candidate lists and on the two documents of each pair, so with the
same IDF an update gives exactly what a full computation would. **IDF drift:** the IDF is the one of the last
full computation (a stem first seen since gets the IDF its document frequency would have had in that corpus),
so an update differs from a full recompute only as far as the corpus has changed since. Once the documents
added plus removed since then (a changed one counts as both) pass ``refresh`` (5 %) of that corpus, the IDF is
refreshed and everything recomputed; so it is after a policy change, a switch between lexical-only and hybrid,
a change to the analysis, and in a ``build(full=True)``. On the 17 000-document synthetic region, after a
50-document update 5 of 13 774 verdicts differed from a full recompute, each a tie or a threshold crossing
within 0.0002 (bench/overlap_incremental.py).
"""

from __future__ import annotations

import json
import logging
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np

from index.analysis.analyzer import Analyzer
from index.cleanup.evidence import Evidence
from index.cleanup.signals import Candidates, Terms, clean_title, doc_vectors, dot
from index.records import Overlap, Procedure, Tier

log = logging.getLogger(__name__)

CACHE = "overlap-cache.npz"  # in each snapshot: what the next update reuses
_CACHE_FORMAT = 1  # bump when the cache layout changes
# Analysed when the cache is written and when it is read: if the analysis has changed, counts are not reused.
_PROBE = "Kateteret skiftes hjå pasientar (NEWS2 ≥ 5) før trykksårforebygging – hvordan gjøre det?"


@dataclass(frozen=True)
class OverlapPolicy:
    """Weights and thresholds, chosen by leave-one-topic-out cross-validation on ``nursing-nb/overlaps-dev.tsv``
    (bench/overlap_cv.py: how, and the validated figures; docs/benchmarks.md)."""

    lexical_weight: float = 0.7
    full: float = 1.18  # decision value from which a local document repeats a VAR procedure
    partial: float = 1.1525  # decision value from which it shares part of the task
    # lexical-only snapshots (no embeddings): thresholds on the lexical cosine alone
    full_lexical: float = 0.30
    partial_lexical: float = 0.22
    duplicate_title: float = 0.70  # local pairs with titles this alike ...
    duplicate_score: float = 1.00  # ... and content this alike are copies of one another
    title_weight: float = 0.3  # weight of the title TF-IDF cosine in the score
    margin_weight: float = 0.5  # weight of the best VAR procedure's lead over the runner-up in the decision
    confidence_slope: float = 33.0  # logistic slope of ``confidence`` around ``partial`` (fitted on dev)
    candidates: int = 3  # VAR neighbours looked at per document
    block: int = 2048  # rows per matrix-product block (memory bound)
    refresh: float = 0.05  # share of documents added + removed since the last full computation: refresh IDF


@dataclass(frozen=True)
class Previous:
    """What the serving snapshot leaves for an update."""

    folder: Path
    overlaps: Sequence[Overlap]
    rows: Sequence[int | None]  # per document now: its index in that snapshot if unchanged, else None
    documents: int  # documents in that snapshot


@dataclass
class _State:
    """One detection's reusable work (see the module docstring), saved as ``CACHE`` in its snapshot."""

    body: Terms
    title: Terms
    lists: dict[str, np.ndarray]  # var_i, var_s, dup_i, dup_s: candidates (doc idx, -1 = none) and scores
    key: str  # what the lists depend on: policy and signals
    base: int  # documents at the last full computation
    drift: int  # documents added plus removed since
    analysis: str  # the probe text's terms: what the counts depend on

    def save(self, folder: Path) -> None:
        meta = json.dumps({"format": _CACHE_FORMAT, "key": self.key, "base": self.base, "drift": self.drift,
                           "analysis": self.analysis})
        arrays = {"meta": np.frombuffer(meta.encode(), np.uint8), **self.body.arrays("body"),
                  **self.title.arrays("title"), **self.lists}
        np.savez(folder / CACHE, **arrays)  # type: ignore[arg-type]  # numpy's stub types **kwds as allow_pickle

    @classmethod
    def load(cls, folder: Path, documents: int, analysis: str) -> _State | None:
        path = folder / CACHE
        if not path.exists():
            return None
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(z["meta"].tobytes())
                if meta.get("format") != _CACHE_FORMAT or meta.get("analysis") != analysis:
                    return None
                state = cls(Terms.from_arrays(z, "body"), Terms.from_arrays(z, "title"),
                            {k: z[k] for k in ("var_i", "var_s", "dup_i", "dup_s")},
                            meta["key"], int(meta["base"]), int(meta["drift"]), analysis)
        except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
            log.warning("%s unreadable, overlaps computed in full: %s", path, exc)
            return None
        if state.body.counts.shape[0] != documents or state.lists["var_i"].shape[0] != documents:
            log.warning("%s does not match its snapshot, overlaps computed in full", path)
            return None
        return state


@dataclass(frozen=True)
class Detection:
    """The overlaps found, whether they were computed in full, and the state the next update reuses."""

    overlaps: list[Overlap]
    full: bool
    recomputed: int  # non-VAR documents whose records were computed (the others' kept from the previous one)
    state: _State | None = field(default=None, repr=False)
    evidence: Evidence | None = field(default=None, repr=False)

    def save(self, folder: Path) -> None:
        """Write the state for the next update into the snapshot folder being built."""
        if self.state is not None:
            self.state.save(folder)

    def uncovered(self, doc_id: str, var_id: str) -> tuple[int, ...]:
        """The section numbers of ``doc_id`` with no counterpart in ``var_id`` — the same matching as
        ``Overlap.additions``, for any pair (a «Lokalt tillegg» decision may name a VAR procedure the detector
        did not pair it with). () when either document is unknown."""
        if self.evidence is None:
            return ()
        return self.evidence.uncovered(doc_id, var_id)


def _key(policy: OverlapPolicy, hybrid: bool) -> str:
    relevant = {f.name: getattr(policy, f.name) for f in fields(policy) if f.name not in ("block", "refresh")}
    return json.dumps({**relevant, "hybrid": hybrid}, sort_keys=True)


def decision(scores: Sequence[float], margin_weight: float) -> float:
    """What a document's verdict is decided on: its best VAR procedure's score plus ``margin_weight`` × the
    lead over the runner-up. A local copy of one procedure stands out from the rest; a document that only shares
    vocabulary with a few procedures (wound care, hygiene) scores them all alike."""
    best = scores[0] if len(scores) else -np.inf
    second = scores[1] if len(scores) > 1 and np.isfinite(scores[1]) else best
    return float(best + margin_weight * (best - second)) if np.isfinite(best) else -np.inf


def confidence(score: float, policy: OverlapPolicy, *, hybrid: bool = True) -> float:
    """The 0–1 confidence shown to the team: a logistic of the score around the partial threshold,
    ``1 / (1 + exp(-slope · (score − partial)))``. 0.5 is the decision threshold itself; the slope is fitted
    on the dev pairs (bench/overlap_cv.py), so the figure reads as an estimated chance the pair holds."""
    partial = policy.partial if hybrid else policy.partial_lexical
    slope = policy.confidence_slope if hybrid else policy.confidence_slope * 2
    return float(1.0 / (1.0 + np.exp(-slope * (score - partial))))


def detect(procs: Sequence[Procedure], *, analyzer: Analyzer, vectors: np.ndarray | None = None,
           chunk_table: np.ndarray | None = None, policy: OverlapPolicy = OverlapPolicy()) -> list[Overlap]:
    """All overlaps among ``procs``, computed in full (indexed like the snapshot: chunk_table rows hold
    (doc idx, section idx))."""
    return update(procs, analyzer=analyzer, vectors=vectors, chunk_table=chunk_table, policy=policy).overlaps


def update(procs: Sequence[Procedure], *, analyzer: Analyzer, vectors: np.ndarray | None = None,
           chunk_table: np.ndarray | None = None, policy: OverlapPolicy = OverlapPolicy(),
           previous: Previous | None = None) -> Detection:
    """The overlaps among ``procs``, reusing ``previous`` where the module docstring says it may."""
    n = len(procs)
    if n == 0:
        return Detection([], full=True, recomputed=0)
    doc_vecs = doc_vectors(n, vectors, chunk_table)
    key = _key(policy, doc_vecs is not None)
    analysis = "|".join(analyzer.terms(_PROBE))
    state = _State.load(previous.folder, previous.documents, analysis) if previous is not None else None
    rows = np.full(n, -1, np.int64)
    changes = 0
    if state is not None and previous is not None:  # (a state is only loaded from a previous snapshot)
        rows = np.array([-1 if r is None else r for r in previous.rows], np.int64)
        changes = int((rows < 0).sum()) + previous.documents - int((rows >= 0).sum())
    body = Terms.gather(lambda i: f"{procs[i].title} {' '.join(procs[i].keywords)} {procs[i].text}", rows,
                         analyzer, state.body if state is not None else None)
    title = Terms.gather(lambda i: clean_title(procs[i].title), rows, analyzer,
                         state.title if state is not None else None)
    incremental = (state is not None and previous is not None and state.key == key
                   and state.drift + changes <= policy.refresh * state.base)
    if incremental:
        assert state is not None  # (for the type checker: incremental implies a state and a previous snapshot)
        body.extend_idf(state.body, state.base)
        title.extend_idf(state.title, state.base)
    else:
        body.refresh_idf()
        title.refresh_idf()
    tfidf, titles = body.weighted(), title.weighted()
    ev = Evidence(procs, tfidf, body.terms, vectors, chunk_table, analyzer=analyzer, idf=body.idf)
    if doc_vecs is None:
        weight, full, partial = 1.0, policy.full_lexical, policy.partial_lexical
    else:
        weight, full, partial = policy.lexical_weight, policy.full, policy.partial
    is_var = np.array([p.tier == Tier.VAR for p in procs], bool)
    signals = dict(dense=doc_vecs, lex=tfidf, weight=weight, titles=titles,
                   title_weight=policy.title_weight if doc_vecs is not None else 0.0)
    cand = Candidates(is_var, policy.candidates, policy.block, signals)
    if incremental:
        assert state is not None and previous is not None
        redo = cand.update(state.lists, rows, previous.documents)
    else:
        redo = ~is_var
        cand.search(np.flatnonzero(redo))
    lists = cand.lists
    dup_floor = policy.duplicate_score if doc_vecs is not None else full

    def pair(a: int, b: int, kind: str, score: float, primary: bool) -> Overlap:
        semantic = float(doc_vecs[a] @ doc_vecs[b]) if doc_vecs is not None else 0.0
        sections, additions = ev.sections(a, b)
        return Overlap(doc_id=procs[a].doc_id, other_id=procs[b].doc_id, kind=kind, score=round(score, 4),
                       semantic=round(semantic, 4), lexical=round(dot(tfidf, a, b), 4),
                       title=round(dot(titles, a, b), 4), primary=primary,
                       shared_terms=ev.shared_terms(a, b), sections=sections, additions=additions)

    def records(a: int) -> list[Overlap]:
        out, verdict = [], None
        for b, s in zip(lists["dup_i"][a].tolist(), lists["dup_s"][a].tolist(), strict=True):
            # Of two copies, the superseded or older one is the duplicate of the other.
            if (b >= 0 and s >= dup_floor and dot(titles, a, b) >= policy.duplicate_title
                    and _older(procs[a], procs[b])):
                verdict = pair(a, b, "duplicate", s, True)
                break
        var_i, var_s = lists["var_i"][a].tolist(), lists["var_s"][a].tolist()
        d = decision(var_s, policy.margin_weight if doc_vecs is not None else 0.0)
        for rank, (b, s) in enumerate(zip(var_i, var_s, strict=True)):
            if b < 0 or d < partial or (rank and s < partial):
                break
            # the verdict carries the decision value (its confidence); an alternative its own score
            value = d if rank == 0 else s
            out.append(pair(a, b, "full" if value >= full else "partial", value, primary=verdict is None))
            verdict = verdict or out[-1]
        if verdict is not None and verdict.kind == "duplicate":
            out.append(verdict)
        return out

    kept: dict[str, list[Overlap]] = defaultdict(list)
    if incremental:
        assert previous is not None
        for o in previous.overlaps:
            kept[o.doc_id].append(o)
    out: list[Overlap] = []
    for a in np.flatnonzero(~is_var).tolist():
        out.extend(records(a) if redo[a] else kept.get(procs[a].doc_id, ()))
    recomputed = int(redo.sum())
    if incremental:
        assert state is not None
        log.info("overlaps: %d pairs among %d documents; %d documents recomputed, the rest kept (%d added or "
                 "removed since the last full computation)", len(out), n, recomputed, state.drift + changes)
    else:
        log.info("overlaps: %d pairs among %d documents (full computation)", len(out), n)
    base, drift = (state.base, state.drift + changes) if incremental and state is not None else (n, 0)
    new_state = _State(body, title, lists, key, base, drift, analysis)
    return Detection(out, full=not incremental, recomputed=recomputed, state=new_state, evidence=ev)


def _older(a: Procedure, b: Procedure) -> bool:
    if (a.status == "superseded") != (b.status == "superseded"):
        return a.status == "superseded"
    if a.revised and b.revised and a.revised != b.revised:
        return a.revised < b.revised
    return a.doc_id > b.doc_id  # a stable tie-break so each pair is reported once
