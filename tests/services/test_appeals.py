"""SPEC 4 (2026-12): the unit files its own appeal (申诉) against an unsatisfied callback,
within the window; the office decides; an upheld 无理/重复诉求 appeal takes the whole
order out of the unit's assessment."""

from datetime import date

import pytest

from hotline.configuration.services import setting_set
from hotline.domain.appeal_window import AppealWindowClosed
from hotline.domain.enums import Role
from hotline.domain.lifecycle import AppealAlreadyFiled, NothingToAppeal, NotLeadUnit
from hotline.domain.permissions import NotPermitted
from hotline.orders.models import AppealFiling, Assignment, Event
from hotline.orders.services import dispatch, handling, review
from hotline.statistics.assessment import unit_assessment
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}


def _called_back(city, result="unsatisfied", day=2):
    """An order of 岳塘区 concluded on ``day`` of March (at most the 5th) and called
    back on 5 March."""
    handler = city.users[Role.UNIT_HANDLER]
    order = factories.register(city, local(2026, 3, day, 9))
    dispatch.order_dispatch(order=order, lead=city.district, actor=None, at=local(2026, 3, day, 9))
    handling.order_sign(order=order, actor=handler, at=local(2026, 3, day, 10))
    handling.order_reply(order=order, text="已处理完毕", actor=handler, at=local(2026, 3, day, 11))
    review.order_review(order=order, decision="accept", actor=None, at=local(2026, 3, day, 12))
    return review.order_callback(
        order=order, result=result, actor=city.users[Role.CALLBACK_AGENT], at=local(2026, 3, 5, 15)
    )


def _file(city, order, at, kind="unreasonable", actor=None):
    return review.order_appeal_file(
        order=order,
        kind=kind,
        reason="诉求人要求超出政策规定",
        actor=actor or city.users[Role.UNIT_HANDLER],
        at=at,
    )


def _events(order):
    return list(Event.objects.filter(order=order).values_list("type", flat=True))


def test_a_unit_files_an_appeal_and_the_office_upholds_it(city):
    setting_set(key="assessment_minimum_due", text="0")
    order = _called_back(city)
    made_at = local(2026, 4, 10, 9)
    assert unit_assessment(**MARCH, made_at=made_at)[0][0]["satisfaction_rate"] == 0.0
    _file(city, order, local(2026, 4, 1, 9))
    filing = AppealFiling.objects.get(order=order)
    assert (filing.kind, filing.decision, filing.unit) == ("unreasonable", "", city.district)
    review.order_appeal(
        order=order, decision="upheld", reason="诉求确属无理", actor=None, at=local(2026, 4, 2, 9)
    )
    filing.refresh_from_db()
    assert (filing.decision, filing.note) == ("upheld", "诉求确属无理")
    assert _events(order)[-2:] == ["appeal_file", "appeal"]
    # 无理诉求 upheld: the whole order leaves the unit's assessment.
    assert Assignment.objects.get(order=order, role="lead").excluded
    items, idle = unit_assessment(**MARCH, made_at=made_at)
    assert items == [] and "岳塘区" in idle


def test_an_upheld_appeal_of_another_kind_takes_out_only_the_callback(city):
    setting_set(key="assessment_minimum_due", text="0")
    order = _called_back(city)
    _file(city, order, local(2026, 3, 6, 9), kind="not_our_duty")
    review.order_appeal(order=order, decision="upheld", actor=None, at=local(2026, 3, 7, 9))
    (row,) = unit_assessment(**MARCH, made_at=local(2026, 4, 10, 9))[0]
    assert (row["due"], row["satisfaction_rate"], row["score"]) == (1, 1.0, 100.0)


def test_a_second_appeal_on_one_callback_is_refused_and_nothing_written(city):
    order = _called_back(city)
    _file(city, order, local(2026, 3, 6, 9))
    before = _events(order)
    with pytest.raises(AppealAlreadyFiled, match="不能重复申诉"):
        _file(city, order, local(2026, 3, 6, 10))
    review.order_appeal(order=order, decision="dismissed", actor=None, at=local(2026, 3, 7, 9))
    with pytest.raises(NothingToAppeal):
        _file(city, order, local(2026, 3, 7, 10))
    assert _events(order) == [*before, "appeal"]
    assert AppealFiling.objects.filter(order=order).count() == 1


def test_an_appeal_after_the_window_is_refused(city):
    order = _called_back(city)
    # Called back Thu 5 March; the grades of March appear on 1 April (Wed): three
    # working days from then run to the end of Fri 3 April.
    _file(city, order, local(2026, 4, 3, 23, 0))
    order2 = _called_back(city, day=4)
    with pytest.raises(AppealWindowClosed, match="申诉期限已过"):
        _file(city, order2, local(2026, 4, 7, 9))  # 4–6 April: 清明 holidays
    assert not AppealFiling.objects.filter(order=order2).exists()


def test_the_window_is_a_setting(city):
    setting_set(key="appeal_window_days", text="1")
    order = _called_back(city)
    with pytest.raises(AppealWindowClosed):
        _file(city, order, local(2026, 4, 2, 9))


def test_an_appeal_by_another_unit_or_role_is_refused(city):
    order = _called_back(city)
    other = factories.user(Role.UNIT_HANDLER, unit=city.other_district, username="yuhu")
    with pytest.raises(NotLeadUnit, match="不能申诉"):
        _file(city, order, local(2026, 3, 6, 9), actor=other)
    with pytest.raises(NotPermitted):
        _file(city, order, local(2026, 3, 6, 9), actor=city.users[Role.SUPERVISOR])
    assert not AppealFiling.objects.exists()


def test_nothing_to_appeal_on_a_satisfied_callback(city):
    order = _called_back(city, result="satisfied")
    with pytest.raises(NothingToAppeal):
        _file(city, order, local(2026, 3, 6, 9))
