"""The callback agent's queue (SPEC 4: the hotline calls the citizen back).

An order is due once its reply is accepted (concluded) and until a callback is
recorded after that conclusion: a rework after an unsatisfied callback makes it due
again when the new reply is accepted. (SPEC 3, 2026-12) Each caller merged into an
order is due too once the main order is concluded, and is called back with its reply.
Called-back orders wait to be closed. When the office's callback scope is every
accepted order, recent answers at intake are called back too. The agent sees when the
unit first contacted the citizen (SPEC 4 contact).

The awaited callbacks are split by who is to make them (回访分配, the order's
``callback_agent``): an agent's own, the unassigned, and all of them for the lead.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from hotline.accounts.models import User
from hotline.configuration.selectors import callback_scope
from hotline.domain import callback_assignment
from hotline.domain.callback_scope import CallbackScope, needs_callback
from hotline.domain.enums import Disposition, Status
from hotline.orders.models import Callback, Contact, Order, Reply
from hotline.orders.selectors import capped_count, visible_orders

# Answers at intake are called back while the call is fresh in the citizen's mind.
ANSWERED_CALLBACK_DAYS = 7


@dataclass(frozen=True)
class CallbackTab:
    name: str
    label: str


CALLBACK_TABS = (
    CallbackTab("mine", "我的回访"),
    CallbackTab("all", "全部"),
    CallbackTab("unassigned", "未分配"),
    CallbackTab("done", "已回访待归档"),
    CallbackTab("answered", "当场答复待回访"),
)
# The tabs of the awaited callbacks, by who is to make them (回访分配).
AWAITING_TABS = frozenset({"mine", "unassigned", "all"})


def callback_tabs(*, viewer) -> list[CallbackTab]:
    """The tabs the viewer's role and the office's callback scope call for: the team's
    lead sees every awaited callback, an agent their own and the unassigned."""
    hidden = {"mine"} if viewer.role in callback_assignment.LEADS else {"all"}
    if not needs_callback(Disposition.ANSWERED, callback_scope()):
        hidden.add("answered")
    return [tab for tab in CALLBACK_TABS if tab.name not in hidden]


def _called_back_since_conclusion():
    return Callback.objects.filter(
        order=OuterRef("pk"), kind=Callback.Kind.CALLBACK, at__gte=OuterRef("concluded_at")
    )


def _called_back():
    return Callback.objects.filter(order=OuterRef("pk"), kind=Callback.Kind.CALLBACK)


# A merged caller is called back once its main order is concluded, and only then.
_MERGED_DUE = Q(status=Status.MERGED, merged_into__concluded_at__isnull=False)


def _awaiting() -> Q:
    """Awaiting its callback: concluded and not called back since, or a merged caller
    of a concluded order not called back yet."""
    return (Q(status=Status.CONCLUDED) & ~Exists(_called_back_since_conclusion())) | (
        _MERGED_DUE & ~Exists(_called_back())
    )


def awaits_callback(order: Order) -> bool:
    """Whether ``order`` is in the callback queue's awaited tabs now."""
    return Order.objects.filter(_awaiting(), pk=order.pk).exists()


def called_back_since_conclusion(order: Order) -> bool:
    return Order.objects.filter(
        Exists(_called_back_since_conclusion()) | (_MERGED_DUE & Exists(_called_back())),
        pk=order.pk,
    ).exists()


def _latest(rows: QuerySet, field: str, order: str = "pk"):
    return Subquery(rows.filter(order=OuterRef(order)).order_by("-at", "-id").values(field)[:1])


def callback_counts(*, viewer, tabs: list[CallbackTab], now: datetime) -> dict[str, int]:
    """How many orders wait in each of ``tabs``, each counted no further than
    ``COUNT_CAP + 1`` (an index range read per tab, as its page)."""
    return {
        tab.name: capped_count(callback_orders(viewer=viewer, tab=tab.name, now=now))
        for tab in tabs
    }


def callback_agents() -> QuerySet[User]:
    """The active callback agents, whom an order's callback can be assigned to."""
    return User.objects.filter(role__in=callback_assignment.AGENTS, is_active=True).order_by(
        "username"
    )


def callback_orders(*, viewer, tab: str, now: datetime) -> QuerySet[Order]:
    """One tab of the queue, for keyset paging on ``received_at`` (oldest first)."""
    orders = visible_orders(viewer=viewer)
    match tab:
        case "mine" | "unassigned" | "all":
            orders = orders.filter(_awaiting())
            if tab != "all":
                orders = orders.filter(callback_agent=viewer.username if tab == "mine" else "")
            orders = orders.annotate(
                callback_agent_name=Subquery(
                    User.objects.filter(username=OuterRef("callback_agent")).values("first_name")[
                        :1
                    ]
                )
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
