"""The month's candidate topics from the database (``governance.mining``): a generated
history of three months with chronic problems planted in it (``demo.history.chronic``),
imported through the product's importer."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from hotline.demo import DIRECTORY
from hotline.demo.history.chronic import plant_chronic, planted_ranks
from hotline.demo.history.generator import generate
from hotline.directory.services import directory_import
from hotline.domain.topic_mining import normalise_place
from hotline.governance.mining import propose_topics
from hotline.orders.models import Order
from hotline.orders.services.history_import import orders_import

pytestmark = pytest.mark.django_db

PLANTED = 4
MONTH = (date(2025, 6, 1), date(2025, 6, 30))


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("topics")
    generate(
        directory=DIRECTORY,
        start=date(2025, 4, 1),
        months=3,
        seed=5,
        out=folder,
        orders_per_month=1000,
    )
    planted = plant_chronic(
        directory=DIRECTORY, out=folder, count=PLANTED, start=date(2025, 4, 1), months=3, seed=5
    )
    with django_db_blocker.unblock(), transaction.atomic():
        directory_import(folder=DIRECTORY)
        orders_import(path=folder / "orders.jsonl")
        yield planted
        transaction.set_rollback(True)


def _numbers(candidates) -> list[set[str]]:
    numbers = dict(Order.objects.values_list("id", "number"))
    return [{numbers[i] for i in c.order_ids} for c in candidates]


def test_the_planted_problems_come_first(history):
    candidates = propose_topics(month_start=MONTH[0], month_end=MONTH[1], lookback_months=2)
    ranks = planted_ranks(history, _numbers(candidates))
    assert sorted(ranks) == list(range(1, PLANTED + 1)), ranks
    best = candidates[0]
    assert normalise_place(Order.objects.get(pk=best.order_ids[0]).address) == best.place
    assert best.returns and best.unsatisfied and len(best.unit_ids) >= 2
    assert best.evidence[0].startswith(f"{len(best.months)}个月内") or "个月内" in best.evidence[0]


def test_every_candidate_has_an_order_of_the_month(history):
    candidates = propose_topics(month_start=MONTH[0], month_end=MONTH[1], lookback_months=2)
    assert candidates
    for candidate in candidates:
        assert len(candidate.order_ids) >= 3
        assert candidate.months[-1] == "2025-06"


def test_a_month_before_the_problems_recur_proposes_none_of_them(history):
    """In April each planted problem has at most one or two orders yet: not chronic."""
    candidates = propose_topics(month_start=date(2025, 4, 1), month_end=date(2025, 4, 30))
    assert not [rank for rank in planted_ranks(history, _numbers(candidates)) if rank]


def test_the_queries_are_bounded(history):
    with CaptureQueriesContext(connection) as queries:
        propose_topics(month_start=MONTH[0], month_end=MONTH[1], lookback_months=2, limit=5)
    # Categories, regions, the window's narrow columns, four fact sets, and two per chunk
    # of preselected orders (50 places at most hold a few hundred orders).
    assert len(queries) <= 7 + 2 * 3, [q["sql"][:80] for q in queries.captured_queries]
