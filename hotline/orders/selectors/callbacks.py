"""The callback agent's queue (SPEC 4: the hotline calls the citizen back).

An order is due once its reply is accepted (concluded) and until a callback is
recorded after that conclusion: a rework after an unsatisfied callback makes it due
again when the new reply is accepted. (SPEC 3, 2026-12) Each caller merged into an
order is due too once the main order is concluded, and is called back with its reply.
Called-back orders wait to be closed. When the office's callback scope is every
accepted order, recent answers at intake are called back too. The agent sees when the
unit first contacted the citizen (SPEC 4 contact).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from hotline.configuration.selectors import callback_scope
from hotline.domain.callback_scope import CallbackScope, needs_callback
from hotline.domain.enums import Disposition, Status
from hotline.orders.models import Callback, Contact, Order, Reply
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


def _called_back():
    return Callback.objects.filter(order=OuterRef("pk"), kind=Callback.Kind.CALLBACK)


# A merged caller is called back once its main order is concluded, and only then.
_MERGED_DUE = Q(status=Status.MERGED, merged_into__concluded_at__isnull=False)


def _latest(rows: QuerySet, field: str, order: str = "pk"):
    return Subquery(rows.filter(order=OuterRef(order)).order_by("-at", "-id").values(field)[:1])


def callback_orders(*, viewer, tab: str, now: datetime) -> QuerySet[Order]:
    """One tab of the queue, for keyset paging on ``received_at`` (oldest first)."""
    orders = visible_orders(viewer=viewer)
    match tab:
        case "due":
            orders = orders.filter(
                (Q(status=Status.CONCLUDED) & ~Exists(_called_back_since_conclusion()))
                | (_MERGED_DUE & ~Exists(_called_back()))
            )
        case "done":
            callbacks = Callback.objects.filter(kind=Callback.Kind.CALLBACK)
            orders = orders.filter(
                (Q(status=Status.CONCLUDED) & Exists(_called_back_since_conclusion()))
                | (_MERGED_DUE & Exists(_called_back()))
            ).annotate(
                callback_result=_latest(callbacks, "result"),
                callback_at=_latest(callbacks, "at"),
                callback_note=_latest(callbacks, "note"),
            )
        case "answered":
            if callback_scope() is not CallbackScope.ALL:
                return orders.none()
            return (
                orders.filter(
                    status=Status.CLOSED,
                    disposition=Disposition.ANSWERED,
                    received_at__gte=now - timedelta(days=ANSWERED_CALLBACK_DAYS),
                )
                .exclude(Exists(_called_back()))
                .select_related("category", "citizen")
            )
        case _:
            raise KeyError(tab)
    replies = Reply.objects.all()
    return orders.select_related(
        "category", "region", "lead_unit", "citizen", "merged_into"
    ).annotate(
        # A merged caller hears the main order's reply.
        reply_text=Coalesce(_latest(replies, "text"), _latest(replies, "text", "merged_into")),
        first_contact_at=Subquery(
            Contact.objects.filter(order=OuterRef("pk")).order_by("at", "id").values("at")[:1]
        ),
    )
