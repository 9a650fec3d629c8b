"""A role that sees phone numbers masked (138****0001) cannot recover one by guessing
it in a search, and no phone number reaches a log line."""

import io
import logging
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from gunicorn.config import Config

from hotline.domain.enums import Role
from hotline.notifications.channels import LoggingSmsGateway
from hotline.orders.services import dispatch
from hotline.orders.services.intake import CitizenInput
from hotline.security.gunicorn_logs import GunicornLogger
from hotline.security.logs import RedactPhones
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

T0 = local(2026, 3, 9, 9, 0)
SECRET_PHONE = "13912345678"
# The attack: the masked number 139****5678 with its middle digits guessed; the
# loop includes the right guess.
GUESSES = [f"139{middle:04d}5678" for middle in range(1230, 1240)]


@pytest.fixture
def order(city):
    registered = factories.register(
        city, T0, citizen=CitizenInput(name="王先生", phone=SECRET_PHONE)
    )
    return dispatch.order_dispatch(
        order=registered,
        lead=city.district,
        actor=city.users[Role.DISPATCHER],
        at=T0 + timedelta(minutes=5),
    )


def _answer(response) -> tuple[int, list[str]]:
    found = re.findall(r'href="/orders/(\d+)/"', response.content.decode())
    return response.status_code, tuple(found)


@pytest.mark.parametrize("role", [Role.UNIT_HANDLER, Role.DISPATCHER, Role.LEADER])
def test_the_oracle_loop_of_a_masked_role_learns_nothing(signed_in, order, role):
    client = signed_in(role)
    answers = {_answer(client.get(reverse("web:order_search"), {"phone": g})) for g in GUESSES}
    assert len(answers) == 1
    status, found = answers.pop()
    assert status == 400
    assert order.number not in found


def test_a_masked_role_is_told_why_and_sees_no_phone_field(signed_in, order):
    client = signed_in(Role.UNIT_HANDLER)
    refused = client.get(reverse("web:order_search"), {"phone": SECRET_PHONE}).content.decode()
    assert "不能按电话号码查询" in refused
    assert 'name="phone"' not in client.get(reverse("web:order_search")).content.decode()


def test_a_role_that_may_reveal_the_number_still_searches_by_it(signed_in, order):
    found = _answer(
        signed_in(Role.OPERATOR).get(reverse("web:order_search"), {"phone": SECRET_PHONE})
    )
    assert found == (200, (order.number,))


def test_the_dispatchers_similar_orders_take_no_phone_from_the_query(signed_in, order):
    client = signed_in(Role.DISPATCHER)
    answers = {
        _answer(client.get(reverse("web:similar_orders"), {"phone": g, "content": "施工噪音"}))
        for g in GUESSES
    }
    assert len(answers) == 1


def _stream_of_the_configured_handler():
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactPhones) for f in h.filters)
    )
    stream = io.StringIO()
    # Swapped without setStream, which flushes the old stream first: an earlier test's
    # captured stream may be closed by now.
    previous, handler.stream = handler.stream, stream
    return handler, previous, stream


@pytest.mark.parametrize(
    ("in_query", "in_text"),
    [
        ("13912345678", "13912345678"),
        ("139+1234+5678", "139 1234 5678"),
        ("139%201234%205678", "+86 139-1234-5678"),
        ("%2B8613912345678", "0731-12345678"),
    ],
)
def test_the_application_log_holds_no_phone(in_query, in_text):
    handler, previous, stream = _stream_of_the_configured_handler()
    try:
        logging.getLogger("django.request").warning("Bad Request: /orders/?phone=%s", in_query)
        LoggingSmsGateway().send(to=SECRET_PHONE, subject="", text=f"请回电 {in_text}")
    finally:
        handler.stream = previous
    text = stream.getvalue()
    assert "/orders/?phone=" in text and "短信" in text
    assert not re.search(r"[0-9]{4}", text.replace("5678", ""))


def test_the_access_log_holds_no_phone(tmp_path):
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    logger = GunicornLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/orders/?phone=139+1234+5678&status=",
        "QUERY_STRING": "phone=139+1234+5678&status=",
        "PATH_INFO": "/orders/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "/intake/caller/?phone=13912345678",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=3))
    for handler in logger.access_log.handlers:
        handler.flush()
    line = (tmp_path / "access.log").read_text()
    assert "GET /orders/?phone=" in line
    assert "1234" not in line and "13912345678" not in line
