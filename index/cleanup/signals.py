"""The signals overlap detection scores (local, VAR) pairs on, and the candidate search over them.

- **semantic**: cosine of the whole-document embeddings (language-independent: a nynorsk routine finds its
  bokmål VAR procedure);
- **lexical**: TF-IDF cosine over Norwegian stems (shared clinical vocabulary, robust where embeddings of long
  documents blur);
- **title**: TF-IDF cosine of the titles (parenthesised parts left out).

``score = semantic + weight·lexical + title_weight·title``. Candidates come from blockwise matrix products with
a top-k per row (no all-pairs Python loops). What a score decides — thresholds, the verdict, the confidence, and
what an update may reuse — is ``index.cleanup.overlap``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from scipy import sparse

from index.analysis.analyzer import Analyzer
from index.cleanup.evidence import row_of
from index.records import Procedure, Tier

_PARENTHESIS = re.compile(r"\([^)]*\)")


def clean_title(title: str) -> str:
    return _PARENTHESIS.sub(" ", title)


class Terms:
    """Stem counts per document (CSR) over a vocabulary, and one IDF per stem."""

    def __init__(self, counts: sparse.csr_matrix, terms: list[str], idf: np.ndarray | None = None):
        self.counts, self.terms, self.idf = counts, terms, idf

    @classmethod
    def gather(cls, text: Callable[[int], str], rows: np.ndarray, analyzer: Analyzer,
               prev: Terms | None) -> Terms:
        """Counts of every document: from ``prev`` for unchanged ones (``rows[i]`` is their row there),
        analysed for the rest. New stems are appended, so ``prev``'s columns keep their meaning."""
        n = len(rows)
        terms = list(prev.terms) if prev is not None else []
        vocab = {t: c for c, t in enumerate(terms)}
        todo = np.flatnonzero(rows < 0) if prev is not None else np.arange(n)
        r: list[int] = []
        c: list[int] = []
        v: list[int] = []
        for j, i in enumerate(todo.tolist()):
            found = Counter(vocab.setdefault(t, len(vocab)) for t in analyzer.terms(text(i)))
            r.extend([j] * len(found))
            c.extend(found)
            v.extend(found.values())
        width = max(1, len(vocab), prev.counts.shape[1] if prev is not None else 0)
        counts = sparse.csr_matrix((np.asarray(v, np.float32), (r, c)), shape=(len(todo), width))
        if prev is not None:
            kept = np.flatnonzero(rows >= 0)
            old = prev.counts[rows[kept]]
            # scipy-stubs 1.17.1.5 types the shape of csr_matrix.resize as Never (a stub bug; scipy takes *shape).
            old.resize(len(kept), width)  # type: ignore[call-arg,arg-type]
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

    def extend_idf(self, prev: Terms, base: int) -> None:
        """``prev``'s IDF for the stems it knows; a new stem gets the one it would have had among ``base``."""
        df = np.bincount(self.counts.indices, minlength=self.counts.shape[1])
        self.idf = np.log((1 + base) / (1 + df)).astype(np.float32)
        self.idf[:len(prev.terms)] = prev.computed_idf()[:len(prev.terms)]

    def computed_idf(self) -> np.ndarray:
        """``idf``, which ``refresh_idf`` or ``extend_idf`` computes (``gather`` leaves it unset)."""
        if self.idf is None:
            raise RuntimeError("IDF not computed yet: refresh_idf() or extend_idf() first")
        return self.idf

    def weighted(self) -> sparse.csr_matrix:
        """L2-normalised TF-IDF rows (sublinear tf)."""
        m = self.counts.copy()
        m.data = (1.0 + np.log(m.data)) * self.computed_idf()[m.indices]
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        out: sparse.csr_matrix = (sparse.diags(1.0 / np.maximum(norms, 1e-9)).astype(np.float32) @ m).tocsr()
        return out

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        c = self.counts
        small = not c.nnz or c.data.max() < 2**16
        return {f"{prefix}_indptr": c.indptr, f"{prefix}_indices": c.indices,
                f"{prefix}_shape": np.array(c.shape), f"{prefix}_idf": self.computed_idf(),
                f"{prefix}_counts": c.data.astype(np.uint16) if small else c.data,
                f"{prefix}_terms": np.frombuffer("\n".join(self.terms).encode(), np.uint8)}

    @classmethod
    def from_arrays(cls, z: Mapping[str, np.ndarray], prefix: str) -> Terms:
        counts = sparse.csr_matrix((z[f"{prefix}_counts"].astype(np.float32), z[f"{prefix}_indices"],
                                    z[f"{prefix}_indptr"]), shape=tuple(z[f"{prefix}_shape"]))
        text = z[f"{prefix}_terms"].tobytes().decode()
        return cls(counts, text.split("\n") if text else [], z[f"{prefix}_idf"])


def dot(m: sparse.csr_matrix, a: int, b: int) -> float:
    (ia, va), (ib, vb) = row_of(m, a), row_of(m, b)
    _, pa, pb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
    return float(va[pa] @ vb[pb])


