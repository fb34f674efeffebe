"""Documents analysed in their own language: an English procedure beside Norwegian ones (real lexical index)."""

from index.analysis.analyzer import Analyzer, Vocabulary
from index.api import Engine
from index.builder import build
from index.records import SearchMode
from tests.helpers.corpus import DOCS, write_corpus

ENGLISH = {
    "var/bleeding.md": dict(
        id="t-var-bleeding-en", title="Bleeding after surgery – observation and first measures", source="var",
        owner="VAR (test)", language="en", revised="2025-04-01", review_due="2028-04-01",
        keywords=["haemorrhage", "postoperative"],
        body="""## Purpose
Recognising postoperative bleeding early and acting on it.
## Procedure
Observe the dressings and drains hourly. A patient who bleeds heavily is laid flat, pressure is applied
to the wound and the surgeon is called. Measure pulse and blood pressure every fifteen minutes."""),
}


def ids(result):
    return [h.doc_id for h in result.hits]


def test_english_text_is_stemmed_as_english_and_not_split_into_parts():
    analyzer = Analyzer(Vocabulary({"under": 5, "standing": 5}))
    assert analyzer.terms("Bleeding after surgeries", "en") == ["bleed", "surgeri"]
    assert analyzer.terms("the patient bleeds", "en") == ["patient", "bleed"]  # English stop words go
    assert analyzer.part_terms("understanding", "en") == []
    assert analyzer.part_terms("understanding")  # Norwegian text splits compounds against the vocabulary


def test_english_query_finds_the_english_procedure_and_norwegian_queries_are_unchanged(tmp_path):
    sources = write_corpus(tmp_path / "src", {**DOCS, **ENGLISH})
    build.build(tmp_path / "index", sources)
    with Engine(tmp_path / "index") as engine:
        # "bleeding"/"bleeds" meet only through the English stemmer; "what", "to", "do", "if" are stop words.
        result = engine.search("what to do if a patient is bleeding", mode=SearchMode.LEXICAL)
        assert ids(result)[0] == "t-var-bleeding-en" and result.hits[0].good
        assert ids(engine.search("bleeds", mode=SearchMode.LEXICAL))[0] == "t-var-bleeding-en"
        assert ids(engine.search("PVK", mode=SearchMode.LEXICAL))[0] == "t-var-pvk"
        assert ids(engine.search("blodtrykksmåling", mode=SearchMode.LEXICAL))[0] == "t-var-bt"
