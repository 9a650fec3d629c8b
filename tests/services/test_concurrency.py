"""Two people acting on one order at once: exactly one wins, nothing is half-written."""

import threading
from functools import partial

import pytest
from django.db import connection

from hotline.domain.enums import Role
from hotline.domain.errors import DomainError
from hotline.orders.models import Event, Order
from hotline.orders.services import dispatch, handling
from hotline.orders.services.callback_assignment import order_callback_assign
from hotline.orders.services.numbering import next_number
from tests import factories
from tests.conftest import local
from tests.services.test_callback_assignment import concluded

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*actions):
    """Runs the actions in threads released together; returns their outcomes."""
    start = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(i, action):
        try:
            start.wait()
            outcomes[i] = action()
        except Exception as error:  # the test inspects what each thread got
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def test_sign_and_return_at_once_exactly_one_wins(on_postgres):
    city = factories.small_city()
    handler = city.users[Role.UNIT_HANDLER]
    order = factories.register(city, local(2026, 3, 2, 9, 0))
    order = dispatch.order_dispatch(
        order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 9, 5)
    )
    seen = order.version

    for round_ in range(5):
        hour = 10 + round_
        outcomes = _race(
            partial(
                handling.order_sign,
                order=order,
                actor=handler,
                expected_version=seen,
                at=local(2026, 3, 2, hour),
            ),
            partial(
                dispatch.order_return,
                order=order,
                reason="不属本单位职责",
                actor=handler,
                expected_version=seen,
                at=local(2026, 3, 2, hour),
            ),
        )
        winners = [o for o in outcomes if isinstance(o, Order)]
        losers = [o for o in outcomes if isinstance(o, DomainError)]
        assert len(winners) == 1 and len(losers) == 1, outcomes
        assert losers[0].code == "stale_order", (round_, outcomes)
        fresh = Order.objects.get(pk=order.pk)
        assert fresh.version == seen + 1
        assert Event.objects.filter(order=order).count() == seen + 1
        assert fresh.status in {"in_progress", "returned"}
        # Put the order back to awaiting sign-for for the next round.
        if fresh.status == "in_progress":
            dispatch.order_redispatch(
                order=fresh, lead=city.district, actor=None, at=local(2026, 3, 2, hour, 1)
            )
        else:
            dispatch.order_return_review(
                order=fresh, decision="refuse", actor=None, at=local(2026, 3, 2, hour, 1)
            )
        order = Order.objects.get(pk=order.pk)
        seen = order.version


def test_two_signs_without_a_version_still_let_only_one_through(on_postgres):
    city = factories.small_city()
    handler = city.users[Role.UNIT_HANDLER]
    order = factories.register(city, local(2026, 3, 2, 9, 0))
    dispatch.order_dispatch(order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 9))
    outcomes = _race(
        lambda: handling.order_sign(order=order, actor=handler, at=local(2026, 3, 2, 10)),
        lambda: handling.order_sign(order=order, actor=handler, at=local(2026, 3, 2, 10)),
    )
    assert sum(isinstance(o, Order) for o in outcomes) == 1
    # The loser waited for the row lock, then the state machine refused a second sign.
    assert [o.code for o in outcomes if isinstance(o, DomainError)] == ["invalid_transition"]
    assert Event.objects.filter(order=order, type="sign").count() == 1


def test_concurrent_intake_never_repeats_a_number(on_postgres):
    from django.db import transaction

    def take():
        with transaction.atomic():
            return next_number(2026)

    numbers = _race(*[take] * 8)
    assert len(set(numbers)) == 8
    assert sorted(numbers) == [f"2026{n:07d}" for n in range(1, 9)]


def test_two_agents_taking_one_callback_at_once_one_gets_it(on_postgres):
    """领取 by two agents at the same moment: the row lock serialises them, so the second
    finds the order taken (not stale: neither named a version) and nothing is doubled."""
    city = factories.small_city()
    first = city.users[Role.CALLBACK_AGENT]
    second = factories.user(Role.CALLBACK_AGENT, username="agent2")
    order = concluded(city)
    seen = order.version
    at = local(2026, 3, 6, 9)
    outcomes = _race(
        partial(order_callback_assign, order=order, agent=first, actor=first, at=at),
        partial(order_callback_assign, order=order, agent=second, actor=second, at=at),
    )
    winners = [o for o in outcomes if isinstance(o, Order)]
    losers = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].code == "callback_assigned_elsewhere"
    fresh = Order.objects.get(pk=order.pk)
    assert fresh.version == seen + 1
    assert fresh.callback_agent in {first.username, second.username}
    assert Event.objects.filter(order=order, type="callback_assign").count() == 1
