"""The side records of one order, kept in the database as live work happens."""

from datetime import datetime

from hotline.directory.models import Category, Region, Unit
from hotline.domain import events as ev
from hotline.domain.enums import (
    AppealDecision,
    AppealKind,
    AssignmentRole,
    CallbackResult,
    ContactWay,
    CorrectionField,
    ReviewDecision,
    Urgency,
    ViolationKind,
)
from hotline.domain.supervision import escalation_note
from hotline.orders.models import (
    AppealFiling,
    Assignment,
    Callback,
    Contact,
    Extension,
    Instruction,
    Order,
    Reply,
    Supervision,
    ThreeWayCall,
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

    def _lead(self):
        return Assignment.objects.filter(
            order=self.order, role=AssignmentRole.LEAD.value, ended_at__isnull=True
        )

    def add_appeal_filing(self, event: ev.AppealFile) -> None:
        AppealFiling.objects.create(
            order=self.order,
            unit_id=self._unit_id(event.unit),
            kind=event.kind.value,
            reason=event.reason,
            filed_at=event.at,
        )

    def decide_appeal_filing(self, upheld: bool, at: datetime, note: str) -> AppealKind | None:
        pending = (
            AppealFiling.objects.filter(order=self.order, decision="")
            .order_by("filed_at", "id")
            .first()
        )
        if pending is None:
            return None
        decision = AppealDecision.UPHELD if upheld else AppealDecision.DISMISSED
        pending.decision, pending.decided_at, pending.note = decision.value, at, note
        pending.save(update_fields=["decision", "decided_at", "note"])
        return AppealKind(pending.kind)

    def exclude_lead_from_assessment(self) -> None:
        self._lead().update(excluded=True)

    def lead_falls_due(self) -> datetime | None:
        return self._lead().values_list("falls_due_at", flat=True).first()

    def set_lead_falls_due(self, at: datetime | None) -> None:
        self._lead().update(falls_due_at=at)

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

    def add_supervision(self, event: ev.Supervise, by, unit: str | None) -> None:
        if unit is not None:
            # A new supervision asking an answer supersedes one still owed (lifecycle).
            self._awaiting().update(superseded_at=event.at)
        Supervision.objects.create(
            order=self.order,
            level=event.level.value,
            note=event.note,
            at=event.at,
            by=by,
            unit_id=self._unit_id(unit),
            deadline=event.deadline,
        )

    def _awaiting(self):
        return Supervision.objects.filter(
            order=self.order, unit__isnull=False, answered_at__isnull=True, superseded_at=None
        )

    def answer_supervision(self, event: ev.SupervisionReply) -> None:
        self._awaiting().update(answer=event.text, answered_at=event.at)

    def escalate_supervision(self, event: ev.SupervisionEscalate) -> None:
        if event.leader:
            self._awaiting().update(leader_told_at=event.at)
            return
        self._awaiting().update(superseded_at=event.at)
        Supervision.objects.create(
            order=self.order,
            level=event.level.value,
            note=escalation_note(event.level),
            at=event.at,
            unit_id=self._unit_id(event.unit),
            deadline=event.deadline,
            escalated=True,
        )

    def add_instruction(self, event: ev.Instruct, by) -> None:
        Instruction.objects.create(order=self.order, text=event.text, at=event.at, by=by)

    def add_violation(self, unit: str, kind: ViolationKind, at: datetime) -> None:
        Violation.objects.create(
            unit_id=self._unit_id(unit), order=self.order, kind=kind.value, at=at
        )

    def record_violation(self, event: ev.RecordViolation) -> None:
        Violation.objects.create(
            unit_id=self._unit_id(event.unit),
            order=self.order,
            kind=event.kind.value,
            note=event.note,
            at=event.at,
            # Recorded by the office itself: reviewed as it is written.
            reviewed=True,
            outcome=event.outcome.value if event.outcome else "",
            outcome_at=event.at if event.outcome else None,
        )

    def decide_violation(self, event: ev.DecideViolation) -> None:
        undecided = Violation.objects.filter(
            order=self.order, unit_id=self._unit_id(event.unit), kind=event.kind.value, outcome=""
        ).order_by("at", "pk")[:1]
        Violation.objects.filter(pk__in=list(undecided.values_list("pk", flat=True))).update(
            outcome=event.outcome.value, outcome_at=event.at, reviewed=True
        )

    def add_contact(self, event: ev.Contact) -> None:
        Contact.objects.create(
            order=self.order,
            unit_id=self._unit_id(event.unit),
            at=event.at,
            way=event.way.value,
            outcome=event.outcome.value,
        )

    def add_three_way_request(self, event: ev.ThreeWayRequest) -> None:
        ThreeWayCall.objects.create(
            order=self.order,
            unit_id=self._unit_id(event.unit),
            note=event.note,
            requested_at=event.at,
        )

    def connect_three_way(self, event: ev.ThreeWayCall) -> None:
        ThreeWayCall.objects.filter(
            order=self.order, unit_id=self._unit_id(event.unit), called_at__isnull=True
        ).update(called_at=event.at, outcome=event.outcome.value)
        self.add_contact(
            ev.Contact(
                at=event.at, unit=event.unit, way=ContactWay.THREE_WAY, outcome=event.outcome
            )
        )

    def correct(self, event: ev.Correct) -> None:
        """SPEC 3 (2026-12): the order's columns take the corrected value, so that queues
        and statistics count it; the summary lives in the state alone."""
        column, value = _corrected_column(event)
        if column is None:
            return
        Order.objects.filter(pk=self.order.pk).update(**{column: value})
        setattr(self.order, column, value)

    def classify(self, event: ev.Classify) -> None:
        """SPEC 3 (2026-12): the intake review's classification becomes the order's
        columns, as the registration's would have been."""
        columns = _classified_columns(event)
        Order.objects.filter(pk=self.order.pk).update(**columns)
        for column, value in columns.items():
            setattr(self.order, column, value)


def _classified_columns(event: ev.Classify) -> dict[str, object]:
    columns: dict[str, object] = {
        "category_id": (
            Category.objects.values_list("pk", flat=True).get(code=event.category)
            if event.category
            else None
        ),
        "region_id": (
            Region.objects.values_list("pk", flat=True).get(code=event.region)
            if event.region
            else None
        ),
        "appeal_type": event.appeal_type.value if event.appeal_type else "",
    }
    if event.address:  # "": the address stands
        columns["address"] = event.address
    return columns


def _corrected_column(event: ev.Correct) -> tuple[str | None, object]:
    match event.field:
        case CorrectionField.CATEGORY:
            return "category_id", Category.objects.values_list("pk", flat=True).get(
                code=event.value
            )
        case CorrectionField.REGION:
            return "region_id", Region.objects.values_list("pk", flat=True).get(code=event.value)
        case CorrectionField.ADDRESS:
            return "address", event.value
        case CorrectionField.APPEAL_TYPE:
            return "appeal_type", event.value
        case CorrectionField.URGENCY:
            return "urgent", Urgency.parse(event.value) is Urgency.URGENT
    return None, None
