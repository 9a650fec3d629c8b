"""The figures of ``history_mix`` turned into samplers over the directory.

Dispatched orders are drawn lead unit first (so the unit shares come out as in the seed),
then a category and district that the dispatch catalogue gives to that unit: competence
categories to their department in any district, territorial ones (and categories the
catalogue has no entry for) to the district government of the order's own district.
Orders closed at intake take the categories the dispatched ones leave over, so the total
of each category matches its target too. Appeal types work the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline.demo.history import history_mix as mix
from hotline.demo.history.sampling import Weighted
from hotline.interchange.directory_index import DirectoryIndex

ONLINE_OUTCOMES = ("dispatched", "rejected", "answered")


@dataclass(frozen=True, slots=True)
class Target:
    """Where a dispatched order goes: its category, phrasing, district and lead unit."""

    code: str
    key: str  # phrasebook key: the code, or ``code@UNIT`` for a unit's own stream
    district: str
    unit: str


def bucket_of(index: DirectoryIndex, code: str) -> str:
    """The 中类 a code is counted under (a 大类 code stands for itself)."""
    chain = index.category_chain(code)
    return chain[-2] if len(chain) >= 2 else chain[-1]


class HistoryPlan:
    def __init__(self, index: DirectoryIndex, phrase_keys: list[str]):
        self.index = index
        plain = [k for k in phrase_keys if "@" not in k]
        unknown = [k for k in phrase_keys if k.split("@")[0] not in index.categories]
        if unknown:
            raise ValueError(f"phrasebook categories not in the directory: {unknown}")
        self.districts = list(mix.DISTRICT_WEIGHTS)
        self.district_weights = Weighted(mix.DISTRICT_WEIGHTS.items())

        # Target total of each code (per seed month).
        in_bucket: dict[str, list[str]] = {}
        for code in plain:
            in_bucket.setdefault(bucket_of(index, code), []).append(code)
        missing = [b for b in in_bucket if b not in mix.CATEGORIES_PER_MONTH]
        if missing:
            raise ValueError(f"categories without a monthly figure: {missing}")
        self.totals: dict[str, float] = {}
        for bucket, codes in in_bucket.items():
            weights = [mix.ITEM_WEIGHTS.get(c, 1.0) for c in codes]
            for code, weight in zip(codes, weights, strict=True):
                self.totals[code] = mix.CATEGORIES_PER_MONTH[bucket] * weight / sum(weights)

        # Dispatched: lead unit, then (code, district) pairs that lead there.
        self.lead_units = Weighted(mix.UNITS_DISPATCHED.items())
        pairs: dict[str, list[tuple[Target, float]]] = {u: [] for u in mix.UNITS_DISPATCHED}
        for code in plain:
            weight = self.totals[code] * mix.DISPATCH_PROPENSITY.get(code, 1.0)
            for district in self.districts:
                unit = self.lead_unit(code, district)
                if unit in pairs:
                    target = Target(code, code, district, unit)
                    pairs[unit].append((target, weight * mix.DISTRICT_WEIGHTS[district]))
        for unit, stream in mix.UNIT_STREAMS.items():
            for key, weight in stream.items():
                code = key.split("@")[0]
                for district, share in mix.DISTRICT_WEIGHTS.items():
                    pairs[unit].append((Target(code, key, district, unit), weight * share))
        empty = [u for u, p in pairs.items() if not p]
        if empty:
            raise ValueError(f"units with a dispatch figure but no category leading there: {empty}")
        self.targets = {unit: Weighted(p) for unit, p in pairs.items()}

        # Expected dispatched orders per code, and what is left for intake.
        dispatched = mix.OUTCOMES["dispatched"] * mix.SEED_ACCEPTED
        units_total = sum(mix.UNITS_DISPATCHED.values())
        self.expected_dispatched: dict[str, float] = dict.fromkeys(self.totals, 0.0)
        for unit, sampler in self.targets.items():
            count = dispatched * mix.UNITS_DISPATCHED[unit] / units_total
            for target in sampler.items:
                if target.key == target.code:
                    self.expected_dispatched[target.code] += count * sampler.share(target)
        self.intake_codes = Weighted(self._intake_weights(plain).items())

        # Appeal types.
        self.appeal_dispatched = Weighted(mix.APPEAL_TYPES_DISPATCHED.items())
        self.appeal_nuisance = Weighted(mix.APPEAL_TYPES_NUISANCE.items())
        self.appeal_rejected = Weighted(mix.APPEAL_TYPES_REJECTED.items())
        self.appeal_answered = Weighted(self._answered_appeals().items())

        self.outcomes = self._outcomes_by_channel()
        self.channels = Weighted(self._channel_counts().items())
        self.reject_reasons = Weighted(mix.REJECT_REASONS.items())
        self.callback_results = Weighted(mix.CALLBACK_RESULTS.items())
        self.callback_after_rework = Weighted(mix.CALLBACK_RESULTS_AFTER_REWORK.items())
        self.spot_check_results = Weighted(mix.SPOT_CHECK_RESULTS.items())
        self.tags = self._tag_chances()

    # --- dispatch ----------------------------------------------------------------------

    def lead_unit(self, code: str, district: str) -> str:
        """The catalogue's lead for a category in a district; territory when it has none."""
        rule = self.index.catalogue_rule(code, district)
        return rule.lead if rule else self.index.district_units[district]

    def co_units(self, code: str, region: str) -> tuple[str, ...]:
        rule = self.index.catalogue_rule(code, region)
        return rule.co_units if rule else ()

    # --- derived tables ----------------------------------------------------------------

    def _intake_weights(self, plain: list[str]) -> dict[str, float]:
        """What the dispatched orders leave of each code's total, for orders closed at
        intake: exact for the seed's top categories, the tail scaled to fill the rest."""
        top = list(mix.CATEGORIES_PER_MONTH)[: mix.TOP_CATEGORIES]
        left = {c: max(0.0, self.totals[c] - self.expected_dispatched[c]) for c in plain}
        is_top = {c: bucket_of(self.index, c) in top for c in plain}
        intake = (1 - sum(mix.OUTCOMES.values())) * mix.SEED_ACCEPTED
        top_left = sum(v for c, v in left.items() if is_top[c])
        tail_left = sum(v for c, v in left.items() if not is_top[c])
        scale = max(0.0, intake - top_left) / tail_left
        return {c: v if is_top[c] else v * scale for c, v in left.items()}

    def _answered_appeals(self) -> dict[str, float]:
        shares = mix.OUTCOMES
        answered = 1 - sum(shares.values())
        left = {}
        for appeal, share in mix.APPEAL_TYPES.items():
            taken = (shares["dispatched"] + shares["merged"]) * mix.APPEAL_TYPES_DISPATCHED.get(
                appeal, 0
            )
            taken += (shares["harassment"] + shares["invalid"]) * mix.APPEAL_TYPES_NUISANCE.get(
                appeal, 0
            )
            taken += shares["rejected"] * mix.APPEAL_TYPES_REJECTED.get(appeal, 0)
            left[appeal] = max(0.0, share - taken) / answered
        return left

    def _channel_counts(self) -> dict[str, float]:
        counts = {"phone": mix.SEED_ACCEPTED - sum(mix.CHANNELS_PER_MONTH.values())}
        counts.update(mix.CHANNELS_PER_MONTH)
        return counts

    def _outcomes_by_channel(self) -> dict[str, Weighted]:
        """Outcome samplers per channel; the phone takes what the online channels leave."""
        counts = self._channel_counts()
        total = mix.SEED_ACCEPTED
        shares = mix.OUTCOMES
        online_dispatched = sum(
            n * mix.CHANNEL_DISPATCH[channel] for channel, n in counts.items() if channel != "phone"
        )
        phone = counts["phone"]
        per_phone = {
            "dispatched": (shares["dispatched"] * total - online_dispatched) / phone,
            "rejected": shares["rejected"],
        }
        for outcome in ("merged", "harassment", "invalid"):
            per_phone[outcome] = shares[outcome] * total / phone
        per_phone["answered"] = 1 - sum(per_phone.values())
        out = {"phone": Weighted(per_phone.items())}
        for channel, dispatch in mix.CHANNEL_DISPATCH.items():
            rejected = shares["rejected"]
            out[channel] = Weighted(
                zip(
                    ONLINE_OUTCOMES,
                    (dispatch, rejected, max(0.0, 1 - dispatch - rejected)),
                    strict=True,
                )
            )
        return out

    def _tag_chances(self) -> dict[str, tuple[tuple[str, float], ...]]:
        """Per code, the tags it may carry and the chance of each."""
        intake = (1 - sum(mix.OUTCOMES.values())) * mix.SEED_ACCEPTED
        expected = {
            code: self.expected_dispatched[code] + intake * self.intake_codes_share(code)
            for code in self.totals
        }
        chances: dict[str, list[tuple[str, float]]] = {code: [] for code in self.totals}
        for tag, (per_month, prefixes) in mix.TAG_RULES.items():
            codes = [c for c in self.totals if any(c.startswith(p) for p in prefixes)]
            mass = sum(expected[c] for c in codes)
            for code in codes:
                chances[code].append((tag, min(1.0, per_month / mass)))
        return {code: tuple(c) for code, c in chances.items()}

    def expected_category_totals(self) -> dict[str, float]:
        """Per 中类 (or 大类), the orders a seed month should carry: for checking the plan."""
        intake = (1 - sum(mix.OUTCOMES.values())) * mix.SEED_ACCEPTED
        out: dict[str, float] = {}
        for code in self.totals:
            bucket = bucket_of(self.index, code)
            value = self.expected_dispatched[code] + intake * self.intake_codes_share(code)
            out[bucket] = out.get(bucket, 0.0) + value
        return out

    def intake_codes_share(self, code: str) -> float:
        return self.intake_codes.share(code) if code in self.intake_codes.items else 0.0