def top_k(a_rows: np.ndarray, b_rows: np.ndarray, dense: np.ndarray | None, lex: sparse.csr_matrix,
           weight: float, k: int, block: int, exclude_self: bool, titles: sparse.csr_matrix | None = None,
           title_weight: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """For each row in ``a_rows`` the ``k`` best ``b_rows`` by the score (``scores``): (indices, scores)."""
    k = min(k, len(b_rows) - (1 if exclude_self else 0))
    if k <= 0 or not len(a_rows):
        return np.zeros((len(a_rows), 0), int), np.zeros((len(a_rows), 0), np.float32)
    out_i, out_s = [], []
    for start in range(0, len(a_rows), block):
        rows = a_rows[start:start + block]
        s = scores(rows, b_rows, dense=dense, lex=lex, weight=weight, titles=titles, title_weight=title_weight)
        if exclude_self:
            s[rows[:, None] == b_rows[None, :]] = -np.inf
        top = np.argpartition(-s, k - 1, axis=1)[:, :k]
        part = np.take_along_axis(s, top, axis=1)
        order = np.argsort(-part, axis=1)
        out_i.append(b_rows[np.take_along_axis(top, order, axis=1)])
        out_s.append(np.take_along_axis(part, order, axis=1))
    return np.vstack(out_i), np.vstack(out_s)


class Candidates:
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
            i, s = top_k(rows, b_rows, k=self.k, block=self.block, exclude_self=kind == "dup",
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
            s = np.hstack([scores(cols[i:i + self.block], rest, **self.signals).T
                           for i in range(0, len(cols), self.block)])
            ids = np.hstack([self.lists[f"{kind}_i"][rest], np.broadcast_to(cols, s.shape)])
            s = np.hstack([self.lists[f"{kind}_s"][rest], s])
            order = np.argsort(-s, axis=1, kind="stable")[:, :self.k]  # stable: a tie keeps the old candidate
            best = np.take_along_axis(ids, order, axis=1)
            again[rest[(best != self.lists[f"{kind}_i"][rest]).any(axis=1)]] = True
            self.lists[f"{kind}_i"][rest] = best
            self.lists[f"{kind}_s"][rest] = np.take_along_axis(s, order, axis=1)
        return again


def scores(a_rows: np.ndarray, b_rows: np.ndarray, *, dense: np.ndarray | None, lex: sparse.csr_matrix,
            weight: float, titles: sparse.csr_matrix | None = None, title_weight: float = 0.0) -> np.ndarray:
    """semantic + weight·lexical + title_weight·title of every (a, b), dense ``len(a_rows) × len(b_rows)``."""
    s: np.ndarray = weight * (lex[a_rows] @ lex[b_rows].T).toarray()
    if dense is not None:
        s += dense[a_rows] @ dense[b_rows].T
    if titles is not None and title_weight:
        s += title_weight * (titles[a_rows] @ titles[b_rows].T).toarray()
    return s


def pair_signals(procs: Sequence[Procedure], *, analyzer: Analyzer, vectors: np.ndarray | None,
                 chunk_table: np.ndarray | None) -> dict[str, np.ndarray]:
    """The three signals for every (non-VAR, VAR) pair, computed in full: ``semantic``, ``lexical``,
    ``title`` (matrices ``non-VAR × VAR``), with ``rows``/``cols`` the document indexes. For tuning
    (bench/overlap_cv.py), so the bench and ``detect`` score pairs from the same signals."""
    n = len(procs)
    rows = np.full(n, -1, np.int64)
    body = Terms.gather(lambda i: f"{procs[i].title} {' '.join(procs[i].keywords)} {procs[i].text}", rows,
                         analyzer, None)
    title = Terms.gather(lambda i: clean_title(procs[i].title), rows, analyzer, None)
    body.refresh_idf()
    title.refresh_idf()
    tfidf, titles = body.weighted(), title.weighted()
    is_var = np.array([p.tier == Tier.VAR for p in procs], bool)
    a, b = np.flatnonzero(~is_var), np.flatnonzero(is_var)
    doc_vecs = doc_vectors(n, vectors, chunk_table)
    return {"rows": a, "cols": b, "lexical": (tfidf[a] @ tfidf[b].T).toarray(),
            "title": (titles[a] @ titles[b].T).toarray(),
            "semantic": doc_vecs[a] @ doc_vecs[b].T if doc_vecs is not None else np.zeros((len(a), len(b)))}


def doc_vectors(n: int, vectors: np.ndarray | None, chunk_table: np.ndarray | None) -> np.ndarray | None:
    if vectors is None or chunk_table is None or not len(chunk_table):
        return None
    whole = chunk_table[:, 1] < 0
    doc_vecs = np.zeros((n, vectors.shape[1]), np.float32)
    doc_vecs[chunk_table[whole, 0]] = vectors[whole]
    return doc_vecs
