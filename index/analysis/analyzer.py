"""Text analysis: folding, tokens, stop words, stemming and compound splitting.

One ``Analyzer`` turns text into index terms, the same way at index and at query time. A document is analysed
in its language: Norwegian (bokmål and nynorsk) as Snowball Norwegian stems of the bokmål form of each word
(``index.analysis.nynorsk`` maps nynorsk forms first), English (VAR Healthcare and much of the literature exist in
English) as Snowball English stems without English stop words. Compound words in Norwegian text are split against
the corpus vocabulary (``Vocabulary``) so ``trykksår`` finds ``trykksårforebygging`` and ``måling blodtrykk``
finds ``blodtrykksmåling``; the parts go to their own field so a whole-word match still counts more. English
writes its compounds apart, so English text has no parts. A query's language is not known: when the index holds
English documents, each query word is also looked up by its English stem (``index.analysis.synonyms.Concept.forms``).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable

from whoosh.lang import stemmer_for_language, stopwords_for_language

from index.analysis.nynorsk import WORDS as _NYNORSK
from index.analysis.nynorsk import to_bokmal

# Bump when the terms a text analyses to change: an index built with another version is re-analysed in full.
ANALYSIS_VERSION = 3

_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
_KEEP = set("æøå")
# Stop words in both written standards, plus filler words nurses type into a search box.
STOP_WORDS = frozenset(stopwords_for_language("no")) | frozenset(
    ["hvordan", "korleis", "hva", "kva", "når", "kor", "hvor", "hvilken", "hvilke", "kven", "hvem", "bør", "skal",
     "kan", "må", "gjøre", "gjere", "gjør", "rutine", "rutinen", "prosedyre", "prosedyren"]
)
# A nynorsk word whose bokmål form is a stop word is one too (``frå`` as ``fra``).
STOP_WORDS |= frozenset(nn for nn, nb in _NYNORSK.items() if nb in STOP_WORDS)
ENGLISH_STOP_WORDS = frozenset(stopwords_for_language("en")) | frozenset(
    ["what", "how", "does", "do", "which", "who", "should", "would", "could", "i", "me", "my", "get", "much"])
# Linking letters Norwegian puts between compound parts (blodtrykk-s-måling, sykepleie-e-...).
_LINKERS = ("s", "e")
MIN_PART = 3
MAX_WORD = 40


def _fold_char(ch: str) -> str:
    if ch in _KEEP or ch.isascii():
        return ch
    base = unicodedata.normalize("NFD", ch)
    return "".join(c for c in base if not unicodedata.combining(c)) or ch


# Characters seen so far that fold to themselves, and those that do not. Folding a text then costs a set of its
# characters and a ``replace`` per accented letter in it, not a Python step per character (folding was most of
# the time spent dressing search hits). A folded character folds to itself, so the order of replaces is free.
_FOLD_SAME = {chr(i) for i in range(128)} | _KEEP
_FOLD_CHANGED: dict[str, str] = {}


def fold(text: str) -> str:
    """Lowercase and strip accents, keeping æ, ø, å (é→e, ü→u; Swedish/German ä, ö → æ, ø)."""
    text = unicodedata.normalize("NFC", text).lower().replace("ä", "æ").replace("ö", "ø")
    if text.isascii():
        return text
    for ch in set(text).difference(_FOLD_SAME):
        folded = _FOLD_CHANGED.get(ch)
        if folded is None:
            folded = _fold_char(ch)
            if folded == ch:
                _FOLD_SAME.add(ch)
                continue
            _FOLD_CHANGED[ch] = folded
        text = text.replace(ch, folded)
    return text


def words(text: str) -> list[str]:
    """Folded surface words (no stop-word removal, no stemming)."""
    return folded_words(fold(text))


def folded_words(folded: str) -> list[str]:
    """``words`` of text that is already folded (fold a long text once, then split it)."""
    return [w for w in _TOKEN_RE.findall(folded) if len(w) <= MAX_WORD]


_snowball: Callable[[str], str] = stemmer_for_language("no")
_snowball_en: Callable[[str], str] = stemmer_for_language("en")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball Norwegian of the word's bokmål form, applied to a fixed point so inflected and base forms meet
    (``kateteret`` → ``kateter`` → ``katet``; ``sjukepleiar`` → ``sykepleier`` → ``sykeplei``)."""
    if word.isdigit() or len(word) <= 3:
        return word
    word = to_bokmal(word)
    prev, cur = word, _snowball(word)
    while cur != prev and len(cur) > 3:
        prev, cur = cur, _snowball(cur)
    return cur


