"""Duplicate groups and their representatives."""

from __future__ import annotations

import numpy as np
import pytest

from goldideas.config import Config, DedupConfig
from goldideas.dedup import (
    Row,
    beyond_chance,
    chance_share,
    char_containment,
    char_vectors,
    find_duplicates,
    group_vocabulary,
    heavier_share,
    join_groups,
    leader_groups,
    paraphrase_scores,
)
from goldideas.io import load_corpus
from goldideas.minhash import band_pairs, signatures
from goldideas.near import components, near_scores
from goldideas.reasons import Reason, Status
from goldideas.screening import screen


def rows(*keys: str) -> list[Row]:
    return [Row(key=k, words=tuple(k[i : i + 2] for i in range(0, len(k), 2)),
                order=("2020-12-01", f"{n:04d}")) for n, k in enumerate(keys)]


def test_components_join_transitively() -> None:
    labels = components(4, np.array([[0, 1], [1, 2]]))
    assert labels[0] == labels[1] == labels[2] != labels[3]


@pytest.mark.parametrize("seed", range(6))
def test_components_are_numbered_as_scipy_numbers_them(seed: int) -> None:
    """The same labels as scipy's connected_components, on graphs of chains, stars and noise."""
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    rng = np.random.default_rng(seed)
    n = 400
    chain = np.stack([np.arange(1, 120), np.arange(0, 119)], axis=1)[::-1]  # a long path, backwards
    star = np.stack([np.full(50, 399), np.arange(200, 250)], axis=1)
    pairs = np.concatenate([chain, star, rng.integers(0, n, size=(int(rng.integers(0, 300)), 2))])
    graph = sparse.coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    assert np.array_equal(components(n, pairs), connected_components(graph, directed=False)[1])


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


def test_leaders_are_not_joined_through_a_text_that_resembles_both() -> None:
    """Components would join 0 and 1 through 2; leaders keep them apart and 2 picks its best."""
    labels = leader_groups([0, 1, 2], {(0, 2): 0.9, (1, 2): 0.8})
    assert labels.tolist() == [0, 1, 0]


def test_leader_groups_follow_the_order_not_the_index() -> None:
    labels = leader_groups([2, 0, 1], {(0, 2): 0.9, (1, 2): 0.8})
    assert labels.tolist() == [2, 2, 2]


def test_char_containment_weighs_rare_characters() -> None:
    """A short text made of the other's characters is contained; shared common characters
    count less than the rare ones that are missing."""
    words = [("退费",), ("退还", "取暖费"), ("的", "是", "办"), ("的", "是", "网"), ("的", "是"), ("的", "是")]
    x = char_vectors([Row(key="".join(w), words=w, order=("", str(n))) for n, w in enumerate(words)])
    shares = char_containment(x, np.array([[0, 1], [2, 3], [0, 2]]))
    assert shares[0] == pytest.approx(1.0)
    assert 0 < shares[1] < 2 / 3
    assert shares[2] == 0.0


def test_char_containment_of_no_pairs_is_empty() -> None:
    x = char_vectors([Row("退费", ("退费",), ("", "1"))])
    assert char_containment(x, np.zeros((0, 2), dtype=np.int64)).shape == (0,)


def char_rows(*texts: str) -> list[Row]:
    """Rows whose words are single characters (a word's characters are what dedup weighs)."""
    return [Row(key=t, words=tuple(t), order=("", str(n))) for n, t in enumerate(texts)]


# two wordings of one idea (rows 0, 1: core 甲乙丙丁), then texts alone, then background rows
# that make the weights of an input of more than a handful of texts
IDEA = ("甲乙丙丁戊己庚辛", "甲乙丙丁壬癸子丑")
BACKGROUND = ("山水风云雷电花草", "春夏秋冬东南西北", "金木火土日月星辰", "江河湖海松竹梅兰")


def joined(alone: str, config: DedupConfig | None = None) -> bool:
    """Does ``alone`` (row 2) join the group of rows 0 and 1, its candidates?"""
    x = char_vectors(char_rows(*IDEA, alone, *BACKGROUND))
    label = np.array([0, 0, *range(2, 3 + len(BACKGROUND))])
    pairs = np.array([[0, 2], [1, 2]])
    return bool(join_groups(label, x, pairs, config or DedupConfig())[2] == 0)


