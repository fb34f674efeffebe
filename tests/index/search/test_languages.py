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


def test_words_one_english_stem_apart_are_one_concept():
    from index.analysis.synonyms import SynonymTable, with_english

    concepts = with_english(SynonymTable().concepts("aggravated by walking, what else could aggravate it"))
    assert [c.surface for c in concepts] == ["aggravated", "walking", "else"]
    assert concepts[0].forms == (("aggrav",),)


REPEATED = {
    "var/fasciitis.md": dict(
        id="t-var-fasciitis-en", title="Plantar fasciitis", source="var", owner="VAR (test)", language="en",
        revised="2025-04-01", review_due="2028-04-01", keywords=[],
        body="""## About
Plantar fasciitis is pain under the heel. Walking on hard floors makes the heel pain worse, and so does
weight bearing after rest."""),
    **{f"var/fasciitis-{i}.md": dict(
        id=f"t-var-fasciitis-{i}-en", title=f"Plantar fasciitis – {topic}", source="var", owner="VAR (test)",
        language="en", revised="2025-04-01", review_due="2028-04-01", keywords=[],
        body=f"""## About
Plantar fasciitis: {topic}. Plantar fasciitis is common in runners.""")
       for i, topic in enumerate(["stretching exercises", "insoles", "night splints"])},
    "var/myotonia.md": dict(
        id="t-var-myotonia-en", title="Potassium-aggravated myotonia", source="var", owner="VAR (test)",
        language="en", revised="2025-04-01", review_due="2028-04-01", keywords=[],
        body="""## About
Potassium-aggravated myotonia is a rare muscle disorder. The stiffness is aggravated by potassium-rich
food and aggravated by rest after exercise."""),
}


def test_a_word_asked_twice_in_two_forms_does_not_outweigh_the_rest_of_the_question(tmp_path):
    # "aggravated … aggravate" share one English stem: counted twice, it took two of the long question's
    # searched concepts and the myotonia page (the stem in its title) outranked every page about what was asked.
    sources = write_corpus(tmp_path / "src", {**DOCS, **REPEATED})
    build.build(tmp_path / "index", sources)
    with Engine(tmp_path / "index") as engine:
        result = engine.search("Is plantar fasciitis aggravated by weight bearing; what else could aggravate it?",
                               mode=SearchMode.LEXICAL)
        assert ids(result)[0] == "t-var-fasciitis-en"
