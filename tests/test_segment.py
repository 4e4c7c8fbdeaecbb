"""Segmentation with the domain dictionary, through an explicit tokenizer."""

from __future__ import annotations

import pytest

from goldideas.errors import ModelError
from goldideas.io import load_corpus
from goldideas.segment import Tokenizer


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer()


@pytest.mark.parametrize("term", ["一网通办", "容缺受理", "不动产登记", "证照分离", "最多跑一次"])
def test_domain_terms_stay_whole(tokenizer: Tokenizer, term: str) -> None:
    assert term in tokenizer.cut(f"建议推行{term}改革")


def test_content_words_drop_stopwords_and_punctuation(tokenizer: Tokenizer) -> None:
    assert tokenizer.content_words("建议一网通办开通周末预约。") == ["一网通办", "开通", "周末", "预约"]


def test_both_backends_give_the_same_words_on_the_corpus() -> None:
    """rjieba is used for speed only where it agrees with jieba."""
    fast, reference = Tokenizer(backend="rjieba"), Tokenizer(backend="jieba")
    texts = load_corpus()["text"].tolist()[:300]
    differing = [t for t in texts if fast.cut(t) != reference.cut(t)]
    assert len(differing) <= len(texts) * 0.02


def test_user_dictionary_is_editable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    userdict = tmp_path / "dict.txt"
    userdict.write_text("周末预约\n", encoding="utf-8")
    assert "周末预约" in Tokenizer(userdict=userdict).cut("开通周末预约")


def test_malformed_dictionary_line_is_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    userdict = tmp_path / "dict.txt"
    userdict.write_text("周末预约 many\n", encoding="utf-8")
    with pytest.raises(ModelError, match="line 1: expected 'word"):
        Tokenizer(userdict=userdict)


def test_words_share_one_string_per_word_across_texts(tokenizer: Tokenizer) -> None:
    first = tokenizer.words("建议公积金提取全程网办")
    second = tokenizer.words("希望公积金提取更快")
    assert "公积金" in first and "公积金" in second
    assert first[first.index("公积金")] is second[second.index("公积金")]
    assert tokenizer.words("建议公积金提取全程网办") == first


@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
def test_words_clause_by_clause_are_the_words_of_the_whole_text(backend: str) -> None:
    """A cut never spans the punctuation between clauses, so caching clauses changes no word."""
    tokenizer = Tokenizer(backend=backend)
    texts = [
        *load_corpus()["text"].tolist()[:200],
        "3.5元/吨,www.gov.cn。见附件", "建议:一、二、三；四!  五", "C++与A-B_c 50%,#1&2", "", " ",
    ]
    whole = [tokenizer._clause_words(t) for t in texts]  # the tagger over the whole text at once
    assert [tokenizer.words(t) for t in texts] == whole
    assert [tokenizer.words(t) for t in texts] == whole  # cached
