"""The ranking policies as plain objects: fusion weights, primary source first, variant grouping."""

from __future__ import annotations

import pytest

from index.records import Tier
from index.search.ranking import Candidate, Fusion, SourcePriority, VariantGrouping


def cand(idx: int, tier: str, fused: float) -> Candidate:
    return Candidate(idx, tier, fused=fused, final=SourcePriority().final_score(fused, tier, False))


def order(cands, parents=None, grouping=VariantGrouping()):
    ranked = SourcePriority().rank(cands)
    out, grouped = grouping.group(ranked, parents or {})
    return [c.idx for c in out], grouped


def test_fusion_normalises_and_uses_one_signal_alone():
    fused = Fusion().fuse({1: 10.0, 2: 5.0}, {})
    assert fused[1][2] == 1.0 and fused[2][2] == 0.5
    both = Fusion().fuse({1: 10.0}, {1: 0.9, 2: 0.8})
    assert both[1][2] > both[2][2]


def test_fusion_weighs_lexical_and_dense_by_the_one_share():
    f = Fusion(lexical_weight=0.6, dense_power=2.0, coord_power=0.0)
    fused = f.fuse({1: 8.0, 2: 4.0}, {1: 0.80, 2: 0.90, 3: 0.70}, dense_baseline=0.70)
    assert fused[1][2] == pytest.approx(0.6 * 1.0 + 0.4 * 0.5 ** 2)  # dense half way from baseline to best
    assert fused[2][2] == pytest.approx(0.6 * 0.5 + 0.4 * 1.0)
    assert fused[3][2] == 0.0  # as close as the no-match baseline, no lexical match


def test_dense_evidence_alone_stays_linear():
    fused = Fusion(dense_power=2.0).fuse({}, {1: 0.90, 2: 0.80}, dense_baseline=0.70)
    assert fused[2][2] == pytest.approx(0.5)  # half way from the baseline to the best, not its square


def test_a_document_covering_the_question_beats_one_repeating_one_rare_word():
    # BM25F 10 for matching a fifth of the question (one rare word, many times), 9 for matching all of it.
    fused = Fusion().fuse({1: 10.0, 2: 9.0}, {}, coverage={1: 0.2, 2: 1.0})
    assert fused[2][2] > fused[1][2] and fused[1][0] == 10.0  # the hit keeps its BM25F


def test_documents_below_the_dense_baseline_keep_their_cosine_order():
    # Meaning-only search: below the no-match baseline every document fuses to 0; the cosine still orders them.
    fused = Fusion().fuse({}, {i: 0.7 + 0.01 * i for i in range(20)}, dense_baseline=0.85)  # 19 is the closest
    cands = [Candidate(i, Tier.VAR, lx, dn, f, SourcePriority().final_score(f, Tier.VAR, False))
             for i, (lx, dn, f) in fused.items()]
    assert [c.idx for c in SourcePriority().rank(cands)] == list(range(19, -1, -1))


def test_var_wins_within_the_band_but_a_clearly_better_local_wins():
    assert order([cand(1, Tier.LOCAL, 0.80), cand(2, Tier.VAR, 0.70)])[0] == [2, 1]
    assert order([cand(1, Tier.LOCAL, 1.00), cand(2, Tier.VAR, 0.40)])[0] == [1, 2]


def order_stale(cands, parents, stale):
    out, grouped = VariantGrouping().group(SourcePriority().rank(cands), parents, stale=frozenset(stale))
    return [c.idx for c in out], grouped


def test_full_copy_goes_right_under_its_var_procedure():
    # local 1 is a copy of VAR 3; VAR 2 is unrelated but ranked between them on its own.
    ids, grouped = order([cand(1, Tier.LOCAL, 1.0), cand(2, Tier.VAR, 0.70), cand(3, Tier.VAR, 0.70)],
                         parents={1: (3, "full")})
    assert ids.index(1) == ids.index(3) + 1 and grouped == {1}


def test_variant_is_never_buried_under_other_var_hits():
    # Local 1 adds to VAR 3 (partial) and is more relevant on its own than VAR 2 and 4 with their tier
    # bonus: it sits right under 3. A full copy counts for no more than its procedure: VAR hits that
    # outrank that (with their bonus) stay between.
    cands = [cand(3, Tier.VAR, 0.9), cand(2, Tier.VAR, 0.7), cand(4, Tier.VAR, 0.65), cand(1, Tier.LOCAL, 0.95)]
    assert order(cands, parents={1: (3, "partial")}) == ([3, 1, 2, 4], {1})
    ids, grouped = order(cands, parents={1: (3, "full")})
    assert ids == [3, 2, 4, 1] and grouped == set()


