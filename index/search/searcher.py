"""One search over an open snapshot: parse the query, run lexical and dense side by side, fuse, apply the
source policy and filters, and dress the top documents as hits (best section, highlighted snippet)."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np

from index.analysis.analyzer import STOP_WORDS, Analyzer, fold, folded_words, is_english, stem
from index.analysis.spelling import Speller
from index.analysis.synonyms import Concept, SynonymTable, with_english
from index.records import Embedder, Hit, SearchFilters, SearchMode, SearchResult, Tier
from index.search.dense import BLOCK_ROWS, ChunkMatrix, exact_top
from index.search.lexical import LexicalIndex
from index.search.ranking import (
    Candidate,
    Confidence,
    Fusion,
    SourcePriority,
    VariantGrouping,
    best_per_doc,
    top_docs,
)
from index.store.snapshot import DOC_CHUNK_SECTION, DocMeta, Snapshot

MAX_QUERY_CHARS = 500
CANDIDATES = 100
MAX_LEXICAL_CONCEPTS = 6
COMMON_DF = 0.3  # share of documents above which a word is too common to search for alone
SNIPPET_WORDS = 28
MIN_SECTION_WORDS = 8  # a shorter section is a preamble, not where a hit opens
SECTION_CACHE = 512  # documents whose analysed sections are kept (~80 kB each)
# Headings of reference lists and bibliographies (bokmål, nynorsk, English), folded.
_REFERENCE_RE = re.compile(r"(\d+[.)]?\s*)?(referans|kilde|kjelde|litteratur|bibliografi|references?\b|sources?\b)")

_EMBED_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kildefinner-embed")
_PREFIX_RE = re.compile(r"(?<!\S)(var|regional|regionalt|lokal|local|nb|nn|en|nynorsk|bokmål|utgått|alle):",
                        re.IGNORECASE)
_TIER_PREFIX = {"var": Tier.VAR, "regional": Tier.REGIONAL, "regionalt": Tier.REGIONAL, "lokal": Tier.LOCAL,
                "local": Tier.LOCAL}  # what a user may type before the colon
_LANG_PREFIX = {"nb": "nb", "bokmål": "nb", "nn": "nn", "nynorsk": "nn", "en": "en"}


def parse_prefixes(query: str, filters: SearchFilters) -> tuple[str, SearchFilters]:
    """``var: pvk`` → ("pvk", tiers={var}). Prefixes add to the caller's filters."""
    tiers, langs, superseded = set(filters.tiers), set(filters.languages), filters.include_superseded
    for m in _PREFIX_RE.finditer(query):
        key = m.group(1).lower()
        if key in _TIER_PREFIX:
            tiers.add(_TIER_PREFIX[key])
        elif key in _LANG_PREFIX:
            langs.add(_LANG_PREFIX[key])
        else:  # utgått:, alle: — show superseded documents too
            superseded = True
    text = _PREFIX_RE.sub(" ", query)
    return " ".join(text.split()), replace(filters, tiers=frozenset(tiers), languages=frozenset(langs),
                                          include_superseded=superseded)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One query's evidence: what was searched and how each document scored, before the ranking policy."""

    query: str  # as typed, non-printable characters blanked
    text: str  # what was searched: the query without its prefixes (corrected when the correction replaced it)
    filters: SearchFilters  # the caller's, plus the query's prefixes
    mode: str  # what actually runs
    concepts: list[Concept]
    lexical: dict[int, float]  # doc idx → BM25F
    coverage: dict[int, float]  # doc idx → share of the searched concepts it matches
    dense: dict[int, float]  # doc idx → cosine of its best chunk (the CANDIDATES best documents)
    dense_median: float  # the median document's cosine: how close "anything" is to this query
    chunk_scores: np.ndarray | None  # cosine of every chunk (None without the dense side)
    suggestion: str = ""
    fuzzy: bool = False
    notice: str = ""


