"""Registering through the API or Open311 once per key: a client that sends its request
again (a lost answer, a timeout) gets the first answer back, never a second order; and a
failure after the commit still answers 201 with the order, never an error that invites a
retry."""

from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection, connections, transaction
from rest_framework.authtoken.models import Token

from hotline.domain.enums import Role
from hotline.orders.models import Order
from hotline.orders.services import intake
from tests.api.conftest import error_of, token_client

NEW_ORDER = {
    "channel": "phone",
    "appeal_type": "complaint",
    "content": "小区楼下夜间施工噪音扰民，影响休息",
    "category": "0501",
    "region": "430304001",
    "citizen": {"name": "李先生", "phone": "13800000001"},
}


@pytest.mark.django_db
def test_a_retry_burst_with_one_key_makes_one_order(city, client_for):
    operator = client_for(Role.OPERATOR)
    answers = [
        operator.post("/api/orders/", NEW_ORDER, format="json", HTTP_IDEMPOTENCY_KEY="intake-7")
        for _ in range(5)
    ]
    assert {a.status_code for a in answers} == {201}
    assert Order.objects.count() == 1
    assert all(a.json() == answers[0].json() for a in answers)
    assert [a.headers.get("Idempotent-Replayed") for a in answers] == [None] + ["true"] * 4
    other = operator.post("/api/orders/", NEW_ORDER, format="json", HTTP_IDEMPOTENCY_KEY="intake-8")
    assert other.status_code == 201 and Order.objects.count() == 2


@pytest.mark.django_db
def test_the_call_id_is_a_natural_key(city, client_for):
    operator = client_for(Role.OPERATOR)
    body = {**NEW_ORDER, "call_id": "CALL-20260302-0001"}
    first = operator.post("/api/orders/", body, format="json")
    again = operator.post("/api/orders/", body, format="json")
    assert first.json()["number"] == again.json()["number"]
    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_per_client(city, client_for):
    for role in (Role.OPERATOR, Role.SUPERVISOR):
        client_for(role).post("/api/orders/", NEW_ORDER, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert Order.objects.count() == 2


@pytest.mark.django_db
def test_an_unprintable_key_is_refused(city, client_for):
    answer = client_for(Role.OPERATOR).post(
        "/api/orders/", NEW_ORDER, format="json", HTTP_IDEMPOTENCY_KEY="x" * 201
    )
    assert answer.status_code == 400
    assert error_of(answer)["field"] == "Idempotency-Key"
    assert Order.objects.count() == 0


@contextmanager
def cut_after_commit(monkeypatch):
    """From the moment the registration commits, every statement on this connection
    fails as on a lost connection."""
    cut = []

    def refuse(execute, sql, params, many, context):
        if cut:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    real = intake.record_first

    def record_then_cut_at_commit(*args, **kwargs):
        result = real(*args, **kwargs)
        transaction.on_commit(lambda: cut.append(True))
        return result

    monkeypatch.setattr(intake, "record_first", record_then_cut_at_commit)
    with connection.execute_wrapper(refuse):
        yield cut
    monkeypatch.undo()


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_the_commit_still_answers_201_with_the_order(city, client_for, monkeypatch):
    operator = client_for(Role.OPERATOR)
    with cut_after_commit(monkeypatch) as cut:
        answer = operator.post("/api/orders/", NEW_ORDER, format="json")
        assert cut  # the cut happened
    assert answer.status_code == 201, answer.content
    assert Order.objects.get().number == answer.json()["number"]


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_burst_with_one_key_makes_one_order(city, on_postgres):
    token = Token.objects.create(user=city.users[Role.OPERATOR])

    def send(_):
        try:
            client = token_client(token.user)
            return client.post(
                "/api/orders/", NEW_ORDER, format="json", HTTP_IDEMPOTENCY_KEY="burst-1"
            ).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(send, range(24)))
    assert set(statuses) == {201}
    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_an_open311_retry_makes_one_order(city, client):
    key = Token.objects.create(user=city.users[Role.OPERATOR]).key
    form = {
        "api_key": key,
        "service_code": "0501",
        "description": "书院路夜间施工噪音",
        "address_string": "岳塘区书院路12号",
    }
    answers = [
        client.post("/open311/v2/requests.json", form, HTTP_IDEMPOTENCY_KEY="311-1")
        for _ in range(3)
    ]
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()[0]["service_request_id"] for a in answers}) == 1
    assert Order.objects.count() == 1
