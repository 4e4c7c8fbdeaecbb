"""A classifier for any taxonomy: training, saving without pickle, loading, determinism."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from goldideas.classifier import (
    TextClassifier,
    _features,
    cross_validate,
    fit_temperature,
    load_classifier,
    read_descriptions,
)
from goldideas.cli import app
from goldideas.errors import InputError, ModelError
from goldideas.io import read_table
from goldideas.segment import Tokenizer

runner = CliRunner()


@pytest.fixture(scope="module")
def labelled(corpus: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Kept corpus suggestions with their gold theme: a labelled set like a bureau's."""
    kept = gold.loc[gold["status"] == "kept", ["id", "theme"]]
    return corpus.merge(kept, on="id").groupby("theme").head(40).reset_index(drop=True)


@pytest.fixture(scope="module")
def fitted(labelled: pd.DataFrame) -> TextClassifier:
    return TextClassifier().fit(labelled["text"].tolist(), labelled["theme"].tolist())


def test_predicts_known_labels_with_probabilities(fitted: TextClassifier, labelled: pd.DataFrame) -> None:
    labels, confidence = fitted.predict(labelled["text"].tolist()[:20])
    assert set(labels) <= set(fitted.classes_)
    assert all(0 < c <= 1 for c in confidence)
    assert np.allclose(fitted.predict_proba(["建议公积金提取全程网办"]).sum(axis=1), 1)


def test_save_and_load_give_the_same_predictions(fitted: TextClassifier, tmp_path: Path) -> None:
    texts = ["建议公积金提取全程网办", "建议延长地铁末班车", "建议推行首违不罚"]
    loaded = load_classifier(fitted.save(tmp_path / "model"))
    assert loaded.predict(texts) == fitted.predict(texts)


def test_saved_model_is_json_and_numpy_only(fitted: TextClassifier, tmp_path: Path) -> None:
    folder = fitted.save(tmp_path / "model")
    assert sorted(p.name for p in folder.iterdir()) == ["model.json", "weights.npz"]
    json.loads((folder / "model.json").read_text(encoding="utf-8"))
    with np.load(folder / "weights.npz", allow_pickle=False) as weights:  # raises if pickled
        assert set(weights.files) == {"coef", "intercept", "idf"}


def test_training_is_deterministic(labelled: pd.DataFrame) -> None:
    texts, labels = labelled["text"].tolist(), labelled["theme"].tolist()
    a = TextClassifier().fit(texts, labels)
    b = TextClassifier().fit(texts, labels)
    assert np.array_equal(a.coef_, b.coef_)


def test_cross_validation_beats_chance(labelled: pd.DataFrame) -> None:
    score = cross_validate(labelled["text"].tolist(), labelled["theme"].tolist(), TextClassifier(), folds=3)
    assert score > 1 / 6 + 0.3


def test_first_line_terms_are_added_under_their_own_names() -> None:
    """The title's terms come again as w^/c^ terms, repeated first_line_weight times."""
    tok = Tokenizer()
    plain = _features("地铁末班车\n建议延长运营时间", tok, (1, 1))
    titled = _features("地铁末班车\n建议延长运营时间", tok, (1, 1), first_line_weight=2)
    extra = titled[len(plain):]
    assert titled[: len(plain)] == plain
    assert extra.count("c^地") == 2 and "c^建" not in extra and all(t[1] == "^" for t in extra)
    assert _features("地铁末班车建议延长运营时间", tok, (1, 1), first_line_weight=2) == _features(
        "地铁末班车建议延长运营时间", tok, (1, 1))


def test_a_description_is_all_title() -> None:
    """A label's description (a sub-category name) is title-like: all its terms come again as title terms."""
    tok = Tokenizer()
    terms = _features("违章建筑", tok, (1, 1), first_line_weight=2, all_title=True)
    assert terms == _features("违章建筑", tok, (1, 1)) + [t[:1] + "^" + t[2:] for t in _features("违章建筑", tok, (1, 1))] * 2


def test_balanced_class_weights_lift_a_small_label() -> None:
    """With one label eight times rarer, balancing weights raise its probability on its own text."""
    texts = ["建议公积金提取全程网办", "建议社保卡补办网上办理"] * 8 + ["建议延长地铁末班车"] * 2
    labels = ["政务"] * 16 + ["交通"] * 2
    probe = ["地铁末班车延长"]
    plain = TextClassifier(class_weight=None, min_df=1).fit(texts, labels)
    balanced = TextClassifier(min_df=1).fit(texts, labels)
    col = balanced.classes_.index("交通")
    assert balanced.predict_proba(probe)[0, col] > plain.predict_proba(probe)[0, col]


