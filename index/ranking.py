"""Fusion of lexical and dense evidence, and the primary-source-first policy.

Relevance decides first; the source tier decides within a band of comparable relevance. Each tier carries a
bonus on the fused score (VAR most), so a VAR procedure that answers the need is suggested before a local
variant, while a clearly more relevant local-only routine (larger lead than the bonus gap) still wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np


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
    """Weighted sum of max-normalised lexical and min-max-normalised dense scores.

    The lexical share falls with query length: a few words (a title, an abbreviation) are best matched by
    exact terms, while a described situation ("eldre pasient hoster når hun drikker") is best matched by meaning.
    """

    short_lexical_weight: float = 0.6  # queries of up to SHORT words
    long_lexical_weight: float = 0.4  # queries of LONG words or more; linear in between
    short: int = 3
    long: int = 4
    dense_floor_rank: int = 12  # dense scores are rescaled between this rank's score and the best

    def lexical_weight(self, words: int) -> float:
        t = min(1.0, max(0.0, (words - self.short) / (self.long - self.short)))
        return self.short_lexical_weight + t * (self.long_lexical_weight - self.short_lexical_weight)

    def fuse(self, lexical: dict[int, float], dense: dict[int, float], *,
             words: int = 1) -> dict[int, tuple[float, float, float]]:
        lex_max = max(lexical.values(), default=0.0) or 1.0
        d_sorted = sorted(dense.values(), reverse=True)
        d_hi = d_sorted[0] if d_sorted else 1.0
        d_lo = d_sorted[min(self.dense_floor_rank, len(d_sorted) - 1)] if d_sorted else 0.0
        span = (d_hi - d_lo) or 1.0
        lw = self.lexical_weight(words)
        lw, dw = (lw, 1.0 - lw) if lexical and dense else (1.0, 1.0)
        out = {}
        for idx in lexical.keys() | dense.keys():
            lx = lexical.get(idx, 0.0)
            dn = dense.get(idx)
            dn_norm = max(0.0, (dn - d_lo) / span) if dn is not None else 0.0
            out[idx] = (lx, dn or 0.0, lw * lx / lex_max + dw * dn_norm)
        return out


@dataclass(frozen=True)
class SourcePriority:
    """Primary source first: a bonus per tier added to the fused (0..1) relevance."""

    bonus: dict = field(default_factory=lambda: {"var": 0.2, "regional": 0.08, "local": 0.0})
    stale_penalty: float = 0.05

    def final_score(self, fused: float, tier: str, stale: bool) -> float:
        return fused + self.bonus.get(tier, 0.0) - (self.stale_penalty if stale else 0.0)

    def rank(self, candidates: list[Candidate]) -> list[Candidate]:
        return sorted(candidates, key=lambda c: (-c.final, c.idx))


@dataclass(frozen=True)
class VariantGrouping:
    """A local or regional hit that repeats a VAR procedure found in the same search goes right under it.

    "VAR AS IS": when a local routine covers the task of a VAR procedure, the VAR procedure is suggested first
    and the local variant stays reachable just below it. A full copy whose VAR procedure is in the list is
    never more relevant than that procedure — it repeats the same task; where it matches the query better, the
    difference is local wording — so its fused score is capped at the procedure's, and it loses
    ``copy_penalty`` besides (it adds nothing the primary source lacks). So it does not outrank other VAR
    procedures its VAR procedure does not outrank either. A partial variant (a children's version, one shared
    section) groups only when its VAR procedure is comparably relevant (fused score at least ``partial_ratio``
    of the variant's), so a query about what only the variant covers still finds it first. A variant never
    moves above another VAR hit.
    """

    partial_ratio: float = 0.7
    copy_penalty: float = 0.05

    def group(self, ranked: list[Candidate], parents: dict[int, tuple[int, str]]) -> tuple[list[Candidate], set[int]]:
        """(new order, idx of the hits placed under their VAR procedure). ``parents``: idx → (VAR idx, kind)."""
        by_idx = {c.idx: c for c in ranked}
        links: dict[int, int] = {}
        for c in ranked:
            parent, kind = parents.get(c.idx, (None, ""))
            p = by_idx.get(parent)
            if p is None or (kind != "full" and p.fused < self.partial_ratio * c.fused):
                continue
            links[c.idx] = p.idx
            if kind == "full":
                excess = max(0.0, c.fused - p.fused)
                by_idx[c.idx] = replace(c, final=c.final - excess - self.copy_penalty)
        ranked = sorted(by_idx.values(), key=lambda c: (-c.final, c.idx))
        pos = {c.idx: i for i, c in enumerate(ranked)}
        is_var = [c.tier == "var" for c in ranked]
        children: dict[int, list[Candidate]] = {}
        for c in ranked:
            p = links.get(c.idx)
            if p is None or (pos[p] < pos[c.idx] and any(is_var[pos[p] + 1:pos[c.idx]])):
                links.pop(c.idx, None)
                continue
            children.setdefault(p, []).append(c)
        out: list[Candidate] = []
        done: set[int] = set()
        for c in ranked:
            head = links.get(c.idx, c.idx)
            if head in done:
                continue
            done.add(head)
            out.append(by_idx[head])
            for child in children.get(head, ()):
                done.add(child.idx)
                out.append(child)
        return out, set(links)


def top_docs_from_chunks(scores: np.ndarray, chunk_docs: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Best chunk score per document (chunks grouped by document), then the k best documents."""
    starts = np.flatnonzero(np.r_[True, chunk_docs[1:] != chunk_docs[:-1]])
    best = np.maximum.reduceat(scores, starts)
    docs = chunk_docs[starts]
    k = min(k, len(best))
    top = np.argpartition(-best, k - 1)[:k] if k else np.array([], dtype=int)
    top = top[np.argsort(-best[top])]
    return docs[top], best[top]
