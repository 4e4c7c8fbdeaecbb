"""The reference corpus keeps the invariants of its datasheet."""

from __future__ import annotations

import pandas as pd
import pytest

from goldideas.corpus import char_bigrams, check_corpus, similar_pairs


class TestBundledCorpus:
    def test_passes_every_check(self, corpus: pd.DataFrame, gold: pd.DataFrame) -> None:
        """The bundled corpus has no problem at all."""
        result = check_corpus(corpus, gold)
        assert result.problems == []

    def test_reproduces_the_published_funnel(self, gold: pd.DataFrame) -> None:
        """1322 received, 571 kept: the figures of the bureau's reply."""
        assert len(gold) == 1322
        assert (gold["status"] == "kept").sum() == 571

    def test_input_carries_no_gold_labels(self, corpus: pd.DataFrame) -> None:
        """The pipeline's input has only what a bureau would have."""
        assert list(corpus.columns) == ["id", "submitted_at", "channel", "text"]

    def test_dates_lie_in_the_campaign(self, corpus: pd.DataFrame) -> None:
        times = pd.to_datetime(corpus["submitted_at"])
        assert times.min() >= pd.Timestamp("2020-11-01")
        assert times.max() < pd.Timestamp("2021-04-01")

    @pytest.mark.parametrize(
        ("case", "minimum"),
        [
            ("same_topic", 120),
            ("short_concrete", 30),
            ("stop_unlawful", 20),
            ("paraphrase_low_overlap", 120),
            ("greeting_signature", 40),
            ("traditional_fullwidth", 20),
            ("vague_slogan_long", 40),
            ("long_complaint", 20),
        ],
    )
    def test_holds_the_hard_cases(self, gold: pd.DataFrame, case: str, minimum: int) -> None:
        assert (gold["case"] == case).sum() >= minimum

    def test_short_concrete_ideas_are_short(self, corpus: pd.DataFrame, gold: pd.DataFrame) -> None:
        ids = gold.loc[gold["case"] == "short_concrete", "id"]
        texts = corpus.set_index("id").loc[ids, "text"]
        assert (texts.str.len() < 25).all()

    def test_every_theme_has_sixty_kept(self, gold: pd.DataFrame) -> None:
        kept = gold[gold["status"] == "kept"]
        assert kept["theme"].value_counts().min() >= 60

    def test_every_non_compliant_reason_is_present(self, gold: pd.DataFrame) -> None:
        from goldideas.reasons import Reason, Status

        present = set(gold.loc[gold["status"] == "non_compliant", "reasons"])
        assert present == {r.value for r in Reason if r.status is Status.NON_COMPLIANT}

    def test_has_large_duplicate_groups(self, gold: pd.DataFrame) -> None:
        sizes = gold["duplicate_of"][gold["duplicate_of"] != ""].value_counts()
        assert sizes.max() + 1 >= 10


def _tiny(status_rows: list[tuple[str, str, str, str, str, str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    cols = ["id", "status", "reasons", "duplicate_of", "theme", "same_topic_as"]
    gold = pd.DataFrame(status_rows, columns=cols)
    texts = {
        "A": "建议不动产登记开通周末预约",
        "B": "建议不动产登记开通周末预约服务",
        "C": "希望12345热线夜间也能接听",
    }
    corpus = pd.DataFrame(
        {"id": gold["id"], "submitted_at": "2020-12-01", "channel": "电话",
         "text": [texts.get(i, "测试") for i in gold["id"]]}
    )
    return corpus, gold


class TestBrokenCorpora:
    def test_reports_a_duplicate_pointing_at_a_rejected_row(self) -> None:
        corpus, gold = _tiny([
            ("A", "too_simple", "too_short", "", "", ""),
            ("C", "duplicate", "paraphrase", "A", "gov_services", ""),
        ])
        problems = check_corpus(corpus, gold).problems
        assert any("C: duplicate_of 'A' is not a kept row" in p for p in problems)

    def test_reports_unknown_codes(self) -> None:
        corpus, gold = _tiny([("A", "kept", "", "", "weather", ""),
                              ("C", "too_simple", "unfair_competition", "", "", "")])
        problems = check_corpus(corpus, gold).problems
        assert any("theme 'weather'" in p for p in problems)
        assert any("'unfair_competition' does not belong to too_simple" in p for p in problems)

    def test_reports_near_identical_kept_rows(self) -> None:
        corpus, gold = _tiny([("A", "kept", "", "", "gov_services", ""),
                              ("B", "kept", "", "", "gov_services", "")])
        problems = check_corpus(corpus, gold).problems
        assert any("kept A and B share" in p for p in problems)

    def test_accepts_declared_same_topic_pairs(self) -> None:
        corpus, gold = _tiny([("A", "kept", "", "", "gov_services", "B"),
                              ("B", "kept", "", "", "gov_services", "A")])
        problems = check_corpus(corpus, gold).problems
        assert not any("share" in p for p in problems)

    def test_reports_wrong_sizes(self) -> None:
        corpus, gold = _tiny([("A", "kept", "", "", "gov_services", "")])
        problems = check_corpus(corpus, gold).problems
        assert "suggestions: 1 rows, expected 1322" in problems
        assert "gold: 1 kept rows, expected 571" in problems


def test_char_bigrams_ignore_punctuation() -> None:
    assert char_bigrams("周末，预约") == {"周末", "末预", "预约"}


def test_similar_pairs_finds_only_pairs_over_the_threshold() -> None:
    texts = ["建议不动产登记开通周末预约", "建议不动产登记开通周末预约服务", "公积金提取全程网办"]
    assert [(i, j) for i, j, _ in similar_pairs(texts, 0.5)] == [(0, 1)]
