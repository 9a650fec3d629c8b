"""The suggestion engine and its training, on a generated history and hand-written requests:
the demo's calibration requests (which fit the confidences), and the demo's requests in
citizens' words, one in five of which the history here is generated without, to measure on."""

import json
from datetime import date
from pathlib import Path

import jieba
import joblib
import numpy as np
import pytest

import hotline.assistance
import hotline.demo
from hotline.assistance import store, training
from hotline.assistance.directory import from_files
from hotline.assistance.engine import (
    RELOAD_CHECK_SECONDS,
    SuggestionEngine,
    forget_loaded_models,
    loaded_model,
)
from hotline.assistance.features import _HALF_WIDTH as HALF_WIDTH
from hotline.assistance.features import Analyzer, WordSpotter, segmenter
from hotline.assistance.places import RegionMatcher
from hotline.assistance.samples import (
    articles_from_file,
    requests_from_file,
    samples_from_lines,
)
from hotline.demo.history.generator import generate

REQUESTS = hotline.demo.DIRECTORY / "requests.jsonl"
HELD_BACK = 5  # one request in five is kept out of the history and measured on
DEVELOPMENT = Path(hotline.assistance.__file__).with_name("calibration.jsonl")


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
        requests=[r for i, r in enumerate(_rows(REQUESTS)) if i % HELD_BACK],
    )
    samples = samples_from_lines(out / "orders.jsonl")
    articles = articles_from_file(hotline.demo.DIRECTORY / "knowledge.csv")
    model, evaluation = training.train_and_evaluate(
        samples,
        directory,
        refit=False,
        articles=articles,
        calibration=requests_from_file(DEVELOPMENT),
        # The office's labelled requests: those the history took its words from.
        requests=[r for i, r in enumerate(requests_from_file(REQUESTS)) if i % HELD_BACK],
    )
    return model, evaluation


def _rows(path):
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="module")
def hand_written():
    return _rows(REQUESTS)[::HELD_BACK]


@pytest.fixture(scope="module")
def development():
    return _rows(DEVELOPMENT)


def test_held_out_month_meets_the_accuracy_floor(trained):
    _, evaluation = trained
    assert evaluation.test_month == "2025-04"
    assert evaluation.trained_on > 8000 and evaluation.tested_on > 2500
    assert evaluation.lead_tested_on > 500
    assert evaluation.category_top1 >= 0.85
    assert evaluation.lead_top3 >= 0.95
    assert evaluation.region_top1 >= 0.95
    assert evaluation.appeal_top1 >= 0.8


@pytest.mark.parametrize("path", [REQUESTS, DEVELOPMENT], ids=["requests", "calibration"])
def test_hand_written_sets_are_large_and_consistent_with_the_directory(path, directory):
    rows = _rows(path)
    assert len(rows) >= 100
    assert len({r["content"] for r in rows}) == len(rows)
    for row in rows:
        assert row["category"] in directory.categories
        assert row["lead"] in directory.units
        assert not row["region"] or row["region"] in directory.regions


def test_the_calibration_requests_are_none_of_the_historys_requests():
    test = {r["content"] for r in _rows(REQUESTS)}
    assert not test & {r["content"] for r in _rows(DEVELOPMENT)}


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
    named = [r for r in hand_written if r["region"]]
    _, _, region = _hand_written_scores(SuggestionEngine(directory, trained[0]), named)
    assert region >= 0.9


def test_hand_written_set_meets_the_accuracy_floor(trained, directory, hand_written):
    category, lead, _ = _hand_written_scores(SuggestionEngine(directory, trained[0]), hand_written)
    assert category >= 0.75
    assert lead >= 0.90


def test_development_set_stays_near_its_tuned_accuracy(trained, directory, development):
    # Measured 0.738 and 0.907 when tuned; a change that loses more than a few requests
    # here has made the model worse at citizens' own words.
    category, lead, region = _hand_written_scores(
        SuggestionEngine(directory, trained[0]), development
    )
    assert category >= 0.70
    assert lead >= 0.88
    assert region >= 0.95


def test_requests_kept_out_of_the_history_get_their_appeal_type(trained, directory, hand_written):
    engine = SuggestionEngine(directory, trained[0])
    result = training.evaluate(engine, requests_from_file(REQUESTS)[::HELD_BACK])
    assert result.tested_on == len(hand_written)
    assert result.appeal_top1 >= 0.72


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


