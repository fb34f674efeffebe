"""Evidence for an overlap pair, computed only for the pairs kept: shared key terms, the best section pairs,
and the local sections with no counterpart in the other document (what a «Lokalt tillegg» would keep)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from index.analysis.analyzer import STOP_WORDS, Analyzer, stem, words
from index.records import Procedure, Section, SectionMatch

# A local section whose best counterpart in the VAR procedure has a TF-IDF cosine below this is something VAR
# does not cover: a candidate for a «Lokalt tillegg» (see Evidence.sections).
ADDITION_LEXICAL = 0.12


def row_of(m: sparse.csr_matrix, i: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of row ``i``, straight from the CSR arrays (no scipy indexing per pair)."""
    lo, hi = m.indptr[i], m.indptr[i + 1]
    return m.indices[lo:hi], m.data[lo:hi]


class Evidence:
    """Section pairs and shared terms for the pairs worth showing."""

    def __init__(self, procs: Sequence[Procedure], tfidf: sparse.csr_matrix, terms: list[str],
                 vectors: np.ndarray | None, chunk_table: np.ndarray | None, *, analyzer: Analyzer | None = None,
                 idf: np.ndarray | None = None):
        self.procs, self.tfidf, self.terms = procs, tfidf, terms
        self.analyzer, self.idf = analyzer, idf
        self.vectors, self.chunk_table = vectors, chunk_table
        self._surfaces: dict[int, dict[str, str]] = {}
        self._ids: dict[str, int] | None = None
        self._vocab: dict[str, int] | None = None
        self._lexical_sections: dict[int, tuple[sparse.csr_matrix, list[int]]] = {}

    def shared_terms(self, a: int, b: int, n: int = 8) -> tuple[str, ...]:
        (ia, va), (ib, vb) = row_of(self.tfidf, a), row_of(self.tfidf, b)
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

    def _section_matrix(self, d: int, lexical: bool) -> tuple[np.ndarray | sparse.csr_matrix, list[int]]:
        """Unit rows (one per section with text) and their section numbers: the section embeddings when the
        snapshot has them and not ``lexical``, else TF-IDF over stems (``_lexical_sections``)."""
        rows, secs = self._section_rows(d)
        if len(rows) and not lexical and self.vectors is not None:  # (rows come with vectors)
            return self.vectors[rows], secs.tolist()
        return self._lexical_sections_of(d)

    def _lexical_sections_of(self, d: int) -> tuple[sparse.csr_matrix, list[int]]:
        """Document ``d``'s sections as unit TF-IDF rows over the corpus vocabulary, sparse and kept: a VAR
        procedure is compared with every local document that overlaps it (a dense row per section over a 17k
        corpus' vocabulary made the build's evidence step take most of its time)."""
        if d in self._lexical_sections:
            return self._lexical_sections[d]
        sections = self.procs[d].sections
        keep = [i for i, s in enumerate(sections) if s.text.strip() or s.heading.strip()]
        if not keep or self.analyzer is None or self.idf is None:  # (the build passes both)
            return sparse.csr_matrix(np.zeros((0, max(1, len(self.terms))), np.float32)), []
        if self._vocab is None:
            self._vocab = {t: c for c, t in enumerate(self.terms)}
        data: list[float] = []
        cols: list[int] = []
        indptr = [0]
        for i in keep:
            row = {}
            for t, k in Counter(self.analyzer.terms(f"{sections[i].heading} {sections[i].text}")).items():
                c = self._vocab.get(t)
                if c is not None:
                    row[c] = (1.0 + np.log(k)) * self.idf[c]
            norm = max(float(np.sqrt(sum(v * v for v in row.values()))), 1e-9)
            cols.extend(row)
            data.extend(v / norm for v in row.values())
            indptr.append(len(cols))
        m = sparse.csr_matrix((np.asarray(data, np.float32), np.asarray(cols, np.int32), np.asarray(indptr)),
                              shape=(len(keep), max(1, len(self.terms))))
        self._lexical_sections[d] = m, keep
        return m, keep

    def compare(self, a: int, b: int, *, lexical: bool = False) -> tuple[np.ndarray, list[int], list[int]]:
        """Similarity of every section of ``a`` with every section of ``b``, and their section numbers."""
        ma, secs_a = self._section_matrix(a, lexical)
        mb, secs_b = self._section_matrix(b, lexical)
        if not secs_a or not secs_b or ma.shape[1] != mb.shape[1]:
            return np.zeros((len(secs_a), 0)), secs_a, secs_b
        if isinstance(ma, sparse.csr_matrix) and isinstance(mb, sparse.csr_matrix):
            return (ma @ mb.T).toarray(), secs_a, secs_b
        return np.asarray(ma @ mb.T), secs_a, secs_b

    def sections(self, a: int, b: int, n: int = 4) -> tuple[tuple[SectionMatch, ...], tuple[str, ...]]:
        """The ``n`` best section pairs (by section embeddings where the snapshot has them), and the sections
        of ``a`` with no counterpart in ``b``: what a local addition would keep. Additions are judged on words
        (TF-IDF cosine under ``ADDITION_LEXICAL``): section embeddings of two procedures in one field all sit
        above 0.85 and do not tell a ward's own section from a reworded one."""
        sims, secs_a, secs_b = self.compare(a, b)
        if not sims.size:
            return (), ()
        best = sims.argmax(axis=1)
        top = sims.max(axis=1)
        order = np.argsort(-top)[:n]
        pa, pb = self.procs[a].sections, self.procs[b].sections

        def name(sections: Sequence[Section], i: int) -> str:
            return sections[i].heading or sections[i].text[:40]

        matches = tuple(SectionMatch(name(pa, secs_a[i]), name(pb, secs_b[best[i]]), round(float(top[i]), 3))
                        for i in order)
        return matches, tuple(name(pa, i) for i in self._uncovered(a, b))

    def _uncovered(self, a: int, b: int) -> list[int]:
        """Section numbers of ``a`` whose best counterpart in ``b`` is under ``ADDITION_LEXICAL`` (see
        ``sections``)."""
        lex, lex_a, _ = self.compare(a, b, lexical=True)
        return [lex_a[i] for i in range(len(lex_a)) if lex.size and lex[i].max() < ADDITION_LEXICAL]

    def uncovered(self, doc_id: str, var_id: str) -> tuple[int, ...]:
        """``_uncovered`` by document id, for a pair named by the procedure team (() if either is unknown)."""
        if self._ids is None:
            self._ids = {p.doc_id: i for i, p in enumerate(self.procs)}
        a, b = self._ids.get(doc_id), self._ids.get(var_id)
        return () if a is None or b is None else tuple(self._uncovered(a, b))
