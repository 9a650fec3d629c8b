"""Reading topics: which a viewer may see (a unit handler those its unit leads or helps
with), their lists with the figures counted in SQL, a topic's parts, the report's
section and the leader dashboard's panel."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from hotline.directory.models import Unit
from hotline.directory.selectors import unit_family_ids
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import Disposition, Role, TopicStatus
from hotline.domain.topic_mining import category_group
from hotline.domain.topics import keywords_of, status_at
from hotline.governance.models import Milestone, ProgressNote, Recurrence, Topic, TopicOrder
from hotline.orders.models import Order


def _family(viewer) -> list[int]:
    # Looked up once per request, however many lists a page draws (as the orders do).
    family = viewer.__dict__.get("unit_family")
    if family is None:
        family = viewer.__dict__["unit_family"] = unit_family_ids(viewer.unit)
    return family


def visible_topics(*, viewer) -> QuerySet[Topic]:
    """Every topic for the office and the leaders; for a unit handler the topics its unit
    (or a sub-unit) leads or is a co-unit of."""
    topics = Topic.objects.all()
    if viewer.role != Role.UNIT_HANDLER:
        return topics
    family = _family(viewer)
    helping = Topic.co_units.through.objects.filter(unit_id__in=family).values("topic_id")
    return topics.filter(Q(lead_unit_id__in=family) | Q(pk__in=helping))


def topic_units(*, topic: Topic) -> list[int]:
    """The lead unit and the co-units, by id: who may write the topic's progress."""
    return [topic.lead_unit_id, *topic.co_units.values_list("pk", flat=True)]


def writes_for_topic(*, topic: Topic, viewer) -> bool:
    """Whether a unit handler's unit (or one above it) is among the topic's units."""
    if viewer.role != Role.UNIT_HANDLER:
        return True
    return bool(set(_family(viewer)) & set(topic_units(topic=topic)))


def _count(model, *, until: datetime | None = None, stamp: str = "", **extra) -> Coalesce:
    """How many rows of ``model`` belong to the outer topic (those stamped by ``until``)."""
    rows = model.objects.filter(topic=OuterRef("pk"), **extra)
    if until is not None:
        rows = rows.filter(**{f"{stamp}__lte": until})
    counted = rows.order_by().values("topic").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _latest_note(field: str, until: datetime | None = None) -> Subquery:
    notes = ProgressNote.objects.filter(topic=OuterRef("pk"))
    if until is not None:
        notes = notes.filter(at__lte=until)
    return Subquery(notes.order_by("-at", "-pk").values(field)[:1])


def with_figures(topics: QuerySet[Topic], *, until: datetime | None = None) -> QuerySet[Topic]:
    """Each topic with its linked orders, milestones (done and all), recurrences and
    latest progress note, as they stood at ``until`` (None: now): one query, whatever
    the number of topics."""
    return topics.select_related("lead_unit", "category").annotate(
        order_count=_count(TopicOrder, until=until, stamp="linked_at"),
        milestone_count=_count(Milestone),
        milestones_done=_count(Milestone, until=until, stamp="done_at", done_at__isnull=False),
        recurrence_count=_count(Recurrence, until=until, stamp="found_at"),
        latest_note=_latest_note("text", until),
        latest_note_at=_latest_note("at", until),
    )


def topic_list(*, viewer, status: str = "") -> QuerySet[Topic]:
    topics = visible_topics(viewer=viewer)
    if status:
        topics = topics.filter(status=status)
    return with_figures(topics).order_by("-created_at", "-pk")


def topic_get(*, pk: int, viewer) -> Topic:
    """Raises ``Topic.DoesNotExist`` for a topic the viewer may not see."""
    return with_figures(visible_topics(viewer=viewer)).select_related("created_by").get(pk=pk)


def topic_co_units(*, topic: Topic) -> list[Unit]:
    return list(topic.co_units.order_by("code"))


def topic_links(*, topic: Topic) -> QuerySet[TopicOrder]:
    return (
        TopicOrder.objects.filter(topic=topic)
        .select_related("order__category", "order__lead_unit", "linked_by")
        .order_by("order__received_at", "pk")
    )


def topic_milestones(*, topic: Topic) -> QuerySet[Milestone]:
    return Milestone.objects.filter(topic=topic).order_by("due_on", "pk")


def topic_notes(*, topic: Topic) -> QuerySet[ProgressNote]:
    return (
        ProgressNote.objects.filter(topic=topic)
        .select_related("author", "unit")
        .order_by("-at", "-pk")
    )


def topic_recurrences(*, topic: Topic) -> QuerySet[Recurrence]:
    return (
        Recurrence.objects.filter(topic=topic)
        .select_related("order__category")
        .order_by("-order__received_at", "-pk")
    )


def taken_up(*, keys: list[str]) -> dict[str, Topic]:
    """The topics taken up from the miner's clusters named by ``keys``."""
    return {t.proposal_key: t for t in Topic.objects.filter(proposal_key__in=keys).order_by("pk")}