def test_features_and_lead_scores_equal_the_vectorizers_own(trained, hand_written):
    model = trained[0]
    texts = [r["content"] for r in hand_written] + ["", "ＫＴＶ唱到２点", "!!!"]
    X = model.features(texts)
    assert abs(X - model.vectorizer.transform(texts)).max() < 1e-6
    districts = ["430304", None, "no-such-district"] * (len(texts) // 3 + 1)
    districts = districts[: len(texts)]
    wide = model.lead.proba(model.lead_features(X, districts))
    assert abs(model.lead_proba(X, districts) - wide).max() < 1e-5


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
    loaded = loaded_model(tmp_path, now=1000.0)
    assert loaded.metadata["version"] == "20250201T000000Z"
    assert loaded.metadata["evaluation"]["test_month"] == "2025-04"
    assert loaded_model(tmp_path, now=1000.0 + RELOAD_CHECK_SECONDS) is loaded  # read once
    store.save(model, tmp_path, version="20250301T000000Z")
    # A running server takes the newer file at its next look, without a restart.
    assert loaded_model(tmp_path, now=1001.0 + RELOAD_CHECK_SECONDS) is loaded
    newer = loaded_model(tmp_path, now=1000.0 + 2 * RELOAD_CHECK_SECONDS)
    assert newer.metadata["version"] == "20250301T000000Z"
    forget_loaded_models()
    assert loaded_model(tmp_path / "none") is None
    forget_loaded_models()


def test_a_model_file_of_an_older_layout_is_passed_over(trained, tmp_path):
    store.save(trained[0], tmp_path, version="20250101T000000Z")
    older = tmp_path / "suggestions-20250201T000000Z.joblib"
    joblib.dump({"format": store.FORMAT - 1, "model": None}, older)
    assert store.load_newest(tmp_path).metadata["version"] == "20250101T000000Z"
    with pytest.raises(ValueError):
        store.load(older)
    older.rename(tmp_path / "suggestions-20240101T000000Z.joblib")
    (tmp_path / "suggestions-20250101T000000Z.joblib").unlink()
    assert store.load_newest(tmp_path) is None


@pytest.mark.parametrize(
    "content",
    [
        "晚上广场舞的音响太吵了，吵得小孩睡不着",
        "万达广场地下车库收费太贵了",
        "长城宽带装了一个月还没有网，客服一直推",
        "荷塘月色小区门口的路灯坏了",
        "白石公园里面的健身器材坏了好久",
    ],
)
def test_short_place_names_inside_ordinary_words_name_no_place(directory, content):
    assert RegionMatcher(directory).match("", content) == []


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("雨湖区广场街道基建营", "430302003"),
        ("湘潭县白石镇", "430321106"),
        ("雨湖区长城乡那边", "430302201"),
        ("荷塘街道", "430304013"),
        ("双马这边", "430371001"),  # a local name that is no ordinary word
    ],
)
def test_full_names_of_those_places_still_name_them(directory, text, region):
    assert RegionMatcher(directory).match(text)[0].code == region


def test_local_aliases_of_the_directory_name_their_place(directory):
    matcher = RegionMatcher(directory)
    assert matcher.match("", "九华这边有个工地晚上一直施工")[0].code == "430372"
    assert matcher.match("九华和平街道")[0].code == "430372001"


def test_a_construction_noise_call_is_explained_by_the_catalogue_and_its_words(trained, directory):
    engine = SuggestionEngine(directory, trained[0])
    text = "隔壁工地每天半夜还在施工打桩，吵得全家睡不着"
    found = engine.suggest(text, "岳塘区书院路街道")
    assert found.categories[0].code == "030301"  # 建筑施工噪音
    why = engine.explain(text, "030301", found.regions[0].code)
    assert why.lead == "U-CGJ" and why.territory is False  # the matter's department
    assert "打桩" in why.words
    assert all(word in text for word in why.words)


def test_each_phrase_of_the_phrasebook_is_also_learned_on_its_own(directory):
    texts = training._directory_texts(directory)
    alone = {(text, code) for text, code, weight in texts if weight == training.PHRASE_WEIGHT}
    assert {("打桩", "030301"), ("晚上施工", "030301"), ("狗咬人", "100401")} <= alone
    assert set(directory.vocabulary) <= alone  # every word of every category's synonyms


def test_everyday_words_of_the_phrasebook_name_their_matter(trained, directory):
    engine = SuggestionEngine(directory, trained[0])
    for text, code in (
        ("晚上施工，搅拌机一直响", "030301"),  # 建筑施工噪音
        ("楼下停水了，一天没水用", "090101"),  # 停水
        ("社保卡掉了，要补张社保卡", "050202"),  # 社保卡挂失补办
    ):
        assert engine.suggest(text).categories[0].code == code, text


def test_a_county_directory_names_its_towns_and_a_province_is_no_place(tmp_path):
    """SPEC 2 (2026-12): the directory's top may be a county or a province."""
    longshan = from_files(Path(__file__).parent.parent / "data" / "longshan_directory")
    matcher = RegionMatcher(longshan)
    assert matcher.match("龙山县洗洛镇")[0].code == "433130101"
    assert matcher.match("", "民安街道城南社区的路灯坏了")[0].code == "433130001001"
    (tmp_path / "regions.csv").write_text(
        "code,name,level,parent_code\n430000,湖南省,province,\n430300,湘潭市,city,430000\n"
        "430304,岳塘区,district,430300\n",
        encoding="utf-8",
    )
    for name, header in (
        ("units", "code,name,kind,parent_code,region_codes"),
        ("categories", "code,name,parent_code"),
        ("catalogue", "category_code,region_code,lead_unit_code,co_unit_codes,keywords"),
    ):
        (tmp_path / f"{name}.csv").write_text(header + "\n", encoding="utf-8")
    province = RegionMatcher(from_files(tmp_path))
    assert province.match("湖南省湘潭市岳塘区")[0].code == "430304"
    assert province.match("湖南省") == []


