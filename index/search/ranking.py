"""Fusion of lexical and dense evidence, and the primary-source-first policy.

Relevance decides first; the source tier decides within a band of comparable relevance. Each tier carries a
bonus on the fused score (VAR most), so a VAR procedure that answers the need is suggested before a local
variant, while a clearly more relevant local-only routine (larger lead than the bonus gap) still wins.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

import numpy as np

from index.records import Tier


@dataclass(frozen=True, slots=True)
class Candidate:
    idx: int
    tier: str
    lexical: float = 0.0  # raw BM25F
    dense: float = 0.0  # cosine of the best chunk
    fused: float = 0.0
    final: float = 0.0


@dataclass(frozen=True)
class Fusion:
    """Weighted sum of lexical and dense evidence, each normalised per query.

    Lexical: BM25F times a coordination factor, the IDF-weighted share of the query's concepts the document
    matches to the power ``coord_power`` (Lucene's classic ``coord``, damped), then divided by the best. BM25F
    sums its words, so a document that repeats one rare word of a question can outscore one that answers all
    of it; the factor leans towards the document that covers the question. Dense: the best chunk's cosine,
    calibrated against the no-match baseline (the median document's cosine, how close "anything" is to the
    query; ``Confidence`` uses the same), rescaled to 1 for the best and, beside lexical evidence, raised to
    ``dense_power``: the few documents standing clear of the crowd keep their lead, and the next dozens still
    count for something. Alone (meaning-only search) it stays linear, as lexical scores do in word-only search:
    the power shapes the sum of the two, and on its own it only let the tier bonus matter less (nursing-nb dev
    dense nDCG@10 0.854 linear, 0.839 with the power; VAR-first 0.94 against 0.82).

    Chosen with bench/tune.py over nursing-nb dev, NorQuAD dev and liveqa-sub (hybrid) and LiveQA-Med
    (lexical), nDCG@10; the objective is the mean over the three sets (nursing-nb's R@10, MRR@10 and VAR-first
    not worse):

    - one lexical share of 0.6 for every query (2026-12-03): a share falling with query length (0.6 for a few
      words, 0.4 from four) fitted nursing-nb's situations and cost real questions (NorQuAD 0.921 → 0.930,
      nursing-nb 0.917 → 0.919); 0.55 and 0.65 lose 0.002–0.01 on one set or another (2026-12-04);
    - ``coord_power`` 0.25 (2026-12-03): hybrid nursing-nb 0.919 → 0.928, NorQuAD 0.930 → 0.937; lexical
      nursing-nb 0.901 → 0.909, NorQuAD 0.907 → 0.928, LiveQA-Med 0.530 → 0.522 (its long consumer questions
      carry words no answer needs). 0.5 gave hybrid 0.925 / 0.942 and cost nursing-nb VAR-first in lexical
      mode (0.96 → 0.94) and LiveQA-Med more (0.518);
    - the dense baseline (2026-12-04). It replaced a floor at the 12th document's cosine, below which every
      document counted 0: a relevant passage 13th–40th by meaning got nothing from it (liveqa-sub R@10 0.808
      against plain RRF's 0.850). Median baseline, power 1 / 2 / 2.25 / 2.5 / 3: nursing-nb 0.920 / 0.928 /
      0.930 / 0.930 / 0.925, NorQuAD 0.938 / 0.939 / 0.939 / 0.939 / 0.938, liveqa-sub 0.660 / 0.664 / 0.663 /
      0.662 / 0.662; the floor at 12 had 0.933 / 0.936 / 0.653 (plain RRF 0.845 / 0.908 / 0.659).
    - Rescaling lexical scores between a floor rank and the best, as the dense side was, lost on NorQuAD.
    """

    lexical_weight: float = 0.6
    dense_power: float = 2.25
    coord_power: float = 0.25

    def fuse(self, lexical: dict[int, float], dense: dict[int, float], coverage: dict[int, float] | None = None,
             dense_baseline: float = 0.0) -> dict[int, tuple[float, float, float]]:
        """doc idx → (BM25F, cosine, fused score). ``coverage``: doc idx → the share of the query it matches;
        ``dense_baseline``: the cosine of a document that does not answer (the median document's)."""
        coverage = coverage or {}
        weighted = {i: v * coverage.get(i, 1.0) ** self.coord_power for i, v in lexical.items()}
        lex_max = max(weighted.values(), default=0.0) or 1.0
        d_hi = max(dense.values(), default=1.0)
        span = (d_hi - dense_baseline) or 1.0
        both = bool(lexical and dense)
        lw, dw = (self.lexical_weight, 1.0 - self.lexical_weight) if both else (1.0, 1.0)
        power = self.dense_power if both else 1.0
        out = {}
        for idx in lexical.keys() | dense.keys():
            dn = dense.get(idx)
            dn_norm = max(0.0, (dn - dense_baseline) / span) ** power if dn is not None else 0.0
            out[idx] = (lexical.get(idx, 0.0), dn or 0.0, lw * weighted.get(idx, 0.0) / lex_max + dw * dn_norm)
        return out


@dataclass(frozen=True)
class SourcePriority:
    """Primary source first: a bonus per tier added to the fused (0..1) relevance."""

    # VAR 0.2 (bench/tune.py --grid policy, 2026-12-04; the tiers exist only in nursing-nb): hybrid nDCG@10 0.918
    # at 0.3, 0.928 at 0.25, 0.933 at 0.2, 0.935 at 0.15; R@10 0.993 at 0.25, 1.000 from 0.2 down (relevant local
    # variants no longer pushed under unrelated VAR hits); VAR-first 0.96 throughout. Lexical mode: nDCG@10
    # 0.912 → 0.916, VAR-first 0.96 → 0.94 at 0.2 (one query whose VAR answer is 4th either way) and 0.92 at
    # 0.15, so not lower. 0.25 was held up by a nynorsk children's PVK routine the overlap check did not link
    # (demo self-test); the detector links it now, and grouping keeps VAR first for "PVK" and "venflon" in
    # both modes. Regional 0.1: 0.08–0.12 the same (±0.001).
    bonus: dict = field(default_factory=lambda: {Tier.VAR: 0.2, Tier.REGIONAL: 0.1, Tier.LOCAL: 0.0})
    stale_penalty: float = 0.05

    def final_score(self, fused: float, tier: str, stale: bool) -> float:
        return float(fused + self.bonus.get(tier, 0.0) - (self.stale_penalty if stale else 0.0))

    def rank(self, candidates: list[Candidate]) -> list[Candidate]:
        """Best final score first; equal scores by their raw evidence, cosine then BM25F (a document at or below
        the dense baseline fuses to 0, its tier's bonus alone: without this, such hits kept index order)."""
        return sorted(candidates, key=lambda c: (-c.final, -c.dense, -c.lexical, c.idx))


@dataclass(frozen=True)
class Confidence:
    """Whether a hit is a real match or only the closest thing the index has ("xyzzy" finds *something* by
    meaning: every document has a cosine with every query).

    Dense evidence is calibrated per query against a no-match baseline, the median document's cosine: a
    document that answers stands clear of the crowd, while for nonsense every document is about as close as
    the median one. Lexical evidence is the IDF-weighted share of the query's searched concepts a document
    matches (its rare words count, a shared common word hardly). The two add up, one a substitute for the
    other; without the dense side (lexical mode), the concepts alone decide. Two independent searches that
    both put a document among their few best are evidence in themselves: such a document needs a smaller
    margin (``agreement_threshold``) — a colloquial or roundabout question ("sprøyte i rumpa") stands less
    clear of the crowd by meaning than a title does, but its words and its meaning agree, while nonsense
    matches by meaning alone or by one stray word. Calibrated on nursing-nb dev against
    bench/data/no-match-queries.txt, checked on NorQuAD dev; bench/quality.py prints the rates (2026-12-03,
    hybrid: 1 % of nursing-nb dev queries and 94 % of the no-match queries get no good hit, 5 % / 97 % without
    the agreement rule; NorQuAD unchanged by it at 0.4 % / 22 %: on Wikipedia passages "who won Eurovision" is
    a real question, and 3 of the 10 random strings still find a document standing clear by meaning among
    755). A real query wrongly told "no good match" costs more than a nonsense one shown its closest
    suggestions.
    """

    threshold: float = 0.048  # margin + coverage_weight × coverage a good hit reaches
    coverage_weight: float = 0.05  # what matching every searched concept is worth, in cosine margin
    lexical_coverage: float = 0.5  # lexical mode: the IDF-weighted share of the concepts a good hit matches
    agreement_threshold: float = 0.035  # the threshold for a document both searches put among their best
    agreement_rank: int = 3  # "among their best": within this many of each search's top

    def good(self, coverage: float, margin: float | None, agree: bool = False) -> bool:
        if margin is None:
            return coverage >= self.lexical_coverage
        bar = self.agreement_threshold if agree else self.threshold
        return margin + self.coverage_weight * coverage >= bar

    def agreeing(self, lexical: dict[int, float], dense: dict[int, float]) -> set[int]:
        """The documents within ``agreement_rank`` of the top of both the lexical and the dense search: two
        independent kinds of evidence pointing at the same document."""
        if not lexical or not dense:
            return set()
        k = self.agreement_rank
        top_lexical = set(heapq.nlargest(k, lexical, key=lexical.__getitem__))
        top_dense = set(heapq.nlargest(k, dense, key=dense.__getitem__))
        return top_lexical & top_dense


@dataclass(frozen=True)
class VariantGrouping:
    """A local or regional hit that repeats a VAR procedure found in the same search goes right under it.

    "VAR AS IS": when a local routine covers the task of a VAR procedure, the VAR procedure is suggested first
    and the local variant stays in reach right below it: the tier bonus never buries it under VAR hits less
    relevant than itself (only VAR hits more relevant than the variant stay between it and its procedure). A
    variant groups only when its VAR procedure is about this query too: at least ``link_floor`` of the
    variant's relevance (fused score), or — for a partial variant (a children's version, one shared section)
    — ``partial_ratio`` of it. Below that the link says
    nothing about this query (a link to the wrong procedure, or a need only the variant covers), and the
    variant's own relevance decides. A stale variant groups whenever its VAR procedure is in the list: an
    overdue local copy never outranks the current procedure it repeats.
    """

    partial_ratio: float = 0.7
    link_floor: float = 0.5
    copy_penalty: float = 0.05

    def group(self, ranked: list[Candidate], parents: dict[int, tuple[int, str]],
              stale: frozenset[int] = frozenset()) -> tuple[list[Candidate], set[int]]:
        """(new order, idx of the hits placed right under their VAR procedure). ``parents``: idx → (VAR idx,
        kind); ``stale``: idx of the stale hits."""
        by_idx = {c.idx: c for c in ranked}
        children: dict[int, list[Candidate]] = {}
        for c in ranked:
            parent, kind = parents.get(c.idx, (None, ""))
            p = by_idx.get(parent) if parent is not None else None
            if p is None or p.tier != Tier.VAR or parent in parents:
                continue
            need = self.link_floor if kind == "full" else self.partial_ratio
            if c.idx in stale or p.fused >= need * c.fused:
                children.setdefault(p.idx, []).append(c)
        placed = {c.idx for kids in children.values() for c in kids}
        base = [c for c in ranked if c.idx not in placed]
        pos = {c.idx: i for i, c in enumerate(base)}
        after: dict[int, list[Candidate]] = {}  # base position → the variants that follow it
        adjacent: set[int] = set()
        for parent, kids in children.items():
            p = by_idx[parent]
            for kid in kids:
                # Right under the parent — past only the VAR hits that follow it and outrank the variant on
                # its own: the tier bonus alone never buries it. A full copy counts for no more than the
                # procedure it repeats (less ``copy_penalty``: it adds nothing the primary source lacks).
                own = kid.final
                if parents[kid.idx][1] == "full":
                    own = min(own, kid.final - kid.fused + p.fused) - self.copy_penalty
                at = pos[parent]
                while (kid.idx not in stale and at + 1 < len(base) and base[at + 1].tier == Tier.VAR
                       and base[at + 1].final > own):
                    at += 1
                after.setdefault(at, []).append(kid)
                if at == pos[parent]:
                    adjacent.add(kid.idx)
        out: list[Candidate] = []
        for i, c in enumerate(base):
            out.append(c)
            out.extend(sorted(after.get(i, ()), key=lambda k: (-k.final, k.idx)))
        return out, adjacent


def best_per_doc(scores: np.ndarray, chunk_docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(doc idx, best chunk score) of every document (chunks grouped by document)."""
    starts = np.flatnonzero(np.r_[True, chunk_docs[1:] != chunk_docs[:-1]])
    return chunk_docs[starts], np.maximum.reduceat(scores, starts)


def top_docs(docs: np.ndarray, best: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best of ``best_per_doc``'s documents, best first."""
    k = min(k, len(best))
    top = np.argpartition(-best, k - 1)[:k] if k else np.array([], dtype=int)
    top = top[np.argsort(-best[top])]
    return docs[top], best[top]

