"""What each event adds to an order's side records: assignments, replies, callbacks,
extensions, supervision, instructions, violations, contacts, three-way calls and the
corrected columns.

One function, used by live work (writing through the ORM) and by history import
(collecting rows for bulk writes), so both produce the same records. The ``Ledger``
says how records are kept; this module only says which.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from hotline.domain import events as ev
from hotline.domain.assessment_cohort import falls_due_at
from hotline.domain.discipline import violations_from_callback
from hotline.domain.enums import (
    AppealDecision,
    AppealKind,
    AssignmentRole,
    ExtensionDecision,
    ReviewDecision,
    Status,
    ViolationKind,
)
from hotline.domain.lifecycle import OrderState


class Ledger(Protocol):
    def end_assignments(self, at: datetime, role: AssignmentRole | None = None) -> None: ...
    def add_assignment(self, unit: str, role: AssignmentRole, at: datetime) -> None: ...
    def add_reply(
        self, unit: str, text: str, contacted: bool, at: datetime, resolved: bool | None
    ) -> None: ...
    def review_latest_reply(self, decision: ReviewDecision, note: str) -> None: ...
    def add_callback(
        self, kind: str, unit: str | None, event: ev.Callback | ev.SpotCheck, agent
    ) -> None: ...
    def settle_appeal(self, upheld: bool) -> None: ...
    def add_extension(self, event: ev.ExtensionRequest) -> None: ...
    def decide_extension(self, granted: bool, at: datetime) -> None: ...
    def add_supervision(self, event: ev.Supervise, by, unit: str | None) -> None: ...
    def add_instruction(self, event: ev.Instruct, by) -> None: ...
    def add_violation(self, unit: str, kind: ViolationKind, at: datetime) -> None: ...
    def add_appeal_filing(self, event: ev.AppealFile) -> None: ...
    def decide_appeal_filing(self, upheld: bool, at: datetime, note: str) -> AppealKind | None: ...
    def exclude_lead_from_assessment(self) -> None: ...
    def lead_falls_due(self) -> datetime | None: ...
    def set_lead_falls_due(self, at: datetime | None) -> None: ...
    def answer_supervision(self, event: ev.SupervisionReply) -> None: ...
    def escalate_supervision(self, event: ev.SupervisionEscalate) -> None: ...
    def record_violation(self, event: ev.RecordViolation) -> None: ...
    def decide_violation(self, event: ev.DecideViolation) -> None: ...
    def add_contact(self, event: ev.Contact) -> None: ...
    def add_three_way_request(self, event: ev.ThreeWayRequest) -> None: ...
    def connect_three_way(self, event: ev.ThreeWayCall) -> None: ...
    def correct(self, event: ev.Correct) -> None: ...
    def classify(self, event: ev.Classify) -> None: ...


def project(
    ledger: Ledger, before: OrderState | None, after: OrderState, event: ev.Event, actor
) -> None:
    if before is None:
        return
    if before.lead != after.lead or before.co_units != after.co_units:
        ledger.end_assignments(event.at)
        ledger.add_assignment(after.lead, AssignmentRole.LEAD, event.at)
        for unit in after.co_units:
            ledger.add_assignment(unit, AssignmentRole.CO, event.at)
    elif before.sub_unit != after.sub_unit:
        ledger.end_assignments(event.at, AssignmentRole.SUB)
        ledger.add_assignment(after.sub_unit, AssignmentRole.SUB, event.at)
    if after.lead is not None:
        _keep_falls_due(ledger, before.lead != after.lead, after, event.at)
    kind = type(event)
    record = _RECORDS.get(kind, _UNKNOWN)
    if record is _UNKNOWN:
        record = _RECORDS[kind] = _record_for(kind)
    if record is not None:
        record(ledger, before, event, actor)


def _keep_falls_due(ledger: Ledger, new_lead: bool, after: OrderState, at: datetime) -> None:
    """SPEC 5 (2026-12): the lead assignment's moment in the assessment, moved by every
    event until it has passed (``domain.assessment_cohort``)."""
    previous = None if new_lead else ledger.lead_falls_due()
    moment = falls_due_at(previous, after, at)
    if new_lead or moment != previous:
        ledger.set_lead_falls_due(moment)


# What each kind of event records beside the assignments, looked up by its class (an
# order's history is replayed event by event, millions of times in a history import).


def _reply(ledger: Ledger, before: OrderState, event, actor) -> None:
    ledger.add_reply(event.unit, event.text, event.contacted, event.at, event.resolved)


def _review(ledger: Ledger, before: OrderState, event, actor) -> None:
    ledger.review_latest_reply(event.decision, event.note)


def _close(ledger: Ledger, before: OrderState, event, actor) -> None:
    if before.status is Status.REPLIED:
        # A close straight after a reply accepts it (histories without review).
        ledger.review_latest_reply(ReviewDecision.ACCEPT, "")


def _callback(ledger: Ledger, before: OrderState, event, actor) -> None:
    ledger.add_callback("callback", before.lead, event, actor)
    if before.lead is not None:
        for kind in violations_from_callback(event, reply_resolved=before.reply_resolved):
            ledger.add_violation(before.lead, kind, event.at)


def _spot_check(ledger: Ledger, before: OrderState, event, actor) -> None:
    ledger.add_callback("spot_check", before.lead, event, actor)


def _appeal(ledger: Ledger, before: OrderState, event, actor) -> None:
    upheld = event.decision is AppealDecision.UPHELD
    ledger.settle_appeal(upheld)
    # SPEC 4 (2026-12): the decision settles the oldest filing still pending (none for
    # an appeal recorded by the office alone, as older histories have them).
    kind = ledger.decide_appeal_filing(upheld, event.at, event.reason)
    if upheld and kind is not None and kind.takes_order_out:
        ledger.exclude_lead_from_assessment()


def _extension_decision(ledger: Ledger, before: OrderState, event, actor) -> None:
    ledger.decide_extension(event.decision is ExtensionDecision.GRANTED, event.at)


def _supervision(ledger: Ledger, before: OrderState, event, actor) -> None:
    ledger.add_supervision(event, actor, before.lead if event.deadline else None)


def _instruction(ledger: Ledger, before: OrderState, event, actor) -> None:
    ledger.add_instruction(event, actor)


# Most events record one row through the ledger method of their kind, given the event alone.
_RECORD = {
    ev.Reply: _reply,
    ev.Review: _review,
    ev.Close: _close,
    ev.Callback: _callback,
    ev.SpotCheck: _spot_check,
    ev.Appeal: _appeal,
    ev.AppealFile: lambda ledger, before, event, actor: ledger.add_appeal_filing(event),
    ev.ExtensionRequest: lambda ledger, before, event, actor: ledger.add_extension(event),
    ev.ExtensionDecide: _extension_decision,
    ev.Supervise: _supervision,
    ev.Instruct: _instruction,
    ev.SupervisionReply: lambda ledger, before, event, actor: ledger.answer_supervision(event),
    ev.SupervisionEscalate: lambda ledger, before, event, actor: ledger.escalate_supervision(event),
    ev.RecordViolation: lambda ledger, before, event, actor: ledger.record_violation(event),
    ev.DecideViolation: lambda ledger, before, event, actor: ledger.decide_violation(event),
    ev.Contact: lambda ledger, before, event, actor: ledger.add_contact(event),
    ev.ThreeWayRequest: lambda ledger, before, event, actor: ledger.add_three_way_request(event),
    ev.ThreeWayCall: lambda ledger, before, event, actor: ledger.connect_three_way(event),
    ev.Correct: lambda ledger, before, event, actor: ledger.correct(event),
    ev.Classify: lambda ledger, before, event, actor: ledger.classify(event),
}
_UNKNOWN = object()
_RECORDS: dict[type, object] = {}  # every event class met so far → its record or None


def _record_for(kind: type):
    """The record of the nearest class in ``kind``'s ancestry that has one."""
    return next((_RECORD[base] for base in kind.__mro__ if base in _RECORD), None)
