"""The ranking policies as plain objects: fusion weights, primary source first, variant grouping."""

from __future__ import annotations

from index.ranking import Candidate, Fusion, SourcePriority, VariantGrouping


def cand(idx: int, tier: str, fused: float) -> Candidate:
    return Candidate(idx, tier, fused=fused, final=SourcePriority().final_score(fused, tier, False))


def order(cands, parents=None, grouping=VariantGrouping()):
    ranked = SourcePriority().rank(cands)
    out, grouped = grouping.group(ranked, parents or {})
    return [c.idx for c in out], grouped


def test_lexical_share_falls_with_query_length():
    f = Fusion()
    assert f.lexical_weight(1) == f.short_lexical_weight
    assert f.lexical_weight(12) == f.long_lexical_weight
    assert f.lexical_weight(1) > f.lexical_weight(12)


def test_fusion_normalises_and_uses_one_signal_alone():
    fused = Fusion().fuse({1: 10.0, 2: 5.0}, {}, words=2)
    assert fused[1][2] == 1.0 and fused[2][2] == 0.5
    both = Fusion().fuse({1: 10.0}, {1: 0.9, 2: 0.8}, words=2)
    assert both[1][2] > both[2][2]


def test_var_wins_within_the_band_but_a_clearly_better_local_wins():
    assert order([cand(1, "local", 0.80), cand(2, "var", 0.70)])[0] == [2, 1]
    assert order([cand(1, "local", 1.00), cand(2, "var", 0.40)])[0] == [1, 2]


def test_full_copy_goes_right_under_its_var_procedure():
    # local 1 is a copy of VAR 3; VAR 2 is unrelated but ranked between them on its own.
    ids, grouped = order([cand(1, "local", 1.0), cand(2, "var", 0.70), cand(3, "var", 0.70)],
                         parents={1: (3, "full")})
    assert ids.index(3) < ids.index(1)
    assert ids.index(1) == ids.index(3) + 1 and grouped == {1}


def test_full_copy_is_never_more_relevant_than_its_var_procedure():
    # Local 1 repeats VAR 3 and matches the query's wording better; VAR 2, less relevant than 1 on its own,
    # still comes before the copy, because the copy counts for no more than VAR 3.
    ids, grouped = order([cand(1, "local", 1.0), cand(3, "var", 0.6), cand(2, "var", 0.5)],
                         parents={1: (3, "full")})
    assert ids == [3, 2, 1] and grouped == set()
    # A partial variant (it covers more than the VAR procedure) keeps its own relevance.
    assert order([cand(1, "local", 1.0), cand(3, "var", 0.6), cand(2, "var", 0.5)],
                 parents={1: (3, "partial")})[0] == [1, 3, 2]


def test_variant_never_moves_above_another_var_procedure():
    # VAR 3 first, then VAR 2, then 3's local copy 1: the copy stays under 2 rather than jumping it.
    ids, grouped = order([cand(3, "var", 0.9), cand(2, "var", 0.8), cand(1, "local", 0.5)],
                         parents={1: (3, "full")})
    assert ids == [3, 2, 1] and grouped == set()


def test_partial_variant_groups_only_when_its_var_procedure_is_comparably_relevant():
    far = [cand(1, "regional", 1.0), cand(2, "var", 0.2)]
    assert order(far, parents={1: (2, "partial")}) == ([1, 2], set())
    near = [cand(1, "regional", 1.0), cand(2, "var", 0.8)]
    assert order(near, parents={1: (2, "partial")}) == ([2, 1], {1})


def test_parent_missing_from_results_leaves_order_alone():
    assert order([cand(1, "local", 1.0), cand(2, "var", 0.1)], parents={1: (99, "full")}) == ([1, 2], set())
