"""Reads of the 12345–110 linkage (SPEC 3, 2026-12): the 110 system by its token, the
matter behind an order, the feedback's words, and the linkage list with its figures —
counted in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KT

from hotline.domain import events as ev
from hotline.domain.enums import EmergencyService, ReviewDecision
from hotline.domain.lifecycle import OrderState
from hotline.domain.notification_rules import NoticeKind
from hotline.linkage.models import Handover, PoliceLine
from hotline.notifications.models import Notification
from hotline.orders.models import Event, Order, Reply
from hotline.security.tokens import TOKEN_MAX, token_digest


def police_line_by_token(*, token: str) -> PoliceLine | None:
    if not token or len(token) > TOKEN_MAX:
        return None
    return PoliceLine.objects.filter(token_hash=token_digest(token), active=True).first()


def handover_of(
    *, order: Order | None = None, line: PoliceLine | None = None, police_ref: str = ""
) -> Handover | None:
    """The handover behind ``order``, or the one ``line`` sent under ``police_ref``."""
    handovers = Handover.objects.select_related("order", "line")
    if order is not None:
        return handovers.filter(order=order).first()
    return handovers.filter(line=line, police_ref=police_ref).first()


def handover_text(*, order: Order, event: ev.Event, state: OrderState) -> tuple[str, str]:
    """(the words 110 is told, the unit that handled it) for the event that concluded
    ``order``: the accepted reply and its unit, or the intake outcome."""
    if state.concluded_at is not None:
        reply = (
            Reply.objects.filter(order=order, decision=ReviewDecision.ACCEPT.value)
            .select_related("unit")
            .order_by("-at", "-pk")
            .first()
        )
        return (reply.text, reply.unit.name) if reply else ("", "")
    if isinstance(event, ev.Answer):
        return event.text, ""
    if isinstance(event, ev.Transfer):
        return f"已即时转办{event.to.label}：{event.note}", ""
    if isinstance(event, ev.Reject):
        return f"不予受理：{event.reason.label}", ""
    return state.disposition.label if state.disposition else "", ""


# --- the linkage list and its figures ---------------------------------------------------


@dataclass(frozen=True)
class LinkageFigures:
    transferred: dict[str, int]  # service label → orders transferred to it
    handed_over: int  # matters 110 handed over
    handed_over_concluded: int  # of those, concluded or closed
    feedback_sent: int
    feedback_pending: int  # waiting to be sent or to be retried
    feedback_skipped: int  # no endpoint configured when it was written

    @property
    def transferred_total(self) -> int:
        return sum(self.transferred.values())


def transfers_out(*, since: datetime, until: datetime) -> QuerySet[Event]:
    """The emergency transfers recorded in [since, until), newest first, with the
    service (``to``) and the note. Served by the events' (type, at) index."""
    return (
        Event.objects.filter(type=ev.Transfer.type, at__gte=since, at__lt=until)
        .select_related("order", "actor")
        .annotate(to=KT("data__to"), note=KT("data__note"))
        .order_by("-at", "-pk")
    )


def handovers_in(*, since: datetime, until: datetime) -> QuerySet[Handover]:
    """The matters 110 handed over in [since, until), newest first, each with its
    latest feedback's status (``feedback``: "" when none is due yet)."""
    latest = Notification.objects.filter(
        order=OuterRef("order"), kind=NoticeKind.FEEDBACK_110.value
    ).order_by("-created_at", "-pk")
    return (
        Handover.objects.filter(received_at__gte=since, received_at__lt=until)
        .select_related("order", "order__lead_unit", "line")
        .annotate(feedback=Subquery(latest.values("status")[:1]))
        .order_by("-received_at", "-pk")
    )


def linkage_figures(*, since: datetime, until: datetime) -> LinkageFigures:
    per_service = dict(
        transfers_out(since=since, until=until)
        .order_by()
        .values("to")
        .annotate(n=Count("pk"))
        .values_list("to", "n")
    )
    handed = Handover.objects.filter(received_at__gte=since, received_at__lt=until).aggregate(
        total=Count("pk"),
        concluded=Count(
            "pk", filter=Q(order__concluded_at__isnull=False) | Q(order__status="closed")
        ),
    )
    feedback = Notification.objects.filter(
        kind=NoticeKind.FEEDBACK_110.value,
        order__police_handover__received_at__gte=since,
        order__police_handover__received_at__lt=until,
    ).aggregate(
        **{
            status: Count("pk", filter=Q(status=status))
            for status in (
                Notification.Status.SENT,
                Notification.Status.PENDING,
                Notification.Status.SKIPPED,
            )
        }
    )
    return LinkageFigures(
        transferred={s.label: per_service.get(s.value, 0) for s in EmergencyService},
        handed_over=handed["total"],
        handed_over_concluded=handed["concluded"],
        feedback_sent=feedback[Notification.Status.SENT],
        feedback_pending=feedback[Notification.Status.PENDING],
        feedback_skipped=feedback[Notification.Status.SKIPPED],
    )
