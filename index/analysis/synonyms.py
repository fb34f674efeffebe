"""The synonym and abbreviation table (``resources/synonyms.tsv``), applied at query time.

One group per line, tab-separated, every term in a group equivalent (``pvk  perifert venekateter  venflon``).
Matching is on stems, so inflected query words (``venekateteret``) still find their group.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

from index.analysis.analyzer import ENGLISH_STOP_WORDS, STOP_WORDS, stem, stem_en, words

log = logging.getLogger(__name__)

MAX_TERM_WORDS = 6


@dataclass(frozen=True, slots=True)
class Concept:
    """One thing the user asked for: the words as typed plus equivalent phrasings (each a tuple of stems)."""

    original: tuple[str, ...]  # stems of what the user typed
    surface: str  # the words as typed (folded)
    alternatives: tuple[tuple[str, ...], ...] = ()
    forms: tuple[tuple[str, ...], ...] = ()  # the words as typed under another language's stemmer


def with_english(concepts: list[Concept]) -> list[Concept]:
    """The concepts for an index that holds English documents: English stop words go, and each concept is also
    looked up by the English stems of its words (a query's language is not known; a Norwegian word's English
    stem is usually itself or a form no Norwegian document is indexed under)."""
    out = []
    seen: set[tuple[str, ...]] = set()
    for c in concepts:
        surface = c.surface.split()
        if all(w in ENGLISH_STOP_WORDS for w in surface):
            continue
        en = tuple(stem_en(w) for w in surface if w not in ENGLISH_STOP_WORDS)
        # Words one English stem apart are one concept ("aggravated … aggravate"): a word asked twice is not
        # asked more, and counted twice it let documents about "potassium-aggravated myotonia" outrank
        # plantar fasciitis (LiveQA-Med).
        if en and en in seen:
            continue
        seen.update((en, c.original))
        out.append(replace(c, forms=(en,)) if en and en != c.original else c)
    return out


def _stems(phrase: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(phrase) if w not in STOP_WORDS)


class SynonymTable:
    def __init__(self, groups: list[list[str]] | None = None):
        self.groups: list[tuple[tuple[str, ...], ...]] = []
        self._by_phrase: dict[tuple[str, ...], list[int]] = {}
        for terms in groups or []:
            self._add(terms)

    def _add(self, terms: list[str]) -> None:
        phrases = tuple(dict.fromkeys(p for p in (_stems(t) for t in terms) if p))
        if len(phrases) < 2:
            return
        gid = len(self.groups)
        self.groups.append(phrases)
        for p in phrases:
            self._by_phrase.setdefault(p, []).append(gid)

    @classmethod
    def load(cls, path: Path) -> SynonymTable:
        groups = []
        with open(path, encoding="utf-8-sig") as fh:
            for lineno, line in enumerate(fh, 1):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                terms = [t.strip() for t in line.split("\t") if t.strip()]
                if len(terms) < 2:
                    log.warning("%s:%d: a synonym group needs at least two terms", path, lineno)
                    continue
                groups.append(terms)
        return cls(groups)

    def __len__(self) -> int:
        return len(self.groups)

    def concepts(self, query: str) -> list[Concept]:
        """Split a query into concepts, longest synonym phrase first, each with its alternatives."""
        surface = [w for w in words(query) if w not in STOP_WORDS]
        stems = [stem(w) for w in surface]
        out: list[Concept] = []
        i = 0
        while i < len(stems):
            for n in range(min(MAX_TERM_WORDS, len(stems) - i), 0, -1):
                phrase = tuple(stems[i:i + n])
                gids = self._by_phrase.get(phrase)
                if gids or n == 1:
                    alts = tuple(dict.fromkeys(
                        alt for g in gids or () for alt in self.groups[g] if alt != phrase))
                    out.append(Concept(phrase, " ".join(surface[i:i + n]), alts))
                    i += n
                    break
        return out
