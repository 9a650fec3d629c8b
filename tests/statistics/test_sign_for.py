"""签收及时率 (SPEC 5, 2026-12) on a hand-built March: which dispatches count, which are
on time, per unit and for the whole city, on SQLite and PostgreSQL alike."""

from datetime import date

import pytest

from hotline.domain.enums import Role
from hotline.domain.statistics import Period
from hotline.orders.services import dispatch, handling
from hotline.orders.services.correction import order_correct
from hotline.statistics.sign_for import sign_for_by_unit, sign_for_city
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
MADE_AT = local(2026, 4, 1, 9, 0)


@pytest.fixture
def march(city):
    """A working day's dispatch at 09:05 must be signed by 11:05 (two working hours)."""
    dispatcher = city.users[Role.DISPATCHER]
    yuetang = city.users[Role.UNIT_HANDLER]
    yuhu = factories.user(Role.UNIT_HANDLER, unit=city.other_district)

    def sent(at, lead=city.district):
        order = factories.register(city, at.replace(minute=0))
        return dispatch.order_dispatch(order=order, lead=lead, actor=dispatcher, at=at)

    def sign(order, actor, at):
        return handling.order_sign(order=order, actor=actor, at=at)

    sign(sent(local(2026, 3, 2, 9, 5)), yuetang, local(2026, 3, 2, 10, 0))  # on time
    sign(sent(local(2026, 3, 2, 9, 5)), yuetang, local(2026, 3, 2, 11, 5))  # the deadline: on time
    sign(sent(local(2026, 3, 3, 9, 5)), yuetang, local(2026, 3, 3, 14, 0))  # late
    sent(local(2026, 3, 4, 9, 5))  # never signed: late
    # Returned in time by 岳塘区, then sent to 雨湖区, which signs in time.
    returned = dispatch.order_return(
        order=sent(local(2026, 3, 5, 9, 5)),
        reason="事发地属雨湖区",
        actor=yuetang,
        at=local(2026, 3, 5, 9, 30),
    )
    moved = dispatch.order_return_review(
        order=returned,
        decision="accept",
        lead=city.other_district,
        actor=dispatcher,
        at=local(2026, 3, 5, 15, 0),
    )
    sign(moved, yuhu, local(2026, 3, 5, 16, 0))
    # Re-dispatched by the office inside 岳塘区's sign-for time; 雨湖区 signs in time.
    taken = dispatch.order_redispatch(
        order=sent(local(2026, 3, 10, 9, 5)),
        lead=city.other_district,
        actor=dispatcher,
        at=local(2026, 3, 10, 10, 0),
    )
    sign(taken, yuhu, local(2026, 3, 10, 10, 30))
    # Dispatched on the last evening: still inside its sign-for time when reported.
    sent(local(2026, 3, 31, 17, 0), lead=city.other_district)
    # February's dispatch is February's.
    sent(local(2026, 2, 27, 9, 5))


def test_per_unit(city, march):
    figures = sign_for_by_unit(period=MARCH, made_at=MADE_AT)
    yuetang, yuhu = figures[city.district.pk], figures[city.other_district.pk]
    assert (yuetang.dispatched, yuetang.on_time, yuetang.overdue) == (4, 2, 2)
    assert yuetang.rate == 0.5
    assert (yuhu.dispatched, yuhu.on_time, yuhu.rate) == (2, 2, 1.0)


def test_for_the_city(march):
    city = sign_for_city(period=MARCH, made_at=MADE_AT)
    assert (city.dispatched, city.on_time, city.rate) == (6, 4, 0.6667)


def test_the_last_evenings_dispatch_counts_once_its_time_is_over(city, march):
    later = sign_for_by_unit(period=MARCH, made_at=local(2026, 4, 1, 11, 0))
    assert later[city.other_district.pk].dispatched == 3


def test_a_period_without_dispatches_has_no_rate(march):
    empty = sign_for_city(period=Period(date(2026, 1, 1), date(2026, 1, 31)), made_at=MADE_AT)
    assert (empty.dispatched, empty.rate) == (0, None)


def test_a_corrected_urgency_judges_the_sign_for_by_the_corrected_deadline(city):
    """Dispatched as urgent (30 minutes), signed after 50, corrected to normal: judged by
    the two working hours the order should have had; made urgent while awaiting
    sign-for, the corrected half hour judges it."""
    dispatcher, unit = city.users[Role.DISPATCHER], city.users[Role.UNIT_HANDLER]
    supervisor = city.users[Role.SUPERVISOR]

    def sent(at, urgent):
        order = factories.register(city, at, urgent=urgent)
        return dispatch.order_dispatch(order=order, lead=city.district, actor=dispatcher, at=at)

    def urgency(order, value, at):
        return order_correct(
            order=order, field="urgency", value=value, reason="核实", actor=supervisor, at=at
        )

    wrongly_urgent = handling.order_sign(
        order=sent(local(2026, 3, 2, 9, 0), urgent=True), actor=unit, at=local(2026, 3, 2, 9, 50)
    )
    assert sign_for_city(period=MARCH, made_at=MADE_AT).on_time == 0
    urgency(wrongly_urgent, "normal", local(2026, 3, 2, 10, 0))
    made_urgent = urgency(
        sent(local(2026, 3, 3, 9, 0), urgent=False), "urgent", local(2026, 3, 3, 9, 10)
    )
    handling.order_sign(order=made_urgent, actor=unit, at=local(2026, 3, 3, 10, 0))
    city_figures = sign_for_city(period=MARCH, made_at=MADE_AT)
    assert (city_figures.dispatched, city_figures.on_time) == (2, 1)
    assert sign_for_by_unit(period=MARCH, made_at=MADE_AT)[city.district.pk].on_time == 1


def test_the_index_changes_the_plan_not_the_figures(city, march, on_postgres):
    """``event_order_sign_for`` keeps each look-up on its order (docs/performance.md);
    without it, or with the planner's statistics missing, the figures are the same."""
    from django.db import connection, transaction

    def figures():
        by_unit = sign_for_by_unit(period=MARCH, made_at=MADE_AT)
        return sign_for_city(period=MARCH, made_at=MADE_AT), sorted(by_unit.items())

    with_index = figures()
    for statement in (
        "DROP INDEX event_order_sign_for",
        "DELETE FROM pg_statistic WHERE starelid = 'orders_event'::regclass",
    ):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
            assert figures() == with_index
            transaction.set_rollback(True)
    assert with_index[0].dispatched == 6
