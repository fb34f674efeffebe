"""Overlap detection: which local and regional procedures cover the same task as a VAR procedure.

"VAR AS IS" means a local procedure that repeats a VAR procedure is a candidate for phase-out. At build time
every non-VAR document is compared with every VAR document (and with the other non-VAR documents, for local
duplicates) using two signals that complement each other:

- **semantic**: cosine of the whole-document embeddings (language-independent: a nynorsk routine finds its
  bokmål VAR procedure);
- **lexical**: TF-IDF cosine over Norwegian stems (shared clinical vocabulary, robust where embeddings of long
  documents blur).

``score = semantic + LEXICAL_WEIGHT * lexical``. Candidates come from blockwise matrix products with a top-k per
row (no all-pairs Python loops). Evidence (section pairs, shared terms, title similarity) is computed only for
the pairs kept. Each document gets one verdict — its primary overlap, or none ("local only — keep") — and the
runner-up VAR procedures above the partial threshold are kept as alternatives. Without vectors (lexical-only
snapshot) the lexical signal alone is used, with its own thresholds.

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
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np
from scipy import sparse

from index.analysis import Analyzer
from index.overlap_evidence import Evidence, row_of
from index.records import Overlap, Procedure

log = logging.getLogger(__name__)

CACHE = "overlap-cache.npz"  # in each snapshot: what the next update reuses
_CACHE_FORMAT = 1  # bump when the cache layout changes
# Analysed when the cache is written and when it is read: if the analysis has changed, counts are not reused.
_PROBE = "Kateteret skiftes hjå pasientar (NEWS2 ≥ 5) før trykksårforebygging – hvordan gjøre det?"
_PARENTHESIS = re.compile(r"\([^)]*\)")


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


def _clean_title(title: str) -> str:
    return _PARENTHESIS.sub(" ", title)


class _Terms:
    """Stem counts per document (CSR) over a vocabulary, and one IDF per stem."""

    def __init__(self, counts: sparse.csr_matrix, terms: list[str], idf: np.ndarray | None = None):
        self.counts, self.terms, self.idf = counts, terms, idf

    @classmethod
    def gather(cls, text: Callable[[int], str], rows: np.ndarray, analyzer: Analyzer,
               prev: _Terms | None) -> _Terms:
        """Counts of every document: from ``prev`` for unchanged ones (``rows[i]`` is their row there),
        analysed for the rest. New stems are appended, so ``prev``'s columns keep their meaning."""
        n = len(rows)
        terms = list(prev.terms) if prev is not None else []
        vocab = {t: c for c, t in enumerate(terms)}
        todo = np.flatnonzero(rows < 0) if prev is not None else np.arange(n)
        r, c, v = [], [], []
        for j, i in enumerate(todo):
            counts = Counter(vocab.setdefault(t, len(vocab)) for t in analyzer.terms(text(i)))
            r.extend([j] * len(counts))
            c.extend(counts)
            v.extend(counts.values())
        width = max(1, len(vocab), prev.counts.shape[1] if prev is not None else 0)
        counts = sparse.csr_matrix((np.asarray(v, np.float32), (r, c)), shape=(len(todo), width))
        if prev is not None:
            kept = np.flatnonzero(rows >= 0)
            old = prev.counts[rows[kept]]
            old.resize(len(kept), width)
            order = np.empty(n, np.int64)
            order[np.concatenate([kept, todo])] = np.arange(n)
            counts = sparse.vstack([old, counts], format="csr")[order]
        counts.sort_indices()
        return cls(counts, list(vocab))

    def refresh_idf(self) -> None:
        """Smooth IDF over the documents now; stems no document has any more are dropped."""
        df = np.bincount(self.counts.indices, minlength=self.counts.shape[1])
        keep = np.flatnonzero(df[:len(self.terms)] > 0)
        if 0 < len(keep) < self.counts.shape[1]:
            self.counts = self.counts[:, keep].tocsr()
            self.counts.sort_indices()
            self.terms, df = [self.terms[c] for c in keep], df[keep]
        self.idf = np.log((1 + self.counts.shape[0]) / (1 + df)).astype(np.float32)

    def extend_idf(self, prev: _Terms, base: int) -> None:
        """``prev``'s IDF for the stems it knows; a new stem gets the one it would have had among ``base``."""
        df = np.bincount(self.counts.indices, minlength=self.counts.shape[1])
        self.idf = np.log((1 + base) / (1 + df)).astype(np.float32)
        self.idf[:len(prev.terms)] = prev.idf[:len(prev.terms)]

    def weighted(self) -> sparse.csr_matrix:
        """L2-normalised TF-IDF rows (sublinear tf)."""
        m = self.counts.copy()
        m.data = (1.0 + np.log(m.data)) * self.idf[m.indices]
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        return (sparse.diags(1.0 / np.maximum(norms, 1e-9)).astype(np.float32) @ m).tocsr()

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        c = self.counts
        small = not c.nnz or c.data.max() < 2**16
        return {f"{prefix}_indptr": c.indptr, f"{prefix}_indices": c.indices,
                f"{prefix}_shape": np.array(c.shape), f"{prefix}_idf": self.idf,
                f"{prefix}_counts": c.data.astype(np.uint16) if small else c.data,
                f"{prefix}_terms": np.frombuffer("\n".join(self.terms).encode(), np.uint8)}

    @classmethod
    def from_arrays(cls, z, prefix: str) -> _Terms:
        counts = sparse.csr_matrix((z[f"{prefix}_counts"].astype(np.float32), z[f"{prefix}_indices"],
                                    z[f"{prefix}_indptr"]), shape=tuple(z[f"{prefix}_shape"]))
        text = z[f"{prefix}_terms"].tobytes().decode()
        return cls(counts, text.split("\n") if text else [], z[f"{prefix}_idf"])


