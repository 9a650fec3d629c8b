"""The orders' bus: the write door publishes each event it records, in its transaction,
to the subscribers the apps registered; it knows none of them (import-linter's layers
contract keeps the orders app from importing one)."""

import pytest

from hotline.deadline_watch.deadlines import deadline_warnings
from hotline.domain.enums import Role
from hotline.notifications.models import Notification
from hotline.notifications.outbox import notify_deadline, notify_event
from hotline.orders import bus
from hotline.orders.bus import DeadlineReached, EventRecorded
from hotline.orders.models import Event, Order
from hotline.orders.services import dispatch, handling
from hotline.orders.services.history_import import orders_import
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch):
    """Every message published while the test runs, beside the apps' own subscribers."""
    messages = []
    for message_type, handlers in bus.HANDLERS.items():
        monkeypatch.setitem(bus.HANDLERS, message_type, [*handlers, messages.append])
    return messages


def _dispatch(city, order):
    return dispatch.order_dispatch(
        order=order,
        lead=city.district,
        co_units=[],
        actor=city.users[Role.DISPATCHER],
        at=local(2026, 3, 2, 9, 5),
    )


def test_the_notifications_app_subscribes_itself():
    assert notify_event in bus.HANDLERS[EventRecorded]
    assert notify_deadline in bus.HANDLERS[DeadlineReached]


def test_each_recorded_event_is_published_with_the_states_around_it(city, heard):
    order = factories.register(city, local(2026, 3, 2, 9, 0))
    _dispatch(city, order)
    assert [(m.seq, m.event.type) for m in heard] == [(1, "register"), (2, "dispatch")]
    registered, dispatched = heard
    assert registered.before is None and registered.actor == city.users[Role.OPERATOR]
    assert (dispatched.before.status, dispatched.after.status) == ("registered", "dispatched")
    assert dispatched.order.pk == order.pk and dispatched.actor == city.users[Role.DISPATCHER]


def test_a_failing_subscriber_refuses_the_event_and_what_others_wrote(city, monkeypatch):
    order = factories.register(city, local(2026, 3, 2, 9, 0))

    def broken(message):
        raise ConnectionError("下游系统无响应")

    handlers = [*bus.HANDLERS[EventRecorded], broken]
    monkeypatch.setitem(bus.HANDLERS, EventRecorded, handlers)
    with pytest.raises(ConnectionError):
        _dispatch(city, order)
    order.refresh_from_db()
    assert (order.version, order.status) == (1, "registered")
    assert list(Event.objects.filter(order=order).values_list("seq", flat=True)) == [1]
    # The outbox, which heard the event before the failure, wrote nothing either.
    assert not Notification.objects.exists()


def test_the_deadline_watch_publishes_each_warning_it_marks(city, heard):
    order = _dispatch(city, factories.register(city, local(2026, 3, 2, 9, 0)))
    handling.order_sign(
        order=order, actor=city.users[Role.UNIT_HANDLER], at=local(2026, 3, 2, 10, 0)
    )
    heard.clear()
    for _ in range(2):  # the second run finds the mark and publishes nothing
        deadline_warnings(now=local(2026, 3, 15, 9, 0))
    (warning,) = heard
    assert isinstance(warning, DeadlineReached) and warning.order.pk == order.pk
    assert (warning.kind, warning.unit) == ("yellow", "U-YT")
    assert warning.deadline == local(2026, 3, 16, 23, 59, 59)


def test_an_imported_history_publishes_nothing(city, heard, tmp_path):
    history = factories.history_file(tmp_path, factories.DISPATCHED_LINE)
    assert orders_import(path=history).orders == 1
    assert Order.objects.count() == 1
    assert heard == []
