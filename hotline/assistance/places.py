"""Finding the region of an order in its address and content (SPEC 10).

Not a learned model: the directory's own names, matched longest first, down to the town
or street and the community. A name is also known without its suffix ("易俗河" for 易俗河镇,
"湘乡" for 湘乡市) unless that short form would be ambiguous with a wider region, and by the
local names the directory lists for it (``aliases``: 九华 for 湘潭经开区). A short form or
an alias counts only as a word of its own in the segmented text — never inside a longer
word — and a town's or community's short form that is an ordinary word (广场, 长城, 荷塘,
白石) not at all: 广场舞, 万达广场, 长城宽带 and 白石公园 name no place; 广场街道 and
白石镇 do. When a district is named too, places inside it win over namesakes elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hotline.assistance.directory import DirectorySnapshot
from hotline.assistance.features import general_dictionary, segmenter

_SUFFIXES = ("示范区", "街道", "社区", "镇", "乡", "区", "县", "市", "村")
_DEPTH = {"province": -1, "city": 0, "district": 1, "town": 2, "community": 3}
# Too wide to place an order (SPEC 2, 2026-12: a province office's top is the province).
_ABOVE_DISTRICT = ("province", "city")
SHORT_FORM_MIN = 2
# A word the general dictionary counts this often is an ordinary word (广场 7424, 荷塘 51),
# not a local name (双马 14, 花石 6).
ORDINARY_WORD_FREQUENCY = 50


@dataclass(frozen=True, slots=True)
class RegionGuess:
    code: str
    confidence: float


def _short_forms(name: str, city_short: str) -> list[str]:
    forms = []
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= SHORT_FORM_MIN:
            forms.append(name[: -len(suffix)])
            break
    if city_short and name.startswith(city_short) and len(name) - len(city_short) >= 3:
        forms.append(name[len(city_short) :])  # 湘潭高新区 → 高新区
    return [f for f in forms if f != city_short]


class RegionMatcher:
    def __init__(self, directory: DirectorySnapshot):
        self.directory = directory
        regions = [p for p in directory.regions.values() if p.level not in _ABOVE_DISTRICT]
        cities = [p for p in directory.regions.values() if p.level == "city"]
        city_short = cities[0].name.removesuffix("市") if len(cities) == 1 else ""
        # Full names, found anywhere: key → region code; the widest region first.
        keys: dict[str, str] = {}
        for city in cities:  # read whole so that no town's short form hides inside it
            keys[city.name] = city.code
        by_depth = sorted(regions, key=lambda p: _DEPTH[p.level])
        for place in by_depth:
            keys.setdefault(place.name, place.code)
        # Short forms and aliases, found only as words of their own.
        ordinary = general_dictionary()
        words: dict[str, str] = {}
        for place in by_depth:
            for alias in place.aliases:
                words.setdefault(alias, place.code)
        for place in by_depth:
            for short in _short_forms(place.name, city_short):
                if (
                    place.level in ("town", "community")
                    and ordinary.get(short, 0) >= ORDINARY_WORD_FREQUENCY
                ):
                    continue
                if short not in keys:
                    words.setdefault(short, place.code)
        self._keys = keys
        self._words = words
        self._segmenter_words = tuple(sorted({*keys, *words}))
        ordered = sorted(keys, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None
        self._word_firsts = {w[0] for w in words}
        self._word_lengths = sorted({len(w) for w in words})

    def match(self, address: str, content: str = "", limit: int = 3) -> list[RegionGuess]:
        """The likeliest regions, most likely first; empty when no place is named."""
        if self._pattern is None:
            return []
        found: dict[str, tuple[bool, bool]] = {}  # code → (full name, in the address)
        for text, in_address in ((address or "", True), (content or "", False)):
            names = [(h.start(), h.end(), self._keys[h[0]]) for h in self._pattern.finditer(text)]
            hits = [(code, True) for _, _, code in names]
            if self._may_name_by_word(text, names):
                words = segmenter(self._segmenter_words).cut(text)
                hits.extend((self._words[w], False) for w in words if w in self._words)
            for code, full in hits:
                if self.directory.regions[code].level in _ABOVE_DISTRICT:
                    continue
                was_full, was_address = found.get(code, (False, False))
                found[code] = (full or was_full, in_address or was_address)
        if not found:
            return []
        directory = self.directory
        districts = {directory.district_of(code) for code in found}
        districts.discard(None)
        scored = []
        for code, (full, in_address) in found.items():
            place = directory.regions[code]
            chain = directory.region_chain(code)
            district = directory.district_of(code)
            score = 2.0 * _DEPTH[place.level] + (1.0 if full else 0.0)
            score += 1.0 if in_address else 0.0
            named_above = any(link in found for link in chain[1:])
            if named_above:
                score += 2.0
            if len(districts) > 1 and not named_above and place.level != "district":
                score -= 3.0  # another district is named and this one is not
            scored.append(
                (score, _confidence(place.level, full, named_above, len(districts)), code)
            )
        scored.sort(key=lambda s: (-s[0], s[2]))
        guesses, seen = [], set()
        for _, confidence, code in scored:
            if code not in seen:
                guesses.append(RegionGuess(code, confidence))
                seen.add(code)
        best = guesses[0]
        district = directory.district_of(best.code)
        if district and district not in seen:
            # The wider district stays a sound second choice when the town is a namesake.
            guesses.insert(1, RegionGuess(district, round(min(0.9, best.confidence), 2)))
        return guesses[:limit]

    def _may_name_by_word(self, text: str, names: list[tuple[int, int, str]]) -> bool:
        """Whether a short form or alias occurs in ``text`` other than inside a full name of
        its own place (``names``: start, end, code), where it would add nothing. Only then
        is the text segmented, which costs more than the rest of the matching."""
        firsts, lengths, words = self._word_firsts, self._word_lengths, self._words
        for start, character in enumerate(text):
            if character not in firsts:
                continue
            for length in lengths:
                code = words.get(text[start : start + length])
                if code is not None and not any(
                    a <= start and start + length <= b and code == named for a, b, named in names
                ):
                    return True
        return False


def _confidence(level: str, full: bool, named_above: bool, districts: int) -> float:
    if level == "district":
        value = 0.9 if full else 0.75
    elif named_above:
        value = 0.95 if full else 0.85
    else:
        value = 0.8 if full else 0.6
    if districts > 1:
        value -= 0.25
    return round(max(value, 0.1), 2)
