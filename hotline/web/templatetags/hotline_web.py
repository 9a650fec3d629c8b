"""Template helpers for the pages: Chinese labels, local times, deadline colours and
the citizen's identity as the viewer's role may see it."""

from datetime import datetime
from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import format_html

from hotline.configuration.selectors import working_calendar
from hotline.domain import enums
from hotline.domain.deadlines import LOCAL_TZ, is_provisional, warning_level
from hotline.domain.masking import shown_identity, shown_name, shown_phone

register = template.Library()


@register.filter
def label(value, vocabulary: str) -> str:
    """``{{ order.status|label:"Status" }}`` → 办理中; blank stays blank."""
    if not value:
        return ""
    try:
        return getattr(enums, vocabulary).parse(value).label
    except ValueError:
        return value


_NUMBER = "number"


@register.filter
def order_href(number: str) -> str:
    """``{{ order.number|order_href }}``: ``{% url 'web:order_detail' order.number %}``
    without reversing the pattern for every row — the surges page lists 500 orders,
    and reversing was a third of its template's time."""
    head, tail = _order_href_around(get_script_prefix())
    return f"{head}{number}{tail}"


@lru_cache(maxsize=8)
def _order_href_around(script_prefix: str) -> tuple[str, str]:
    """The order page's address before and after its number, under ``script_prefix``
    (which keys the cache: ``reverse`` reads it). An order number is digits: nothing to
    quote."""
    head, tail = reverse("web:order_detail", args=[_NUMBER]).rsplit(_NUMBER, 1)
    return head, tail


@register.filter
def local(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if not value:
        return ""
    return value.astimezone(LOCAL_TZ).strftime(fmt)


@register.simple_tag
def deadline_colour(order, now: datetime | None = None) -> str:
    """green / yellow / red for an order on the clock, "" otherwise."""
    if order.deadline is None or order.concluded_at is not None or order.closed_at is not None:
        return ""
    now = now or timezone.now()
    return warning_level(now, start=order.received_at, deadline=order.deadline).value


@register.simple_tag(takes_context=True)
def provisional(context, order, moment: datetime | None) -> str:
    """「临时」 beside a deadline counted on a provisional year's calendar (SPEC 4); the
    office's calendar is read once per page."""
    request = context.get("request")
    calendar = getattr(request, "_working_calendar", None)
    if calendar is None:
        calendar = working_calendar()
        if request is not None:
            request._working_calendar = calendar
    if not is_provisional(moment, urgent=order.urgent, calendar=calendar):
        return ""
    return format_html(
        '<span class="due due-yellow" title="{}">临时</span>',
        "该年节假日安排尚未录入，按临时日历计算，录入后可能调整",
    )


@register.simple_tag(takes_context=True)
def citizen_name(context, order) -> str:
    return _shown(context, order, shown_name, "name")


@register.simple_tag(takes_context=True)
def citizen_phone(context, order) -> str:
    return _shown(context, order, shown_phone, "phone")


def _shown(context, order, show, field: str) -> str:
    """Pages always start masked: even a role that may see the identity reveals it
    with a logged click (``identity_reveal``)."""
    citizen = order.citizen
    if citizen is None:
        return ""
    identity = shown_identity(context["request"].user.role, confidential=order.confidential)
    return show(getattr(citizen, field), identity)


@register.filter
def may_open_page(user, page_name: str) -> bool:
    """Whether the signed-in user's role may open ``page_name`` (``access.PAGES``)."""
    from hotline.web.access import may_open

    return bool(getattr(user, "is_authenticated", False)) and may_open(user.role, page_name)


@register.filter
def percent(value: float | None) -> str:
    """A rate (0–1) as the wallboard shows it, one decimal: 0.8333 → 83.3%; none → —."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


@register.filter
def capped(count: int | None) -> str:
    """A tab's count as shown: 999 at most, then "999+" (the selectors stop there)."""
    from hotline.orders.selectors import COUNT_CAP

    if count is None:
        return ""
    return f"{COUNT_CAP}+" if count > COUNT_CAP else str(count)


@register.simple_tag(takes_context=True)
def export_url(context) -> str:
    """This list's address with its filters, asking for the whole list as Excel."""
    request = context["request"]
    query = request.GET.copy()
    query.pop("cursor", None)
    query["export"] = "xlsx"
    return f"{request.path}?{query.urlencode()}"
