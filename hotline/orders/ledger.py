"""The side records of one order, kept in the database as live work happens."""

from datetime import datetime

from hotline.directory.models import Unit
from hotline.domain import events as ev
from hotline.domain.enums import AssignmentRole, CallbackResult, ReviewDecision, ViolationKind
from hotline.orders.models import (
    Assignment,
    Callback,
    Contact,
    Extension,
    Instruction,
    Order,
    Reply,
    Supervision,
    Violation,
)


class DatabaseLedger:
    def __init__(self, order: Order):
        self.order = order
        self._unit_ids: dict[str, int] = {}

    def _unit_id(self, code: str | None) -> int | None:
        # A dispatch names the lead and its co-units: look each unit up once.
        if code is None:
            return None
        if code not in self._unit_ids:
            self._unit_ids[code] = Unit.objects.values_list("pk", flat=True).get(code=code)
        return self._unit_ids[code]

    def end_assignments(self, at: datetime, role: AssignmentRole | None = None) -> None:
        current = Assignment.objects.filter(order=self.order, ended_at__isnull=True)
        if role is not None:
            current = current.filter(role=role.value)
        current.update(ended_at=at)

    def add_assignment(self, unit: str, role: AssignmentRole, at: datetime) -> None:
        Assignment.objects.create(
            order=self.order, unit_id=self._unit_id(unit), role=role.value, assigned_at=at
        )

    def add_reply(
        self, unit: str, text: str, contacted: bool, at: datetime, resolved: bool | None
    ) -> None:
        Reply.objects.create(
            order=self.order,
            unit_id=self._unit_id(unit),
            text=text,
            contacted=contacted,
            resolved=resolved,
            at=at,
        )

    def review_latest_reply(self, decision: ReviewDecision, note: str) -> None:
        latest = Reply.objects.filter(order=self.order).order_by("-at", "-id").first()
        if latest is not None:
            latest.decision, latest.review_note = decision.value, note
            latest.save(update_fields=["decision", "review_note"])

    def add_callback(self, kind: str, unit: str | None, event, agent) -> None:
        Callback.objects.create(
            order=self.order,
            unit_id=self._unit_id(unit),
            kind=kind,
            result=event.result.value,
            at=event.at,
            agent=agent,
            pressured=getattr(event, "pressured", False),
            leaked=getattr(event, "leaked", False),
            rework=getattr(event, "rework", False),
            solved=(getattr(event, "solved", None) or ""),
            unit_contacted=getattr(event, "unit_contacted", None),
            note=getattr(event, "note", ""),
        )

    def settle_appeal(self, upheld: bool) -> None:
        contested = (
            Callback.objects.filter(
                order=self.order,
                result=CallbackResult.UNSATISFIED.value,
                appeal_upheld__isnull=True,
            )
            .order_by("at", "id")
            .first()
        )
        if contested is not None:
            contested.appeal_upheld = upheld
            contested.save(update_fields=["appeal_upheld"])

    def add_extension(self, event: ev.ExtensionRequest) -> None:
        Extension.objects.create(
            order=self.order,
            unit_id=self._unit_id(event.unit),
            reason=event.reason,
            until=event.until,
            requested_at=event.at,
        )

    def decide_extension(self, granted: bool, at: datetime) -> None:
        Extension.objects.filter(order=self.order, granted__isnull=True).update(
            granted=granted, decided_at=at
        )

    def add_supervision(self, event: ev.Supervise, by) -> None:
        Supervision.objects.create(
            order=self.order, level=event.level.value, note=event.note, at=event.at, by=by
        )

    def add_instruction(self, event: ev.Instruct, by) -> None:
        Instruction.objects.create(order=self.order, text=event.text, at=event.at, by=by)

    def add_violation(self, unit: str, kind: ViolationKind, at: datetime) -> None:
        Violation.objects.create(
            unit_id=self._unit_id(unit), order=self.order, kind=kind.value, at=at
        )

    def add_contact(self, event: ev.Contact) -> None:
        Contact.objects.create(
            order=self.order,
            unit_id=self._unit_id(event.unit),
            at=event.at,
            way=event.way.value,
            outcome=event.outcome.value,
        )