@dataclass
class Searcher:
    snapshot: Snapshot
    lexical: LexicalIndex
    analyzer: Analyzer
    synonyms: SynonymTable
    speller: Speller
    fusion: Fusion = Fusion()
    policy: SourcePriority = SourcePriority()
    grouping: VariantGrouping = VariantGrouping()
    confidence: Confidence = Confidence()
    embedder: Embedder | None = None  # set once the model is loaded
    today: dt.date | None = None

    def search(self, query: str, *, filters: SearchFilters = SearchFilters(), top: int = 20,
               mode: str = SearchMode.HYBRID) -> SearchResult:
        ev = self.evidence(query, filters=filters, mode=mode)
        today = self.today or dt.date.today()
        ranked, grouped = self.rank(ev, today)
        wanted = {s for con in ev.concepts for phrase in (con.original, *con.alternatives) for s in phrase}
        agree = self.confidence.agreeing(ev.lexical, ev.dense)
        hits = tuple(self._hit(c, wanted, ev.chunk_scores, today, c.idx in grouped,
                               self.is_good(ev, c.idx, c.idx in agree))
                     for c in ranked[:top])
        return SearchResult(query=ev.query, hits=hits, mode=SearchMode(ev.mode), suggestion=ev.suggestion,
                            fuzzy=ev.fuzzy, notice=ev.notice)

    def evidence(self, query: str, *, filters: SearchFilters = SearchFilters(),
                 mode: str = SearchMode.HYBRID) -> Evidence:
        """What the index says about the query, before any ranking policy: lexical and dense scores."""
        query = "".join(ch if ch.isprintable() else " " for ch in query[:MAX_QUERY_CHARS])
        text, filters = parse_prefixes(query, filters)
        concepts = self._concepts(text)
        dense_ok = self.embedder is not None and self.snapshot.chunk_table() is not None
        if mode == SearchMode.DENSE and not dense_ok:
            mode = SearchMode.LEXICAL
        notice = ""
        if mode == SearchMode.HYBRID and not dense_ok:
            mode = SearchMode.LEXICAL
            notice = "semantic search not available: lexical results only"

        # Words the index has never seen: corrected before searching when they are most of the query, else only
        # offered as "did you mean" (index.analysis.spelling).
        correction = self.speller.correct(text, self.lexical) if text else None
        if correction and correction.replace:
            text, concepts = correction.text, self._concepts(correction.text)
        # The query embedding (torch, GIL released) runs beside the lexical search (Python): on two cores
        # hybrid latency is max(lexical, embedding) rather than their sum.
        embedding = (_EMBED_POOL.submit(self.embedder.encode_queries, [text])
                     if self.embedder is not None and mode in (SearchMode.HYBRID, SearchMode.DENSE) and text
                     else None)
        wants_lexical = mode in (SearchMode.HYBRID, SearchMode.LEXICAL) and concepts
        lex, coverage = self._lexical(concepts) if wants_lexical else ({}, {})
        dense: dict[int, float] = {}
        chunk_scores, dense_median = None, 0.0
        if embedding is not None and (table := self.snapshot.chunk_table()) is not None:  # (dense_ok)
            query_vector = embedding.result()[0]
            chunk_scores = exact_top(self.chunk_matrix().scores(query_vector), query_vector,
                                     self.snapshot.vector_rows)
            all_docs, all_best = best_per_doc(chunk_scores, table[:, 0])
            dense_median = float(np.median(all_best))
            docs, best = top_docs(all_docs, all_best, CANDIDATES)
            dense = dict(zip(docs.tolist(), best.tolist(), strict=True))
        return Evidence(query=query, text=text, filters=filters, mode=mode, concepts=concepts, lexical=lex,
                        coverage=coverage, dense=dense, dense_median=dense_median, chunk_scores=chunk_scores,
                        suggestion=correction.text if correction else "",
                        fuzzy=bool(correction and correction.replace), notice=notice)

    def is_good(self, ev: Evidence, idx: int, agree: bool = False) -> bool:
        """``agree``: the document is among the best of both the lexical and the dense search."""
        margin = None
        if ev.chunk_scores is not None:
            margin = ev.dense.get(idx, ev.dense_median) - ev.dense_median
        return self.confidence.good(ev.coverage.get(idx, 0.0), margin, agree)

    def rank(self, ev: Evidence, today: dt.date) -> tuple[list[Candidate], set[int]]:
        """The evidence through fusion, the filters, the source policy and variant grouping: (ranked candidates,
        idx of those placed under their VAR procedure)."""
        candidates, stale = [], set()
        fused_all = self.fusion.fuse(ev.lexical, ev.dense, ev.coverage, dense_baseline=ev.dense_median)
        for idx, (lx, dn, fused) in fused_all.items():
            meta = self.snapshot.docs[idx]
            if (not self._allowed(meta, ev.filters, today)
                    or self._retired(meta.doc_id, ev.filters, ev.text, today)):
                continue
            if meta.stale(today):
                stale.add(idx)
            final = self.policy.final_score(fused, meta.tier, idx in stale)
            candidates.append(Candidate(idx, meta.tier, lx, dn, fused, final))
        return self.grouping.group(self.policy.rank(candidates), self._parents, stale=frozenset(stale))

    def __post_init__(self) -> None:
        # Sections and their stems per document, for choosing each hit's best section: the same documents
        # come back query after query while a nurse refines a search.
        self._sections = functools.lru_cache(maxsize=SECTION_CACHE)(self._load_sections)
        self._matrix: ChunkMatrix | None = None
        self._matrix_lock = threading.Lock()

    def chunk_matrix(self) -> ChunkMatrix:
        """The snapshot's chunk vectors as dense search multiplies them (``index.search.dense``), read on first
        use (~1 s at 100k chunks: ``Engine.attach_embedder`` does it before the first search)."""
        with self._matrix_lock:
            if self._matrix is None:
                table = self.snapshot.chunk_table()
                rows = 0 if table is None else len(table)
                dim = int(self.snapshot.manifest.get("dim") or 0)
                self._matrix = ChunkMatrix.from_blocks(lambda: self.snapshot.vector_blocks(BLOCK_ROWS), rows, dim)
                self._matrix.scores(np.zeros(dim, np.float32))  # and make the product's session now
            return self._matrix

    def _load_sections(self, idx: int) -> list[_Section]:
        return [_Section.of(heading, body, self.analyzer) for heading, body in self.snapshot.sections(idx)]

    def _concepts(self, text: str) -> list[Concept]:
        """The query's concepts, each once ("drug-drug interactions" asks about drugs once: a repeated word is
        not a more important one)."""
        concepts = self.synonyms.concepts(text)
        if self._has_english:
            concepts = with_english(concepts)
        once: dict[tuple[str, ...], Concept] = {}
        for c in concepts:
            once.setdefault(c.original, c)
        return list(once.values())

    @functools.cached_property
    def _has_english(self) -> bool:
        return any(is_english(m.language) for m in self.snapshot.docs)

    def _frequency(self, c: Concept, word: Callable[..., int] = min) -> int:
        """How many documents have the concept's ``word`` (its rarest, or with ``max`` its most common) as typed,
        in the language of the index where that is most common."""
        return max(word((self.lexical.doc_frequency(st) for st in form), default=0)
                   for form in (c.original, *c.forms))

    @functools.cached_property
    def _parents(self) -> dict[int, tuple[int, str]]:
        """doc idx → (VAR doc idx, overlap kind) for documents whose verdict is a VAR overlap. A «Lokalt
        tillegg» decision links its document to the VAR procedure the team named instead, as a partial variant
        (it keeps only what VAR lacks)."""
        parents = {idx: v for idx, v in self.snapshot.verdicts().items() if v[1] != "duplicate"}
        by_id = self.snapshot.by_id
        for doc_id, d in self.snapshot.decisions().items():
            if d.decision == "lokalt_tillegg" and doc_id in by_id and d.var_id in by_id:
                parents[by_id[doc_id]] = (by_id[d.var_id], "partial")
        return parents

    def _lexical(self, concepts: list[Concept]) -> tuple[dict[int, float], dict[int, float]]:
        """(doc idx → BM25F, doc idx → the share of the searched concepts it matches, each concept weighted by
        its IDF: matching a query's rare words is evidence, matching only its common ones is not; a word the
        index has never seen weighs most and matches nothing)."""
        by_id = self.snapshot.by_id
        searched = self._selective(concepts)
        n = max(1, len(self.snapshot.docs))
        weights = [math.log(1 + n / max(0.5, self._frequency(c))) for c in searched]
        hits = self.lexical.search_matched(searched, self.analyzer, CANDIDATES, weights)
        scores = {by_id[d]: s for d, s, _ in hits if d in by_id}
        total = sum(weights) or 1.0
        return scores, {by_id[d]: m / total for d, _, m in hits if d in by_id}

    def _selective(self, concepts: list[Concept]) -> list[Concept]:
        """The concepts worth a full-text match: a long question keeps its MAX_LEXICAL_CONCEPTS rarest ones, and
        words found in most documents go when rarer ones exist. In a long question the common words add noise to
        BM25 (LiveQA-Med lexical nDCG@10 0.479 with every word, 0.538 with this); the dense side still reads the
        whole question."""
        if len(concepts) <= MAX_LEXICAL_CONCEPTS:
            return concepts
        n = max(1, len(self.snapshot.docs))
        df = [self._frequency(c, max) / n for c in concepts]
        keep = [i for i, f in enumerate(df) if f <= COMMON_DF] or list(range(len(concepts)))
        keep = sorted(keep, key=lambda i: df[i])[:MAX_LEXICAL_CONCEPTS]
        return [concepts[i] for i in sorted(keep)]

    @staticmethod
    def _allowed(meta: DocMeta, f: SearchFilters, today: dt.date) -> bool:
        if f.tiers and meta.tier not in f.tiers:
            return False
        if f.languages and meta.language not in f.languages:
            return False
        if meta.status == "superseded" and not f.include_superseded:
            return False
        if not f.include_stale and meta.stale(today):
            return False
        owner = f.owner.casefold()
        return not owner or owner in meta.owner.casefold() or owner in meta.unit.casefold()

    def _retired(self, doc_id: str, f: SearchFilters, text: str, today: dt.date) -> bool:
        """Phased out past its last date: out of the default results, still found with ``utgått:``/``alle:``
        and by its id (links from the EHR and onboarding sets never break)."""
        decision = self.snapshot.decisions().get(doc_id)
        return (decision is not None and decision.retired(today) and not f.include_superseded
                and text.strip().casefold() != doc_id.casefold())

    def _hit(self, c: Candidate, wanted: set[str], chunk_scores: np.ndarray | None, today: dt.date, grouped: bool,
             good: bool) -> Hit:
        """``wanted``: the stems of the query's words and their synonyms (for the best section and snippet)."""
        meta = self.snapshot.docs[c.idx]
        other_idx, kind = self.snapshot.verdicts().get(c.idx, (None, ""))
        other = self.snapshot.docs[other_idx] if other_idx is not None else None
        sections = self._sections(c.idx)
        sec_dense: dict[int, float] = {}
        if chunk_scores is not None and (table := self.snapshot.chunk_table()) is not None:  # (the scores' source)
            # Chunks are stored grouped by document in index order: a binary search, not a scan per hit.
            lo, hi = np.searchsorted(table[:, 0], (c.idx, c.idx + 1))
            for s, v in zip(table[lo:hi, 1].tolist(), chunk_scores[lo:hi].tolist(), strict=True):
                if s != DOC_CHUNK_SECTION and v > sec_dense.get(s, -1.0):  # a long section has several windows
                    sec_dense[s] = v
        decision = self.snapshot.decisions().get(meta.doc_id)
        # A «Lokalt tillegg» opens on what it adds: the best of the sections its VAR procedure does not cover.
        shown = [i for i in decision.uncovered if i < len(sections)] if decision is not None else []
        candidates = shown or _landings(sections)
        best, best_score = candidates[0] if candidates else 0, -1.0
        for i in candidates:
            sec = sections[i]
            overlap = len(wanted.intersection(sec.terms)) / (1 + len(wanted))
            score = overlap + sec_dense.get(i, 0.0)
            if score > best_score:
                best, best_score = i, score
        section = sections[best] if sections else _Section.of("", "", self.analyzer)
        snippet, marks = section.snippet(wanted)
        if decision is not None and decision.var_id in self.snapshot.by_id:
            other = self.snapshot.docs[self.snapshot.by_id[decision.var_id]]
            kind = "partial" if decision.decision == "lokalt_tillegg" else kind or "full"
        return Hit(doc_id=meta.doc_id, title=meta.title, tier=Tier(meta.tier), owner=meta.owner, unit=meta.unit,
                   language=meta.language, status=meta.status, stale=meta.stale(today),
                   review_due=meta.review_due, revised=meta.revised, section=section.heading,
                   snippet=snippet, marks=marks, path=meta.path, url=meta.url, lexical=c.lexical,
                   dense=c.dense, fused=c.final, replaced_by=meta.replaced_by,
                   overlaps_id=other.doc_id if other else "", overlaps_title=other.title if other else "",
                   overlap_kind=kind, grouped=grouped, good=good, decision=decision.decision if decision else "",
                   decision_last_date=decision.last_date if decision else None)