def test_a_label_description_teaches_words_no_training_text_has() -> None:
    """Only the taxonomy says that 共享单车 belongs to 交通; with it, a text about it leans there."""
    texts = ["建议公积金提取全程网办", "建议社保卡补办网上办理", "建议延长地铁末班车", "建议增加公交线路"] * 3
    labels = ["政务", "政务", "交通", "交通"] * 3
    described = [("交通", "共享单车停放"), ("政务", "行政审批"), ("农业", "种子补贴")]
    plain = TextClassifier(min_df=1).fit(texts, labels)
    taught = TextClassifier(min_df=1).fit(texts, labels, descriptions=described)
    assert taught.classes_ == ["交通", "政务"]  # a described label nobody labelled is left out
    probe = ["共享单车停放混乱"]
    col = taught.classes_.index("交通")
    assert taught.predict(probe)[0] == ["交通"]
    assert taught.predict_proba(probe)[0, col] > plain.predict_proba(probe)[0, col]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param([["城建", "规划", "违章建筑"]], [("城建", "规划 违章建筑")], id="cells-joined"),
        pytest.param([["城建", "规划", ""], ["城建", "规划", ""]], [("城建", "规划")], id="empty-and-repeated"),
        pytest.param([["", "规划", "其他"], ["城建", "", ""]], [], id="no-label-or-no-text"),
    ],
)
def test_taxonomy_rows_become_descriptions(rows: list[list[str]], expected: list[tuple[str, str]]) -> None:
    table = pd.DataFrame(rows, columns=["一级分类", "二级分类", "三级分类"])
    assert read_descriptions(table, "一级分类") == expected


def test_a_taxonomy_without_the_label_column_is_named() -> None:
    with pytest.raises(InputError, match="the taxonomy: no column '一级'"):
        read_descriptions(pd.DataFrame({"二级": ["规划"]}), "一级")


def test_an_unknown_class_weight_is_named() -> None:
    with pytest.raises(ModelError, match="class_weight must be None or 'balanced', not 'equal'"):
        TextClassifier(class_weight="equal").fit(["公积金", "地铁"], ["a", "b"])


def test_options_survive_saving(tmp_path: Path, labelled: pd.DataFrame) -> None:
    model = TextClassifier(class_weight=None, first_line_weight=1, temperature=0.5).fit(
        labelled["text"].tolist(), labelled["theme"].tolist())
    loaded = load_classifier(model.save(tmp_path / "model"))
    assert loaded.get_params() == model.get_params()