@pytest.mark.parametrize(
    ("alone", "joins"),
    [
        pytest.param("甲乙丙丁己壬卯辰", True, id="core-and-words-of-both-wordings"),
        pytest.param("甲乙戊己壬癸寅卯", False, id="same-words-without-the-core"),
        pytest.param("甲乙丙丁寅卯辰巳", False, id="core-but-mostly-words-of-its-own"),
    ],
)
def test_a_text_alone_joins_a_group_that_says_it(alone: str, joins: bool) -> None:
    assert joined(alone) is joins


@pytest.mark.parametrize(
    ("config", "joins"),
    [
        pytest.param(DedupConfig(), True, id="defaults"),
        pytest.param(DedupConfig(group_join_threshold=0.95), False, id="more-of-it-among-the-members"),
        pytest.param(DedupConfig(group_core_share=1.0), False, id="the-whole-core"),
        pytest.param(DedupConfig(group_max_chars=11), False, id="members-use-too-many-characters"),
    ],
)
def test_group_join_thresholds_come_from_the_config(config: DedupConfig, joins: bool) -> None:
    """Three of the four core characters and most of the others: enough by default."""
    assert joined("甲乙丙己壬癸子卯", config) is joins


def test_only_texts_alone_move_and_groups_never_merge() -> None:
    """Rows 2 and 3 form a group of their own: however alike, it stays apart from 0 and 1."""
    x = char_vectors(char_rows(*IDEA, "甲乙丙丁己壬卯辰", "甲乙丙丁己壬卯巳", *BACKGROUND))
    label = np.array([0, 0, 2, 2, *range(4, 4 + len(BACKGROUND))])
    pairs = np.array([[0, 2], [1, 2], [0, 3], [1, 3]])
    assert join_groups(label, x, pairs, DedupConfig()).tolist() == label.tolist()


def test_group_vocabulary_and_core() -> None:
    x = char_vectors(char_rows("甲乙丙", "甲乙丁", "戊"))
    vocabulary, core = group_vocabulary(np.array([0, 0, 2]), x)
    assert vocabulary[0].nnz == 4 and core[0].nnz == 2 and core[2].nnz == vocabulary[2].nnz == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("建议供热公司对室温不达标的用户按天数退还取暖费，测温后当场出具书面记录，退费直接打回缴费账户，不用用户再申请。",
                     "暖气温度不达标的日子，取暖费应按天退还，钱直接退回缴费的账户。", id="heating-refund-reworded"),
        pytest.param("建议市政务服务中心中午不休息，窗口轮流值班，每周二、周四延时到晚上七点，周六上午开放预约办理。",
                     "政务大厅中午窗口能不能轮流值班，周二周四晚上延时，周六上午也能预约去办？", id="opening-hours-colloquial"),
    ],
)
def test_paraphrases_are_duplicates(a: str, b: str) -> None:
    """A paraphrase shows the measure it was decided by: the share of its characters found in
    the representative (at least the containment threshold for a direct pair)."""
    verdicts = screen([a, b]).verdicts
    assert [v.status for v in verdicts] == [Status.KEPT, Status.DUPLICATE]
    assert verdicts[1].reasons == (Reason.PARAPHRASE,)
    similarity = verdicts[1].similarity
    assert similarity is not None and DedupConfig().char_containment_threshold <= similarity <= 1
    assert f"相似度 {similarity:.2f}" in verdicts[1].explanation


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("建议在地铁站出口增设共享单车停放点，划线管理，方便换乘。",
                     "建议地铁末班车延长到晚上十一点，方便加班的人回家。", id="metro"),
        pytest.param("建议不动产登记推行网上预约，群众在手机上选好时段再去大厅。",
                     "建议不动产登记大厅周末开放，方便上班族办理过户。", id="property-registration"),
        pytest.param("建议公积金提取全程网上办理，审核通过后三个工作日内到账。",
                     "建议公积金贷款额度上限提高到八十万元，支持首套房。", id="housing-fund"),
    ],
)
def test_same_service_different_measures_are_both_kept(a: str, b: str) -> None:
    assert [v.status for v in screen([a, b]).verdicts] == [Status.KEPT, Status.KEPT]