def _landings(sections: list[_Section]) -> list[int]:
    """The sections a hit may open on. A reference list names the topic in every title it cites; the procedure
    text is what a nurse wants to land on, so never its references, nor a one-line preamble (a disclaimer, a
    department name) when there is text: a title match opens on the procedure's first text."""
    text = [i for i, sec in enumerate(sections) if not sec.is_reference]
    return [i for i in text if len(sections[i].tokens) >= MIN_SECTION_WORDS] or text or list(range(len(sections)))


@dataclass(frozen=True, slots=True)
class _Section:
    """One section, analysed once: its stems (for choosing the best section) and per-word stems (for the
    snippet), so a document that comes back query after query costs no analysis."""

    heading: str
    tokens: tuple[str, ...]  # the body's words as written
    # Per token, the stems of the words in it: one stem as a str (most tokens), several as a tuple, none as "".
    # Not a frozenset per token: at ~220 bytes each, a few hundred cached documents took tens of MB.
    stems: tuple[str | tuple[str, ...], ...]
    terms: frozenset[str]  # all stems of heading and body
    is_reference: bool  # a reference list or bibliography, by its heading

    @classmethod
    def of(cls, heading: str, body: str, analyzer: Analyzer) -> _Section:
        tokens = body.split()
        folded = fold(body).split()  # fold once, not once per token
        if len(folded) != len(tokens):  # folding changed the spacing (odd Unicode): fold token by token
            folded = [fold(t) for t in tokens]
        stems = tuple(map(_token_stems, folded))
        terms = set(analyzer.term_set(heading))
        for st in stems:
            if isinstance(st, str):
                terms.add(st)
            else:
                terms.update(st)
        terms.discard("")
        return cls(heading, tuple(tokens), stems, frozenset(terms),
                   bool(_REFERENCE_RE.match(fold(heading).strip())))

    def snippet(self, wanted: set[str], size: int = SNIPPET_WORDS) -> tuple[str, tuple[tuple[int, int], ...]]:
        """A window of ``size`` words around the first matched word, and the character spans of the matched
        words in it (spans, not inline marks: procedure text has its own «quotes»)."""
        tokens = self.tokens
        if not tokens:
            return "", ()
        first = next((i for i, st in enumerate(self.stems) if _matches(st, wanted)), 0)
        start = max(0, min(first - size // 3, len(tokens) - size))
        text = "… " if start > 0 else ""
        marks = []
        for i in range(start, min(start + size, len(tokens))):
            if i > start:
                text += " "
            if _matches(self.stems[i], wanted):
                marks.append((len(text), len(text) + len(tokens[i])))
            text += tokens[i]
        if start + size < len(tokens):
            text += " …"
        return text, tuple(marks)


@functools.lru_cache(maxsize=200_000)
def _token_stems(folded_token: str) -> str | tuple[str, ...]:
    """The stems of the words in one folded token, compact: one stem as a str, several as a tuple, none as "".
    Cached: procedure text repeats its words, and stemming each occurrence was most of dressing a hit."""
    stems = [sys.intern(stem(w)) for w in folded_words(folded_token) if w not in STOP_WORDS]
    return "" if not stems else stems[0] if len(stems) == 1 else tuple(stems)


def _matches(stems: str | tuple[str, ...], wanted: set[str]) -> bool:
    return stems in wanted if isinstance(stems, str) else not wanted.isdisjoint(stems)
