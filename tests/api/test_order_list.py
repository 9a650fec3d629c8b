"""The order list: filters, and keyset pagination by (received_at, id)."""

from datetime import datetime, timedelta

import pytest

from hotline.domain.enums import Role
from hotline.orders.services import dispatch, intake
from tests import factories
from tests.api.conftest import error_of
from tests.conftest import local


@pytest.fixture
def orders(city):
    """Seven orders over four days, with different channels, categories and outcomes."""
    made = {}
    made["noise_yt"] = factories.register(city, local(2026, 3, 2, 9, 0))
    made["noise_yh"] = factories.register(
        city, local(2026, 3, 2, 9, 0), region=city.yuhu, channel="wechat"
    )
    made["water"] = factories.register(
        city, local(2026, 3, 3, 23, 30), category=city.water_supply, appeal_type="help"
    )
    made["answered"] = factories.register(city, local(2026, 3, 4, 8, 0), channel="website")
    made["no_category"] = factories.register(city, local(2026, 3, 4, 9, 0), category=None)
    made["late"] = factories.register(city, local(2026, 3, 5, 0, 0), appeal_type="consult")
    made["last"] = factories.register(city, local(2026, 3, 5, 10, 0))
    dispatch.order_dispatch(
        order=made["noise_yh"], lead=city.other_district, actor=None, at=local(2026, 3, 6, 9, 0)
    )
    dispatch.order_dispatch(
        order=made["water"], lead=city.water, actor=None, at=local(2026, 3, 6, 9, 0)
    )
    intake.order_answer(order=made["answered"], actor=None, at=local(2026, 3, 7, 9, 0))
    return made


def _numbers(client, query=""):
    response = client.get(f"/api/orders/?{query}")
    assert response.status_code == 200, response.json()
    return [o["number"] for o in response.json()["results"]]


def _of(orders, *names):
    return [orders[n].number for n in names]


ALL = ("noise_yt", "noise_yh", "water", "answered", "no_category", "late", "last")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("status=dispatched", ("noise_yh", "water")),
        ("status=closed&disposition=answered", ("answered",)),
        ("disposition=dispatched", ("noise_yh", "water")),
        ("channel=wechat", ("noise_yh",)),
        ("appeal_type=help", ("water",)),
        ("lead_unit=U-ZHSW", ("water",)),
        ("lead_unit=NOBODY", ()),
        ("category=0301", ("water",)),
        # A level-1 code takes in the categories below it.
        ("category=05", ("noise_yt", "noise_yh", "answered", "late", "last")),
        ("region=430302", ("noise_yh",)),
        # A district code takes in its streets and communities.
        ("region=430304", ("noise_yt", "water", "answered", "no_category", "late", "last")),
        # Local calendar days, both ends included: 03-03 23:30 is the 3rd, 03-05 00:00 the 5th.
        ("received_from=2026-03-03&received_to=2026-03-04", ("water", "answered", "no_category")),
        ("received_to=2026-03-02", ("noise_yt", "noise_yh")),
        ("received_from=2026-03-05", ("late", "last")),
        ("updated_since=2026-03-06T00:00:00%2B08:00", ("noise_yh", "water", "answered")),
    ],
)
def test_filters(city, client_for, orders, query, expected):
    assert _numbers(client_for(Role.SUPERVISOR), query) == _of(orders, *expected)


def test_filter_by_the_words_of_the_content(city, client_for, orders):
    quiet = factories.register(city, local(2026, 3, 6, 9, 0), content="小区停水三天了")
    client = client_for(Role.SUPERVISOR)
    assert _numbers(client, "text=停水") == [quiet.number]
    # The factories' orders all say 施工噪音扰民: with a filter, the dispatched ones.
    assert _numbers(client, "text=噪音&status=dispatched") == _of(orders, "noise_yh", "water")


def test_filter_by_number(city, client_for, orders):
    client = client_for(Role.SUPERVISOR)
    assert _numbers(client, f"number={orders['late'].number}") == _of(orders, "late")


def test_cursor_pages_follow_received_at_then_id_without_gaps_or_repeats(city, client_for, orders):
    client = client_for(Role.SUPERVISOR)
    seen, url, pages = [], "/api/orders/?page_size=2", 0
    while url:
        body = client.get(url).json()
        assert len(body["results"]) <= 2
        seen += [o["number"] for o in body["results"]]
        url, pages = body["next"], pages + 1
    assert seen == _of(orders, *ALL)
    assert pages == 4
    # Two orders received at the same instant are ordered by id and split across pages.
    first = client.get("/api/orders/?page_size=1").json()
    second = client.get(first["next"]).json()
    assert [o["number"] for o in second["results"]] == _of(orders, "noise_yh")
    # Filters stay in the next link.
    body = client.get("/api/orders/?page_size=1&category=05").json()
    assert "category=05" in body["next"]


def test_page_size_defaults_to_50_and_is_at_most_200(city, client_for):
    operator = city.users[Role.OPERATOR]
    start = local(2026, 3, 2, 8, 0)
    for minute in range(51):
        factories.register(city, start + timedelta(minutes=minute))
    client = client_for(operator)
    body = client.get("/api/orders/").json()
    assert len(body["results"]) == 50 and body["next"] is not None
    assert client.get(body["next"]).json()["next"] is None
    too_big = client.get("/api/orders/?page_size=201")
    assert (too_big.status_code, error_of(too_big)["field"]) == (400, "page_size")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("cursor=garbage", "cursor"),
        ("status=lost", "status"),
        ("received_from=yesterday", "received_from"),
        ("received_to=0001-01-01", "received_to"),
        ("updated_since=2026-03-06T00:00:00", "updated_since"),
    ],
)
def test_bad_query_parameters_are_400_naming_the_parameter(city, client_for, query, field):
    response = client_for(Role.SUPERVISOR).get(f"/api/orders/?{query}")
    assert (response.status_code, error_of(response)["field"]) == (400, field)


def test_received_at_is_shown_in_the_hotlines_time_zone(city, client_for, orders):
    row = client_for(Role.SUPERVISOR).get("/api/orders/?page_size=1").json()["results"][0]
    assert datetime.fromisoformat(row["received_at"]) == local(2026, 3, 2, 9, 0)
    assert row["received_at"].endswith("+08:00")
