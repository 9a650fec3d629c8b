"""A burst of intake requests to a real server while its database sessions are cut off.

Every request gets an answer: 201 with its order, or the API's structured 503. Every
201 is in the database exactly once; a 503 left nothing behind (no order, no citizen,
no event); and the server's next requests reconnect by themselves.
"""

import json
import re
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import transaction
from rest_framework.authtoken.models import Token

from hotline.accounts.models import User
from hotline.domain.enums import Role
from hotline.orders.models import Citizen, Order
from tests import factories
from tests.faults.conftest import (
    half_written,
    others_sessions,
    terminate,
    wait_until,
    waiting_for_a_lock,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 6
BURST = 60
CUTS = 3  # times both workers' sessions are terminated in the middle of a request
MARKER = re.compile(r"FAULT-\d{4}")


class Client:
    """An API client with a token, numbering its requests so each can be found again."""

    def __init__(self, url: str, token: str):
        self.url, self.token = url, token
        self.sent = 0

    def register(self, n: int) -> dict:
        body = {
            "channel": "phone",
            "appeal_type": "complaint",
            "content": f"小区楼下夜间施工噪音扰民，请尽快处理（FAULT-{n:04d}）",
            "citizen": {"name": "李先生", "phone": f"139{n:08d}"},
        }
        request = urllib.request.Request(
            f"{self.url}/api/orders/",
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                answer = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            answer = error.code, error.headers, error.read()
        status, headers, content = answer
        kind = headers.get("Content-Type", "")
        return {
            "marker": f"FAULT-{n:04d}",
            "phone": body["citizen"]["phone"],
            "status": status,
            "type": kind,
            "retry_after": headers.get("Retry-After"),
            "body": json.loads(content) if kind == "application/json" else content[:200],
        }

    def burst(self, count: int, pool: ThreadPoolExecutor) -> list:
        first, self.sent = self.sent, self.sent + count
        return [pool.submit(self.register, n) for n in range(first, first + count)]


def _stored() -> Counter:
    """How many orders hold each request's marker."""
    return Counter(
        MARKER.search(content).group()
        for content in Order.objects.filter(content__contains="FAULT-").values_list(
            "content", flat=True
        )
    )


def test_intake_requests_cut_off_from_the_database_are_answered_and_none_is_lost(server):
    operator = factories.user(Role.OPERATOR)
    client = Client(server.url, Token.objects.create(user=operator).key)
    answers = []
    with ThreadPoolExecutor(CLIENTS) as pool:
        # Both workers connect and keep their connection.
        warm = [f.result() for f in client.burst(2 * CLIENTS, pool)]
        assert {a["status"] for a in warm} == {201}
        answers += warm

        # Sessions terminated while idle: the next requests reconnect and succeed.
        idle = others_sessions()
        assert idle
        terminate(idle)
        wait_until("the idle sessions to end", lambda: not set(idle) & set(others_sessions()))
        after_idle_cut = [f.result() for f in client.burst(2 * CLIENTS, pool)]
        assert {a["status"] for a in after_idle_cut} == {201}, after_idle_cut
        answers += after_idle_cut

        # Sessions terminated in the middle of requests: holding the operator's row makes
        # each request wait inside its transaction (numbered, citizen written, the order
        # row waiting to refer to its operator) until the test terminates it.
        cut: list[int] = []
        with transaction.atomic():
            User.objects.select_for_update().get(pk=operator.pk)
            burst = client.burst(BURST, pool)
            for _ in range(CUTS):
                waiting = wait_until(
                    "both workers to wait inside a request",
                    waiting_for_a_lock(2, besides=cut),
                )
                terminate(waiting)
                cut += waiting
        in_burst = [f.result() for f in burst]
        answers += in_burst

        # And the server goes on as before.
        last = [f.result() for f in client.burst(CLIENTS, pool)]
        assert {a["status"] for a in last} == {201}
        answers += last

    assert Counter(a["status"] for a in in_burst) == {201: BURST - len(cut), 503: len(cut)}
    refused = [a for a in answers if a["status"] == 503]
    for answer in refused:
        assert answer["type"] == "application/json"
        assert answer["retry_after"] == "5"
        assert answer["body"] == {
            "error": {
                "code": "database_unavailable",
                "message": "数据库暂时不可用，本次请求未能完成，请稍后重试",
                "field": None,
            }
        }

    stored = _stored()
    accepted = {a["marker"]: a["body"]["number"] for a in answers if a["status"] == 201}
    assert stored == Counter(accepted.keys()), "every accepted request once, nothing else"
    numbers = dict(
        (MARKER.search(content).group(), number)
        for number, content in Order.objects.values_list("number", "content")
    )
    assert numbers == accepted
    assert not Citizen.objects.filter(phone__in=[a["phone"] for a in refused]).exists()
    assert half_written() == {"versions_off": 0, "without_register": 0, "orphan_events": 0}
