"""The three rates of SPEC 5 (2026-12) per unit and city-wide, on a history built by
hand through the live services."""

from datetime import date

import pytest

from hotline.configuration.services import setting_set
from hotline.domain.enums import Role
from hotline.domain.rates import RatesRule
from hotline.domain.statistics import Period
from hotline.orders.services import dispatch, handling, review
from hotline.statistics.assessment import unit_assessment
from hotline.statistics.document import report_document
from hotline.statistics.rates import city_rates, unit_rates
from tests import factories
from tests.conftest import local

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
MADE_AT = local(2026, 4, 1, 9, 0)


def _order(city, lead, *, contact_at=None, solved=None, result="satisfied", sign=True):
    """Registered and dispatched Monday 2026-03-02; signed at 10:00 (first contact due
    by the end of Tuesday 03-03); replied, accepted and called back on 03-06."""
    order = factories.register(city, local(2026, 3, 2, 9, 0))
    dispatch.order_dispatch(order=order, lead=lead, actor=None, at=local(2026, 3, 2, 9, 5))
    if not sign:
        return order
    handling.order_sign(order=order, actor=None, unit=lead, at=local(2026, 3, 2, 10, 0))
    if contact_at is not None:
        handling.order_contact(
            order=order, way="phone", outcome="reached", actor=None, unit=lead,
            contacted_at=contact_at, now=contact_at,
        )  # fmt: skip
    handling.order_reply(order=order, text="已处理", actor=None, unit=lead, at=local(2026, 3, 5, 9))
    review.order_review(order=order, decision="accept", actor=None, at=local(2026, 3, 5, 10))
    review.order_callback(
        order=order, result=result, solved=solved, actor=None, at=local(2026, 3, 6, 9)
    )
    return order


@pytest.fixture
def history(city):
    district, water = city.district, city.water
    _order(city, district, contact_at=local(2026, 3, 3, 11, 0), solved="solved")  # in time
    _order(city, district, contact_at=local(2026, 3, 3, 23, 59, 59), solved="partly")  # just
    _order(city, district, contact_at=local(2026, 3, 4, 8, 0), solved="not_solved")  # late
    _order(city, district, solved="solved", result="unreachable")  # no contact; not reached
    _order(city, water, solved=None)  # a callback that did not ask the question
    _order(city, water, sign=False)  # never signed: no response time yet
    return city


def test_response_and_resolution_per_unit(history):
    found = unit_rates(
        period=MARCH,
        made_at=MADE_AT,
        rule=RatesRule(),
    )
    district = found[history.district.pk]
    # 2 of the 4 signed orders had their first contact by the end of Tuesday.
    assert (district["responded"], district["needing"], district["response_rate"]) == (2, 4, 0.5)
    # Reached and asked: solved, partly, not solved → (1 + ½) / 3.
    assert (district["solved"], district["partly"], district["answered"]) == (1, 1, 3)
    assert district["resolution_rate"] == 0.5
    water = found[history.water.pk]
    assert (water["needing"], water["response_rate"]) == (1, 0.0)
    assert water["resolution_rate"] is None  # the question was never asked


def test_the_partly_weight_is_a_setting(history):
    found = unit_rates(
        period=MARCH,
        made_at=MADE_AT,
        rule=RatesRule(partly_weight=1.0),
    )
    assert found[history.district.pk]["resolution_rate"] == 0.6667


def test_orders_still_in_handling_at_the_cut_off_count_nowhere_yet(history):
    # SPEC 5 (2026-12): the rates are over the assessment's cohort; on Tuesday noon no
    # order has concluded or passed its deadline, so none is due yet.
    early = local(2026, 3, 3, 12, 0)
    found = unit_rates(
        period=MARCH,
        made_at=early,
        rule=RatesRule(),
    )
    assert history.district.pk not in found


def test_city_rates_and_the_assessment_rows(history):
    rates = city_rates(
        period=MARCH,
        made_at=MADE_AT,
        rule=RatesRule(),
        satisfaction_rate=0.8,
    )
    assert rates == {"response_rate": 0.4, "resolution_rate": 0.5, "satisfaction_rate": 0.8}
    items, _ = unit_assessment(start=MARCH.start, end=MARCH.end, made_at=MADE_AT)
    row = next(i for i in items if i["unit"] == "岳塘区")
    assert (row["response_rate"], row["resolution_rate"]) == (0.5, 0.5)
    document = report_document(start=MARCH.start, end=MARCH.end, made_at=MADE_AT)
    assert document["rates"]["response_rate"] == 0.4
    assert document["rates"]["satisfaction_rate"] == document["callbacks"]["satisfaction_rate"]


def test_weights_put_the_three_rates_into_the_score(history):
    before = next(
        i
        for i in unit_assessment(start=MARCH.start, end=MARCH.end, made_at=MADE_AT)[0]
        if i["unit"] == "岳塘区"
    )
    setting_set(
        key="three_rate_weights",
        text='{"response": 30, "resolution": 30, "satisfaction": 40}',
        actor=history.users[Role.ADMINISTRATOR],
    )
    after = next(
        i
        for i in unit_assessment(start=MARCH.start, end=MARCH.end, made_at=MADE_AT)[0]
        if i["unit"] == "岳塘区"
    )
    # 30 × 0.5 + 30 × 0.5 + 40 × satisfaction (3 of 3 reached satisfied) = 70.0 → D
    assert (after["score"], after["grade"]) == (70.0, "D")
    assert before["score"] != after["score"]
