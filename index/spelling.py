"""Typo tolerance: words the index does not know are corrected against the corpus vocabulary."""

from __future__ import annotations

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from index.analysis import STOP_WORDS, Vocabulary, stem, words


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
        best = min(found, key=lambda m: (m[1], -self._counts[m[0]]))
        return best[0]

    def correct(self, text: str, lexical) -> str:
        """The query with unknown words replaced, or "" when nothing needed (or could be) corrected."""
        out, changed = [], False
        for w in words(text):
            if (w in STOP_WORDS or w in self._counts or lexical.doc_frequency(stem(w)) > 0
                    or self._vocabulary.split(w)):
                out.append(w)
                continue
            fix = self.suggest(w)
            out.append(fix or w)
            changed |= bool(fix)
        return " ".join(out) if changed else ""
