"""The requests written by hand the way citizens speak, and the rule that keeps a set written
apart a measure of understanding and not memory.

Seven authors' requests (an earlier test set, a development set and six sets each held
apart until its one measurement, the second to the sixth by authors who saw nothing of
the suggestions) are now the demo city's ``requests.jsonl``: the history generator gives
their words to a share of its orders, and the demo office keeps them labelled, so the
suggestions learn them like an office's history. A set written apart later goes in
``tests/data/assistance_heldout_*.jsonl``: it must share no run of characters with
anything the suggestions learn from (the generator's and the suggestions' modules, the
demo directory's files, those requests included, and the calibration requests). A word
of the categories' synonyms or phrasebook stays shorter than a run the check sees, so
that such a set can be written."""

import json
from collections import Counter
from pathlib import Path

import pytest

import hotline.assistance
import hotline.demo
import hotline.interchange
from hotline.assistance.directory import from_files
from hotline.domain.enums import AppealType

REQUESTS = hotline.demo.DIRECTORY / "requests.jsonl"
HELD_APART = sorted((Path(__file__).parent.parent / "data").glob("assistance_heldout*.jsonl"))
RUN = 8  # characters in a row that two texts may not share


def _rows(path):
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _runs(text: str) -> set[str]:
    return {text[i : i + RUN] for i in range(len(text) - RUN + 1)}


@pytest.fixture(scope="module", params=HELD_APART, ids=[p.stem for p in HELD_APART])
def held_out(request):
    return _rows(request.param)


@pytest.fixture(scope="module")
def requests():
    return _rows(REQUESTS)


@pytest.fixture(scope="module")
def directory():
    return from_files(hotline.demo.DIRECTORY)


def _training_texts() -> list[str]:
    """Everything the suggestions learn from or were tuned on: the generator's phrases
    (its modules' whole source), the suggestions' own modules (the appeal cues), the demo
    directory's files (categories, catalogue keywords and basis, the categories' synonyms,
    knowledge base, the citizens' requests the history's orders take their words from),
    and the calibration requests."""
    packages = (hotline.interchange, hotline.demo, hotline.assistance)
    sources = [Path(package.__file__).parent for package in packages]
    texts = [p.read_text(encoding="utf-8") for s in sources for p in sorted(s.rglob("*.py"))]
    demo = hotline.demo.DIRECTORY
    texts += [p.read_text(encoding="utf-8") for p in sorted(demo.iterdir()) if p.is_file()]
    texts.append(
        Path(hotline.assistance.__file__).with_name("calibration.jsonl").read_text(encoding="utf-8")
    )
    return texts


def test_the_citizens_requests_are_among_what_the_suggestions_learn(requests):
    known = set().union(*(_runs(text) for text in _training_texts()))
    assert all(_runs(r["content"]) <= known for r in requests)


def test_every_word_of_the_phrasebook_is_shorter_than_a_shared_run(directory):
    """The categories' synonyms (the office's phrasebook) are learned word by word: each
    stays under the run the check sees, so that no set can share one whole."""
    words = [word for word, _ in directory.vocabulary]
    assert len(words) >= 189 * 8
    assert [word for word in words if len(word) >= RUN] == []
    per_leaf = Counter(code for _, code in directory.vocabulary)
    assert set(per_leaf) == directory.leaf_categories()
    assert min(per_leaf.values()) >= 8


def test_the_held_out_set_shares_no_text_with_what_the_suggestions_learn(held_out):
    known: set[str] = set()
    for text in _training_texts():
        known |= _runs(text)
    shared = [(r["content"], sorted(_runs(r["content"]) & known)) for r in held_out]
    assert [s for s in shared if s[1]] == []


def test_the_citizens_requests_are_labelled_with_the_catalogue(requests, directory):
    assert len(requests) >= 2500
    assert len({r["content"] for r in requests}) == len(requests)
    assert {r["category"] for r in requests} == directory.leaf_categories()
    assert Counter(r["appeal_type"] for r in requests).keys() <= {k.value for k in AppealType}
    for r in requests:
        rule = directory.catalogue_rule(r["category"], r["region"] or None)
        assert r["category"] in directory.leaf_categories()
        assert rule is not None and r["lead"] == rule.lead
        assert not r["region"] or r["region"] in directory.regions


def test_the_check_would_see_a_shared_phrase(requests):
    phrase = requests[0]["content"][:RUN]
    assert _runs(phrase) & _runs("来电人称" + phrase + "。")


def test_the_held_out_set_is_large_and_spread_over_the_catalogue(held_out, directory):
    assert len(held_out) >= 300
    assert len({r["content"] for r in held_out}) == len(held_out)
    leaves = directory.leaf_categories()
    assert all(r["category"] in leaves for r in held_out)
    assert len({r["category"] for r in held_out}) >= 80
    for r in held_out:
        # The lead unit is the one the catalogue names for the category at that place.
        rule = directory.catalogue_rule(r["category"], r["region"] or None)
        assert rule is not None and r["lead"] == rule.lead
        assert not r["region"] or r["region"] in directory.regions


def test_the_sets_written_apart_are_spread_like_the_calls_a_hotline_takes(held_out):
    assert len(held_out) >= 400
    assert len({r["category"] for r in held_out}) >= 100
    # About half name a place, the rest leave it to the dispatcher's city-level default.
    assert 0.4 <= sum(1 for r in held_out if r["region"]) / len(held_out) <= 0.6
    kinds = Counter(r["appeal_type"] for r in held_out)
    assert set(kinds) <= {kind.value for kind in AppealType}
    assert len(kinds) >= 6 and max(kinds.values()) < len(held_out) / 2
    lengths = [len(r["content"]) for r in held_out]
    assert min(lengths) >= 10 and max(lengths) <= 150 and max(lengths) >= 100
