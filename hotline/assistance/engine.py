"""Suggestions for a new order: appeal type, category, region and lead unit, each as the
top three choices with a confidence (SPEC 10).

The region comes from the directory's place names (``places``), never from a model. The
lead unit comes from the dispatch catalogue first — the catalogue's unit for each likely
category in that region, weighted by the category's probability — and then from the
model learned on dispatched orders that were never returned. Without a trained model the
category is guessed from the catalogue's keywords and the categories' names, and every
confidence says so by being low. Only leaf categories (小类) are suggested: a 大类 or
中类 does not name the unit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hotline.assistance import store
from hotline.assistance.directory import DirectorySnapshot
from hotline.assistance.features import WordSpotter
from hotline.assistance.model import SuggestionModel
from hotline.assistance.places import RegionMatcher

TOP = 3
CATEGORY_DEPTH = 5  # likely categories whose catalogue unit is weighed
CATALOGUE_SHARE = 0.6  # the catalogue's part of a lead unit's confidence
FALLBACK_CEILING = 0.5  # no model: no confidence above this

# Without a model: words that give the appeal type away, and the type when none does.
APPEAL_CUES = (
    ("举报", "report"),
    ("投诉", "complaint"),
    ("咨询", "consult"),
    ("请问", "consult"),
    ("想了解", "consult"),
    ("建议", "suggestion"),
    ("表扬", "praise"),
    ("感谢", "praise"),
    ("批评", "criticism"),
    ("求助", "help"),
    ("帮忙", "help"),
    ("希望", "help"),
)
APPEAL_PRIOR = (("complaint", 0.3), ("help", 0.25), ("consult", 0.2))


@dataclass(frozen=True, slots=True)
class Choice:
    code: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Suggestions:
    appeal_types: list[Choice]
    categories: list[Choice]
    regions: list[Choice]
    leads: list[Choice]
    learned: bool  # False: no trained model, catalogue and place names only


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a category was suggested: the catalogue entry that names its unit at the place,
    by which principle, and the words of the request that point to it."""

    category: str
    lead: str | None  # the catalogue's unit, None when no entry covers it
    territory: bool  # the entry is for the place (属地), else for the matter (职权)
    basis: str  # the entry's 依据, "" when it states none
    words: list[str]


EXPLAINED_WORDS = 5  # words shown at most


class SuggestionEngine:
    def __init__(self, directory: DirectorySnapshot, model: SuggestionModel | None = None):
        self.directory = directory
        self.model = model
        self.places = RegionMatcher(directory)
        spotted: dict[str, set[str]] = {}
        for word, code in directory.category_words():
            spotted.setdefault(word, set()).add(code)
        # The categories' own words: a request's matter without a model, and why.
        self._spotter = WordSpotter({word: tuple(sorted(c)) for word, c in spotted.items()})
        if model is not None:
            known = directory.leaf_categories()
            self._category_ok = np.array([c in known for c in model.category.classes])
            units = directory.units
            self._lead_ok = (
                np.array([u in units for u in model.lead.classes]) if model.lead else None
            )
            model.vectorizer.analyzer.warm()
            self._category_column = {c: i for i, c in enumerate(model.category.classes)}

    # --- one order or many -------------------------------------------------------------

    def suggest(self, content: str, address: str = "") -> Suggestions:
        return self.suggest_many([(content, address)])[0]

    def suggest_many(self, orders: Sequence[tuple[str, str]]) -> list[Suggestions]:
        regions = [self.places.match(address, content) for content, address in orders]
        best_regions = [r[0].code if r else None for r in regions]
        if self.model is None:
            return [
                self._fallback(content, region, best)
                for (content, _), region, best in zip(orders, regions, best_regions, strict=True)
            ]
        model = self.model
        X = model.features([content for content, _ in orders])
        contents = [content for content, _ in orders]
        appeal = model.appeal_proba(contents, X) if model.appeal else None
        category = model.category_proba(contents, X)
        category[:, ~self._category_ok] = 0.0
        lead = None
        if model.lead is not None:
            districts = [self.directory.district_of(code) for code in best_regions]
            lead = model.lead_proba(X, districts)
            lead[:, ~self._lead_ok] = 0.0
        categories = _tops(model.category.classes, category, CATEGORY_DEPTH)
        appeals = _tops(model.appeal.classes, appeal, TOP) if appeal is not None else None
        learned = _tops(model.lead.classes, lead, TOP + 2) if lead is not None else None
        return [
            Suggestions(
                appeal_types=appeals[i] if appeals is not None else [],
                categories=categories[i][:TOP],
                regions=[Choice(g.code, g.confidence) for g in regions[i]],
                leads=self._leads(
                    categories[i], best_regions[i], learned[i] if learned is not None else []
                ),
                learned=True,
            )
            for i in range(len(orders))
        ]

    def explain(self, content: str, category: str, region: str | None) -> Explanation:
        """The catalogue entry for ``category`` at ``region`` and the words of ``content``
        behind it: the category's own words found in the text (its synonyms, name and
        catalogue keywords), then the words the model weighs most for that category."""
        rule = self.directory.catalogue_rule(category, region)
        words = [
            word for word in self._spotter.found(content) if category in self._spotter.words[word]
        ]
        if self.model is not None and category in self._category_column:
            words += self.model.telling_words(content, self._category_column[category])
        return Explanation(
            category=category,
            lead=rule.lead if rule is not None else None,
            territory=rule is not None and rule.region_code is not None,
            basis=rule.basis if rule is not None else "",
            words=list(dict.fromkeys(words))[:EXPLAINED_WORDS],
        )

    # --- lead unit -------------------------------------------------------------------------

    def _leads(self, categories: list[Choice], region: str | None, learned: list[Choice]):
        scores: dict[str, float] = {}
        share = CATALOGUE_SHARE if learned else 1.0
        for choice in categories:
            rule = self.directory.catalogue_rule(choice.code, region)
            if rule is not None and rule.lead in self.directory.units:
                scores[rule.lead] = scores.get(rule.lead, 0.0) + share * choice.confidence
        for choice in learned:
            scores[choice.code] = scores.get(choice.code, 0.0) + (1 - share) * choice.confidence
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
        choices = [Choice(code, round(min(score, 1.0), 3)) for code, score in ranked]
        return [c for c in choices if c.confidence > 0]

    # --- without a model ---------------------------------------------------------------------

    def _fallback(self, content: str, regions, region: str | None) -> Suggestions:
        scores: dict[str, float] = {}
        for _, _, word in self._spotter.spans(content):
            for code in self._spotter.words[word]:
                scores[code] = scores.get(code, 0.0) + len(word)
        total = sum(scores.values())
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:CATEGORY_DEPTH]
        categories = [
            Choice(code, round(FALLBACK_CEILING * score / total, 3)) for code, score in ranked
        ]
        appeals: dict[str, float] = {}
        for word, appeal in APPEAL_CUES:
            if word in content and appeal not in appeals:
                appeals[appeal] = 0.45 - 0.1 * len(appeals)
        for appeal, prior in APPEAL_PRIOR:
            appeals.setdefault(appeal, prior * 0.5)
        appeal_types = [
            Choice(code, round(value, 3))
            for code, value in sorted(appeals.items(), key=lambda kv: -kv[1])[:TOP]
        ]
        return Suggestions(
            appeal_types=appeal_types,
            categories=categories[:TOP],
            regions=[Choice(g.code, g.confidence) for g in regions],
            leads=[
                Choice(c.code, round(c.confidence * FALLBACK_CEILING, 3))
                for c in self._leads(categories, region, [])
            ],
            learned=False,
        )


