"""Assistance pages (SPEC 10)."""

from datetime import date, timedelta

from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.masking import may_search_by_phone
from hotline.web.access import page
from hotline.web.redirects import local_path

# --- surges ---------------------------------------------------------------------------------

SURGE_DAYS = 14  # the page opens on the last two weeks
SURGE_MAX_DAYS = 366


def _surge_range(params, today: date) -> tuple[date, date, str | None]:
    """The chosen days (``from``/``to``, both optional), or the last two weeks; with a
    Chinese message when they make no sense."""
    default = (today - timedelta(days=SURGE_DAYS - 1), today)
    days = []
    for name, fallback in zip(("from", "to"), default, strict=True):
        text = params.get(name, "").strip()
        if not text:
            days.append(fallback)
            continue
        try:
            days.append(date.fromisoformat(text))
        except ValueError:
            return *default, f"日期「{text}」格式不正确，应为 YYYY-MM-DD"
    start, end = days
    if start > end:
        return *default, "起始日期不能晚于截止日期"
    if (end - start).days >= SURGE_MAX_DAYS:
        return *default, f"查询区间不能超过 {SURGE_MAX_DAYS} 天"
    return start, end, None


@page("surges")
@require_GET
def surges(request):
    from hotline.statistics.surges import surges_with_orders

    today = timezone.now().astimezone(LOCAL_TZ).date()
    start, end, error = _surge_range(request.GET, today)
    rows = surges_with_orders(start=start, end=end, viewer=request.user)
    context = {"start": start, "end": end, "error": error, "surge_rows": rows}
    return render(request, "web/assistance/surges.html", context, status=400 if error else 200)


# --- suggestions and similar orders at intake ------------------------------------------------

CONTENT_MAX = 2000
ADDRESS_MAX = 200


def _choices(choices, names):
    return [
        {"code": c.code, "name": names.get(c.code, c.code), "percent": round(c.confidence * 100)}
        for c in choices
    ]


def _reason(request, engine, content: str, category: str, region: str | None) -> dict:
    """Why ``category`` (and its unit at ``region``) is suggested for ``content``: the
    catalogue entry and its basis, the request's words behind it, and the two concluded
    orders of the category most like it with how they ended."""
    from hotline.assistance.similar import similar_past_orders
    from hotline.domain.enums import CallbackResult

    directory = engine.directory
    why = engine.explain(content, category, region)
    results = dict(CallbackResult.choices())
    return {
        "category": directory.categories[why.category][0],
        "lead": directory.units.get(why.lead, "") if why.lead else "",
        "principle": "属地原则" if why.territory else "职权原则",
        "basis": why.basis,
        "words": why.words,
        "past": [
            {"order": p.order, "callback": results.get(p.callback, "")}
            for p in similar_past_orders(viewer=request.user, content=content, category=category)
        ],
    }


@page("intake_suggestions")
@require_GET
def intake_suggestions(request):
    """The top three appeal types, categories, regions and lead units for what the operator
    has typed, with buttons that fill the intake form."""
    from hotline.assistance.live import current_engine
    from hotline.domain.enums import AppealType

    content = request.GET.get("content", "").strip()[:CONTENT_MAX]
    address = request.GET.get("address", "").strip()[:ADDRESS_MAX]
    suggestions = None
    if content or address:
        engine = current_engine()
        directory = engine.directory
        found = engine.suggest(content, address)
        suggestions = {
            "learned": found.learned,
            "appeal_types": _choices(found.appeal_types, {a.value: a.label for a in AppealType}),
            "categories": _choices(
                found.categories, {k: v[0] for k, v in directory.categories.items()}
            ),
            "regions": _choices(found.regions, {k: v.name for k, v in directory.regions.items()}),
            "leads": _choices(found.leads, directory.units),
        }
        if found.categories:
            suggestions["why"] = _reason(
                request,
                engine,
                content,
                found.categories[0].code,
                found.regions[0].code if found.regions else None,
            )
    return render(request, "web/assistance/_suggestions.html", {"suggestions": suggestions})


@page("suggestion_reason")
@require_GET
def suggestion_reason(request, number: str):
    """On the dispatch queue, loaded when the dispatcher opens it: why the catalogue names
    its unit for this order — the entry and its basis, the words of the order behind its
    category, the most similar concluded orders and how they ended."""
    from hotline.assistance.live import current_engine
    from hotline.web.views.order_actions import visible_order_or_404

    order = visible_order_or_404(number, request.user)
    engine = current_engine()
    category = order.category.code if order.category_id else None
    region = order.region.code if order.region_id else None
    if category is None or category not in engine.directory.categories:
        # Not classified yet: the category the suggestions would give.
        found = engine.suggest(order.content, order.address)
        category = found.categories[0].code if found.categories else None
        region = region or (found.regions[0].code if found.regions else None)
    why = _reason(request, engine, order.content, category, region) if category else None
    return render(request, "web/assistance/_reason.html", {"order": order, "why": why})


@page("similar_orders")
@require_GET
def similar_orders(request):
    """Open orders about the same matter nearby, and the caller's earlier orders. With
    ``number`` (the dispatcher's queue) each similar order has a merge button."""
    from hotline.assistance.similar import caller_earlier_orders, similar_open_orders
    from hotline.directory.models import Region
    from hotline.domain.text_input import phone_typed
    from hotline.web.views.order_actions import visible_order_or_404

    number = request.GET.get("number", "").strip()[:20]
    order = visible_order_or_404(number, request.user) if number else None
    content = request.GET.get("content", "").strip()[:CONTENT_MAX]
    region = Region.objects.filter(code=request.GET.get("region", "").strip()[:20]).first()
    # A role that sees numbers masked names no number of its own (an oracle otherwise):
    # it sees the earlier orders of the order's own caller only.
    asked = request.GET.get("phone", "") if may_search_by_phone(request.user.role) else ""
    phone = phone_typed(asked)[:30]
    if order is not None:
        content = content or order.content
        region = region or order.region
        phone = phone or (order.citizen.phone if order.citizen_id else "")
    similar = similar_open_orders(
        viewer=request.user, content=content, region=region, exclude=number
    )
    earlier = caller_earlier_orders(
        viewer=request.user, phone=phone, content=content, exclude=number
    )
    back = local_path(request, request.GET.get("next")) or ""
    context = {
        "order": order,
        "similar": similar,
        "earlier": earlier,
        "searched": bool(content),
        "back": back or reverse("web:dispatch_queue"),
    }
    return render(request, "web/assistance/_similar.html", context)


urls: list = [
    path("surges/", surges, name="surges"),
    path("intake/suggestions/", intake_suggestions, name="intake_suggestions"),
    path("intake/similar/", similar_orders, name="similar_orders"),
    path("dispatch/<str:number>/why/", suggestion_reason, name="suggestion_reason"),
]
