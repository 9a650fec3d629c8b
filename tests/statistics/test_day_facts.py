"""The report read from the stored per-day counts is the report counted from the orders,
whatever happened after the counts were made: an import, callbacks on old orders,
corrections of category and unit, a rebuild (statistics/facts.py)."""

import json
from datetime import date, timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from hotline.demo import DIRECTORY
from hotline.demo.history.generator import generate
from hotline.directory.models import Category, Unit
from hotline.directory.services import directory_import
from hotline.domain.enums import Role
from hotline.domain.statistics import Period
from hotline.orders.models import Order
from hotline.orders.services import dispatch
from hotline.orders.services.correction import order_correct
from hotline.orders.services.history_import import orders_import
from hotline.orders.services.review import order_callback, order_review, order_spot_check
from hotline.statistics import facts
from hotline.statistics.day_facts import NAMES, report_facts
from hotline.statistics.document import report_document
from hotline.statistics.models import DayFact, FactsState
from hotline.statistics.sign_for import SIGN_FOR
from hotline.statistics.surges import SURGE_GROUPS, daily_counts
from tests import factories
from tests.conftest import local

PERIODS = (
    Period.month(2024, 10),
    Period.month(2024, 11),
    Period(date(2024, 10, 15), date(2024, 11, 10)),
    Period.year(2024),
)


def _from_orders(period: Period, made_at=None) -> dict:
    """The document with no stored counts at all: every statement over the orders."""
    with transaction.atomic():
        FactsState.objects.all().delete()
        document = report_document(start=period.start, end=period.end, made_at=made_at)
        transaction.set_rollback(True)
    return document


def _same(made_at=None) -> None:
    for period in PERIODS:
        stored = report_document(start=period.start, end=period.end, made_at=made_at)
        assert stored == _from_orders(period, made_at), period


def _stored_days(period: Period) -> int:
    plan = facts.reading().split(period, None)
    return sum((last - first).days + 1 for first, last in plan.stored)


@pytest.fixture
def history(db, tmp_path):
    directory_import(folder=DIRECTORY)
    generate(
        directory=DIRECTORY,
        start=date(2024, 10, 1),
        months=2,
        seed=21,
        out=tmp_path,
        orders_per_month=300,
    )
    october, november = tmp_path / "october.jsonl", tmp_path / "november.jsonl"
    with october.open("w") as first, november.open("w") as second:
        for line in (tmp_path / "orders.jsonl").open():
            received = json.loads(line)["received_at"]
            (first if received < "2024-11" else second).write(line)
    return october, november


def test_the_stored_counts_give_the_report_of_the_orders_through_later_events(history):
    october, november = history
    orders_import(path=october)
    summary = report_facts(now=local(2024, 11, 20, 1, 0))
    assert "2024-10-01 至 2024-11-19" in summary
    assert DayFact.objects.exists()
    assert _stored_days(Period.month(2024, 10)) == 31
    _same()
    _same(made_at=timezone.now())

    # An import after the counts: November's orders land on stored (empty) days.
    orders_import(path=november)
    assert _stored_days(Period.month(2024, 11)) < 19
    _same()

    # Reviews, spot checks and callbacks of old orders (some sent back, one concluded
    # today) and corrections of the category: recorded now, on orders of stored days.
    supervisor = factories.user(Role.SUPERVISOR)
    agent = factories.user(Role.CALLBACK_AGENT)
    steps = (
        ({"status": "replied"}, lambda order, n: order_review(
            order=order, decision="rework" if n % 2 else "accept", actor=supervisor
        )),
        ({"status": "concluded"}, lambda order, n: order_callback(
            order=order, result="unsatisfied", rework=True, solved="partly", actor=agent
        )),
        ({"status": "closed", "disposition": "dispatched"}, lambda order, n: order_spot_check(
            order=order, result="unsatisfied", actor=supervisor
        )),
        ({"status": "closed", "disposition": "answered"}, lambda order, n: order_callback(
            order=order, result="satisfied", solved="solved", actor=agent
        )),
    )  # fmt: skip
    done = 0
    for which, step in steps:
        for n, order in enumerate(Order.objects.filter(**which).order_by("pk")[:3]):
            with transaction.atomic():
                step(order, n)
            done += 1
    assert done >= 6
    other = Category.objects.filter(level=3).order_by("-pk").first()
    open_orders = Order.objects.exclude(status__in=("closed", "merged", "concluded"))
    for order in open_orders.filter(received_at__lt=local(2024, 11, 10)).order_by("pk")[:3]:
        order_correct(
            order=order, field="category", value=other.code, reason="核实", actor=supervisor
        )
    _same()

    # A renamed unit is named anew everywhere: the stored counts hold its id.
    unit = Unit.objects.filter(lead_orders__isnull=False).first()
    Unit.objects.filter(pk=unit.pk).update(name=unit.name + "（更名）")
    _same()

    # Counted again: the touched days are stored again, and the report is unchanged.
    report_facts(now=local(2024, 12, 5, 1, 0))
    assert _stored_days(Period.month(2024, 11)) == 30
    _same()


