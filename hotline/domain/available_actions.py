"""What may be done to an order now, by whom: the role's permission (``permissions``)
and the state machine's consent (``lifecycle``), asked without recording anything.

For each action a *probe* event is built from the current state with plausible fields
(the viewer's own unit where the action is a unit's, placeholder texts and targets
where the person will type them) and handed to ``lifecycle.apply``. ``apply`` never
changes the state it is given, so the probe only asks; a named refusal means the
action is not open now. The answer therefore follows every rule of the state machine
(statuses, lead unit, pauses, pending extensions, difficult orders, appeals…) without
restating any of them here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hotline.domain import events as ev
from hotline.domain import lifecycle, permissions
from hotline.domain.actions import Action
from hotline.domain.correction import may_correct_now
from hotline.domain.enums import (
    AppealDecision,
    AppealType,
    CallbackResult,
    CorrectionField,
    ExtensionDecision,
    PauseDecision,
    ReturnDecision,
    ReviewDecision,
    SupervisionLevel,
)
from hotline.domain.lifecycle import OrderState

# Stands for what the person will type or pick (a text, a target order, another unit).
_GIVEN = "?"

# A requested extension must end after the deadline in force; this one always does.
_FAR = timedelta(days=3650)

Probe = Callable[[OrderState, datetime, str | None], ev.Event | None]


@dataclass(frozen=True)
class Offer:
    """An action the panel may offer, with how to ask the state machine about it."""

    action: Action
    probe: Probe  # the event that would be recorded (None: cannot be asked for this viewer)
    # A rule of the role and the state beyond both tables (None: none).
    now: Callable[[str, OrderState], bool] | None = None

    @property
    def name(self) -> str:
        return self.action.value

    @property
    def label(self) -> str:
        return _LABELS[self.name]


def _unit_event(make: Callable[[datetime, str], ev.Event]) -> Probe:
    """An action a unit takes in its own name: only a viewer with a unit can ask it."""

    def probe(state: OrderState, at: datetime, unit: str | None) -> ev.Event | None:
        return make(at, unit) if unit else None

    return probe


def _plain(make: Callable[[datetime], ev.Event]) -> Probe:
    return lambda state, at, unit: make(at)


def _extension(state: OrderState, at: datetime, unit: str | None) -> ev.Event | None:
    if not unit:
        return None
    later = (state.deadline or at) + _FAR
    return ev.ExtensionRequest(at=at, unit=unit, until=later, reason=_GIVEN)


def _sign(state: OrderState, at: datetime, unit: str | None) -> ev.Event | None:
    # The service computes the deadline; any deadline answers whether signing is open.
    return ev.Sign(at=at, unit=unit, deadline=at) if unit else None


_LABELS = {
    "answer": ev.Answer.label,
    "reject": ev.Reject.label,
    "harassment": ev.MarkHarassment.label,
    "invalid": ev.MarkInvalid.label,
    "merge": ev.Merge.label,
    "transfer": ev.Transfer.label,
    "classify": ev.Classify.label,
    "split": ev.Split.label,
    "dispatch": ev.Dispatch.label,
    "redispatch": ev.Redispatch.label,
    "designate": ev.Designate.label,
    "return_review": ev.ReturnReview.label,
    "consultation_open": ev.ConsultationOpen.label,
    "consultation_close": ev.ConsultationClose.label,
    "sign": ev.Sign.label,
    "return": ev.Return.label,
    "sub_dispatch": ev.SubDispatch.label,
    "extension_request": ev.ExtensionRequest.label,
    "extension_decision": ev.ExtensionDecide.label,
    "pause": ev.Pause.label,
    "resume": ev.Resume.label,
    "reply": ev.Reply.label,
    "co_reply": ev.CoReply.label,
    "review": ev.Review.label,
    "callback": ev.Callback.label,
    "spot_check": ev.SpotCheck.label,
    "appeal_file": ev.AppealFile.label,
    "appeal": "申诉裁定",
    "supervise": ev.Supervise.label,
    "supervision_reply": ev.SupervisionReply.label,
    "instruct": ev.Instruct.label,
    "close": ev.Close.label,
    "pause_decision": ev.PauseDecide.label,
    "contact": ev.Contact.label,
    "three_way_request": ev.ThreeWayRequest.label,
    "three_way_call": ev.ThreeWayCall.label,
    "correct": ev.Correct.label,
}

# In the order of an order's life, which is the order the pages list them in.
ACTIONS: tuple[Offer, ...] = (
    Offer(
        Action.CLASSIFY,
        _plain(
            lambda at: ev.Classify(
                at=at, category=_GIVEN, region=_GIVEN, appeal_type=AppealType.OTHER
            )
        ),
    ),
    Offer(Action.ANSWER, _plain(lambda at: ev.Answer(at=at))),
    Offer(Action.REJECT, _plain(lambda at: ev.Reject(at=at))),
    Offer(Action.TRANSFER, _plain(lambda at: ev.Transfer(at=at, note=_GIVEN))),
    Offer(Action.HARASSMENT, _plain(lambda at: ev.MarkHarassment(at=at))),
    Offer(Action.INVALID, _plain(lambda at: ev.MarkInvalid(at=at))),
    Offer(Action.MERGE, _plain(lambda at: ev.Merge(at=at, into=_GIVEN))),
    Offer(Action.SPLIT, _plain(lambda at: ev.Split(at=at, parts=(_GIVEN,)))),
    Offer(
        Action.CORRECT,
        _plain(
            lambda at: ev.Correct(at=at, field=CorrectionField.SUMMARY, value=_GIVEN, reason=_GIVEN)
        ),
        now=lambda role, state: may_correct_now(role, state.status),
    ),
    Offer(Action.DISPATCH, _plain(lambda at: ev.Dispatch(at=at, unit=_GIVEN))),
    Offer(Action.REDISPATCH, _plain(lambda at: ev.Redispatch(at=at, unit=_GIVEN))),
    Offer(Action.DESIGNATE, _plain(lambda at: ev.Designate(at=at, unit=_GIVEN))),
    Offer(
        # Refusing a return is always possible where reviewing is; accepting needs a unit.
        Action.RETURN_REVIEW,
        _plain(lambda at: ev.ReturnReview(at=at, decision=ReturnDecision.REFUSE)),
    ),
    Offer(
        Action.CONSULTATION_OPEN,
        _plain(lambda at: ev.ConsultationOpen(at=at, note=_GIVEN)),
    ),
    Offer(
        Action.CONSULTATION_CLOSE,
        _plain(lambda at: ev.ConsultationClose(at=at, decision=_GIVEN)),
    ),
    Offer(Action.SIGN, _sign),
    Offer(Action.RETURN, _unit_event(lambda at, u: ev.Return(at=at, unit=u, reason=_GIVEN))),
    Offer(
        Action.SUB_DISPATCH,
        _unit_event(lambda at, u: ev.SubDispatch(at=at, unit=u, sub_unit=u + _GIVEN)),
    ),
    Offer(Action.EXTENSION_REQUEST, _extension),
    Offer(
        Action.EXTENSION_DECISION,
        _plain(lambda at: ev.ExtensionDecide(at=at, decision=ExtensionDecision.REFUSED)),
    ),
    # SPEC 4 (2026-12): a unit keeps the clock only as the lead; "" is the office.
    Offer(Action.PAUSE, lambda state, at, unit: ev.Pause(at=at, reason=_GIVEN, unit=unit or "")),
    Offer(
        Action.PAUSE_DECISION,
        _plain(lambda at: ev.PauseDecide(at=at, decision=PauseDecision.REFUSED)),
    ),
    Offer(Action.RESUME, lambda state, at, unit: ev.Resume(at=at, unit=unit or "")),
    Offer(Action.REPLY, _unit_event(lambda at, u: ev.Reply(at=at, unit=u, text=_GIVEN))),
    Offer(Action.CO_REPLY, _unit_event(lambda at, u: ev.CoReply(at=at, unit=u, text=_GIVEN))),
    Offer(Action.REVIEW, _plain(lambda at: ev.Review(at=at, decision=ReviewDecision.ACCEPT))),
    Offer(
        Action.CALLBACK,
        _plain(lambda at: ev.Callback(at=at, result=CallbackResult.SATISFIED)),
    ),
    Offer(
        Action.SPOT_CHECK,
        _plain(lambda at: ev.SpotCheck(at=at, result=CallbackResult.SATISFIED)),
    ),
    Offer(
        Action.APPEAL_FILE,
        _unit_event(lambda at, u: ev.AppealFile(at=at, unit=u, reason=_GIVEN)),
    ),
    Offer(
        Action.APPEAL,
        _plain(lambda at: ev.Appeal(at=at, decision=AppealDecision.DISMISSED)),
    ),
    Offer(
        Action.SUPERVISE,
        _plain(lambda at: ev.Supervise(at=at, level=SupervisionLevel.NORMAL)),
    ),
    Offer(
        Action.SUPERVISION_REPLY,
        _unit_event(lambda at, u: ev.SupervisionReply(at=at, unit=u, text=_GIVEN)),
    ),
    Offer(Action.INSTRUCT, _plain(lambda at: ev.Instruct(at=at, text=_GIVEN))),
    Offer(Action.CLOSE, _plain(lambda at: ev.Close(at=at))),
    Offer(Action.CONTACT, _unit_event(lambda at, u: ev.Contact(at=at, unit=u))),
    Offer(
        Action.THREE_WAY_REQUEST,
        _unit_event(lambda at, u: ev.ThreeWayRequest(at=at, unit=u, note=_GIVEN)),
    ),
    # The hotline connects the oldest request waiting.
    Offer(
        Action.THREE_WAY_CALL,
        lambda state, at, unit: (
            ev.ThreeWayCall(at=at, unit=state.three_way_pending[0])
            if state.three_way_pending
            else None
        ),
    ),
)

BY_NAME: dict[str, Offer] = {offer.name: offer for offer in ACTIONS}

# Actions a unit takes in its own name (the viewer's unit must be the one the rule wants).
UNIT_ACTIONS = frozenset(
    {
        "sign",
        "return",
        "sub_dispatch",
        "extension_request",
        "reply",
        "co_reply",
        "supervision_reply",
        "contact",
        "three_way_request",
    }
)


def accepts(state: OrderState, event: ev.Event) -> bool:
    """Whether the state machine would record ``event`` now; nothing is recorded."""
    try:
        lifecycle.apply(state, event)
    except lifecycle.LifecycleError:
        return False
    return True


def action_open(
    state: OrderState, name: str, *, unit: str | None = None, has_sub_units: bool = False
) -> bool:
    """Whether the state machine allows action ``name`` now, taken by ``unit`` where
    it is a unit's action. Sub-dispatch also needs a unit with sub-units to pass to."""
    action = BY_NAME[name]
    if name == "sub_dispatch" and not has_sub_units:
        return False
    event = action.probe(state, state.last_at, unit)
    return event is not None and accepts(state, event)


def available_actions(
    state: OrderState,
    *,
    role: str,
    unit: str | None = None,
    has_sub_units: bool = False,
) -> tuple[str, ...]:
    """The names of the actions ``role`` may take on the order now, in ``ACTIONS`` order.

    ``unit`` is the viewer's unit code (unit handlers); a unit's own actions are open
    only to the unit the rule names (the lead signs and replies, a co-unit adds its part).
    """
    return tuple(
        action.name
        for action in ACTIONS
        if permissions.may(role, action.action)
        and (action.now is None or action.now(role, state))
        and action_open(state, action.name, unit=unit, has_sub_units=has_sub_units)
    )