def test_missing_link_leaves_relevance_and_tier_to_decide():
    # The detector missed that 1 repeats VAR 3: the tier bonus still puts 3 first, and 1 keeps its place by
    # relevance (above the weaker VAR 2).
    ids, grouped = order([cand(1, Tier.LOCAL, 0.95), cand(3, Tier.VAR, 0.9), cand(2, Tier.VAR, 0.5)])
    assert ids == [3, 1, 2] and grouped == set()


def test_wrong_link_does_not_drag_a_relevant_variant_down():
    # 1 is linked to VAR 9, which this query barely finds: the link is not about this query, so 1 is not
    # moved under 9 at the bottom (today's cap would have buried it); relevance decides.
    cands = [cand(1, Tier.LOCAL, 1.0), cand(2, Tier.VAR, 0.8)]
    cands += [cand(10 + i, Tier.VAR, 0.5 - i * 0.01) for i in range(30)]
    cands.append(cand(9, Tier.VAR, 0.1))
    ids, grouped = order(cands, parents={1: (9, "full")})
    assert ids.index(1) <= 2 and grouped == set()


def test_two_var_parents_group_under_the_one_linked():
    # Two VAR procedures cover the need; the local routine repeats the second: it sits under that one.
    ids, grouped = order([cand(3, Tier.VAR, 0.9), cand(4, Tier.VAR, 0.85), cand(1, Tier.LOCAL, 0.88)],
                         parents={1: (4, "full")})
    assert ids == [3, 4, 1] and grouped == {1}


def test_local_only_routine_that_is_the_only_answer_comes_first():
    # No VAR procedure covers it: weak VAR hits do not pass it by their bonus alone.
    ids, grouped = order([cand(1, Tier.LOCAL, 1.0), cand(2, Tier.VAR, 0.3), cand(3, Tier.VAR, 0.25)])
    assert ids[0] == 1 and grouped == set()


def test_stale_copy_never_outranks_the_current_var_procedure_it_repeats():
    # An overdue local variant that matches the query far better (its title is the colloquial word) still
    # goes under its VAR procedure, however weakly the procedure matched.
    ids, grouped = order_stale([cand(1, Tier.LOCAL, 1.0), cand(2, Tier.VAR, 0.3), cand(3, Tier.VAR, 0.2)],
                               parents={1: (3, "partial")}, stale={1})
    assert ids.index(1) == ids.index(3) + 1 and grouped == {1}


def test_partial_variant_groups_only_when_its_var_procedure_is_comparably_relevant():
    far = [cand(1, Tier.REGIONAL, 1.0), cand(2, Tier.VAR, 0.2)]
    assert order(far, parents={1: (2, "partial")}) == ([1, 2], set())
    near = [cand(1, Tier.REGIONAL, 1.0), cand(2, Tier.VAR, 0.8)]
    assert order(near, parents={1: (2, "partial")}) == ([2, 1], {1})


def test_parent_missing_from_results_leaves_order_alone():
    assert order([cand(1, Tier.LOCAL, 1.0), cand(2, Tier.VAR, 0.1)], parents={1: (99, "full")}) == ([1, 2], set())


def test_confidence_needs_more_than_similarity():
    from index.search.ranking import Confidence

    c = Confidence()
    assert not c.good(0.0, 0.01)  # as close as the median document, no words matched: nothing
    assert c.good(0.0, c.threshold)  # clearly closer than the crowd
    assert c.good(1.0, c.threshold - c.coverage_weight)  # the query's words make up for a smaller margin
    assert not c.good(0.2, 0.02)  # a shared common word and a little meaning are not enough
    assert c.good(0.5, None) and not c.good(0.2, None)  # lexical mode: the concepts decide


def test_both_searches_agreeing_lower_the_bar_a_little():
    from index.search.ranking import Confidence

    c = Confidence()
    margin = (c.agreement_threshold + c.threshold) / 2
    assert not c.good(0.0, margin) and c.good(0.0, margin, agree=True)
    assert not c.good(0.0, c.agreement_threshold / 2, agree=True)  # agreement alone is not enough
    lexical = {1: 9.0, 2: 8.0, 3: 7.0, 4: 6.0}
    dense = {4: 0.9, 3: 0.8, 5: 0.7, 1: 0.6}
    assert c.agreeing(lexical, dense) == {3}  # among the three best of both: only document 3
    assert c.agreeing(lexical, {}) == set()  # one search alone never agrees with itself
