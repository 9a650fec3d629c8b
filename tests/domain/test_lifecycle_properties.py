"""Random histories through the order state machine (SPEC 4) keep its invariants.

A history starts from a registration (sometimes followed by one of a few fixed openings:
a difficult order, a pending extension, a result to appeal) and then takes random steps.
Each step mostly picks an event type that the rule table allows from the current status,
weighted towards the main path and towards what the order's situation calls for, and
sometimes any type at all; its fields are plausible: units from a small set, usually the
one the event expects, texts that are sometimes blank, deadlines around the event's time,
and one time in ten an instant before the last event. Refusals are skipped (and must leave
the order unchanged); after every accepted event the invariants (a)-(d) are checked.
"""

import copy
import functools
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import event as note_event
from hypothesis import strategies as st

from hotline.domain import events as ev
from hotline.domain import lifecycle
from hotline.domain.enums import (
    AppealDecision,
    AppealKind,
    AppealType,
    CallbackResult,
    ContactOutcome,
    ContactWay,
    CorrectionField,
    EmergencyService,
    ExtensionDecision,
    PauseDecision,
    RejectReason,
    ReturnDecision,
    ReviewDecision,
    Solved,
    Status,
    SupervisionLevel,
    ViolationKind,
    ViolationOutcome,
)
from hotline.domain.errors import DomainError
from hotline.domain.lifecycle import (
    AlreadyRegistered,
    OrderClosed,
    OrderState,
    apply,
    closed_order_takes,
    replay,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
UNITS = ("U1", "U2", "U3")
SUB_UNITS = ("U1-1", "U2-1")
ORDERS = ("20260000001", "20260000002", "20260000003")

# In the registry's order, so that draws (and hypothesis' saved examples) are stable.
ALL_TYPES: list[type[ev.Event]] = list(ev.EVENT_TYPES.values())
RULED_TYPES = [cls for cls in ALL_TYPES if cls in lifecycle._RULES]

CONCLUDED_OR_CLOSED = frozenset({Status.CONCLUDED, Status.CLOSED})
UNDER_HANDLING = frozenset({Status.DISPATCHED, Status.RETURNED, Status.IN_PROGRESS, Status.REPLIED})


# --- strategies -----------------------------------------------------------------------
# Every strategy is built once, at import: fields that depend on the order (its units) or
# on the event's time are drawn as picks and offsets and resolved when the event is made.


ASSIGNING = (ev.Dispatch, ev.Redispatch, ev.Designate, ev.ReturnReview)


@dataclass(frozen=True)
class UnitPick:
    """Mostly the unit the event would expect, else any unit (or none), resolved per state:
    a unit other than the lead for a (re-)assignment, a co-unit for a co-reply, the lead
    or its sub-unit for a reply, the lead for the rest."""

    fitting: bool
    index: int

    def resolve(self, state: OrderState | None, cls: type[ev.Event]) -> str:
        lead = state.lead if state else None
        if cls in ASSIGNING:
            fitting = [u for u in UNITS if u != lead]
        elif cls is ev.CoReply:
            fitting = list(state.co_units) if state else []
        elif cls is ev.Reply:
            fitting = [lead, state.sub_unit] if state else []
        else:
            fitting = [lead]
        fitting = [u for u in fitting if u]
        if self.fitting and fitting:
            return fitting[self.index % len(fitting)]
        anyone = UNITS + ("",)
        return anyone[self.index % len(anyone)]


@dataclass(frozen=True)
class Hours:
    """A time this many hours from the event's own time."""

    hours: int

    def resolve(self, when: datetime) -> datetime:
        return when + timedelta(hours=self.hours)


def mostly(strategy: st.SearchStrategy, otherwise: st.SearchStrategy, times: int = 3):
    """``strategy`` ``times`` times out of ``times + 1``, else ``otherwise``.

    (``st.one_of`` weighs its distinct branches equally, so repeating one does not help.)
    """
    choose = st.sampled_from([True] * times + [False])
    return st.tuples(choose, strategy, otherwise).map(lambda t: t[1] if t[0] else t[2])


def maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return mostly(strategy, st.none())


TEXT = mostly(
    st.sampled_from(["已现场核查并处理", "需协调", "依法答复"]), st.sampled_from(["", "  "])
)
UNIT = st.builds(UnitPick, st.sampled_from([True, True, True, False]), st.integers(0, 11))
CO_UNITS = mostly(
    st.just(()), st.lists(st.sampled_from(UNITS), unique=True, max_size=2).map(tuple), times=1
)
TIME = maybe(st.integers(-2 * 24, 20 * 24).map(Hours))
ASSIGN = {"unit": UNIT, "co_units": CO_UNITS, "sign_by": TIME}

FIELDS: dict[type[ev.Event], st.SearchStrategy[dict]] = {
    cls: st.fixed_dictionaries(spec)
    for cls, spec in {
        ev.Register: {"urgent": st.booleans(), "review": st.booleans()},
        ev.Answer: {
            "article": st.sampled_from(["KB-0001", ""]),
            "text": st.sampled_from(["路灯已报修", ""]),
        },
        ev.Transfer: {
            "to": st.sampled_from(EmergencyService),
            "note": st.sampled_from(["三方通话转110", ""]),
        },
        ev.Classify: {
            "category": st.sampled_from(["0501", None]),
            "region": st.sampled_from(["430304", None]),
            "appeal_type": st.sampled_from([*AppealType, None]),
            "address": st.sampled_from(["书院路12号", ""]),
        },
        ev.Reject: {"reason": st.sampled_from(RejectReason)},
        ev.MarkHarassment: {},
        ev.MarkInvalid: {},
        ev.Merge: {"into": st.sampled_from(ORDERS + ("",))},
        ev.Split: {"parts": st.lists(st.sampled_from(ORDERS), max_size=3).map(tuple)},
        ev.Dispatch: ASSIGN,
        ev.Redispatch: ASSIGN,
        ev.Designate: ASSIGN,
        ev.Sign: {"unit": UNIT, "deadline": TIME, "respond_by": TIME},
        ev.Return: {"unit": UNIT, "reason": TEXT},
        ev.ReturnReview: {"decision": st.sampled_from(ReturnDecision), **ASSIGN},
        ev.SubDispatch: {"unit": UNIT, "sub_unit": st.sampled_from(SUB_UNITS + UNITS + ("",))},
        ev.ExtensionRequest: {"unit": UNIT, "until": TIME, "reason": TEXT},
        ev.ExtensionDecide: {"decision": st.sampled_from(ExtensionDecision)},
        ev.Pause: {"reason": TEXT, "unit": UNIT, "until": TIME, "approval": st.booleans()},
        ev.Resume: {"deadline": TIME, "unit": UNIT},
        ev.PauseDecide: {"decision": st.sampled_from(PauseDecision)},
        ev.ConsultationOpen: {"note": TEXT},
        ev.ConsultationClose: {"decision": TEXT, "deadline": TIME},
        ev.Reply: {
            "unit": UNIT,
            "text": TEXT,
            "contacted": st.booleans(),
            "resolved": st.sampled_from([True, False, None]),
        },
        ev.CoReply: {"unit": UNIT, "text": TEXT},
        ev.Review: {"decision": st.sampled_from(ReviewDecision), "note": TEXT, "deadline": TIME},
        ev.Callback: {
            "result": st.sampled_from(CallbackResult),
            "rework": st.booleans(),
            "pressured": st.booleans(),
            "leaked": st.booleans(),
            "deadline": TIME,
            "solved": maybe(st.sampled_from(Solved)),
            "unit_contacted": st.sampled_from([True, False, None]),
            "note": TEXT,
        },
        ev.CallbackAssign: {"agent": st.sampled_from(["", "agent1", "agent2"])},
        ev.SpotCheck: {"result": st.sampled_from(CallbackResult)},
        ev.Appeal: {"decision": st.sampled_from(AppealDecision), "reason": TEXT},
        ev.AppealFile: {"unit": UNIT, "kind": st.sampled_from(AppealKind), "reason": TEXT},
        ev.Supervise: {"level": st.sampled_from(SupervisionLevel), "note": TEXT, "deadline": TIME},
        ev.Instruct: {"text": TEXT},
        ev.Close: {},
        ev.SupervisionReply: {"unit": UNIT, "text": TEXT},
        ev.SupervisionEscalate: {
            "level": st.sampled_from(SupervisionLevel),
            "leader": st.booleans(),
            "unit": UNIT,
            "deadline": TIME,
        },
        ev.RecordViolation: {
            "kind": st.sampled_from(ViolationKind),
            "unit": UNIT,
            "outcome": st.sampled_from([None, *ViolationOutcome]),
            "note": TEXT,
        },
        ev.DecideViolation: {
            "kind": st.sampled_from(ViolationKind),
            "unit": UNIT,
            "outcome": st.sampled_from(ViolationOutcome),
        },
        ev.Recalendar: {
            "year": st.just(2027),
            "old_sign_by": TIME,
            "sign_by": TIME,
            "old_deadline": TIME,
            "deadline": TIME,
        },
        ev.Contact: {
            "unit": UNIT,
            "way": st.sampled_from(ContactWay),
            "outcome": st.sampled_from(ContactOutcome),
        },
        ev.ThreeWayRequest: {"unit": UNIT, "note": TEXT},
        ev.ThreeWayCall: {"unit": UNIT, "outcome": st.sampled_from(ContactOutcome)},
        ev.Correct: {
            "field": st.sampled_from(CorrectionField),
            "old": st.sampled_from(["", "consult", "normal"]),
            "value": st.sampled_from(["", "complaint", "urgent", "normal", "书院路"]),
            "reason": TEXT,
        },
    }.items()
}


def make_event(cls, fields: dict, state: OrderState | None, when: datetime) -> ev.Event:
    def resolve(value):
        if isinstance(value, UnitPick):
            return value.resolve(state, cls)
        if isinstance(value, Hours):
            return value.resolve(when)
        return value

    return cls(at=when, **{name: resolve(value) for name, value in fields.items()})


# The main path of SPEC 4 is drawn more often than the side steps, so that most
# histories get past sign-for and reply to review, callback and closing; the steps that
# need something the order has (a difficult order, a pending extension, a pause, an open
# consultation, a result to appeal, co-units) are favoured when it has it.
_WEIGHT = {
    ev.Dispatch: 10,
    ev.Sign: 6,
    ev.Reply: 6,
    ev.Review: 4,
    ev.Callback: 3,
    ev.CallbackAssign: 2,
    ev.ReturnReview: 3,
    ev.Close: 2,
    ev.Return: 3,
    ev.ExtensionRequest: 2,
}


def _situation(state: OrderState) -> tuple:
    return (
        state.status,
        state.difficult and not state.designated,
        state.consultation,
        state.extension_until is not None,
        state.paused_at is not None,
        state.pause_request is not None,
        state.appealable > 0,
        bool(state.co_units),
    )


@functools.cache
def _event_type(situation: tuple) -> st.SearchStrategy[type[ev.Event]]:
    status, difficult, consultation, extension, paused, pause_asked, appealable, co_units = (
        situation
    )
    weight = dict(_WEIGHT)
    if difficult:
        weight.update({ev.Designate: 4, ev.ConsultationOpen: 4})
    if consultation:
        weight[ev.ConsultationClose] = 8
    if extension:
        weight[ev.ExtensionDecide] = 6
    if paused and not consultation:
        weight[ev.Resume] = 6
    if pause_asked:
        weight[ev.PauseDecide] = 6
    if appealable:
        weight[ev.Appeal] = 4
    if co_units:
        weight[ev.CoReply] = 2
    allowed = [cls for cls in RULED_TYPES if status in lifecycle._RULES[cls][0]]
    # Heaviest first: hypothesis' simplest draw (index 0) is then a step along the path.
    allowed.sort(key=lambda cls: -weight.get(cls, 1))
    weighted = [cls for cls in allowed for _ in range(weight.get(cls, 1))]
    # Four times out of five a type the situation favours, else any type at all.
    return mostly(st.sampled_from(weighted), st.sampled_from(ALL_TYPES), times=4)


def event_types(state: OrderState) -> st.SearchStrategy[type[ev.Event]]:
    return _event_type(_situation(state))


def _h(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


# Most histories start from a bare registration; some from a handful of openings that
# the random walk reaches only rarely (a difficult order, a result to appeal, ...).
_DIFFICULT = [
    ev.Dispatch(_h(1), unit="U1", co_units=("U3",)),
    ev.Return(_h(2), unit="U1", reason="非本单位职责"),
    ev.ReturnReview(_h(3), decision=ReturnDecision.ACCEPT, unit="U2"),
    ev.Return(_h(4), unit="U2", reason="应由U1办理"),
]
_SIGNED = [
    ev.Dispatch(_h(1), unit="U1", co_units=("U2",)),
    ev.Sign(_h(2), unit="U1", deadline=_h(5 * 24)),
]
_CONCLUDED = _SIGNED + [
    ev.Reply(_h(3), unit="U1", text="已处理"),
    ev.Review(_h(4), decision=ReviewDecision.ACCEPT),
]
OPENINGS = st.sampled_from(
    [[]] * 4
    + [
        _DIFFICULT,
        _DIFFICULT + [ev.ReturnReview(_h(5), decision=ReturnDecision.REFUSE)],
        _SIGNED + [ev.ExtensionRequest(_h(3), unit="U1", until=_h(9 * 24), reason="需协调")],
        _CONCLUDED + [ev.Callback(_h(5), result=CallbackResult.UNSATISFIED)],
        _CONCLUDED
        + [ev.Callback(_h(5), result=CallbackResult.UNSATISFIED, rework=True, deadline=_h(240))],
    ]
)

# Minutes after the last event, and one time in ten before it.
MINUTES = mostly(st.integers(0, 3 * 24 * 60), st.integers(-24 * 60, -1), times=9)


# --- invariants -----------------------------------------------------------------------

# Fixed probes for a closed order: one of each type it must refuse ...
_REFUSED_PROBE_FIELDS = {
    ev.Merge: {"into": "20260000001"},
    ev.Split: {"parts": ("20260000002",)},
    ev.Dispatch: {"unit": "U1"},
    ev.Redispatch: {"unit": "U2"},
    ev.Designate: {"unit": "U3"},
    ev.Sign: {"unit": "U1", "deadline": T0 + timedelta(days=400)},
    ev.Return: {"unit": "U1", "reason": "非本单位职责"},
    ev.ReturnReview: {"decision": ReturnDecision.ACCEPT, "unit": "U3"},
    ev.SubDispatch: {"unit": "U1", "sub_unit": "U1-1"},
    ev.ExtensionRequest: {"unit": "U1", "until": T0 + timedelta(days=400), "reason": "需协调"},
    ev.ExtensionDecide: {"decision": ExtensionDecision.GRANTED},
    ev.Pause: {"reason": "等待补充材料"},
    ev.ConsultationOpen: {"note": "争议"},
    ev.ConsultationClose: {"decision": "由U1主办"},
    ev.Reply: {"unit": "U1", "text": "已处理"},
    ev.CoReply: {"unit": "U2", "text": "已配合"},
    ev.Review: {"decision": ReviewDecision.REWORK, "note": "重办"},
}

# ... and every variant of the follow-ups it may take.
_FOLLOW_UP_PROBES = (
    [
        (ev.Callback, {"result": result, "rework": rework})
        for result in CallbackResult
        for rework in (False, True)
    ]
    + [(ev.SpotCheck, {"result": result}) for result in CallbackResult]
    + [(ev.Appeal, {"decision": decision, "reason": "无理"}) for decision in AppealDecision]
    + [(ev.Instruct, {"text": "请认真办理"}), (ev.Instruct, {"text": ""})]
)


def check_open_and_concluded_exclude_each_other(state: OrderState) -> None:
    """(a) no order is both concluded and still under handling."""
    if state.concluded_at is not None:
        assert state.status in CONCLUDED_OR_CLOSED, state
    if state.status in UNDER_HANDLING:
        assert state.concluded_at is None, state


def check_a_closed_order_takes_only_follow_ups(state: OrderState) -> None:
    """(b) a closed order refuses everything but its follow-ups, which keep it closed."""
    if state.status is not Status.CLOSED:
        return
    takes = closed_order_takes()
    when = state.last_at
    for cls in ALL_TYPES:
        if cls in takes:
            continue
        probe = cls(at=when, **_REFUSED_PROBE_FIELDS.get(cls, {}))
        expected = AlreadyRegistered if cls is ev.Register else OrderClosed
        try:
            apply(state, probe)
        except expected:
            pass
        else:
            raise AssertionError(f"a closed order took {probe!r}")
    for cls, extra in _FOLLOW_UP_PROBES:
        assert cls in takes
        try:
            after = apply(state, cls(at=when, **extra))
        except DomainError:
            continue
        assert after.status is Status.CLOSED, (cls, extra, after)


def check_only_an_awaited_callback_is_assigned(state: OrderState) -> None:
    """A callback agent holds only an order that can await its callback."""
    if state.callback_agent:
        assert state.status in (Status.CONCLUDED, Status.MERGED), state


def check_an_overdue_sticks(before: OrderState, event: ev.Event, after: OrderState) -> None:
    """SPEC 4 (2026-12): an event after the running deadline of an order in progress
    makes it overdue, and nothing but a new lead or a rework (a fresh handling period)
    takes that back; an overdue order is never concluded on time."""
    fresh = isinstance(event, ASSIGNING) or after.reworks > before.reworks
    if fresh:
        return
    passed = (
        before.status is Status.IN_PROGRESS
        and before.stopped_since is None
        and before.deadline is not None
        and event.at > before.deadline
    )
    if before.overdue or passed:
        assert after.overdue, (before, event)
        if after.concluded_at is not None and before.concluded_at is None:
            assert after.on_time is False


def round_trip(event: ev.Event) -> ev.Event:
    """Through the stored form, as the event log keeps it (JSON)."""
    data = json.loads(json.dumps(event.to_data(), ensure_ascii=False))
    return ev.event_from_data(event.type, event.at, data)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_random_histories_keep_the_invariants(data):
    register = make_event(ev.Register, data.draw(FIELDS[ev.Register]), None, T0)
    log = [register, *data.draw(OPENINGS, label="opening")]
    state = replay(log)
    stored_log = [round_trip(e) for e in log]
    assert stored_log == log
    stored_state = replay(stored_log)
    steps = data.draw(st.integers(5, 50), label="steps")
    after_close = 0
    visited = {state.status}
    for _ in range(steps):
        if state.status is Status.CLOSED:
            after_close += 1
            if after_close > 8:  # enough follow-ups; nothing else can happen now
                break
        cls = data.draw(event_types(state), label="type")
        when = state.last_at + timedelta(minutes=data.draw(MINUTES, label="minutes"))
        event = make_event(cls, data.draw(FIELDS[cls], label=cls.type), state, when)
        before = copy.deepcopy(state)
        try:
            new = apply(state, event)
        except DomainError:
            assert state == before  # (e) a refusal leaves the order as it was
            continue
        assert state == before  # apply never changes its input, even when it accepts
        check_an_overdue_sticks(before, event, new)  # (f)
        state = new
        log.append(event)
        visited.add(state.status)

        check_open_and_concluded_exclude_each_other(state)  # (a)
        check_a_closed_order_takes_only_follow_ups(state)  # (b)
        check_only_an_awaited_callback_is_assigned(state)
        # (c) the accepted events replay to the same state
        assert replay(log) == state
        # (d) the stored form of the event is the same event, and replays the same
        assert ev.event_from_data(event.type, event.at, event.to_data()) == event
        stored = round_trip(event)
        assert stored == event
        stored_log.append(stored)
        stored_state = apply(stored_state, stored)
        assert stored_state == state

    assert replay(stored_log) == state
    note_event(f"final status: {state.status.value}")
    note_event(f"accepted events: {min(len(log) // 10 * 10, 30)}+")
    for reached in (Status.IN_PROGRESS, Status.REPLIED, Status.CONCLUDED):
        if reached in visited:
            note_event(f"reached {reached.value}")
    for name in ("difficult", "designated", "reworks", "extensions", "upheld_appeals"):
        if getattr(state, name):
            note_event(f"ended with {name}")