def _tops(classes: np.ndarray, matrix: np.ndarray, k: int) -> list[list[Choice]]:
    """Each row's ``k`` likeliest classes, likeliest first, leaving out those at zero."""
    k = min(k, matrix.shape[1])
    part = np.argpartition(-matrix, k - 1, axis=1)[:, :k]
    values = np.take_along_axis(matrix, part, axis=1)
    order = np.argsort(-values, axis=1, kind="stable")
    codes = classes[np.take_along_axis(part, order, axis=1)].tolist()
    confidences = np.round(np.take_along_axis(values, order, axis=1), 3).tolist()
    return [
        [
            Choice(str(code), value)
            for code, value in zip(row_codes, row_values, strict=True)
            if value > 0
        ]
        for row_codes, row_values in zip(codes, confidences, strict=True)
    ]


# --- once per process, and again when a newer model is saved -------------------------

RELOAD_CHECK_SECONDS = 5.0  # how often a request looks for a newer model file
_LOCK = threading.Lock()


@dataclass
class _Loaded:
    newest: Path | None  # the file the model was read from
    model: SuggestionModel | None
    checked_at: float


_LOADED: dict[Path, _Loaded] = {}


def loaded_model(folder: Path, *, now: float | None = None) -> SuggestionModel | None:
    """The newest model file in ``folder`` (None: no model yet). Read once, and read again
    when a newer file has appeared — looked for at most every ``RELOAD_CHECK_SECONDS``, a
    listing of one folder — so that a running server uses a new training at once."""
    folder = Path(folder)
    now = time.monotonic() if now is None else now
    loaded = _LOADED.get(folder)
    if loaded is not None and now - loaded.checked_at < RELOAD_CHECK_SECONDS:
        return loaded.model
    with _LOCK:
        loaded = _LOADED.get(folder)
        if loaded is not None and now - loaded.checked_at < RELOAD_CHECK_SECONDS:
            return loaded.model
        files = store.model_files(folder)
        newest = files[-1] if files else None
        if loaded is None or newest != loaded.newest:
            loaded = _Loaded(newest, store.load_newest(folder), now)
        else:
            loaded.checked_at = now
        _LOADED[folder] = loaded
        return loaded.model


def forget_loaded_models() -> None:
    """Makes the next ``loaded_model`` read the folder again (in tests)."""
    with _LOCK:
        _LOADED.clear()