def test_a_model_saved_before_the_options_loads_without_them(fitted: TextClassifier, tmp_path: Path) -> None:
    folder = fitted.save(tmp_path / "model")
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    del meta["params"]["class_weight"], meta["params"]["first_line_weight"], meta["params"]["temperature"]
    (folder / "model.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    loaded = load_classifier(folder)
    assert loaded.class_weight is None and loaded.first_line_weight == 0 and loaded.temperature == 1


@pytest.mark.parametrize(
    ("right", "wrong", "sharper"),
    [
        pytest.param(0.6, 0.2, True, id="always-right-but-unsure"),
        pytest.param(0.98, 0.01, False, id="sure-but-often-wrong"),
    ],
)
def test_temperature_corrects_over_and_underconfidence(right: float, wrong: float, sharper: bool) -> None:
    """Three classes; the model's top class is right 8 times in 10 (and 10 in 10 in the first case)."""
    proba = np.array([[right, wrong, 1 - right - wrong]] * 10)
    truth = [0] * 10 if sharper else [0] * 8 + [1] * 2
    temperature = fit_temperature(proba, truth)
    assert (temperature < 1) if sharper else (temperature > 1)


def test_a_temperature_keeps_the_label_and_moves_the_confidence(fitted: TextClassifier) -> None:
    texts = ["建议公积金提取全程网办", "建议延长地铁末班车"]
    sharp = TextClassifier(**{**fitted.get_params(), "temperature": 0.5})
    sharp.vocabulary_, sharp.idf_, sharp.classes_ = fitted.vocabulary_, fitted.idf_, fitted.classes_
    sharp.coef_, sharp.intercept_ = fitted.coef_, fitted.intercept_
    (labels, confidence), (sharp_labels, sharp_confidence) = fitted.predict(texts), sharp.predict(texts)
    assert sharp_labels == labels
    assert all(s > c for s, c in zip(sharp_confidence, confidence, strict=True))


def test_unfitted_model_says_so() -> None:
    with pytest.raises(ModelError, match="not fitted yet"):
        TextClassifier().predict(["建议"])


@pytest.mark.parametrize(
    ("files", "message"),
    [
        pytest.param({}, "not a goldideas model folder", id="empty-folder"),
        pytest.param({"model.json": "{", "weights.npz": ""}, "damaged", id="damaged"),
    ],
)
def test_bad_model_folders_are_named(tmp_path: Path, files: dict[str, str], message: str) -> None:
    for name, content in files.items():
        (tmp_path / name).write_text(content)
    with pytest.raises(ModelError, match=message):
        load_classifier(tmp_path)


def test_a_pickled_weights_file_is_refused(fitted: TextClassifier, tmp_path: Path) -> None:
    folder = fitted.save(tmp_path / "model")
    np.savez(folder / "weights.npz", coef=np.array([object()], dtype=object),
             intercept=fitted.intercept_, idf=fitted.idf_)
    with pytest.raises(ModelError, match="damaged"):
        load_classifier(folder)


def test_cli_train_classify_and_screen_with_the_model(labelled: pd.DataFrame, tmp_path: Path) -> None:
    source = tmp_path / "labelled.csv"
    labelled.assign(title=labelled["text"].str[:10]).to_csv(source, index=False)
    taxonomy = tmp_path / "taxonomy.csv"
    pd.DataFrame({"theme": sorted(set(labelled["theme"])), "sub": "其他"}).to_csv(taxonomy, index=False)
    model = tmp_path / "model"
    result = runner.invoke(app, ["train", str(source), "--label-column", "theme", "--text-column", "title",
                                 "--text-column", "text", "--model", str(model), "--folds", "3",
                                 "--taxonomy", str(taxonomy)])
    assert result.exit_code == 0, result.output
    assert "3-fold cross-validated macro-F1" in result.stdout
    assert f"{labelled['theme'].nunique()} taxonomy entries of these labels" in result.stdout
    temperature = json.loads((model / "model.json").read_text(encoding="utf-8"))["params"]["temperature"]
    assert f"confidences tempered by {temperature:g} (calibrated on the folds)" in result.stdout
    out = tmp_path / "labels.csv"
    result = runner.invoke(app, ["classify", str(source), "--model", str(model), "--text-column", "title",
                                 "--text-column", "text", "-o", str(out)])
    assert result.exit_code == 0, result.output
    labels = read_table(out)
    assert list(labels.columns) == ["id", "label", "confidence"] and len(labels) == len(labelled)
    screened = tmp_path / "screened.csv"
    result = runner.invoke(app, ["screen", str(source), "--theme-model", str(model), "-o", str(screened)])
    assert result.exit_code == 0, result.output
    themes = set(read_table(screened)["theme"]) - {""}
    assert themes <= set(labelled["theme"])


def test_train_names_a_label_with_too_few_rows(tmp_path: Path) -> None:
    source = tmp_path / "few.csv"
    pd.DataFrame({"text": ["公积金提取"] * 6 + ["地铁"], "label": ["a"] * 6 + ["b"]}).to_csv(source, index=False)
    result = runner.invoke(app, ["train", str(source), "--label-column", "label", "--model", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "a label has only 1 rows; each needs at least 5" in result.stderr


def test_train_names_a_taxonomy_without_the_label_column(tmp_path: Path) -> None:
    source, taxonomy = tmp_path / "labelled.csv", tmp_path / "taxonomy.csv"
    pd.DataFrame({"text": ["公积金提取", "地铁末班车"] * 5, "label": ["a", "b"] * 5}).to_csv(source, index=False)
    pd.DataFrame({"一级分类": ["a"], "二级分类": ["公积金"]}).to_csv(taxonomy, index=False)
    result = runner.invoke(app, ["train", str(source), "--label-column", "label", "--model", str(tmp_path / "m"),
                                 "--taxonomy", str(taxonomy)])
    assert result.exit_code == 2
    assert f"{taxonomy}: no column 'label' (the label column)" in result.stderr


def test_screen_with_a_trained_model_reads_titles_as_classify_does(labelled: pd.DataFrame, tmp_path: Path) -> None:
    """The model sees each row's original text, first line (title) included, so a kept row's
    theme and confidence are what the model gives that text on its own."""
    from goldideas import Config, screen
    from goldideas.config import ThemesConfig

    titled = [f"{text[:12]}\n{text}" for text in labelled["text"]]
    model = TextClassifier().fit(titled, labelled["theme"].tolist())
    model.save(tmp_path / "model")
    config = Config(themes=ThemesConfig(model=str(tmp_path / "model")))
    verdicts = screen(titled, config).verdicts
    labels, confidence = model.predict(titled)
    kept = [(v.theme, v.theme_confidence, label, c)
            for v, label, c in zip(verdicts, labels, confidence, strict=True) if v.status.value == "kept"]
    assert len(kept) > 100
    assert all(theme == label and got == pytest.approx(c) for theme, got, label, c in kept)