def watched_topics() -> QuerySet[Topic]:
    """The solved topics the recurrence watch looks after: those that say what their
    kind of order is (a category or keywords)."""
    return (
        Topic.objects.filter(status=TopicStatus.SOLVED)
        .filter(Q(category__isnull=False) | ~Q(keywords=""))
        .select_related("category")
    )


# The leader dashboard shows this many active topics, newest first.
DASHBOARD_TOPICS = 8


def dashboard_topics(*, viewer) -> list[Topic]:
    topics = visible_topics(viewer=viewer).filter(status=TopicStatus.ACTIVE)
    return list(with_figures(topics).order_by("-created_at", "-pk")[:DASHBOARD_TOPICS])


def report_topics(*, start: datetime, end: datetime, made_at: datetime | None) -> list[dict]:
    """The report's 每月一题 (SPEC 7, docs/reports.md): every topic pushed on or solved in
    ``[start, end)`` as it stood at the period's end (or when the report was made, when
    that is earlier), oldest first."""
    cut = end if made_at is None else min(end, made_at)
    topics = (
        Topic.objects.filter(created_at__lt=end, created_at__lte=cut)
        .filter(Q(solved_at__isnull=True) | Q(solved_at__gte=start))
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
    )
    found = list(with_figures(topics, until=cut).order_by("created_at", "pk"))
    co_units: dict[int, list[str]] = {}
    through = Topic.co_units.through.objects.filter(topic_id__in=[t.pk for t in found])
    for topic_id, name in through.order_by("unit__code").values_list("topic_id", "unit__name"):
        co_units.setdefault(topic_id, []).append(name)
    return [
        {
            "title": topic.title,
            "month": topic.month.strftime("%Y-%m"),
            "status": status_at(solved_at=topic.solved_at, closed_at=topic.closed_at, at=cut).label,
            "lead_unit": topic.lead_unit.name,
            "co_units": co_units.get(topic.pk, []),
            "category": topic.category.name if topic.category_id else "",
            "orders": topic.order_count,
            "milestones_done": topic.milestones_done,
            "milestones": topic.milestone_count,
            "latest_progress": topic.latest_note or "",
            "latest_progress_at": (
                topic.latest_note_at.astimezone(LOCAL_TZ).isoformat()
                if topic.latest_note_at
                else ""
            ),
            "recurrences": topic.recurrence_count,
        }
        for topic in found
    ]


# The watch reads again the day before its last look, so that orders registered just
# before a run and written a little later (imports, the province's transfers) are seen.
WATCH_OVERLAP = timedelta(days=1)


def _of_kind(topic: Topic) -> Q:
    """Orders that could be of the topic's kind: of its category's family or naming one
    of its keywords. The miner's ``matches`` decides; this only keeps the rows few."""
    kind = Q(pk__in=[])
    if topic.category_id is not None:
        kind |= Q(category__code__startswith=category_group(topic.category.code))
    for word in keywords_of(topic.keywords):
        kind |= Q(content__contains=word)
    return kind


def recurrence_candidates(*, topic: Topic) -> QuerySet[Order]:
    """Orders registered since the topic was solved (since shortly before the watch's
    last look) that could be of its kind, not yet found nor linked."""
    since = topic.solved_at
    if topic.watched_at is not None:
        since = max(since, topic.watched_at - WATCH_OVERLAP)
    seen = Recurrence.objects.filter(topic=topic).values("order_id")
    return (
        Order.objects.filter(_of_kind(topic), received_at__gt=since)
        .exclude(pk__in=seen)
        .exclude(pk__in=TopicOrder.objects.filter(topic=topic).values("order_id"))
        .order_by("received_at", "pk")
    )


# Suggestions look this far back before the month the topic was taken up, at no more
# than this many of the newest orders of its kind.
SUGGESTION_MONTHS = 6
SUGGESTION_SCAN = 300


def suggestion_candidates(*, topic: Topic) -> list[int]:
    """The newest orders that could be of the topic's kind and are not linked yet, from
    six months before it was taken up; ids, newest first."""
    index = topic.month.year * 12 + topic.month.month - 1 - SUGGESTION_MONTHS
    since = datetime.combine(date(index // 12, index % 12 + 1, 1), time(), LOCAL_TZ)
    linked = TopicOrder.objects.filter(topic=topic).values("order_id")
    return list(
        Order.objects.filter(_of_kind(topic), received_at__gte=since)
        .exclude(disposition=Disposition.MERGED)
        .exclude(pk__in=linked)
        .order_by("-received_at", "-pk")
        .values_list("pk", flat=True)[:SUGGESTION_SCAN]
    )


def orders_by_ids(*, ids: list[int]) -> list[Order]:
    """The orders of ``ids`` in that order, with what a topic's lists show."""
    found = Order.objects.select_related("category", "lead_unit").in_bulk(ids)
    return [found[i] for i in ids if i in found]
