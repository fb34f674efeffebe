"""The Whoosh side: schema, writing procedures, and BM25F scoring of analysed concepts.

Text is analysed by ``index.analysis.analyzer`` before it reaches Whoosh (fields hold space-separated stems), so the
index and the query side cannot drift apart and compound parts get a field of their own.

Whoosh stores the index; scoring reads its postings into numpy. Whoosh's own matcher tree walks every posting of
every (field, word) pair in Python, one at a time — a query of six words with their synonyms over five fields
took 170–650 ms at 18 000 documents. Here each term's postings are read block by block once, turned into a
BM25F score per document (cached: the same words come back while a nurse refines a search), and a
query is a handful of vector operations. The scores are Whoosh's BM25F to float precision —
``tests/index/test_lexical.py`` checks them against Whoosh's own search — with one query structure:

- a **phrasing** (a tuple of stems) matches a document that has every stem in some field; its score is the sum of
  the stems' field-boosted BM25 scores, times the phrasing's weight;
- a **concept** (what the user typed, its synonyms, its compound parts) scores its best phrasing;
- the **query** is the sum of its concepts.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as windex
from whoosh import scoring
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.fields import ID, TEXT, SchemaClass
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from index.analysis.analyzer import Analyzer, join_terms
from index.analysis.synonyms import Concept
from index.errors import IndexCorruptError
from index.records import Procedure

log = logging.getLogger(__name__)

# Field weights, chosen over nursing-nb dev, NorQuAD dev and LiveQA-Med (bench/tune.py --grid fields; the
# objective is the mean lexical nDCG@10 of the three sets). The title 4.0 / keywords 2.5 that fitted nursing-nb's
# short title-like queries cost real questions 0.14 on NorQuAD dev (0.763 against plain BM25F's 0.912); equal
# weights give nursing-nb 0.903, NorQuAD 0.908, LiveQA-Med 0.504 (docs/benchmarks.md, 2026-12-03). The grid's
# best (keywords 0.5, parts 0.25: 0.910 / 0.913 / 0.509; an earlier version of the grid) is not shipped.
# A higher title weight helps LiveQA-Med (its titles are the questions the passages answer: 0.529 at 2.0) and
# costs NorQuAD as much (0.857).
FIELD_BOOSTS = {"title": 1.0, "keywords": 1.0, "headings": 1.0, "body": 1.0, "parts": 0.5}
SYNONYM_WEIGHT = 0.8
PARTS_WEIGHT = 0.6
B, K1 = 0.75, 1.2
# BM25F's length normalisation per field (Robertson, Zaragoza & Taylor 2004 give each field its own b). A title
# or a keyword list names the topic: one that also lists its other names ("Abdominal CT scan (Also called:
# Computed tomography scan - abdomen; CT scan - abdomen …)") is hardly less about that topic, so short naming
# fields are normalised less than text. Chosen with bench/tune.py --grid fields (2026-12-03), nDCG@10 against
# b 0.75 everywhere: lexical LiveQA-Med 0.525 → 0.543, NorQuAD dev 0.928 → 0.930, nursing-nb dev 0.909 → 0.912;
# hybrid nursing-nb 0.928 and NorQuAD 0.936 unchanged. No normalisation at all (b 0) gives LiveQA-Med 0.549 and
# costs nursing-nb hybrid 0.006 (MRR 0.935 → 0.923); body b 0.6–0.85 moves every set by ≤ 0.002.
FIELD_B = {"title": 0.3, "keywords": 0.3}
TERM_CACHE = 1024  # stems whose scores are kept (8 bytes per document that has the stem)

_BYTE_LENGTH = np.array([byte_to_length(b) or 0 for b in range(256)], np.float32)
_EMPTY_IDS, _EMPTY_TF = np.zeros(0, np.int64), np.zeros(0, np.float32)


class ProcedureSchema(SchemaClass):
    doc_id = ID(stored=True, unique=True)
    title = TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False)
    keywords = TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False)
    headings = TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False)
    body = TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False)
    parts = TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False)


def document_fields(p: Procedure, analyzer: Analyzer) -> dict[str, str]:
    title, keywords = p.title, " ".join(p.keywords)
    headings = " ".join(s.heading for s in p.sections)
    body = "\n".join(s.text for s in p.sections)
    lang = p.language
    parts = analyzer.part_terms(f"{title} {keywords} {headings} {body}", lang)
    return {
        "doc_id": p.doc_id,
        "title": join_terms(analyzer.terms(title, lang)),
        "keywords": join_terms(analyzer.terms(keywords, lang)),
        "headings": join_terms(analyzer.terms(headings, lang)),
        "body": join_terms(analyzer.terms(body, lang)),
        "parts": join_terms(parts),
    }


def write_index(folder: Path, *, add: list[Procedure], delete: set[str], analyzer: Analyzer,
                fresh: bool, progress: Callable[[int, int], object] | None = None) -> None:
    """Create (``fresh``) or update the Whoosh index in ``folder``: delete ids, then add procedures."""
    ix = windex.create_in(folder, ProcedureSchema()) if fresh else windex.open_dir(folder)
    writer = ix.writer(limitmb=256)
    try:
        for doc_id in delete:
            writer.delete_by_term("doc_id", doc_id)
        for i, p in enumerate(add):
            writer.add_document(**document_fields(p, analyzer))
            if progress and i % 50 == 0:
                progress(i, len(add))
        writer.commit(optimize=fresh)
    except BaseException:
        writer.cancel()
        raise
    finally:
        ix.close()


def weighting() -> scoring.BM25F:
    """Whoosh's BM25F with this module's parameters (the reference the numpy scores equal)."""
    return scoring.BM25F(B=B, K1=K1, **{f"{name}_B": b for name, b in FIELD_B.items()})


def phrasings(c: Concept, analyzer: Analyzer) -> list[tuple[tuple[str, ...], float]]:
    """A concept's phrasings with their weights: as typed (in each language's stems), its synonyms, and — for a
    single word — its compound parts (a compound the corpus knows only in parts: "blodtrykksmåling" vs "måling av
    blodtrykk")."""
    out = [(f, 1.0) for f in (c.original, *c.forms)] + [(a, SYNONYM_WEIGHT) for a in c.alternatives]
    parts = tuple(dict.fromkeys(analyzer.part_terms(c.surface)))
    if parts and len(c.original) == 1:
        out.append((parts, PARTS_WEIGHT))
    return out


class LexicalIndex:
    """A Whoosh index opened for reading: one searcher for the index's lifetime, BM25F scoring in numpy."""

    def __init__(self, folder: Path):
        try:
            self._ix = windex.open_dir(folder, readonly=True)
            self._searcher = self._ix.searcher(weighting=weighting())
            reader = self._searcher.reader()
            self._leaves = list(reader.leaf_readers())
            self._n = reader.doc_count_all()
            self._live = np.zeros(self._n, bool)
            self._live[list(reader.all_doc_ids())] = True
        except Exception as exc:  # Whoosh raises many kinds on a damaged segment
            raise IndexCorruptError(f"{folder}: Whoosh index damaged ({exc})") from exc
        self._fields: dict[str, _Field] = {}
        self._doc_ids: dict[int, str] = {}
        self._term_postings = functools.lru_cache(maxsize=TERM_CACHE)(self._load_term_postings)

    def search(self, concepts: list[Concept], analyzer: Analyzer, limit: int) -> list[tuple[str, float]]:
        """The ``limit`` best documents for the concepts: [(doc_id, score)], best first."""
        return [(d, s) for d, s, _ in self.search_matched(concepts, analyzer, limit)]

    def search_matched(self, concepts: list[Concept], analyzer: Analyzer, limit: int,
                       weights: list[float] | None = None) -> list[tuple[str, float, float]]:
        """``search``, with the weight of the concepts each document matches (``weights``, one per concept;
        1 each by default): [(doc_id, score, matched)]."""
        if not concepts:
            return []
        total = np.zeros(self._n, np.float32)
        matched = np.zeros(self._n, np.float32)
        for c, weight in zip(concepts, weights or [1.0] * len(concepts), strict=True):
            scores = np.maximum.reduce([self._phrase_scores(p) * w for p, w in phrasings(c, analyzer)])
            total += scores
            matched += weight * (scores > 0)
        total[~self._live] = 0
        hits = np.flatnonzero(total)
        if len(hits) > limit:
            hits = hits[np.argpartition(-total[hits], limit - 1)[:limit]]
        hits = hits[np.lexsort((hits, -total[hits]))]  # best first; ties in index order, as Whoosh
        return [(self._doc_id(int(d)), float(total[d]), float(matched[d])) for d in hits]

    def _phrase_scores(self, stems: tuple[str, ...]) -> np.ndarray:
        """Per document: the sum of the stems' scores where every stem matches, else 0."""
        vectors = [self._term_scores(s) for s in stems]
        if len(vectors) == 1:
            return vectors[0]
        total: np.ndarray = np.sum(vectors, axis=0)
        total[np.logical_or.reduce([v == 0 for v in vectors])] = 0
        return total

    def _term_scores(self, text: str) -> np.ndarray:
        """One stem's BM25F score in every document (0 where it does not occur)."""
        docs, scores = self._term_postings(text)
        out = np.zeros(self._n, np.float32)
        out[docs] = scores
        return out

    def _load_term_postings(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The documents that have the stem and its BM25F score in each: Σ over fields of boost × BM25 (Whoosh's
        idf and lengths). Kept sparse in the cache: memory follows the postings, not the corpus size."""
        out = np.zeros(self._n, np.float32)
        for name in FIELD_BOOSTS:
            field = self._field(name)
            weight = field.boost * self._searcher.idf(name, text) * (K1 + 1)
            for seg, base in self._leaves:
                ids, tf = _postings(seg, name, text)
                docs = ids + base
                out[docs] += weight * tf / (tf + field.norm[docs])
        docs = np.flatnonzero(out).astype(np.int32)
        return docs, out[docs]

    def _field(self, name: str) -> _Field:
        if name not in self._fields:
            self._fields[name] = _Field(self._searcher, name, self._leaves, self._n)
        return self._fields[name]

    def _doc_id(self, docnum: int) -> str:
        if docnum not in self._doc_ids:
            self._doc_ids[docnum] = self._searcher.stored_fields(docnum)["doc_id"]
        return self._doc_ids[docnum]

    def doc_frequency(self, stem_: str) -> int:
        return sum(self._searcher.doc_frequency(f, stem_) for f in ("title", "keywords", "body"))

    def close(self) -> None:
        self._searcher.close()
        self._ix.close()


class _Field:
    """One field's BM25 inputs for every document: lengths, average length."""

    # Whoosh is untyped: its searcher and segments are Any here.
    def __init__(self, searcher: Any, name: str, leaves: list[tuple[Any, int]], n: int):
        self.name, self.boost = name, FIELD_BOOSTS[name]
        self.avg = searcher.avg_field_length(name) or 1.0
        self.lengths = np.ones(n, np.float32)
        for seg, base in leaves:
            self.lengths[base:base + seg.doc_count_all()] = _segment_lengths(seg, name)
        # The BM25 length norm K1·(1 − b + b·len/avg), per document, computed once.
        b = FIELD_B.get(name, B)
        self.norm = K1 * ((1 - b) + b * self.lengths / self.avg)


def _segment_lengths(seg: Any, field: str) -> np.ndarray:
    """The field's length for each document of one segment as Whoosh stores it (one byte, log-scaled)."""
    column = seg._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        return np.ones(seg.doc_count_all(), np.float32)
    codes = np.fromiter(column, dtype=np.int64, count=seg.doc_count_all())
    return _BYTE_LENGTH[codes]


def _postings(seg: Any, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers and term frequencies of one term in one segment, read block by block."""
    try:
        m = seg.postings(field, text)
    except TermNotFound:
        return _EMPTY_IDS, _EMPTY_TF
    m = getattr(m, "child", m)  # deletions are masked by the caller, not per posting
    ids: list = []
    tfs: list = []
    if isinstance(m, W3LeafMatcher):
        while m.is_active():  # whole blocks at a time: no Python work per posting
            m._read_ids()
            m._read_weights()
            ids.extend(m._ids)
            tfs.extend(m._weights)
            m._next_block()
    else:
        while m.is_active():
            ids.append(m.id())
            tfs.append(m.weight())
            m.next()
    return np.asarray(ids, np.int64), np.asarray(tfs, np.float32)
