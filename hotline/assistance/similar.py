"""Similar open orders, for merging (SPEC 3, 10), a caller's earlier orders, and the past
orders of a suggested category most like a new request (why it is suggested, and how such
requests ended).

Candidates are read in SQL — open orders in the same district received within the
window, newest first and capped — and only they are compared with the new text (TF-IDF
cosine over the candidates' own vocabulary), so the cost does not grow with the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from hotline.assistance.features import Analyzer
from hotline.directory.models import Region
from hotline.domain.lifecycle import HANDLING
from hotline.orders.models import Callback, Citizen, Order
from hotline.orders.selectors import visible_orders

# Default window; an office setting ``similar_order_window_days`` would override it.
SIMILAR_WINDOW_DAYS = 7
CANDIDATES_MAX = 300
SHOWN = 5
SIMILARITY_MIN = 0.2
REPEAT_SIMILARITY_MIN = 0.15
CALLER_ORDERS_SHOWN = 10
PAST_SHOWN = 2  # past orders beside a suggestion
PAST_CANDIDATES = 200  # the category's latest concluded orders compared with the request
_ANALYZER = Analyzer()


@dataclass(frozen=True)
class SimilarOrder:
    order: Order
    similarity: float
    same_region: bool


@dataclass(frozen=True)
class PastOrder:
    order: Order
    similarity: float
    callback: str  # the last callback's result, "" when none


@dataclass(frozen=True)
class CallerOrder:
    order: Order
    repeat: bool  # about the same matter as the new request


def _district_region_ids(region: Region) -> list[int]:
    """The region's district and every region below it (or the region itself above)."""
    top = region
    while top.level not in ("district", "city", "province") and top.parent_id is not None:
        top = top.parent
    if top.level in ("city", "province"):
        top = region
    ids, frontier = [top.pk], [top.pk]
    while frontier:
        frontier = list(Region.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def _similarities(text: str, others: list[str]) -> list[float]:
    if not text.strip() or not others:
        return [0.0] * len(others)
    vectorizer = TfidfVectorizer(analyzer=_ANALYZER, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform([text, *others])
    except ValueError:  # no terms at all
        return [0.0] * len(others)
    return [float(v) for v in linear_kernel(matrix[0:1], matrix[1:]).ravel()]


def similar_open_orders(
    *,
    viewer,
    content: str,
    region: Region | None,
    exclude: str = "",
    window_days: int = SIMILAR_WINDOW_DAYS,
    at=None,
    limit: int = SHOWN,
) -> list[SimilarOrder]:
    """Open orders in the same district, received in the window, about the same matter."""
    if region is None or not content.strip():
        return []
    at = at or timezone.now()
    candidates = list(
        visible_orders(viewer=viewer)
        .filter(
            status__in=sorted(HANDLING),
            region_id__in=_district_region_ids(region),
            received_at__gte=at - timedelta(days=window_days),
            received_at__lte=at,
        )
        .exclude(number=exclude)
        .select_related("category", "region", "lead_unit")
        .order_by("-received_at", "-pk")[:CANDIDATES_MAX]
    )
    scores = _similarities(content, [o.content for o in candidates])
    found = [
        SimilarOrder(o, round(score, 2), o.region_id == region.pk)
        for o, score in zip(candidates, scores, strict=True)
        if score >= SIMILARITY_MIN
    ]
    found.sort(key=lambda s: (-(s.similarity + (0.1 if s.same_region else 0.0)), s.order.number))
    return found[:limit]


def caller_earlier_orders(
    *, viewer, phone: str, content: str, exclude: str = "", limit: int = CALLER_ORDERS_SHOWN
) -> list[CallerOrder]:
    """The caller's orders by phone, newest first; those about the same matter as
    ``content`` are flagged as a repeat complaint."""
    if not phone:
        return []
    orders = list(
        visible_orders(viewer=viewer)
        .filter(citizen_id__in=Citizen.objects.filter(phone=phone).values("pk"))
        .exclude(number=exclude)
        .select_related("category", "region")
        .order_by("-received_at", "-pk")[:limit]
    )
    scores = _similarities(content, [o.content for o in orders])
    return [
        CallerOrder(o, score >= REPEAT_SIMILARITY_MIN)
        for o, score in zip(orders, scores, strict=True)
    ]


def similar_past_orders(
    *, viewer, content: str, category: str, limit: int = PAST_SHOWN
) -> list[PastOrder]:
    """The concluded orders of ``category`` (a code) most like ``content``, most alike
    first, with how each ended: its unit, when it concluded and its last callback. Read
    from the category's latest ``PAST_CANDIDATES`` concluded orders only, so the cost does
    not grow with the history."""
    if not content.strip() or not category:
        return []
    candidates = list(
        visible_orders(viewer=viewer)
        .filter(category__code=category, concluded_at__isnull=False)
        .select_related("lead_unit")
        .order_by("-received_at", "-pk")[:PAST_CANDIDATES]
    )
    scores = _similarities(content, [o.content for o in candidates])
    ranked = sorted(
        ((score, o) for o, score in zip(candidates, scores, strict=True) if score > 0),
        key=lambda pair: (-pair[0], pair[1].number),
    )[:limit]
    results = {
        order_id: result
        for order_id, result in Callback.objects.filter(order__in=[o for _, o in ranked])
        .order_by("order_id", "at", "pk")
        .values_list("order_id", "result")
    }
    return [PastOrder(o, round(score, 2), results.get(o.pk, "")) for score, o in ranked]