def test_the_appeal_type_is_as_sure_as_it_is_right_on_words_it_never_saw(
    trained, directory, hand_written
):
    """Its temperature is fitted on the office's requests, each scored by a machine that
    learned without it: on requests it never saw the first type's mean confidence is near
    how often it is right, not the near-certainty a fit on learned text gives."""
    model = trained[0]
    assert model.appeal.temperature != 1.0
    engine = SuggestionEngine(directory, model)
    held = requests_from_file(REQUESTS)[::HELD_BACK]
    answers = engine.suggest_many([(r.content, r.address) for r in held])
    right = np.mean(
        [a.appeal_types[0].code == r.appeal_type for r, a in zip(held, answers, strict=True)]
    )
    sure = np.mean([a.appeal_types[0].confidence for a in answers])
    assert abs(sure - right) < 0.1, (sure, right)


def test_the_office_requests_teach_the_appeal_type(trained, directory):
    """A way of asking only the office's labelled requests use is learned for its type,
    and the temperature is cross-fitted only when there are enough of them."""
    from hotline.assistance import model as learning

    history = [
        ("小区门口的路灯坏了好久，晚上看不见路", "complaint"),
        ("请问社保卡补办要带什么材料", "consult"),
        ("家里老人走丢了，请帮忙找一找", "help"),
        ("有人在河边偷偷倒垃圾，请来查处", "report"),
    ] * 30
    said = {
        "complaint": "吵得人睡不着，隔壁每晚都这样",
        "consult": "想晓得办这个手续要几天",
        "help": "屋里停水三天了冇得办法",
        "report": "我看到他们半夜往河里排污水",
    }
    requests = [
        learning.LabelledText(f"{text}（第{n}次）", "", "", 10.0, appeal)
        for appeal, text in said.items()
        for n in range(6)
    ]

    def fitted(labelled):
        return learning.fit(
            contents=[t for t, _ in history],
            appeals=[a for _, a in history],
            categories=[f"c-{a}" for _, a in history],
            leads=[""] * len(history),
            districts=[None] * len(history),
            labelled_texts=labelled,
            words=[],
        )

    learned = fitted(requests)
    X = learned.features(["冇得办法，屋里停水三天了"])
    proba = learned.appeal_proba(["冇得办法，屋里停水三天了"], X)[0]
    assert learned.appeal.classes[proba.argmax()] == "help"
    assert learned.appeal.temperature != 1.0  # 24 requests: 5 parts of each type's
    too_few = fitted(requests[:12])
    assert too_few.appeal.temperature == 1.0


def _all_texts():
    paths = [REQUESTS, DEVELOPMENT]
    rows = [row for path in paths for row in _rows(path)]
    odd = ["", " ", "ＫＴＶ唱到２点", "C++ & c#  12.5%\r\n第二行\t3楼", "a b", "你好😀", "。。！"]
    return [(row["content"], row.get("address") or "") for row in rows] + [(t, t) for t in odd]


def test_the_segmenter_cuts_the_words_jieba_cuts(directory):
    words = Analyzer(directory.dictionary_words()).words
    reference = jieba.Tokenizer()
    reference.initialize()
    for word in words:
        reference.add_word(word, freq=2000)
    cutter = segmenter(words)
    for content, _ in _all_texts():
        for text in (content, content.lower()):
            expected = reference.lcut(text, HMM=False)
            assert cutter.cut(text) == expected, text
            assert cutter.cut(text) == expected, text  # remembered
    assert segmenter(words) is cutter


def test_place_names_are_segmented_only_when_it_can_change_the_answer(directory, monkeypatch):
    matcher = RegionMatcher(directory)
    orders = [*_all_texts(), ("雨湖区雨湖路", ""), ("", "易俗河镇易俗河"), ("湘乡", "岳塘区九华")]
    skipping = [matcher.match(address, content) for content, address in orders]
    monkeypatch.setattr(RegionMatcher, "_may_name_by_word", lambda *_: True)
    assert [matcher.match(address, content) for content, address in orders] == skipping


def test_spotted_words_are_every_listed_word_in_the_text_longest_first(directory):
    pairs = directory.category_words()
    spotter = WordSpotter({word: (code,) for word, code in pairs})
    # A file written before the beginnings were kept holds the words and their longest.
    old = WordSpotter.__new__(WordSpotter)
    old.__setstate__({"words": spotter.words, "longest": 12})
    for content, _ in _all_texts():
        text = content.translate(HALF_WIDTH).lower()
        every = [
            (i, j, text[i:j])
            for i in range(len(text))
            for j in range(i + 1, len(text) + 1)
            if text[i:j] in spotter.words
        ]
        kept = spotter.spans(content)
        assert set(kept) <= set(every)
        assert all(any(a <= i and j <= b for a, b, _ in kept) for i, j, _ in every)
        assert old.spans(content) == kept
