"""Duplicate groups and their representatives."""

from __future__ import annotations

import numpy as np
import pytest

from goldideas.config import DedupConfig
from goldideas.dedup import Row, components, find_duplicates, near_scores
from goldideas.io import load_corpus
from goldideas.minhash import band_pairs, signatures
from goldideas.reasons import Reason


def rows(*keys: str) -> list[Row]:
    return [Row(key=k, words=tuple(k[i : i + 2] for i in range(0, len(k), 2)),
                order=("2020-12-01", f"{n:04d}")) for n, k in enumerate(keys)]


def test_components_join_transitively() -> None:
    labels = components(4, np.array([[0, 1], [1, 2]]))
    assert labels[0] == labels[1] == labels[2] != labels[3]


def test_minhash_is_deterministic_for_a_seed() -> None:
    a = signatures(["建议不动产登记开通周末预约", "好"], 3, 64, seed=7)
    b = signatures(["建议不动产登记开通周末预约", "好"], 3, 64, seed=7)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, signatures(["建议不动产登记开通周末预约", "好"], 3, 64, seed=8))


def test_minhash_does_not_depend_on_the_batch_size(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from goldideas import minhash

    keys = [*load_corpus()["text"].head(200), "", "好", "建议"]
    whole = signatures(keys, 3, 64, seed=5)
    monkeypatch.setattr(minhash, "_CHUNK_CHARS", 50)
    assert np.array_equal(whole, signatures(keys, 3, 64, seed=5))


def test_lsh_pairs_are_sorted_unique_rows() -> None:
    keys = [*load_corpus()["text"].head(300), "", ""]
    pairs = band_pairs(signatures(keys, 3, 64, seed=3), 32, seed=3)
    assert len(pairs) and (pairs[:, 0] < pairs[:, 1]).all()
    assert np.array_equal(pairs, np.unique(pairs, axis=0))


def test_minhash_estimates_jaccard() -> None:
    """The share of equal signature values approximates the shingle Jaccard."""
    a, b = "建议不动产登记中心开通周末网上预约服务方便上班族", "建议不动产登记中心开通周末网上预约服务方便上班的人"
    sigs = signatures([a, b], 3, 256, seed=1)
    grams = [{s[i : i + 3] for i in range(len(s) - 2)} for s in (a, b)]
    truth = len(grams[0] & grams[1]) / len(grams[0] | grams[1])
    assert abs((sigs[0] == sigs[1]).mean() - truth) < 0.1


def test_lsh_pairs_light_edits_only() -> None:
    config = DedupConfig()
    keys = ["建议不动产登记中心开通周末网上预约服务方便上班族", "建议不动产登记中心开通周末网上预约服务方便上班的人",
            "公积金提取全程网办不用再跑大厅", ""]
    pairs = band_pairs(signatures(keys, 3, config.num_perm, config.seed), config.bands, config.seed)
    assert [tuple(p) for p in pairs.tolist()] == [(0, 1)]


def test_near_scores_forgive_a_dropped_clause() -> None:
    long = "建议不动产登记中心开通周末网上预约服务方便上班族办事"
    short = "建议不动产登记中心开通周末网上预约服务"
    assert near_scores([long], [short])[0] > 0.9


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        pytest.param("建议不动产登记开通周末预约", "建议不动产登记开通周末预约", Reason.EXACT_DUPLICATE, id="exact"),
        pytest.param("建议不动产登记中心开通周末网上预约服务方便上班族",
                     "建议不动产登记中心开通周末网上预约服务方便上班的人", Reason.NEAR_DUPLICATE, id="near"),
    ],
)
def test_copies_are_linked_with_their_reason(a: str, b: str, reason: Reason) -> None:
    links = find_duplicates(rows(a, b), DedupConfig())
    assert len(links) == 1
    assert next(iter(links.values())).reason is reason


def test_representative_is_the_most_informative() -> None:
    """The longer member represents the group, whatever the order."""
    short, long = "建议不动产登记中心开通周末网上预约服务", "建议不动产登记中心开通周末网上预约服务方便上班族"
    links = find_duplicates(rows(short, long), DedupConfig())
    assert links == {0: links[0]} and links[0].representative == 1


def test_ties_go_to_the_earliest_submission() -> None:
    pair = [Row("建议不动产登记开通周末预约", (), ("2021-01-02", "2")),
            Row("建议不动产登记开通周末预约", (), ("2020-12-30", "1"))]
    assert find_duplicates(pair, DedupConfig())[0].representative == 1


def test_same_service_different_measures_stay_apart() -> None:
    links = find_duplicates(rows("建议不动产登记推行网上预约", "建议不动产登记大厅周末开放"), DedupConfig())
    assert links == {}


def test_distinct_pairs_index_the_first_occurrence() -> None:
    from goldideas.dedup import _distinct_pairs

    first, of_pair = _distinct_pairs([("a", "b"), ("a", "c"), ("a", "b"), ("b", "a")])
    assert first == [0, 1, 3]
    assert of_pair == [0, 1, 0, 2]
