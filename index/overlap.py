"""Overlap detection: which local and regional procedures cover the same task as a VAR procedure.

"VAR AS IS" means a local procedure that repeats a VAR procedure is a candidate for phase-out. At build time
every non-VAR document is compared with every VAR document (and with the other non-VAR documents, for local
duplicates) using two signals that complement each other:

- **semantic**: cosine of the whole-document embeddings (language-independent: a nynorsk routine finds its
  bokmål VAR procedure);
- **lexical**: TF-IDF cosine over Norwegian stems (shared clinical vocabulary, robust where embeddings of long
  documents blur).

``score = semantic + LEXICAL_WEIGHT * lexical``. Candidates come from blockwise matrix products with a top-k per
row (no all-pairs Python loops), so 17 000 documents take seconds. Evidence (section pairs, shared terms, title
similarity) is computed only for the pairs kept. Each document gets one verdict — its primary overlap, or none
("local only — keep") — and the runner-up VAR procedures above the partial threshold are kept as alternatives.
Without vectors (lexical-only snapshot) the lexical signal alone is used, with its own thresholds.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from index.analysis import STOP_WORDS, Analyzer, stem, words
from index.records import Overlap, Procedure, SectionMatch

log = logging.getLogger(__name__)

_PARENTHESIS = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class OverlapPolicy:
    """Thresholds, tuned on ``nursing-nb/overlaps-dev.tsv`` only (see bench/overlap.py)."""

    lexical_weight: float = 0.5
    full: float = 1.06  # score from which a local document repeats a VAR procedure
    partial: float = 1.035  # score from which it shares part of the task
    # lexical-only snapshots (no embeddings): thresholds on the lexical cosine alone
    full_lexical: float = 0.30
    partial_lexical: float = 0.22
    duplicate_title: float = 0.70  # local pairs with titles this alike ...
    duplicate_score: float = 1.00  # ... and content this alike are copies of one another
    candidates: int = 3  # VAR neighbours looked at per document
    block: int = 2048  # rows per matrix-product block (memory bound)


def _clean_title(title: str) -> str:
    return _PARENTHESIS.sub(" ", title)


def _tfidf(texts: Sequence[list[str]]) -> tuple[sparse.csr_matrix, list[str]]:
    """L2-normalised TF-IDF rows (sublinear tf, smooth idf) over pre-analysed terms."""
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for r, terms in enumerate(texts):
        counts: dict[int, int] = {}
        for t in terms:
            c = vocab.setdefault(t, len(vocab))
            counts[c] = counts.get(c, 0) + 1
        rows.extend([r] * len(counts))
        cols.extend(counts)
        vals.extend(counts.values())
    n = len(texts)
    m = sparse.csr_matrix((np.asarray(vals, np.float32), (rows, cols)), shape=(n, max(1, len(vocab))))
    df = np.bincount(m.indices, minlength=m.shape[1])
    m.data = (1.0 + np.log(m.data)) * np.log((1 + n) / (1 + df[m.indices])).astype(np.float32)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    m = sparse.diags(1.0 / np.maximum(norms, 1e-9)).astype(np.float32) @ m
    terms = [""] * len(vocab)
    for t, c in vocab.items():
        terms[c] = t
    return m.tocsr(), terms


def _row(m: sparse.csr_matrix, i: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of row ``i``, straight from the CSR arrays (no scipy indexing per pair)."""
    lo, hi = m.indptr[i], m.indptr[i + 1]
    return m.indices[lo:hi], m.data[lo:hi]


def _dot(m: sparse.csr_matrix, a: int, b: int) -> float:
    (ia, va), (ib, vb) = _row(m, a), _row(m, b)
    _, pa, pb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
    return float(va[pa] @ vb[pb])


def _top_k(a_rows: np.ndarray, b_rows: np.ndarray, dense: np.ndarray | None, lex: sparse.csr_matrix,
           weight: float, k: int, block: int, exclude_self: bool) -> tuple[np.ndarray, np.ndarray]:
    """For each row in ``a_rows`` the ``k`` best ``b_rows`` by semantic + weight·lexical: (indices, scores)."""
    k = min(k, len(b_rows) - (1 if exclude_self else 0))
    if k <= 0 or not len(a_rows):
        return np.zeros((len(a_rows), 0), int), np.zeros((len(a_rows), 0), np.float32)
    lex_b = lex[b_rows].T.tocsc()
    dense_b = dense[b_rows].T if dense is not None else None
    out_i, out_s = [], []
    for start in range(0, len(a_rows), block):
        rows = a_rows[start:start + block]
        s = weight * (lex[rows] @ lex_b).toarray()
        if dense_b is not None:
            s += dense[rows] @ dense_b
        if exclude_self:
            s[rows[:, None] == b_rows[None, :]] = -np.inf
        top = np.argpartition(-s, k - 1, axis=1)[:, :k]
        part = np.take_along_axis(s, top, axis=1)
        order = np.argsort(-part, axis=1)
        out_i.append(b_rows[np.take_along_axis(top, order, axis=1)])
        out_s.append(np.take_along_axis(part, order, axis=1))
    return np.vstack(out_i), np.vstack(out_s)


