"""The callback agent's queue (SPEC 4: the hotline calls the citizen back).

An order is due once its reply is accepted (concluded) and until a callback is
recorded after that conclusion: a rework after an unsatisfied callback makes it due
again when the new reply is accepted. Called-back orders wait to be closed; orders
merged into a concluded one need no callback of their own (the callers share the main
order's) and are only closed. When the office's callback scope is every accepted
order, recent answers at intake are called back too.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from hotline.configuration.selectors import callback_scope
from hotline.domain.callback_scope import CallbackScope, needs_callback
from hotline.domain.enums import Disposition, Status
from hotline.orders.models import Callback, Order, Reply
from hotline.orders.selectors import visible_orders

# Answers at intake are called back while the call is fresh in the citizen's mind.
ANSWERED_CALLBACK_DAYS = 7


@dataclass(frozen=True)
class CallbackTab:
    name: str
    label: str


CALLBACK_TABS = (
    CallbackTab("due", "待回访"),
    CallbackTab("done", "已回访待归档"),
    CallbackTab("merged", "并单待归档"),
    CallbackTab("answered", "当场答复待回访"),
)


def callback_tabs() -> list[CallbackTab]:
    """The tabs the office's callback scope calls for."""
    answered_too = needs_callback(Disposition.ANSWERED, callback_scope())
    return [tab for tab in CALLBACK_TABS if tab.name != "answered" or answered_too]


def _called_back_since_conclusion():
    return Callback.objects.filter(
        order=OuterRef("pk"), kind=Callback.Kind.CALLBACK, at__gte=OuterRef("concluded_at")
    )


def _latest(rows: QuerySet, field: str):
    return Subquery(rows.filter(order=OuterRef("pk")).order_by("-at", "-id").values(field)[:1])


def callback_orders(*, viewer, tab: str, now: datetime) -> QuerySet[Order]:
    """One tab of the queue, for keyset paging on ``received_at`` (oldest first)."""
    orders = visible_orders(viewer=viewer)
    match tab:
        case "due":
            orders = orders.filter(status=Status.CONCLUDED).exclude(
                Exists(_called_back_since_conclusion())
            )
        case "done":
            callbacks = Callback.objects.filter(kind=Callback.Kind.CALLBACK)
            orders = orders.filter(
                Exists(_called_back_since_conclusion()), status=Status.CONCLUDED
            ).annotate(
                callback_result=_latest(callbacks, "result"),
                callback_at=_latest(callbacks, "at"),
                callback_note=_latest(callbacks, "note"),
            )
        case "merged":
            return orders.filter(
                status=Status.MERGED,
                merged_into__status__in=(Status.CONCLUDED, Status.CLOSED),
            ).select_related("merged_into", "citizen", "category")
        case "answered":
            if callback_scope() is not CallbackScope.ALL:
                return orders.none()
            called = Callback.objects.filter(order=OuterRef("pk"), kind=Callback.Kind.CALLBACK)
            return (
                orders.filter(
                    status=Status.CLOSED,
                    disposition=Disposition.ANSWERED,
                    received_at__gte=now - timedelta(days=ANSWERED_CALLBACK_DAYS),
                )
                .exclude(Exists(called))
                .select_related("category", "citizen")
            )
        case _:
            raise KeyError(tab)
    return orders.select_related("category", "region", "lead_unit", "citizen").annotate(
        reply_text=_latest(Reply.objects.all(), "text")
    )
