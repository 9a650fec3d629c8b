"""Request bodies that would crash or exhaust the server are refused first: JSON nested
deeper than any real request (before it is parsed)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.domain.enums import Role
from hotline.orders.models import Order
from hotline.security.json_depth import DEPTH_MAX, nests_deeper_than
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

DEEP = b"[" * 100_000 + b"]" * 100_000


def test_deeply_nested_json_to_the_api_is_a_400(client_for):
    answer = client_for(Role.OPERATOR).post("/api/orders/", DEEP, content_type="application/json")
    assert answer.status_code == 400
    assert error_of(answer)["code"] == "too_deep"


def test_deeply_nested_json_to_open311_is_a_400_before_the_jurisdiction_check(client, city):
    answer = client.post(
        "/open311/v2/requests.json?jurisdiction_id=elsewhere",
        b'{"a": ' + DEEP + b"}",
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert "嵌套层数过多" in answer.json()[0]["description"]


def _nested(depth: int) -> bytes:
    return b'{"a": ' * depth + b'"[[[{{"' + b"}" * depth


@given(st.integers(min_value=0, max_value=3 * DEPTH_MAX))
def test_depth_is_counted_outside_strings_only(depth):
    assert nests_deeper_than(_nested(depth)) == (depth > DEPTH_MAX)


def test_an_escaped_quote_does_not_end_a_string():
    assert not nests_deeper_than(b'["\\"[[[[", 1]', limit=1)


def test_an_oversized_body_is_refused_before_anything_reads_it(client_for, settings):
    settings.HOTLINE_REQUEST_MAX_BYTES = 1000
    body = {"channel": "phone", "appeal_type": "complaint", "content": "噪音" * 400}
    answer = client_for(Role.OPERATOR).post("/api/orders/", body, format="json")
    assert answer.status_code == 413
    assert error_of(answer)["code"] == "too_large"
    assert not Order.objects.exists()


def test_an_oversized_form_to_a_page_is_refused(client, settings):
    settings.HOTLINE_REQUEST_MAX_BYTES = 1000
    answer = client.post("/login/", {"username": "x" * 2000, "password": "y"})
    assert answer.status_code == 413
    assert "提交的内容过大" in answer.content.decode()
