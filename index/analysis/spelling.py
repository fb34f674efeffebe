"""Typo tolerance: words the index does not know are corrected against the corpus vocabulary.

Restraint: a correction *replaces* the query only when the unknown words are at least half of what the user
typed (``trykksåf``, ``sondeernæirng barn``) — then the query as typed finds little. An unknown word in a longer
question (a name, a rare term the corpus lacks) is kept and the correction is only offered ("did you mean"):
the rest of the question still finds the answer, and a rewrite would change what was asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from index.analysis.analyzer import STOP_WORDS, Vocabulary, stem, words


class _Lexical(Protocol):
    """What the speller asks the lexical index (``index.lexical.LexicalIndex``)."""

    def doc_frequency(self, term: str) -> int: ...


class Speller:
    def __init__(self, vocabulary: Vocabulary, *, min_count: int = 2):
        self._vocabulary = vocabulary
        ranked = sorted(((w, c) for w, c in vocabulary.counts.items()
                         if c >= min_count and len(w) >= 3 and not w.isdigit()), key=lambda wc: -wc[1])
        self._words = [w for w, _ in ranked]
        self._counts = dict(ranked)

    def suggest(self, word: str) -> str | None:
        """The most frequent vocabulary word within edit distance 1 (2 for long words), or None."""
        if len(word) < 4 or word.isdigit():
            return None
        limit = 1 if len(word) <= 6 else 2
        found = process.extract(word, self._words, scorer=DamerauLevenshtein.distance,
                                score_cutoff=limit, limit=20)
        if not found:
            return None
        best: tuple[str, int, int] = min(found, key=lambda m: (m[1], -self._counts[m[0]]))
        return best[0]

    def correct(self, text: str, lexical: _Lexical) -> Correction:
        """The query with its unknown words corrected, and whether the correction should replace the query."""
        out, fixed, content = [], 0, 0
        for w in words(text):
            if w in STOP_WORDS:
                out.append(w)
                continue
            content += 1
            if w in self._counts or lexical.doc_frequency(stem(w)) > 0 or self._vocabulary.split(w):
                out.append(w)
                continue
            fix = self.suggest(w)
            out.append(fix or w)
            fixed += bool(fix)
        if not fixed:
            return Correction("", False)
        return Correction(" ".join(out), replace=2 * fixed >= content)


@dataclass(frozen=True, slots=True)
class Correction:
    text: str  # the corrected query, or "" when no word needed (or could get) a correction
    replace: bool  # search for ``text`` instead of the query (else only offer it)