def test_groups_are_listed_by_their_first_row_and_led_by_their_longest_key() -> None:
    """Members in row order; the representative has the longest key, ties to the earliest."""
    from goldideas.dedup import _member_pairs

    keys_and_order = [("abc", "0002"), ("", "0009"), ("abcd", "0003"), ("xy", "0004"), ("abcd", "0001"),
                      ("xyz", "0005")]
    group_rows = [Row(key, (), ("", n)) for key, n in keys_and_order]
    of_row = np.array([0, -1, 1, 2, 1, 3])  # the empty key has no group
    reps, dups = _member_pairs(np.array([7, 7, 3, 7, 3]), group_rows, of_row)
    assert reps.tolist() == [4, 4, 5] and dups.tolist() == [0, 2, 3]


def test_each_pair_of_keys_is_scored_and_linked_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from goldideas import dedup

    scored: list[int] = []

    def scores(a, b, enough, workers):  # type: ignore[no-untyped-def]
        scored.append(len(a))
        return near_scores(a, b, enough, workers)

    monkeypatch.setattr(dedup, "near_scores", scores)
    keys = ["建议不动产登记中心开通周末网上预约服务", "建议不动产登记开通周末预约服务"]
    chars = char_vectors([Row(k, (k,), ("", "1")) for k in keys])
    links = dedup._links(keys, np.array([0, 0, 0]), np.array([1, 2, 3]), np.array([0, 1, 1, 1]),
                         np.array([0, 1]), chars, DedupConfig(), 1)
    assert scored == [1] and links[1] is links[2] is links[3]
    assert links[1].representative == 0 and links[1].reason is Reason.NEAR_DUPLICATE


# a popular idea said twice (0, 1), a third, colloquial wording (2) that shares less than 70%
# of its characters with either, and a proposal on the same service with another measure (3)
BIKES = [
    "建议在地铁站出口划定共享单车停放区，画好停车线，由运营企业安排专人每天早晚整理车辆，解决出站后车辆乱停乱放、堵住人行道的问题。",
    "地铁站出口的共享单车乱停乱放，把人行道都堵了。建议划定停放区和停车线，运营企业早晚派人整理车辆。",
    "每次出地铁站，出口的单车横七竖八堵着人行道，能不能划个停放区，早晚让企业派人来整理？",
    "建议共享单车企业在地铁站周边增加投放数量，早高峰保证出站乘客有车可骑。",
    "建议不动产登记中心开通周末网上预约服务，方便上班族办事。",
    "建议市政务服务中心中午不休息，窗口轮流值班。",
]


@pytest.mark.parametrize(
    ("config", "third"),
    [
        pytest.param(Config(), Status.DUPLICATE, id="joins-the-group"),
        pytest.param(Config(dedup=DedupConfig(group_join_threshold=1.0)), Status.KEPT, id="pairs-alone"),
    ],
)
def test_a_new_wording_of_a_repeated_idea_joins_its_group(config: Config, third: Status) -> None:
    statuses = [v.status for v in screen(BIKES, config).verdicts]
    assert statuses == [Status.KEPT, Status.DUPLICATE, third, Status.KEPT, Status.KEPT, Status.KEPT]


def filler(start: int, n: int) -> str:
    """n distinct characters no other part of the example uses."""
    return "".join(chr(0x4E00 + 0x800 + start + k) for k in range(n))


# a text of 8 characters; one short text and one long letter that hold all of them; and
# background texts that use half of its characters each (as texts on the same subject do)
SHORT_TEXT = "甲乙丙丁戊己庚辛"
CHANCE_ROWS = (
    SHORT_TEXT, SHORT_TEXT + filler(0, 4), SHORT_TEXT + filler(10, 150),
    *(SHORT_TEXT[k % 2 :: 2] + filler(200 + 20 * k, 12) for k in range(12)),
)


@pytest.mark.parametrize(
    ("heavy", "low", "high"),
    [pytest.param(1, 0.0, 0.5, id="short-text"), pytest.param(2, 0.9, 1.0, id="long-letter")],
)
def test_chance_share_grows_with_the_size_of_the_heavier_text(heavy: int, low: float, high: float) -> None:
    x = char_vectors(char_rows(*CHANCE_ROWS))
    assert low <= chance_share(x, np.array([[0, heavy]]))[0] <= high


