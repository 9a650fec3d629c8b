"""Reads of the database for the suggestions: the directory, past orders and the
knowledge base's articles to learn from, and how dispatchers followed the suggestions."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from hotline.assistance.directory import DirectorySnapshot, Place
from hotline.assistance.models import DispatchChoice
from hotline.assistance.samples import RETURN_EVENTS, SKIPPED_DISPOSITIONS, ArticleText, Sample
from hotline.directory.models import CatalogueEntry, Category, Region, Unit
from hotline.domain import dispatch_rules
from hotline.knowledge.selectors import labelled_articles
from hotline.orders.models import Event, Order

HISTORY_CHUNK = 5000


def directory_snapshot() -> DirectorySnapshot:
    """The current directory: regions, active categories and units, the active catalogue."""
    regions = {
        code: Place(code, name, level, parent or "", tuple(a for a in aliases.split(";") if a))
        for code, name, level, parent, aliases in Region.objects.values_list(
            "code", "name", "level", "parent__code", "aliases"
        )
    }
    categories, vocabulary = {}, []
    for code, name, parent, synonyms in Category.objects.filter(active=True).values_list(
        "code", "name", "parent__code", "synonyms"
    ):
        categories[code] = (name, parent or "")
        vocabulary.extend((w.strip(), code) for w in synonyms.split(";") if w.strip())
    units = dict(Unit.objects.filter(active=True).values_list("code", "name"))
    rules, keywords = [], []
    entries = CatalogueEntry.objects.filter(active=True).values_list(
        "category__code", "region__code", "lead__code", "keywords", "basis"
    )
    for category, region, lead, words, basis in entries:
        rules.append(dispatch_rules.Rule(category, region or None, lead, basis=basis))
        keywords.extend((w.strip(), category) for w in words.split(";") if w.strip())
    return DirectorySnapshot(regions, categories, units, rules, keywords, vocabulary)


def training_samples(*, since: datetime | None = None) -> list[Sample]:
    """Every order with a matter, oldest first. ``lead`` is the unit an order was
    dispatched to when it was never returned nor re-dispatched; ``concluded`` says that
    unit's reply was accepted, ``overrode`` that the dispatcher chose it against the
    catalogue's suggestion."""
    returned = Event.objects.filter(order=OuterRef("pk"), type__in=sorted(RETURN_EVENTS))
    overrode = DispatchChoice.objects.filter(
        order=OuterRef("pk"), followed=False, suggested__isnull=False
    )
    orders = Order.objects.exclude(disposition__in=sorted(SKIPPED_DISPOSITIONS)).annotate(
        returned=Exists(returned), overrode=Exists(overrode)
    )
    if since is not None:
        orders = orders.filter(received_at__gte=since)
    rows = orders.order_by("received_at", "pk").values_list(
        "received_at",
        "content",
        "address",
        "appeal_type",
        "category__code",
        "region__code",
        "disposition",
        "lead_unit__code",
        "concluded_at",
        "returned",
        "overrode",
    )
    samples = []
    for (
        at,
        content,
        address,
        appeal,
        category,
        region,
        disposition,
        lead,
        concluded,
        ret,
        overrode,
    ) in rows.iterator(chunk_size=HISTORY_CHUNK):
        first_lead = lead if disposition == "dispatched" and lead and not ret else ""
        samples.append(
            Sample(
                received_at=timezone.localtime(at),
                content=content or "",
                address=address or "",
                appeal_type=appeal or "",
                category=category or "",
                region=region or "",
                lead=first_lead or "",
                concluded=bool(first_lead) and concluded is not None,
                overrode=bool(first_lead) and overrode,
            )
        )
    return samples


def training_articles() -> list[ArticleText]:
    """The knowledge base's approved articles with a category, as labelled text."""
    return [ArticleText(*row) for row in labelled_articles()]


def dispatch_choices(*, since: datetime, until: datetime) -> list[dict]:
    """First dispatches made in [since, until) by whether they followed the catalogue's
    suggestion — ``[{followed, dispatched, kept, percent}]``, followed first — where
    ``kept`` counts those never returned nor re-dispatched (首派准确). One GROUP BY."""
    came_back = Event.objects.filter(order=OuterRef("order_id"), type__in=sorted(RETURN_EVENTS))
    rows = (
        DispatchChoice.objects.filter(at__gte=since, at__lt=until, suggested__isnull=False)
        .annotate(came_back=Exists(came_back))
        .order_by()
        .values("followed")
        .annotate(dispatched=Count("pk"), kept=Count("pk", filter=Q(came_back=False)))
        .values_list("followed", "dispatched", "kept")
    )
    found = {followed: (dispatched, kept) for followed, dispatched, kept in rows}
    return [
        {
            "followed": followed,
            "dispatched": found[followed][0],
            "kept": found[followed][1],
            "percent": round(100 * found[followed][1] / found[followed][0], 2),
        }
        for followed in (True, False)
        if followed in found
    ]
