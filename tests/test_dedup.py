"""Duplicate groups and their representatives."""

from __future__ import annotations

import numpy as np
import pytest

from goldideas.config import DedupConfig
from goldideas.dedup import Row, UnionFind, find_duplicates, lsh_candidates, minhash_signatures
from goldideas.reasons import Reason


def rows(*keys: str) -> list[Row]:
    return [Row(key=k, words=tuple(k[i : i + 2] for i in range(0, len(k), 2)),
                order=("2020-12-01", f"{n:04d}")) for n, k in enumerate(keys)]


def test_union_find_joins_transitively() -> None:
    uf = UnionFind(4)
    uf.union(0, 1)
    uf.union(1, 2)
    assert uf.find(2) == uf.find(0) == 0
    assert uf.find(3) == 3


def test_minhash_is_deterministic_for_a_seed() -> None:
    config = DedupConfig()
    a = minhash_signatures(["建议不动产登记开通周末预约"], config)
    b = minhash_signatures(["建议不动产登记开通周末预约"], config)
    assert np.array_equal(a, b)


def test_lsh_pairs_light_edits() -> None:
    config = DedupConfig()
    keys = ["建议不动产登记中心开通周末网上预约服务方便上班族", "建议不动产登记中心开通周末网上预约服务方便上班的人",
            "公积金提取全程网办不用再跑大厅"]
    pairs = lsh_candidates(minhash_signatures(keys, config), config.bands)
    assert (0, 1) in pairs and (0, 2) not in pairs


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