@dataclass
class _State:
    """One detection's reusable work (see the module docstring), saved as ``CACHE`` in its snapshot."""

    body: _Terms
    title: _Terms
    lists: dict[str, np.ndarray]  # var_i, var_s, dup_i, dup_s: candidates (doc idx, -1 = none) and scores
    key: str  # what the lists depend on: policy and signals
    base: int  # documents at the last full computation
    drift: int  # documents added plus removed since
    analysis: str  # the probe text's terms: what the counts depend on

    def save(self, folder: Path) -> None:
        meta = json.dumps({"format": _CACHE_FORMAT, "key": self.key, "base": self.base, "drift": self.drift,
                           "analysis": self.analysis})
        np.savez(folder / CACHE, meta=np.frombuffer(meta.encode(), np.uint8), **self.body.arrays("body"),
                 **self.title.arrays("title"), **self.lists)

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
                state = cls(_Terms.from_arrays(z, "body"), _Terms.from_arrays(z, "title"),
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

    def save(self, folder: Path) -> None:
        """Write the state for the next update into the snapshot folder being built."""
        if self.state is not None:
            self.state.save(folder)


def _key(policy: OverlapPolicy, hybrid: bool) -> str:
    relevant = {f.name: getattr(policy, f.name) for f in fields(policy) if f.name not in ("block", "refresh")}
    return json.dumps({**relevant, "hybrid": hybrid}, sort_keys=True)


_row = row_of


def _dot(m: sparse.csr_matrix, a: int, b: int) -> float:
    (ia, va), (ib, vb) = _row(m, a), _row(m, b)
    _, pa, pb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
    return float(va[pa] @ vb[pb])


def _top_k(a_rows: np.ndarray, b_rows: np.ndarray, dense: np.ndarray | None, lex: sparse.csr_matrix,
           weight: float, k: int, block: int, exclude_self: bool, titles: sparse.csr_matrix | None = None,
           title_weight: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """For each row in ``a_rows`` the ``k`` best ``b_rows`` by the score (``_scores``): (indices, scores)."""
    k = min(k, len(b_rows) - (1 if exclude_self else 0))
    if k <= 0 or not len(a_rows):
        return np.zeros((len(a_rows), 0), int), np.zeros((len(a_rows), 0), np.float32)
    out_i, out_s = [], []
    for start in range(0, len(a_rows), block):
        rows = a_rows[start:start + block]
        s = _scores(rows, b_rows, dense=dense, lex=lex, weight=weight, titles=titles, title_weight=title_weight)
        if exclude_self:
            s[rows[:, None] == b_rows[None, :]] = -np.inf
        top = np.argpartition(-s, k - 1, axis=1)[:, :k]
        part = np.take_along_axis(s, top, axis=1)
        order = np.argsort(-part, axis=1)
        out_i.append(b_rows[np.take_along_axis(top, order, axis=1)])
        out_s.append(np.take_along_axis(part, order, axis=1))
    return np.vstack(out_i), np.vstack(out_s)


class _Candidates:
    """Every document's ``k`` best VAR procedures (``var``) and other non-VAR documents (``dup``), as index
    and score arrays; -1 (score -inf) pads a list and fills the rows of VAR documents."""

    def __init__(self, is_var: np.ndarray, k: int, block: int, signals: dict):
        n = len(is_var)
        self.is_var, self.k, self.block, self.signals = is_var, k, block, signals
        self.lists = {"var_i": np.full((n, k), -1, np.int32), "var_s": np.full((n, k), -np.inf, np.float32),
                      "dup_i": np.full((n, k), -1, np.int32), "dup_s": np.full((n, k), -np.inf, np.float32)}

    def search(self, rows: np.ndarray) -> None:
        """Compute the lists of ``rows`` against the whole corpus."""
        for kind, b_rows in (("var", np.flatnonzero(self.is_var)), ("dup", np.flatnonzero(~self.is_var))):
            i, s = _top_k(rows, b_rows, k=self.k, block=self.block, exclude_self=kind == "dup",
                          **self.signals)
            self.lists[f"{kind}_i"][rows] = -1
            self.lists[f"{kind}_s"][rows] = -np.inf
            self.lists[f"{kind}_i"][rows, :i.shape[1]] = i
            self.lists[f"{kind}_s"][rows, :s.shape[1]] = s

    def update(self, prev: dict[str, np.ndarray], rows: np.ndarray, documents: int) -> np.ndarray:
        """The lists after an update (see the module docstring), from ``prev``, the lists of the previous
        snapshot (``documents`` long; ``rows``: each document's index there, -1 if new or changed). True for
        the documents whose lists were computed or changed."""
        fresh = rows < 0
        kept = np.flatnonzero(~fresh)
        now = np.full(documents, -1, np.int64)
        now[rows[kept]] = kept
        lost = np.zeros(len(rows), bool)
        for kind in ("var", "dup"):
            old = prev[f"{kind}_i"][rows[kept]]
            mapped = np.where(old >= 0, now[np.maximum(old, 0)], -1)
            lost[kept] |= ((old >= 0) & (mapped < 0)).any(axis=1)
            self.lists[f"{kind}_i"][kept] = mapped
            self.lists[f"{kind}_s"][kept] = prev[f"{kind}_s"][rows[kept]]
        again = ~self.is_var & (fresh | lost)  # no next best known: search again
        self.search(np.flatnonzero(again))
        rest = np.flatnonzero(~self.is_var & ~again)
        for kind, cols in (("var", np.flatnonzero(fresh & self.is_var)),
                           ("dup", np.flatnonzero(fresh & ~self.is_var))):
            if not len(rest) or not len(cols):
                continue
            s = np.hstack([_scores(cols[i:i + self.block], rest, **self.signals).T
                           for i in range(0, len(cols), self.block)])
            ids = np.hstack([self.lists[f"{kind}_i"][rest], np.broadcast_to(cols, s.shape)])
            s = np.hstack([self.lists[f"{kind}_s"][rest], s])
            order = np.argsort(-s, axis=1, kind="stable")[:, :self.k]  # stable: a tie keeps the old candidate
            best = np.take_along_axis(ids, order, axis=1)
            again[rest[(best != self.lists[f"{kind}_i"][rest]).any(axis=1)]] = True
            self.lists[f"{kind}_i"][rest] = best
            self.lists[f"{kind}_s"][rest] = np.take_along_axis(s, order, axis=1)
        return again


def _scores(a_rows: np.ndarray, b_rows: np.ndarray, *, dense: np.ndarray | None, lex: sparse.csr_matrix,
            weight: float, titles: sparse.csr_matrix | None = None, title_weight: float = 0.0) -> np.ndarray:
    """semantic + weight·lexical + title_weight·title of every (a, b), dense ``len(a_rows) × len(b_rows)``."""
    s = weight * (lex[a_rows] @ lex[b_rows].T).toarray()
    if dense is not None:
        s += dense[a_rows] @ dense[b_rows].T
    if titles is not None and title_weight:
        s += title_weight * (titles[a_rows] @ titles[b_rows].T).toarray()
    return s


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


def pair_signals(procs: Sequence[Procedure], *, analyzer: Analyzer, vectors: np.ndarray | None,
                 chunk_table: np.ndarray | None) -> dict[str, np.ndarray]:
    """The three signals for every (non-VAR, VAR) pair, computed in full: ``semantic``, ``lexical``,
    ``title`` (matrices ``non-VAR × VAR``), with ``rows``/``cols`` the document indexes. For tuning
    (bench/overlap_cv.py), so the bench and ``detect`` score pairs from the same signals."""
    n = len(procs)
    rows = np.full(n, -1, np.int64)
    body = _Terms.gather(lambda i: f"{procs[i].title} {' '.join(procs[i].keywords)} {procs[i].text}", rows,
                         analyzer, None)
    title = _Terms.gather(lambda i: _clean_title(procs[i].title), rows, analyzer, None)
    body.refresh_idf()
    title.refresh_idf()
    tfidf, titles = body.weighted(), title.weighted()
    is_var = np.array([p.tier == "var" for p in procs], bool)
    a, b = np.flatnonzero(~is_var), np.flatnonzero(is_var)
    doc_vecs = _doc_vectors(n, vectors, chunk_table)
    return {"rows": a, "cols": b, "lexical": (tfidf[a] @ tfidf[b].T).toarray(),
            "title": (titles[a] @ titles[b].T).toarray(),
            "semantic": doc_vecs[a] @ doc_vecs[b].T if doc_vecs is not None else np.zeros((len(a), len(b)))}


def _doc_vectors(n: int, vectors: np.ndarray | None, chunk_table: np.ndarray | None) -> np.ndarray | None:
    if vectors is None or chunk_table is None or not len(chunk_table):
        return None
    whole = chunk_table[:, 1] < 0
    doc_vecs = np.zeros((n, vectors.shape[1]), np.float32)
    doc_vecs[chunk_table[whole, 0]] = vectors[whole]
    return doc_vecs


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
    doc_vecs = _doc_vectors(n, vectors, chunk_table)
    key = _key(policy, doc_vecs is not None)
    analysis = "|".join(analyzer.terms(_PROBE))
    state = _State.load(previous.folder, previous.documents, analysis) if previous is not None else None
    rows = np.full(n, -1, np.int64)
    changes = 0
    if state is not None:
        rows = np.array([-1 if r is None else r for r in previous.rows], np.int64)
        changes = int((rows < 0).sum()) + previous.documents - int((rows >= 0).sum())
    body = _Terms.gather(lambda i: f"{procs[i].title} {' '.join(procs[i].keywords)} {procs[i].text}", rows,
                         analyzer, state and state.body)
    title = _Terms.gather(lambda i: _clean_title(procs[i].title), rows, analyzer, state and state.title)
    incremental = (state is not None and state.key == key
                   and state.drift + changes <= policy.refresh * state.base)
    if incremental:
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
    is_var = np.array([p.tier == "var" for p in procs], bool)
    signals = dict(dense=doc_vecs, lex=tfidf, weight=weight, titles=titles,
                   title_weight=policy.title_weight if doc_vecs is not None else 0.0)
    cand = _Candidates(is_var, policy.candidates, policy.block, signals)
    if incremental:
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
                       semantic=round(semantic, 4), lexical=round(_dot(tfidf, a, b), 4),
                       title=round(_dot(titles, a, b), 4), primary=primary,
                       shared_terms=ev.shared_terms(a, b), sections=sections, additions=additions)

    def records(a: int) -> list[Overlap]:
        out, verdict = [], None
        for b, s in zip(lists["dup_i"][a].tolist(), lists["dup_s"][a].tolist(), strict=True):
            # Of two copies, the superseded or older one is the duplicate of the other.
            if (b >= 0 and s >= dup_floor and _dot(titles, a, b) >= policy.duplicate_title
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
        for o in previous.overlaps:
            kept[o.doc_id].append(o)
    out: list[Overlap] = []
    for a in np.flatnonzero(~is_var).tolist():
        out.extend(records(a) if redo[a] else kept.get(procs[a].doc_id, ()))
    recomputed = int(redo.sum())
    if incremental:
        log.info("overlaps: %d pairs among %d documents; %d documents recomputed, the rest kept (%d added or "
                 "removed since the last full computation)", len(out), n, recomputed, state.drift + changes)
    else:
        log.info("overlaps: %d pairs among %d documents (full computation)", len(out), n)
    new_state = _State(body, title, lists, key, state.base if incremental else n,
                       state.drift + changes if incremental else 0, analysis)
    return Detection(out, full=not incremental, recomputed=recomputed, state=new_state)


def _older(a: Procedure, b: Procedure) -> bool:
    if (a.status == "superseded") != (b.status == "superseded"):
        return a.status == "superseded"
    if a.revised and b.revised and a.revised != b.revised:
        return a.revised < b.revised
    return a.doc_id > b.doc_id  # a stable tie-break so each pair is reported once
