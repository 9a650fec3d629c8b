"""The evaluation sets written by hand the way citizens speak, sharing no text with what the
suggestions learn from, so that their figures measure understanding and not memory.
``tests/data/assistance_heldout.jsonl``, ``tests/data/assistance_heldout_2.jsonl`` and
``tests/data/assistance_heldout_3.jsonl`` were each held apart until their one measurement;
since then all three are development sets (their misses may be read and the vocabulary, the
appeal cues and the weights tuned on them). The second and the third have their own
authors, who saw neither the suggestions' vocabulary nor the other sets (the third wrote
from the category tree, the regions and the units alone), and no set shares text with
another. What the suggestions learn from must still share no text with any of them: a word
of the categories' synonyms or phrasebook stays shorter than a run the check sees, so that
a set written apart later is measured on understanding, not memory.
``tests/data/assistance_heldout_4.jsonl`` is held apart now: a fourth author wrote it from
the category tree, the regions and the units alone, and it shares no text with the three
before it. ``tests/data/assistance_heldout_5.jsonl`` is held apart now as well: a fifth
author wrote it from the category tree, the regions and the units alone, and it shares no
text with the four before it."""

import json
from collections import Counter
from pathlib import Path

import pytest

import hotline.assistance
import hotline.demo
import hotline.interchange
from hotline.assistance.directory import from_files
from hotline.domain.enums import AppealType

HELD_OUT = Path(__file__).parent.parent / "data" / "assistance_heldout.jsonl"
SECOND = HELD_OUT.with_name("assistance_heldout_2.jsonl")
THIRD = HELD_OUT.with_name("assistance_heldout_3.jsonl")
FOURTH = HELD_OUT.with_name("assistance_heldout_4.jsonl")
FIFTH = HELD_OUT.with_name("assistance_heldout_5.jsonl")
# Written for tuning the suggestions (the vocabulary's weight, the cues' weight, the
# temperatures' range): whatever was tuned on it must not be what is measured.
DEVELOPMENT = HELD_OUT.with_name("assistance_dev.jsonl")
RUN = 8  # characters in a row that two texts may not share


def _rows(path):
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _runs(text: str) -> set[str]:
    return {text[i : i + RUN] for i in range(len(text) - RUN + 1)}


@pytest.fixture(
    scope="module",
    params=[HELD_OUT, SECOND, THIRD, FOURTH, FIFTH],
    ids=["first", "second", "third", "fourth", "fifth"],
)
def held_out(request):
    return _rows(request.param)


@pytest.fixture(scope="module")
def directory():
    return from_files(hotline.demo.DIRECTORY)


def _training_texts() -> list[str]:
    """Everything the suggestions learn from or were tuned on: the generator's phrases
    (its modules' whole source), the suggestions' own modules (the appeal cues), the demo
    directory's files (categories, catalogue keywords and basis, the categories' synonyms,
    knowledge base), the calibration requests, the earlier test set and the development
    set."""
    packages = (hotline.interchange, hotline.demo, hotline.assistance)
    sources = [Path(package.__file__).parent for package in packages]
    texts = [p.read_text(encoding="utf-8") for s in sources for p in sorted(s.rglob("*.py"))]
    demo = hotline.demo.DIRECTORY
    texts += [p.read_text(encoding="utf-8") for p in sorted(demo.iterdir()) if p.is_file()]
    texts.append(
        Path(hotline.assistance.__file__).with_name("calibration.jsonl").read_text(encoding="utf-8")
    )
    texts.append((HELD_OUT.parent / "assistance_requests.jsonl").read_text(encoding="utf-8"))
    texts.append(DEVELOPMENT.read_text(encoding="utf-8"))
    return texts


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


@pytest.mark.parametrize(
    "earlier, later",
    [
        (HELD_OUT, SECOND),
        (HELD_OUT, THIRD),
        (SECOND, THIRD),
        (HELD_OUT, FOURTH),
        (SECOND, FOURTH),
        (THIRD, FOURTH),
        (HELD_OUT, FIFTH),
        (SECOND, FIFTH),
        (THIRD, FIFTH),
        (FOURTH, FIFTH),
    ],
)
def test_the_held_out_sets_share_no_text(earlier, later):
    known = {run for r in _rows(earlier) for run in _runs(r["content"])}
    assert [r["content"] for r in _rows(later) if _runs(r["content"]) & known] == []


def test_the_development_set_shares_no_text_with_the_held_out_set(held_out):
    development = _rows(DEVELOPMENT)
    known = {run for r in development for run in _runs(r["content"])}
    assert [r["content"] for r in held_out if _runs(r["content"]) & known] == []
    assert not {r["content"] for r in development} & {r["content"] for r in held_out}


def test_the_development_set_is_labelled_like_the_held_out_set(directory):
    development = _rows(DEVELOPMENT)
    assert len(development) >= 200
    assert len({r["category"] for r in development}) >= 150
    for r in development:
        rule = directory.catalogue_rule(r["category"], r["region"] or None)
        assert r["category"] in directory.leaf_categories()
        assert rule is not None and r["lead"] == rule.lead


def test_the_check_would_see_a_shared_phrase(held_out):
    phrase = held_out[0]["content"][:RUN]
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


@pytest.mark.parametrize(
    "path", [SECOND, THIRD, FOURTH, FIFTH], ids=["second", "third", "fourth", "fifth"]
)
def test_the_later_sets_are_spread_like_the_calls_a_hotline_takes(path):
    second = _rows(path)
    assert len(second) >= 400
    assert len({r["category"] for r in second}) >= 100
    # About half name a place, the rest leave it to the dispatcher's city-level default.
    assert 0.4 <= sum(1 for r in second if r["region"]) / len(second) <= 0.6
    kinds = Counter(r["appeal_type"] for r in second)
    assert set(kinds) <= {kind.value for kind in AppealType}
    assert len(kinds) >= 6 and max(kinds.values()) < len(second) / 2
    lengths = [len(r["content"]) for r in second]
    assert min(lengths) >= 10 and max(lengths) <= 150 and max(lengths) >= 100
