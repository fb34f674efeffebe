"""Typo tolerance (index/spelling.py): suggestions from the corpus vocabulary, Norwegian letters, and the restraint
that a query the index knows is never rewritten (a correction replaces only a query made mostly of unknown words).

The vocabulary is the real ``Vocabulary``; the lexical side is a real Whoosh index of the test corpus.
"""

from __future__ import annotations

import json

import pytest

from index.analysis.analyzer import Vocabulary
from index.analysis.spelling import Correction, Speller
from index.api import Engine
from index.builder import build
from index.search.lexical import LexicalIndex
from index.store import snapshot
from tests.helpers.corpus import write_corpus

TEXT = ("trykksår trykksår trykksår blodtrykksmåling blodtrykksmåling ernæring ernæring sondeernæring sondeernæring "
        "kateter kateter kateteret kateteret munnstell munnstell barn barn sonde sonde pasient pasient pasiens "
        "pasiens pasiens tryksår 2024 2024")


@pytest.fixture(scope="module")
def speller() -> Speller:
    vocabulary = Vocabulary()
    vocabulary.add_text(TEXT)
    return Speller(vocabulary)


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory):
    """The test corpus built lexical-only: (its vocabulary, its Whoosh index)."""
    ix = tmp_path_factory.mktemp("spell-ix")
    build.build(ix, write_corpus(tmp_path_factory.mktemp("spell-src")))
    folder = snapshot.current_dir(ix)
    lexical = LexicalIndex(folder / "whoosh")
    yield ix, Vocabulary.from_json(json.loads((folder / "vocab.json").read_text("utf-8"))), lexical
    lexical.close()


class _NoIndex:
    """A lexical side that knows no term: what the speller does on vocabulary alone."""

    def doc_frequency(self, term: str) -> int:
        return 0


@pytest.mark.parametrize(("typed", "expected"), [
    ("trykksar", "trykksår"),  # å typed as a
    ("trykksåf", "trykksår"),
    ("blodtrykksmaling", "blodtrykksmåling"),
    ("ernering", "ernæring"),  # æ typed as e
    ("sondeernaering", "sondeernæring"),  # æ typed as ae: two edits, allowed in a long word
    ("blodtrykksmålnig", "blodtrykksmåling"),  # transposed letters are one edit
    ("katetre", "kateter"),
    ("munstell", "munnstell"),
])
def test_a_typo_gets_the_corpus_word(speller, typed, expected):
    assert speller.suggest(typed) == expected


@pytest.mark.parametrize("typed", ["sår", "bar", "2025", "xyzq", "kaetr", "blodtrykmalnig", "qwertyuiop"])
def test_short_words_numbers_and_words_too_far_from_any_get_no_suggestion(speller, typed):
    """Under four letters and numbers are left alone; a short word gets one edit, a long one two."""
    assert speller.suggest(typed) is None


def test_a_word_seen_once_is_not_offered_and_the_more_frequent_word_wins_a_tie(speller):
    assert speller.suggest("tryksar") == "trykksår"  # "tryksår" (one edit away) is itself a typo in one document
    assert speller.suggest("pasienz") == "pasiens"  # pasient and pasiens are both one edit away: the commoner wins


@pytest.mark.parametrize("query", ["trykksår", "TRYKKSÅR", "Trykksår hos barn", "ernäring",  # ä folds to æ
                                   "trykksårsonde",  # a compound of known words
                                   "hvordan", ""])
def test_a_query_of_known_words_is_not_rewritten(speller, query):
    assert speller.correct(query, _NoIndex()) == Correction("", False)


@pytest.mark.parametrize(("query", "text", "replace"), [
    ("trykksåf", "trykksår", True),  # the only word is unknown: searching as typed finds nothing
    ("sondeernæirng barn", "sondeernæring barn", True),  # half the words: replaced
    ("hvordan gi sondeernæirng", "hvordan gi sondeernæring", True),  # stop words are not content words
    ("sondeernæirng barn kateter munnstell", "sondeernæring barn kateter munnstell", False),  # offered only
])
def test_a_correction_replaces_the_query_only_when_unknown_words_dominate(speller, query, text, replace):
    assert speller.correct(query, _NoIndex()) == Correction(text, replace)


def test_an_unknown_word_without_a_suggestion_changes_nothing(speller):
    assert speller.correct("qwertyuiop", _NoIndex()) == Correction("", False)
    assert speller.correct("trykksår qwertyuiop", _NoIndex()) == Correction("", False)


def test_a_word_the_index_has_is_kept_even_if_rare_in_the_vocabulary(corpus_index):
    _, vocabulary, lexical = corpus_index
    speller = Speller(vocabulary)
    assert vocabulary.counts["mansjetten"] < vocabulary.min_count  # too rare to be a suggestion ...
    assert speller.suggest("mansjetten") is None
    assert speller.correct("mansjetten", lexical) == Correction("", False)  # ... but the index has it: kept
    assert speller.correct("blodtrykkmaling", lexical) == Correction("blodtrykksmåling", True)


def test_search_corrects_a_typo_and_leaves_a_known_query_alone(corpus_index):
    ix, _, _ = corpus_index
    engine = Engine(ix)
    try:
        typo = engine.search("blodtrykkmaling", mode="lexical")
        assert (typo.suggestion, typo.fuzzy) == ("blodtrykksmåling", True)
        assert typo.hits and typo.hits[0].doc_id == "t-var-bt"
        known = engine.search("blodtrykksmåling", mode="lexical")
        assert (known.suggestion, known.fuzzy) == ("", False)
        assert [h.doc_id for h in known.hits] == [h.doc_id for h in typo.hits]
        # One typo among known words: the question is searched as asked, the correction only offered.
        offered = engine.search("blodtrykkmaling overarmen stetoskop mansjetten", mode="lexical")
        assert (offered.suggestion, offered.fuzzy) == ("blodtrykksmåling overarmen stetoskop mansjetten", False)
        assert offered.hits[0].doc_id == "t-var-bt"
    finally:
        engine.close()