def test_containment_beyond_chance_rejects_a_short_text_in_a_long_letter() -> None:
    """Both hold every character of row 0; only the short text is more than a letter of
    the long one's size would hold at random."""
    x = char_vectors(char_rows(*CHANCE_ROWS))
    pairs = np.array([[0, 1], [0, 2]])
    contained = char_containment(x, pairs)
    assert contained.tolist() == pytest.approx([1.0, 1.0])
    excess = beyond_chance(x, pairs[:, ::-1], contained)  # in either order, of the lighter row
    assert excess[0] >= DedupConfig().min_beyond_chance > excess[1]
    scores = paraphrase_scores(x, pairs, contained, {(0, 1): 0.5, (0, 2): 0.5}, DedupConfig())
    assert list(scores) == [(0, 1)]


def test_chance_share_is_zero_without_other_texts() -> None:
    """Two texts alone say nothing about chance: the pair's own characters are left out."""
    x = char_vectors(char_rows("甲乙丙丁", "甲乙丙丁戊己庚辛"))
    assert chance_share(x, np.array([[0, 1]])).tolist() == [0.0]


@pytest.mark.parametrize(
    ("texts", "share"),
    [
        pytest.param(("甲乙", "甲乙"), 1.0, id="the-same-characters"),
        pytest.param(("甲乙", "丙丁"), 0.0, id="nothing-shared"),
        pytest.param(("甲乙", "甲乙丙丁戊己"), None, id="all-of-the-lighter-some-of-the-heavier"),
    ],
)
def test_heavier_share_is_the_shared_weight_over_the_heavier_row(texts: tuple[str, str], share: float | None) -> None:
    x = char_vectors(char_rows(*texts))
    expected = x[0].sum() / x[1].sum() if share is None else share  # row 0 lies wholly in row 1
    for pair in ([0, 1], [1, 0]):  # in either order
        pairs = np.array([pair])
        assert heavier_share(x, pairs, char_containment(x, pairs))[0] == pytest.approx(expected)


# a letter of seven proposals; one of them said alone, which the letter holds wholly; and the
# letter said briefly, which holds most of its proposals
LETTER = (
    "关于企业开办再提速的几点建议：一、营业执照、公章刻制、银行开户、社保登记、公积金开户在政务服务网一个入口同时申请，"
    "一天办结；二、新办企业免费刻制第一套公章，费用由财政承担；三、银行对公账户开立实行预约上门，客户经理带设备到企业核实；"
    "四、新办纳税人首批发票免费邮寄到家，不用再去税务大厅领取；五、开办全过程进度短信推送，办结后营业执照和公章一并快递；"
    "六、外地投资者可以视频核验身份，全程不用跑现场；七、取消开办环节的各类中介代理收费，价目表挂在网上公示。"
)
ONE_OF_ITS_PROPOSALS = "建议新办纳税人首批发票免费邮寄到家"
LETTER_SAID_BRIEFLY = (
    "建议企业开办一天办结：执照、公章、银行开户、社保一个入口同时申请，首套公章免费刻，发票免费邮寄，银行上门开户，执照公章一起快递。"
)


@pytest.mark.parametrize(
    ("other", "config", "status"),
    [
        pytest.param(ONE_OF_ITS_PROPOSALS, Config(), Status.KEPT, id="one-proposal-of-a-letter-of-many"),
        pytest.param(LETTER_SAID_BRIEFLY, Config(), Status.DUPLICATE, id="the-letter-said-briefly"),
        pytest.param(ONE_OF_ITS_PROPOSALS, Config(dedup=DedupConfig(min_heavier_share=0.0)),
                     Status.DUPLICATE, id="no-share-of-the-letter-asked"),
    ],
)
def test_a_paraphrase_holds_a_part_of_the_heavier_text(other: str, config: Config, status: Status) -> None:
    """Both shorter texts lie wholly in the letter; only the brief restatement holds enough of it
    (``min_heavier_share``) to be its paraphrase."""
    assert [v.status for v in screen([LETTER, other], config).verdicts] == [Status.KEPT, status]
