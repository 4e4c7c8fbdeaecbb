"""Sub-topics within themes and hot topics across all submissions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from goldideas import Screening, screen
from goldideas.cli import app
from goldideas.topics import ctfidf_labels, find_topics

runner = CliRunner()

WORDS = [
    ["不动产", "登记", "周末", "预约"],
    ["不动产", "登记", "周末", "开放"],
    ["地铁", "末班车", "延长"],
    ["地铁", "末班车", "推迟"],
    ["地铁", "末班车", "延长", "夜间"],
]


def test_similar_items_share_a_topic_and_the_hottest_comes_first() -> None:
    topics, index = find_topics(WORDS, heat=[1, 1, 5, 1, 1])
    assert index[0] == index[1] != index[2] == index[3] == index[4]
    assert topics[0].members == (2, 3, 4) and topics[0].heat == 7
    assert "末班车" in topics[0].label and "地铁" in topics[0].label


def test_topics_are_deterministic() -> None:
    a = find_topics(WORDS)
    b = find_topics(WORDS)
    assert a[0] == b[0] and np.array_equal(a[1], b[1])


def test_items_beyond_the_cap_join_their_nearest_topic() -> None:
    _topics, index = find_topics(WORDS, heat=[5, 4, 3, 2, 1], max_items=3)
    assert index[3] == index[2] and index[4] == index[2]


def test_ctfidf_prefers_words_particular_to_a_cluster() -> None:
    labels = ctfidf_labels([["地铁", "建议"], ["地铁", "末班车", "建议"], ["公积金", "建议"]],
                           np.array([0, 0, 1]), top=1)
    assert labels == {0: ["地铁"], 1: ["公积金"]}


@pytest.fixture(scope="module")
def corpus_screening(corpus: pd.DataFrame) -> Screening:
    return screen(corpus)


def test_every_kept_row_has_a_topic_of_its_theme(corpus_screening: Screening) -> None:
    frame = corpus_screening.to_frame()
    kept = frame[frame["status"] == "kept"]
    assert (kept["topic_id"] != "").all()
    assert all(t.startswith(theme + "-") for t, theme in zip(kept["topic_id"], kept["theme"], strict=True))


def test_topic_table_adds_up(corpus_screening: Screening) -> None:
    table = corpus_screening.topics()
    frame = corpus_screening.to_frame()
    assert table["size"].sum() == (frame["status"] == "kept").sum()
    assert table["heat"].is_monotonic_decreasing
    assert table["label"].str.len().gt(0).all()


def test_hot_topics_count_reposts_and_likes() -> None:
    texts = ["小区旁边建搅拌站，灰尘太大", "小区旁边建搅拌站，灰尘太大！", "搅拌站噪音扰民，小区居民睡不着",
             "地铁末班车太早", "公积金提取太慢"]
    table = screen(texts).hot_topics(likes=[10, 0, 5, 1, 0], top=2)
    assert table.iloc[0]["label"].count("搅拌站") == 1
    assert table.iloc[0]["messages"] == 3 and table.iloc[0]["likes"] == 15


def test_cli_topics(tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "in.csv"
    pd.DataFrame({"text": ["小区旁建搅拌站灰尘大", "搅拌站扰民灰尘大", "地铁末班车太早"],
                  "likes": ["3", "x", "1"]}).to_csv(source, index=False)
    result = runner.invoke(app, ["topics", str(source), "--likes-column", "likes", "--top", "1"])
    assert result.exit_code == 0, result.output
    assert "搅拌站" in result.stdout


def test_hot_topics_check_their_arguments() -> None:
    from goldideas import InputError

    result = screen(["小区旁边建搅拌站", "地铁末班车太早"])
    with pytest.raises(InputError, match="1 likes for 2 rows"):
        result.hot_topics(likes=[3])
    with pytest.raises(ValueError, match="rank_by must be one of heat, messages"):
        result.hot_topics(rank_by="likes")


def test_equally_central_members_are_listed_by_key() -> None:
    """The two members of a pair are equally close to their mean: the smaller key comes first,
    whatever their order in the input."""
    words = [["不动产", "登记", "周末", "预约"], ["不动产", "登记", "周末", "开放"]]
    for keys in (["S0002", "S0001"], ["S0001", "S0002"]):
        topics, _ = find_topics(words, keys=keys)
        assert len(topics) == 1
        assert [keys[i] for i in topics[0].representatives] == ["S0001", "S0002"]


@pytest.mark.parametrize("threshold", [0.3, 0.6, 0.9])
@pytest.mark.parametrize("alone", [True, False], ids=["compiled-module-alone", "public-functions"])
def test_the_cut_is_scipys_average_linkage_cut(threshold: float, alone: bool, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """scipy's compiled clustering, loaded alone, cuts as scipy's public functions do."""
    from scipy.cluster.hierarchy import fcluster, linkage

    from goldideas import topics
    from goldideas.topics import _average_linkage_cut, _compiled_hierarchy

    assert _compiled_hierarchy() is not None
    if not alone:
        monkeypatch.setattr(topics, "_compiled_hierarchy", lambda: None)
    rng = np.random.default_rng(7)
    points = rng.random((80, 6)) ** 3
    unit = points / np.linalg.norm(points, axis=1, keepdims=True)
    distance = np.clip(1 - unit @ unit.T, 0, 2)[np.triu_indices(80, 1)]
    expected = fcluster(linkage(distance, method="average"), t=threshold, criterion="distance") - 1
    assert np.array_equal(_average_linkage_cut(distance, 80, threshold), expected)
