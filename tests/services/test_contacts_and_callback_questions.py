"""Contacts with the citizen, the callback's new questions and the automatic
答复与回访不符 violation (SPEC 4 and 6, 2026-12), against the database."""

import pytest

from hotline.domain.enums import Role, ViolationKind
from hotline.domain.lifecycle import NotAssignedUnit
from hotline.orders.models import Callback, Contact, Event, Order, Reply, Violation
from hotline.orders.services import dispatch, handling, review
from hotline.orders.services.handling import ContactInFuture
from hotline.orders.services.recording import WrongUnit
from tests import factories
from tests.conftest import local

NOW = local(2026, 3, 2, 15, 0)


def _signed(city, *, confidential=False):
    order = factories.register(city, local(2026, 3, 2, 9, 0), confidential=confidential)
    dispatch.order_dispatch(order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 9, 5))
    handler = city.users[Role.UNIT_HANDLER]
    return handling.order_sign(order=order, actor=handler, at=local(2026, 3, 2, 10, 0))


def test_the_sign_for_sets_the_response_time_on_the_office_calendar(city):
    order = Order.objects.get(pk=_signed(city).pk)
    # Signed Monday 2026-03-02: the first contact is due by the end of Tuesday.
    assert order.respond_by == local(2026, 3, 3, 23, 59, 59)
    assert order.state["respond_by"] == local(2026, 3, 3, 23, 59, 59).isoformat()


def test_a_unit_records_a_contact_at_the_time_it_gives(city):
    order = _signed(city, confidential=True)  # a confidential order takes contacts too
    handling.order_contact(
        order=order,
        way="phone",
        outcome="reached",
        contacted_at=local(2026, 3, 2, 11, 30),
        actor=city.users[Role.UNIT_HANDLER],
        now=NOW,
    )
    contact = Contact.objects.get(order=order)
    assert (contact.unit, contact.at, contact.way, contact.outcome) == (
        city.district,
        local(2026, 3, 2, 11, 30),
        "phone",
        "reached",
    )
    event = Event.objects.get(order=order, type="contact")
    assert event.data == {"unit": "U-YT", "way": "phone", "outcome": "reached"}


def test_a_contact_without_a_time_is_now(city):
    order = _signed(city)
    handling.order_contact(
        order=order, way="sms", outcome="unreachable", actor=city.users[Role.UNIT_HANDLER], now=NOW
    )
    assert Contact.objects.get(order=order).at == NOW


def test_another_units_handler_cannot_record_a_contact_on_the_order(city):
    order = _signed(city)
    stranger = factories.user(Role.UNIT_HANDLER, unit=city.other_district)
    with pytest.raises(NotAssignedUnit):
        handling.order_contact(order=order, way="phone", outcome="reached", actor=stranger, now=NOW)
    with pytest.raises(WrongUnit):
        handling.order_contact(
            order=order,
            way="phone",
            outcome="reached",
            actor=stranger,
            unit=city.district,
            now=NOW,
        )
    assert not Contact.objects.exists()
    assert not Event.objects.filter(type="contact").exists()


def test_a_contact_in_the_future_is_refused_and_nothing_is_written(city):
    order = _signed(city)
    with pytest.raises(ContactInFuture, match="联系时间不能晚于当前时间"):
        handling.order_contact(
            order=order,
            way="phone",
            outcome="reached",
            contacted_at=local(2026, 3, 2, 16, 0),
            actor=city.users[Role.UNIT_HANDLER],
            now=NOW,
        )
    assert not Contact.objects.exists()


def _replied(city, *, resolved):
    order = _signed(city)
    handler = city.users[Role.UNIT_HANDLER]
    handling.order_reply(
        order=order, text="已现场处理", resolved=resolved, actor=handler, at=local(2026, 3, 3, 9)
    )
    supervisor = city.users[Role.SUPERVISOR]
    return review.order_review(
        order=order, decision="accept", actor=supervisor, at=local(2026, 3, 3, 10)
    )


def _callback(city, order, **answers):
    return review.order_callback(
        order=order,
        result="unsatisfied",
        actor=city.users[Role.CALLBACK_AGENT],
        at=local(2026, 3, 4, 9),
        **answers,
    )


def test_the_callback_keeps_its_answers_and_the_agents_note(city):
    order = _replied(city, resolved=True)
    _callback(city, order, solved="partly", unit_contacted=False, note="市民称仅部分整改")
    callback = Callback.objects.get(order=order)
    assert (callback.solved, callback.unit_contacted, callback.note) == (
        "partly",
        False,
        "市民称仅部分整改",
    )
    assert Reply.objects.get(order=order).resolved is True
    assert not Violation.objects.exists()  # partly solved is no contradiction


def test_a_reply_said_resolved_and_a_callback_not_solved_raise_a_violation_on_the_unit(city):
    order = _replied(city, resolved=True)
    _callback(city, order, solved="not_solved")
    violation = Violation.objects.get(order=order)
    assert (violation.unit, violation.kind) == (city.district, ViolationKind.CONTRADICTION.value)


@pytest.mark.parametrize("resolved", [False, None])
def test_no_violation_when_the_reply_did_not_say_resolved(city, resolved):
    order = _replied(city, resolved=resolved)
    _callback(city, order, solved="not_solved")
    assert not Violation.objects.exists()
