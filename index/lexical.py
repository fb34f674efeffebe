"""The Whoosh side: schema, writing procedures, and BM25F queries built from analysed concepts.

Text is analysed by ``index.analysis`` before it reaches Whoosh (fields hold space-separated stems), so the
index and the query side cannot drift apart and compound parts get a field of their own.
"""

from __future__ import annotations

import logging
from pathlib import Path

from whoosh import index as windex
from whoosh import query as Q
from whoosh import scoring
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, TEXT, SchemaClass
from whoosh.query.compound import DefaultOr

from index.analysis import Analyzer, join_terms
from index.errors import IndexCorruptError
from index.records import Procedure
from index.synonyms import Concept

log = logging.getLogger(__name__)

# Field weights, tuned on the nursing-nb dev queries (bench/quality.py).
FIELD_BOOSTS = {"title": 4.0, "keywords": 2.5, "headings": 0.6, "body": 1.0, "parts": 0.5}
SYNONYM_WEIGHT = 0.8
TIEBREAK = 0.3

# ``Q.Or`` preloads every match into arrays when the index has under 5000 documents (``PreloadedOr``); for our
# many small field-by-field ORs that costs more than it saves (nursing-nb: 11.6 → 7.6 ms per query). Whoosh
# picks this lazy union tree itself above 5000 documents. Same matches, same scores (up to summation order).
_Or = DefaultOr


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
    parts = analyzer.part_terms(" ".join((title, keywords, headings, body)))
    return {
        "doc_id": p.doc_id,
        "title": join_terms(analyzer.terms(title)),
        "keywords": join_terms(analyzer.terms(keywords)),
        "headings": join_terms(analyzer.terms(headings)),
        "body": join_terms(analyzer.terms(body)),
        "parts": join_terms(parts),
    }


def write_index(folder: Path, *, add: list[Procedure], delete: set[str], analyzer: Analyzer,
                fresh: bool, progress=None) -> None:
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


def _phrase_query(stems: tuple[str, ...], boost: float) -> Q.Query:
    per_word = [_Or([Q.Term(f, s, boost=b) for f, b in FIELD_BOOSTS.items()]) for s in stems]
    q = per_word[0] if len(per_word) == 1 else Q.And(per_word)
    q.boost = boost
    return q


def concept_query(c: Concept, analyzer: Analyzer) -> Q.Query:
    alts = [_phrase_query(c.original, 1.0)]
    alts += [_phrase_query(a, SYNONYM_WEIGHT) for a in c.alternatives]
    # A compound the corpus knows only in parts ("blodtrykksmåling" vs "måling av blodtrykk").
    parts = tuple(dict.fromkeys(analyzer.part_terms(c.surface)))
    if parts and len(c.original) == 1:
        alts.append(_phrase_query(parts, 0.6))
    return alts[0] if len(alts) == 1 else Q.DisjunctionMax(alts, tiebreak=TIEBREAK)


class LexicalIndex:
    """A Whoosh index opened for reading, with one searcher kept for the index's lifetime."""

    def __init__(self, folder: Path):
        try:
            self._ix = windex.open_dir(folder, readonly=True)
            self._searcher = self._ix.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2))
        except Exception as exc:  # Whoosh raises many kinds on a damaged segment
            raise IndexCorruptError(f"{folder}: Whoosh index damaged ({exc})") from exc

    def search(self, concepts: list[Concept], analyzer: Analyzer, limit: int) -> list[tuple[str, float]]:
        if not concepts:
            return []
        queries = [concept_query(c, analyzer) for c in concepts]
        q = queries[0] if len(queries) == 1 else _Or(queries)
        results = self._searcher.search(q, limit=limit)
        return [(hit["doc_id"], hit.score) for hit in results]

    def doc_frequency(self, stem_: str) -> int:
        return sum(self._searcher.doc_frequency(f, stem_) for f in ("title", "keywords", "body"))

    def close(self) -> None:
        self._searcher.close()
        self._ix.close()
