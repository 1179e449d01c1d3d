"""Ranking metrics: recall@k, reciprocal rank, nDCG, percentiles, means."""

from __future__ import annotations

import math

import pytest

from jurisgraph.kit.ranking import dedupe, mean, ndcg_at_k, percentile, recall_at_k, reciprocal_rank


def test_dedupe_keeps_first_occurrences_and_drops_empty_keys() -> None:
    assert dedupe(["b", "a", "b", "", "c", "a"]) == ["b", "a", "c"]


def test_recall_counts_relevant_keys_within_k_after_folding_duplicates() -> None:
    ranked = ["x", "x", "x", "a", "y", "b"]
    assert recall_at_k(ranked, {"a", "b"}, 2) == 0.5  # x, a
    assert recall_at_k(ranked, {"a", "b"}, 4) == 1.0
    assert recall_at_k(ranked, {"a", "z"}, 10) == 0.5
    assert recall_at_k(ranked, set(), 10) == 0.0
    assert recall_at_k(ranked, {"a"}, 0) == 0.0


def test_reciprocal_rank_of_the_first_relevant_key_within_k() -> None:
    assert reciprocal_rank(["a", "b", "c"], {"c", "b"}, 3) == 0.5
    assert reciprocal_rank(["a", "a", "b"], {"b"}, 2) == 0.5  # duplicates fold: b is second
    assert reciprocal_rank(["a", "b", "c"], {"c"}, 2) == 0.0
    assert reciprocal_rank([], {"c"}, 5) == 0.0


def test_ndcg_is_one_for_an_ideal_ranking_and_discounts_later_hits() -> None:
    assert ndcg_at_k(["a", "b", "x"], {"a", "b"}, 10) == pytest.approx(1.0)
    assert ndcg_at_k(["x", "a"], {"a"}, 10) == pytest.approx(1 / math.log2(3))
    ideal = 1 + 1 / math.log2(3)
    assert ndcg_at_k(["a", "x", "b"], {"a", "b"}, 10) == pytest.approx((1 + 1 / math.log2(4)) / ideal)
    assert ndcg_at_k(["x", "y"], {"a"}, 10) == 0.0
    assert ndcg_at_k(["x", "a"], {"a"}, 1) == 0.0
    # more relevant keys than k: the ideal is capped at k
    assert ndcg_at_k(["a"], {"a", "b", "c"}, 1) == pytest.approx(1.0)


def test_percentile_interpolates_between_closest_ranks() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 50) == pytest.approx(25.0)
    assert percentile(values, 0) == 10.0 and percentile(values, 100) == 40.0
    assert percentile(values, 95) == pytest.approx(38.5)
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) == 0.0


def test_mean_skips_missing_values() -> None:
    assert mean([1.0, None, 0.0]) == 0.5
    assert mean([None, None]) is None
