"""One generated order: its intake fields, outcome and, when dispatched, its handling.

The result is the order's line as a dict, keys in the order the exporter writes them
(docs/interchange.md), with ``call_id`` left for the call log to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from random import Random

from hotline.demo.history import history_mix as mix
from hotline.demo.history.citizens import Citizens
from hotline.demo.history.handling import Case, Handling
from hotline.demo.history.history_plan import HistoryPlan
from hotline.demo.history.places import Place, PlaceMaker
from hotline.demo.history.speech import CitizenSpeech
from hotline.demo.history.texts import Texts
from hotline.interchange.directory_index import DirectoryIndex

_MERGE_LOOKBACK = 200  # recent dispatched orders a merged order may join
_URGENT = frozenset(mix.URGENT_CATEGORIES)


@dataclass(slots=True)
class Slot:
    """An order to make: when it came in, by which channel, and the order it was split
    from (a second matter in the same call)."""

    received: int
    channel: str
    parent: Slot | None = None
    # filled in when made:
    number: str = ""
    disposition: str = ""
    citizen: dict = field(default_factory=dict)
    data: dict | None = None


@dataclass(slots=True)
class _Open:
    """A dispatched order that later callers about the same matter can be merged into."""

    received: int
    number: str
    closed: int | None
    category: str
    region: str
    address: str
    appeal: str
    core: str


class OrderMaker:
    def __init__(
        self,
        *,
        index: DirectoryIndex,
        plan: HistoryPlan,
        texts: Texts,
        places: PlaceMaker,
        citizens: Citizens,
        handling: Handling,
        speech: CitizenSpeech,
        stamp,
        end: int,
        rng: Random,
    ):
        self.index = index
        self.plan = plan
        self.texts = texts
        self.places = places
        self.citizens = citizens
        self.handling = handling
        self.speech = speech
        self.stamp = stamp
        self.end = end
        self.rng = rng
        self.chains = {code: index.category_chain(code) for code in index.categories}
        self.recent: list[_Open] = []
        self.events = 0

    def make(self, slot: Slot) -> dict | None:
        """The order's line; None for a second matter split off a call that turned out
        to be harassment, invalid or a merge (such a call has no second matter)."""
        rng = self.rng
        outcome = self.plan.outcomes[slot.channel].pick(rng)
        if slot.parent is not None:
            if slot.parent.disposition not in ("answered", "dispatched", "rejected"):
                return None
            if outcome not in ("answered", "dispatched", "rejected"):
                outcome = "answered"
        if outcome == "merged":
            data = self._merged(slot)
            if data is not None:
                return data
            outcome = "answered"
        if outcome == "dispatched":
            return self._dispatched(slot)
        if outcome == "answered":
            return self._answered(slot)
        if outcome == "rejected":
            return self._rejected(slot)
        return self._nuisance(slot, outcome)

    # --- the outcomes ----------------------------------------------------------------------

    def _answered(self, slot: Slot) -> dict:
        rng = self.rng
        code = self.plan.intake_codes.pick(rng)
        appeal = self.plan.appeal_answered.pick(rng)
        draft = self.texts.draft(code, appeal, rng)
        place = self.places.make(self.plan.district_weights.pick(rng), draft.rural, rng)
        content, _ = self.texts.content(draft, slot.channel, place, rng)
        said = self.speech.take(code, appeal, None, rng)
        content, region, address = _in_their_words(said, content, place)
        data = self._head(slot, appeal, code, region, address, content)
        data["citizen"] = self._citizen(slot, appeal, place.rural)
        self._tail(slot, data, code, "answered")
        return data

    def _dispatched(self, slot: Slot) -> dict:
        rng = self.rng
        plan = self.plan
        unit = plan.lead_units.pick(rng)
        target = plan.targets[unit].pick(rng)
        appeal = plan.appeal_dispatched.pick(rng)
        draft = self.texts.draft(target.key, appeal, rng)
        place = self.places.make(target.district, draft.rural, rng)
        content, core = self.texts.content(draft, slot.channel, place, rng)
        code = target.code
        # A unit's own stream (``code@UNIT``) keeps its wording: its unit is not the
        # catalogue's, which a request's place would ask for.
        said = None
        if target.key == code:
            said = self.speech.take(code, appeal, target.district, rng)
        content, region, address = _in_their_words(said, content, place)
        if said is not None:
            core = content
        urgent = rng.random() < (mix.URGENT_IN_THESE if code in _URGENT else mix.URGENT_ELSEWHERE)
        data = self._head(slot, appeal, code, region, address, content)
        data["citizen"] = self._citizen(slot, appeal, place.rural)
        if urgent:
            data["urgent"] = True
        self._tail(slot, data, code, "dispatched")
        case = Case(
            received=slot.received,
            online=slot.channel not in mix.CALL_CHANNELS,
            urgent=urgent,
            appeal=appeal,
            chain=self.chains[code],
            key=target.key,
            lead=target.unit,
            place=place,
            draft=draft,
        )
        events, closed = self.handling.run(case)
        data["events"] = events
        self.events += len(events)
        self._remember(
            _Open(slot.received, slot.number, closed, code, region, address, appeal, core)
        )
        return data

    def _rejected(self, slot: Slot) -> dict:
        rng = self.rng
        reason = self.plan.reject_reasons.pick(rng)
        appeal = self.plan.appeal_rejected.pick(rng)
        code = self.plan.intake_codes.pick(rng) if reason == "other_channel" else None
        topic = self.texts.topic_of(code, rng) if code else ""
        place = self.places.make(self.plan.district_weights.pick(rng), False, rng)
        content = self.texts.rejected(reason, topic, place, rng)
        data = self._head(slot, appeal, code, None, "", content)
        data["citizen"] = self._citizen(slot, appeal, False)
        self._tail(slot, data, code, "rejected", reject_reason=reason)
        return data

    def _nuisance(self, slot: Slot, outcome: str) -> dict:
        rng = self.rng
        appeal = self.plan.appeal_nuisance.pick(rng)
        data = self._head(slot, appeal, None, None, "", self.texts.nuisance(outcome, rng))
        slot.citizen = data["citizen"] = self.citizens.nuisance_caller()
        self._tail(slot, data, None, outcome)
        return data

    def _merged(self, slot: Slot) -> dict | None:
        target = self._open_order(slot.received)
        if target is None:
            return None
        rng = self.rng
        content = self.texts.merged_content(target.number, target.core, rng)
        data = self._head(
            slot, target.appeal, target.category, target.region, target.address, content
        )
        data["citizen"] = self._citizen(slot, target.appeal, False)
        self._tail(slot, data, None, "merged", merged_into=target.number)
        if target.closed is not None:
            closed = target.closed + rng.randint(60, 1800)
            if closed < self.end:
                data["events"] = [{"type": "close", "at": self.stamp(closed)}]
                self.events += 1
        return data

    # --- pieces --------------------------------------------------------------------------------

    def _head(self, slot, appeal, category, region, address, content) -> dict:
        data = {
            "number": slot.number,
            "channel": slot.channel,
            "received_at": self.stamp(slot.received),
            "appeal_type": appeal,
        }
        if category:
            data["category"] = category
        if region:
            data["region"] = region
        if address:
            data["address"] = address
        data["content"] = content
        data["citizen"] = None
        return data

    def _tail(
        self,
        slot: Slot,
        data: dict,
        code: str | None,
        disposition: str,
        *,
        reject_reason: str = "",
        merged_into: str = "",
    ) -> None:
        """Tags, call, disposition, links and events, in the format's key order."""
        rng = self.rng
        tags = []
        if code is not None:
            for tag, chance in self.plan.tags[code]:
                if rng.random() < chance:
                    tags.append(tag)
        if slot.channel == "business_line" and mix.BUSINESS_LINE_TAG not in tags:
            tags.append(mix.BUSINESS_LINE_TAG)
        if tags:
            data["tags"] = tags
        if slot.channel in mix.CALL_CHANNELS:
            data["call_id"] = ""  # the call log fills it in
        if slot.channel == "province_platform":
            # The province platform's own number for the order it handed down.
            data["external_ref"] = f"{mix.PROVINCE_REF_PREFIX}{slot.number}"
        if slot.channel == "npc_deputy_line":
            # The parts of a split call share the deputy who called.
            caller = int((slot.parent or slot).number)
            data["deputy_level"] = mix.DEPUTY_LEVELS[caller % len(mix.DEPUTY_LEVELS)]
        data["disposition"] = disposition
        if reject_reason:
            data["reject_reason"] = reject_reason
        if merged_into:
            data["merged_into"] = merged_into
        if slot.parent is not None:
            data["split_from"] = slot.parent.number
        data["events"] = []
        slot.disposition = disposition

    def _citizen(self, slot: Slot, appeal: str, rural: bool) -> dict:
        if slot.parent is not None and slot.parent.citizen:
            citizen = slot.parent.citizen  # the same caller, a second matter
        else:
            confidential = self.rng.random() < mix.CONFIDENTIAL_SHARE.get(
                appeal, mix.CONFIDENTIAL_SHARE["other"]
            )
            citizen = self.citizens.citizen(
                rural=rural,
                enterprise=slot.channel == "business_line",
                confidential=confidential,
            )
        slot.citizen = citizen
        return citizen

    def _remember(self, order: _Open) -> None:
        self.recent.append(order)
        if len(self.recent) > 2 * _MERGE_LOOKBACK:
            del self.recent[:_MERGE_LOOKBACK]

    def _open_order(self, at: int) -> _Open | None:
        """A recent dispatched order still open at ``at`` (not closed within the hour)."""
        recent = self.recent[-_MERGE_LOOKBACK:]
        for _ in range(6):
            if not recent:
                return None
            candidate = self.rng.choice(recent)
            if candidate.received < at and (
                candidate.closed is None or candidate.closed > at + 3600
            ):
                return candidate
        return None


def _in_their_words(said: dict | None, content: str, place: Place) -> tuple[str, str, str]:
    """Content, region and address of the order: the generated ones, or as a citizen
    ``said`` it, with the place the request names (its address as written, which may be
    none); where it names none, the operator's entry of the generated place."""
    if said is None:
        return content, place.region, place.address
    if said.get("region"):
        return said["content"], said["region"], said.get("address") or ""
    return said["content"], place.region, place.address