class _Evidence:
    """Section pairs and shared terms for the pairs worth showing."""

    def __init__(self, procs: Sequence[Procedure], tfidf: sparse.csr_matrix, terms: list[str],
                 vectors: np.ndarray | None, chunk_table: np.ndarray | None):
        self.procs, self.tfidf, self.terms = procs, tfidf, terms
        self.vectors, self.chunk_table = vectors, chunk_table
        self._surfaces: dict[int, dict[str, str]] = {}

    def shared_terms(self, a: int, b: int, n: int = 8) -> tuple[str, ...]:
        (ia, va), (ib, vb) = _row(self.tfidf, a), _row(self.tfidf, b)
        common, pa, pb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
        if not len(common):
            return ()
        best = common[np.argsort(-(va[pa] * vb[pb]), kind="stable")[:n]]
        surface = self._surface(a)
        return tuple(surface.get(self.terms[c], self.terms[c]) for c in best)

    def _surface(self, a: int) -> dict[str, str]:
        """stem → the first word in document ``a`` that has it, so evidence reads as words, not stems."""
        if a not in self._surfaces:
            p = self.procs[a]
            out: dict[str, str] = {}
            for w in words(f"{p.title} {p.text}"):
                if w not in STOP_WORDS:
                    out.setdefault(stem(w), w)
            self._surfaces[a] = out
        return self._surfaces[a]

    def _section_rows(self, d: int) -> tuple[np.ndarray, np.ndarray]:
        """Chunk rows and section numbers of document ``d``'s sections. Chunks are stored grouped by document
        in index order (build.py), so a binary search finds them, as in search.py."""
        if self.chunk_table is None:
            return np.zeros(0, int), np.zeros(0, int)
        lo, hi = np.searchsorted(self.chunk_table[:, 0], (d, d + 1))
        secs = self.chunk_table[lo:hi, 1]
        keep = secs >= 0
        return np.arange(lo, hi)[keep], secs[keep]

    def sections(self, a: int, b: int, n: int = 4) -> tuple[SectionMatch, ...]:
        rows_a, secs_a = self._section_rows(a)
        rows_b, secs_b = self._section_rows(b)
        if not len(rows_a) or not len(rows_b):
            return ()
        sims = self.vectors[rows_a] @ self.vectors[rows_b].T
        best = sims.argmax(axis=1)
        order = np.argsort(-sims.max(axis=1))[:n]
        pa, pb = self.procs[a].sections, self.procs[b].sections
        return tuple(SectionMatch(pa[secs_a[i]].heading or pa[secs_a[i]].text[:40],
                                  pb[secs_b[best[i]]].heading or pb[secs_b[best[i]]].text[:40],
                                  round(float(sims[i, best[i]]), 3))
                     for i in order)


def detect(procs: Sequence[Procedure], *, analyzer: Analyzer, vectors: np.ndarray | None = None,
           chunk_table: np.ndarray | None = None, policy: OverlapPolicy = OverlapPolicy()) -> list[Overlap]:
    """All overlaps among ``procs`` (indexed like the snapshot: chunk_table rows hold (doc idx, section idx))."""
    n = len(procs)
    if n == 0:
        return []
    doc_vecs = None
    if vectors is not None and chunk_table is not None and len(chunk_table):
        whole = chunk_table[:, 1] < 0
        doc_vecs = np.zeros((n, vectors.shape[1]), np.float32)
        doc_vecs[chunk_table[whole, 0]] = vectors[whole]
    tfidf, terms = _tfidf([analyzer.terms(f"{p.title} {' '.join(p.keywords)} {p.text}") for p in procs])
    titles, _ = _tfidf([analyzer.terms(_clean_title(p.title)) for p in procs])
    ev = _Evidence(procs, tfidf, terms, vectors, chunk_table)
    if doc_vecs is None:
        weight, full, partial = 1.0, policy.full_lexical, policy.partial_lexical
    else:
        weight, full, partial = policy.lexical_weight, policy.full, policy.partial

    tiers = np.array([p.tier for p in procs])
    var_rows = np.flatnonzero(tiers == "var")
    other_rows = np.flatnonzero(tiers != "var")
    var_i, var_s = _top_k(other_rows, var_rows, doc_vecs, tfidf, weight, policy.candidates, policy.block, False)
    dup_i, dup_s = _top_k(other_rows, other_rows, doc_vecs, tfidf, weight, policy.candidates, policy.block, True)
    dup_floor = policy.duplicate_score if doc_vecs is not None else full

    def pair(a: int, b: int, kind: str, score: float, primary: bool) -> Overlap:
        semantic = float(doc_vecs[a] @ doc_vecs[b]) if doc_vecs is not None else 0.0
        return Overlap(doc_id=procs[a].doc_id, other_id=procs[b].doc_id, kind=kind, score=round(score, 4),
                       semantic=round(semantic, 4), lexical=round(_dot(tfidf, a, b), 4),
                       title=round(_dot(titles, a, b), 4), primary=primary,
                       shared_terms=ev.shared_terms(a, b), sections=ev.sections(a, b))

    out: list[Overlap] = []
    for r, a in enumerate(other_rows):
        verdict = None
        for c in range(dup_i.shape[1]):
            b, s = int(dup_i[r, c]), float(dup_s[r, c])
            # Of two copies, the superseded or older one is the duplicate of the other.
            if (s >= dup_floor and _dot(titles, a, b) >= policy.duplicate_title
                    and _older(procs[a], procs[b])):
                verdict = pair(a, b, "duplicate", s, True)
                break
        for c in range(var_i.shape[1]):
            b, s = int(var_i[r, c]), float(var_s[r, c])
            if s < partial:
                break
            kind = "full" if s >= full else "partial"
            out.append(pair(a, b, kind, s, primary=verdict is None))
            verdict = verdict or out[-1]
        if verdict is not None and verdict.kind == "duplicate":
            out.append(verdict)
    log.info("overlaps: %d pairs among %d documents", len(out), n)
    return out


def _older(a: Procedure, b: Procedure) -> bool:
    if (a.status == "superseded") != (b.status == "superseded"):
        return a.status == "superseded"
    if a.revised and b.revised and a.revised != b.revised:
        return a.revised < b.revised
    return a.doc_id > b.doc_id  # a stable tie-break so each pair is reported once
