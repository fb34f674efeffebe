"""Search behaviour on a real hybrid snapshot (real Whoosh index, real model)."""

import datetime as dt

from index.records import SearchFilters, SearchMode, Tier
from index.search.ranking import Candidate, SourcePriority
from index.search.searcher import parse_prefixes


def ids(result):
    return [h.doc_id for h in result.hits]


def test_var_procedure_ranks_above_its_local_variant(hybrid_engine):
    for q in ("PVK", "venflon", "legge inn perifert venekateter"):
        got = ids(hybrid_engine.search(q))
        assert got.index("t-var-pvk") < got.index("t-lok-pvk"), (q, got)


def test_clearly_more_relevant_local_document_still_wins(hybrid_engine):
    assert ids(hybrid_engine.search("sende blodprøver med rørpost"))[0] == "t-lok-rorpost"


def test_abbreviation_and_colloquial_words_find_the_procedure(hybrid_engine):
    assert ids(hybrid_engine.search("BT"))[0] == "t-var-bt"
    assert ids(hybrid_engine.search("venflon"))[0] == "t-var-pvk"


def test_compound_parts_match(hybrid_engine):
    assert ids(hybrid_engine.search("trykksår", mode=SearchMode.LEXICAL))[0] == "t-var-trykksar"
    assert ids(hybrid_engine.search("måling blodtrykk", mode=SearchMode.LEXICAL))[0] == "t-var-bt"


def test_typo_gets_results_and_a_suggestion(hybrid_engine):
    result = hybrid_engine.search("blodtryksmåling", mode=SearchMode.LEXICAL)
    assert result.fuzzy and result.suggestion == "blodtrykksmåling"
    assert ids(result)[0] == "t-var-bt"


def test_superseded_hidden_unless_asked_and_stale_flagged(hybrid_engine):
    assert "t-lok-kad-gammel" not in ids(hybrid_engine.search("urinkateter gammel rutine"))
    shown = hybrid_engine.search("urinkateter gammel rutine", filters=SearchFilters(include_superseded=True))
    assert "t-lok-kad-gammel" in ids(shown)
    [munn] = [h for h in hybrid_engine.search("munnstell").hits if h.doc_id == "t-lok-munnstell"]
    assert munn.stale and munn.review_due == dt.date(2021, 1, 1) and munn.language == "nn"


def test_filters_and_prefixes(hybrid_engine):
    assert {h.tier for h in hybrid_engine.search("lokal: PVK").hits} == {Tier.LOCAL}
    assert {h.tier for h in hybrid_engine.search("PVK", filters=SearchFilters(tiers=frozenset({Tier.VAR}))).hits} \
        == {Tier.VAR}
    assert all(h.language == "nn" for h in hybrid_engine.search("nn: munnstell").hits)
    assert not any(h.stale for h in hybrid_engine.search("munnstell", filters=SearchFilters(include_stale=False)).hits)
    text, f = parse_prefixes("var: lokal: PVK utgått:", SearchFilters())
    assert text == "PVK" and f.tiers == {Tier.VAR, Tier.LOCAL} and f.include_superseded


def test_hit_points_to_best_section_with_highlighted_snippet(hybrid_engine):
    hit = hybrid_engine.search("mansjett overarmen").hits[0]
    assert hit.doc_id == "t-var-bt" and hit.section == "Framgangsmåte"
    assert {"mansjetten", "overarmen"} <= {w.strip(".,") for w in hit.marked_words()}
    assert "«" not in hit.snippet  # matches are spans, the text stays as written
    assert hit.lexical > 0 and hit.dense > 0 and hit.fused > 0


def test_modes_and_lexical_only_without_model(hybrid_index, hybrid_engine):
    from index.api import Engine

    assert hybrid_engine.search("PVK").mode == "hybrid"
    assert hybrid_engine.search("PVK", mode=SearchMode.DENSE).mode == "dense"
    lexical_only = Engine(hybrid_index)  # model not loaded yet
    result = lexical_only.search("PVK")
    assert result.mode == "lexical" and "lexical" in result.notice and result.hits
    lexical_only.close()


def test_hostile_queries_never_raise(hybrid_engine):
    for q in ("", "   ", "title:*", '"unbalanced', "((", "a" * 10_000, "\x00\x07ctrl", "AND OR NOT", "*?"):
        hybrid_engine.search(q)


def test_policy_orders_within_band_but_relevance_wins_outside():
    policy = SourcePriority()
    var = Candidate(1, Tier.VAR, final=policy.final_score(0.80, Tier.VAR, False))
    local = Candidate(2, Tier.LOCAL, final=policy.final_score(0.95, Tier.LOCAL, False))
    assert [c.idx for c in policy.rank([local, var])] == [1, 2]
    clear_local = Candidate(3, Tier.LOCAL, final=policy.final_score(1.0, Tier.LOCAL, False))
    weak_var = Candidate(4, Tier.VAR, final=policy.final_score(0.30, Tier.VAR, False))
    assert [c.idx for c in policy.rank([weak_var, clear_local])] == [3, 4]


def test_nonsense_gets_no_good_match_but_a_real_query_does(hybrid_engine):
    for q in ("xyzzy", "qwrtpl zvbx", "billige flybilletter til Spania"):
        result = hybrid_engine.search(q)
        assert result.matches == 0 and not any(h.good for h in result.hits), (q, ids(result))
    for q in ("PVK", "venflon", "måle blodtrykk"):
        result = hybrid_engine.search(q)
        assert result.matches >= 1 and result.hits[0].good, q


def test_grouping_is_the_same_whichever_mode_found_the_hits(hybrid_engine):
    for q in ("PVK", "legge inn perifert venekateter"):
        shapes = []
        for mode in ("lexical", "hybrid"):
            got = [(h.doc_id, h.grouped) for h in hybrid_engine.search(q, mode=mode).hits]
            at = [d for d, _ in got].index("t-lok-pvk")
            shapes.append((got[at - 1][0], got[at][1]))
        assert shapes[0] == shapes[1] == ("t-var-pvk", True), (q, shapes)


def test_an_unknown_word_in_a_longer_question_is_offered_not_rewritten(hybrid_engine):
    result = hybrid_engine.search("hvordan legge inn perifert venekateter hos pasienten xyzqvistad",
                                  mode=SearchMode.LEXICAL)
    assert not result.fuzzy and ids(result)[0] == "t-var-pvk"