def test_a_report_made_before_the_counts_reads_none_of_them(history):
    october, _ = history
    orders_import(path=october)
    report_facts(now=local(2024, 11, 20, 1, 0))
    earlier = timezone.now() - timedelta(days=1)
    assert facts.reading().split(Period.month(2024, 10), earlier).stored == ()
    _same(made_at=local(2024, 10, 20, 12, 0))


def test_a_statement_added_after_the_counts_is_counted_from_the_orders_until_the_next_run(
    history,
):
    october, _ = history
    orders_import(path=october)
    report_facts(now=local(2024, 11, 20, 1, 0))
    assert FactsState.objects.get().statements == NAMES
    # As an office's counts stood before the surges' daily counts were a statement.
    FactsState.objects.update(statements=[n for n in NAMES if n != SURGE_GROUPS.name])
    DayFact.objects.filter(statement=SURGE_GROUPS.name).delete()
    october_days = Period.month(2024, 10)
    assert facts.reading().split(october_days, None, SURGE_GROUPS).stored == ()
    assert facts.reading().split(october_days, None, SIGN_FOR).stored != ()
    counted = daily_counts([date(2024, 10, 15), date(2024, 10, 22)])
    assert (
        counted
        and sum(n for *_, n in counted)
        == Order.objects.filter(
            received_at__gte=local(2024, 10, 15), received_at__lt=local(2024, 10, 16)
        ).count()
        + Order.objects.filter(
            received_at__gte=local(2024, 10, 22), received_at__lt=local(2024, 10, 23)
        ).count()
    )
    # The next run counts every day again, the new statement with them.
    assert "2024-10-01 至 2024-11-19" in report_facts(now=local(2024, 11, 20, 2, 0))
    assert FactsState.objects.get().statements == NAMES
    assert facts.reading().split(october_days, None, SURGE_GROUPS).stored == (
        (october_days.start, october_days.end),
    )
    again = daily_counts([date(2024, 10, 15), date(2024, 10, 22)])
    assert len(again) == len(counted) and set(again) == set(counted)


def test_a_day_with_a_dispatch_inside_its_sign_for_time_is_counted_until_it_settles(city):
    # Dispatched on Sunday night: signed for by Monday's working hours, unsigned.
    dispatcher = city.users[Role.DISPATCHER]
    order = factories.register(city, local(2024, 12, 1, 22, 0))
    dispatch.order_dispatch(
        order=order, lead=city.district, actor=dispatcher, at=local(2024, 12, 1, 22, 30)
    )
    sunday = Period(date(2024, 12, 1), date(2024, 12, 1))
    with mock.patch("django.utils.timezone.now", return_value=local(2024, 12, 2, 8, 0)):
        report_facts(now=local(2024, 12, 2, 8, 0))
    assert _stored_days(sunday) == 1  # stored, but not for the sign-for figures
    # On Tuesday the sign-for deadline has passed with no event: 签收超时.
    tuesday = local(2024, 12, 3, 12, 0)
    with mock.patch("django.utils.timezone.now", return_value=tuesday):
        stored = report_document(start=sunday.start, end=sunday.end)
        assert stored == _from_orders(sunday)
    assert stored["handling"]["sign_on_time_rate"] == 0.0
    # Counted again once settled, the day's sign-for counts are stored too.
    with mock.patch("django.utils.timezone.now", return_value=tuesday):
        report_facts(now=tuesday)
        assert facts.reading().split(sunday, None, SIGN_FOR).stored == ((sunday.start,) * 2,)
        assert report_document(start=sunday.start, end=sunday.end) == stored


def test_a_run_that_counted_while_another_stored_its_counts_writes_nothing(history):
    # The counting holds no transaction (on SQLite one would hold every writer for as
    # long as it counts), so two runs may count at once: the one that stores first stands.
    october, _ = history
    orders_import(path=october)
    counting = facts.by_day
    overtaken: list[str] = []

    def by_day_while_another_run_stores(statement, period):
        if not overtaken:
            overtaken.append("")  # the other run counts with the same stand-in
            overtaken[0] = report_facts(now=local(2024, 11, 2, 1, 0))
        return counting(statement, period)

    with mock.patch("hotline.statistics.day_facts.by_day", by_day_while_another_run_stores):
        summary = report_facts(now=local(2024, 11, 20, 1, 0))
    assert "2024-10-01 至 2024-11-01" in overtaken[0]
    assert summary == "另一次日统计已先完成，本次未写入"
    state = FactsState.objects.get()
    assert state.last_day == date(2024, 11, 1)
    assert not DayFact.objects.filter(day__gt=date(2024, 11, 1)).exists()
    _same()