@functools.lru_cache(maxsize=200_000)
def stem_en(word: str) -> str:
    """Snowball English (Porter 2) of a word in English text."""
    if word.isdigit() or len(word) <= 3:
        return word
    return _snowball_en(word)


def is_english(language: str) -> bool:
    return language == "en"


class Vocabulary:
    """Surface-word frequencies of the corpus; used to split compounds and to suggest spellings."""

    def __init__(self, counts: Counter | dict | None = None, *, min_count: int = 2):
        self.counts: Counter = Counter(counts or {})
        self.min_count = min_count
        self._split_cache: dict[str, tuple[str, ...]] = {}

    def add_text(self, text: str) -> None:
        self.counts.update(w for w in words(text) if not w.isdigit())
        self._split_cache.clear()

    def remove_texts(self, texts: Iterable[str]) -> None:
        """Undo ``add_text`` of each text (documents that left the corpus)."""
        for text in texts:
            self.counts.subtract(w for w in words(text) if not w.isdigit())
        self.counts = +self.counts  # drop the words that reached zero
        self._split_cache.clear()

    def known(self, word: str) -> bool:
        return self.counts.get(word, 0) >= self.min_count and word not in STOP_WORDS

    def split(self, word: str) -> tuple[str, ...]:
        """Parts of a compound word (recursively), or ``()`` when it does not split into known words."""
        cached = self._split_cache.get(word)
        if cached is None:
            cached = self._split_cache[word] = self._split(word, depth=0)
        return cached

    def _split(self, word: str, depth: int) -> tuple[str, ...]:
        if len(word) < 2 * MIN_PART or depth > 3 or not word.isalpha():
            return ()
        best: tuple[float, str, str] | None = None
        for i in range(MIN_PART, len(word) - MIN_PART + 1):
            head, tail = word[:i], word[i:]
            if not (self.known(tail) or self._split(tail, depth + 1)):
                continue
            heads = [head]
            if head[-1] in _LINKERS and len(head) > MIN_PART:
                heads.append(head[:-1])
            for h in heads:
                if not self.known(h):
                    continue
                # Koehn & Knight: prefer the split whose parts are frequent (geometric mean).
                score = math.sqrt(self.counts[h] * max(self.counts.get(tail, 0), 1))
                if best is None or score > best[0]:
                    best = (score, h, tail)
        if best is None:
            return ()
        # Binary split first, then each part that is itself a compound splits further:
        # trykksårforebygging → trykksår, forebygging, trykk, sår.
        _, head, tail = best
        return (head, tail, *self._split(head, depth + 1), *self._split(tail, depth + 1))

    def to_json(self) -> dict:
        return {"min_count": self.min_count, "counts": dict(self.counts)}

    @classmethod
    def from_json(cls, data: dict) -> Vocabulary:
        return cls(data.get("counts", {}), min_count=int(data.get("min_count", 2)))


class Analyzer:
    """Text → index terms. ``terms`` gives whole-word stems, ``part_terms`` the stems of compound parts."""

    def __init__(self, vocabulary: Vocabulary | None = None):
        self.vocabulary = vocabulary or Vocabulary()

    def terms(self, text: str, language: str = "nb") -> list[str]:
        if is_english(language):
            return [stem_en(w) for w in words(text) if w not in ENGLISH_STOP_WORDS]
        return [stem(w) for w in words(text) if w not in STOP_WORDS]

    def term_set(self, text: str) -> set[str]:
        """``set(terms(text))``, stemming each distinct word once."""
        return {stem(w) for w in set(words(text)).difference(STOP_WORDS)}

    def part_terms(self, text: str, language: str = "nb") -> list[str]:
        if is_english(language):
            return []
        out: list[str] = []
        for w in words(text):
            if w in STOP_WORDS:
                continue
            out.extend(stem(p) for p in self.vocabulary.split(w) if p not in STOP_WORDS)
        return out

    def all_terms(self, text: str, language: str = "nb") -> tuple[list[str], list[str]]:
        return self.terms(text, language), self.part_terms(text, language)


def join_terms(terms: Iterable[str]) -> str:
    """Pre-analysed terms as the space-separated text Whoosh's fields take."""
    return " ".join(terms)
