"""Writing the generated orders' texts from the phrasebook: contents, replies, notes.

Templates are parsed once into literal and slot parts; rendering a text fills only the
slots it names, each from the order's place or a fresh random draw, so that the same
phrasing gives many different contents.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from random import Random

from hotline.demo.history import phrasebook as pb
from hotline.demo.history.places import Place

# --- templates ---------------------------------------------------------------------------

_CLAUSE_ENDS = "。，；！？、"


class Scene:
    """What the slots of one text are filled from."""

    __slots__ = ("rng", "place", "topic", "unit", "rdate")

    def __init__(self, rng: Random, place: Place | None, topic: str = "", unit: str = ""):
        self.rng = rng
        self.place = place
        self.topic = topic
        self.unit = unit
        self.rdate = ""


def _number(low: int, high: int, step: int = 1) -> Callable[[Scene], str]:
    return lambda s: str(s.rng.randint(low, high) * step)


def _one_of(options: tuple[str, ...]) -> Callable[[Scene], str]:
    return lambda s: s.rng.choice(options)


_SCHOOLS = tuple(p + k for p in pb.NAME_PIECES[:20] for k in pb.SCHOOL_KINDS)
_HOSPITALS = tuple("辖区某" + kind for kind in pb.HOSPITAL_KINDS) + ("某民营医院", "某专科医院")
_CLOCKS = ("今天早上", "今天上午", "昨天晚上", "昨天下午", "前天夜里", "今天凌晨")

SLOTS: dict[str, Callable[[Scene], str]] = {
    "estate": lambda s: s.place.estate,
    "road": lambda s: s.place.road,
    "road2": lambda s: s.place.road2,
    "village": lambda s: s.place.village,
    "town": lambda s: s.place.town_name,
    "building": lambda s: str(s.place.building),
    "place": lambda s: s.place.spot,
    "topic": lambda s: s.topic,
    "unit": lambda s: s.unit,
    "rdate": lambda s: s.rdate,
    "price": _one_of(("1.2", "1.5", "1.8", "2.0", "2.3", "2.6")),
    "small_amount": _number(2, 60, 10),
    "amount": _number(3, 400, 100),
    "months": _number(2, 12),
    "days": _number(3, 30),
    "years": _number(2, 8),
    "n": _number(3, 9),
    "hours": _number(2, 9),
    "minutes": _one_of(("20", "30", "40", "50", "60")),
    "late": _one_of(pb.LATE_HOURS),
    "clock": _one_of(_CLOCKS),
    "bus": lambda s: f"{s.rng.randint(1, 60)}路",
    "shop": _one_of(pb.SHOPS),
    "card_shop": _one_of(pb.CARD_SHOPS),
    "goods": _one_of(pb.GOODS),
    "food": _one_of(pb.FOODS),
    "device": _one_of(pb.DEVICES),
    "restaurant": _one_of(pb.RESTAURANTS),
    "work": _one_of(pb.WORKPLACES),
    "skill": _one_of(pb.SKILLS),
    "biz": _one_of(pb.BUSINESS_MATTERS),
    "hospital": _one_of(_HOSPITALS),
    "school": _one_of(_SCHOOLS),
    "dispute": _one_of(pb.DISPUTES),
    "age": _number(18, 82),
    "relative": _one_of(pb.RELATIVES),
}


class Template:
    __slots__ = ("head", "parts", "rural", "text", "opens_with_place")

    def __init__(self, text: str):
        self.text = text
        # text = head + fill₁ + literal₁ + fill₂ + literal₂ …
        self.head = ""
        parts = []
        for literal, slot, _, _ in string.Formatter().parse(text):
            if slot is not None and slot not in SLOTS:
                raise ValueError(f"unknown slot {{{slot}}} in {text!r}")
            if parts:
                parts[-1] = (parts[-1][0], literal)
            else:
                self.head = literal
            if slot:
                parts.append((SLOTS[slot], ""))
        self.parts = tuple(parts)
        self.rural = "{village}" in text
        # "{estate}…" can take the district and town in front: "岳塘区书院路街道{estate}…".
        self.opens_with_place = text.startswith(("{estate}", "{road}", "{village}"))

    def render(self, scene: Scene) -> str:
        text = self.head
        for fill, literal in self.parts:
            text += fill(scene) + literal
        return text


def _compile(texts) -> tuple[Template, ...]:
    return tuple(Template(t) for t in texts)


# --- contents ----------------------------------------------------------------------------

_ISSUE_DEMANDS = {"help": pb.HELP_DEMANDS, "complaint": pb.COMPLAINT_DEMANDS}
_TOPIC_FRAMES = {
    "consult": _compile(pb.CONSULT_FRAMES),
    "suggestion": _compile(pb.SUGGESTION_FRAMES),
    "praise": _compile(pb.PRAISE_FRAMES),
    "criticism": _compile(pb.CRITICISM_FRAMES),
    "other": _compile(pb.OTHER_FRAMES),
}


@dataclass(slots=True)
class Draft:
    """A content chosen before its place: the place must suit the template."""

    appeal: str
    topic: str
    template: Template
    issue: bool  # a problem (help, complaint, report) rather than a topic frame

    @property
    def rural(self) -> bool:
        return self.template.rural


class Texts:
    def __init__(self):
        self._topics: dict[str, tuple[str, ...]] = {}
        self._issues: dict[str, tuple[Template, ...]] = {}
        for key, (topics, issues) in pb.CATEGORY_PHRASES.items():
            self._topics[key] = topics
            self._issues[key] = _compile(issues)
        self._openers = {channel: tuple(o) for channel, o in pb.OPENERS.items()}
        self._reject = {reason: _compile(t) for reason, t in pb.REJECT_TEXTS.items()}
        self._reply_openers = _compile(pb.REPLY_OPENERS)
        self._reply_actions = {g: _compile(a) for g, a in pb.REPLY_ACTIONS.items()}
        self._reply_results = _compile(pb.REPLY_RESULTS)
        self._consult_results = _compile(pb.CONSULT_RESULTS)
        self._return_reasons = _compile(pb.RETURN_REASONS)
        self._decisions = _compile(pb.CONSULTATION_DECISIONS)
        self._co_replies = _compile(pb.CO_REPLIES)

    def keys(self) -> list[str]:
        return list(self._topics)

    def draft(self, key: str, appeal: str, rng: Random) -> Draft:
        topic = rng.choice(self._topics[key])
        if appeal in ("help", "complaint", "report"):
            return Draft(appeal, topic, rng.choice(self._issues[key]), True)
        return Draft(appeal, topic, rng.choice(_TOPIC_FRAMES[appeal]), False)

    def content(self, draft: Draft, channel: str, place: Place, rng: Random) -> tuple[str, str]:
        """The order's content and its core (the matter itself, for merged orders)."""
        scene = Scene(rng, place, draft.topic)
        if not draft.issue:
            openers = pb.PHONE_TOPIC_OPENERS if channel == "phone" else self._openers[channel]
            body = draft.template.render(scene)
            return rng.choice(openers) + body, body
        opener = rng.choice(self._openers[channel])
        core = draft.template.render(scene)
        if draft.template.opens_with_place and rng.random() < 0.6:
            core = place.district_name + place.town_name + core
        if draft.appeal == "report":
            frame = rng.choice(pb.REPORT_FRAMES)
            return opener + frame.format(issue=core), core
        return opener + core + "，" + rng.choice(_ISSUE_DEMANDS[draft.appeal]), core

    def merged_content(self, number: str, core: str, rng: Random) -> str:
        demand = rng.choice(pb.COMPLAINT_DEMANDS)
        # A topic's core is a whole sentence ("…要求。"): no "。，" before the demand.
        return f"来电反映的问题与工单{number}为同一事项：{core.rstrip(_CLAUSE_ENDS)}，{demand}"

    def nuisance(self, disposition: str, rng: Random) -> str:
        texts = pb.HARASSMENT_TEXTS if disposition == "harassment" else pb.INVALID_TEXTS
        return rng.choice(texts)

    def rejected(self, reason: str, topic: str, place: Place, rng: Random) -> str:
        return rng.choice(self._reject[reason]).render(Scene(rng, place, topic))

    def topic_of(self, key: str, rng: Random) -> str:
        return rng.choice(self._topics[key])

    # --- what units and the office write ---------------------------------------------

    def reply(self, *, unit: str, key: str, draft: Draft, place: Place, rdate: str, rng) -> str:
        scene = Scene(rng, place, draft.topic, unit)
        scene.rdate = rdate
        opener = rng.choice(self._reply_openers).render(scene)
        if draft.appeal == "consult":
            body = rng.choice(self._consult_results).render(scene) + "。"
        else:
            action = rng.choice(self._reply_actions[key[:2]]).render(scene)
            body = action + "，" + rng.choice(self._reply_results).render(scene) + "。"
        return opener + body + rng.choice(pb.REPLY_CLOSINGS)

    def return_reason(self, other_unit: str, rng: Random) -> str:
        return rng.choice(self._return_reasons).render(Scene(rng, None, unit=other_unit))

    def co_reply(self, unit: str, rng: Random) -> str:
        return rng.choice(self._co_replies).render(Scene(rng, None, unit=unit))

    def consultation_decision(self, unit: str, rng: Random) -> str:
        return rng.choice(self._decisions).render(Scene(rng, None, unit=unit))
