"""The registration's answer: the same bytes and headers as DRF's ``Response`` gave —
compact JSON as ``JSONRenderer`` writes it, indented when the client asks for it, 406
for a format the API does not give — with the security headers, no cookie set and no
session read, whichever way the request is authenticated."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer

from hotline.domain.enums import Role
from hotline.orders.models import Order
from tests.api.cases_intake_input import citizen, good
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
        " script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
    ),
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _post(client, body, **headers):
    return client.post(
        "/api/orders/",
        json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        **headers,
    )


def _headers_of(response) -> dict:
    return {name: value for name, value in response.headers.items()}


def test_a_registration_answers_with_drf_s_bytes_and_headers(city, client_for):
    response = _post(client_for(Role.OPERATOR), citizen(address="书院路12号"))
    assert response.status_code == 201
    assert response.content == JSONRenderer().render(response.json())
    assert b"\n" not in response.content and b", " not in response.content
    assert _headers_of(response) == {
        "Content-Type": "application/json",
        "Allow": "GET, POST, HEAD, OPTIONS",
        **SECURITY_HEADERS,
        "Content-Length": str(len(response.content)),
        "Vary": "Accept-Language",
        "Content-Language": "zh-hans",
    }
    assert not response.cookies


def test_a_repeated_registration_says_it_was_replayed(city, client_for):
    client = client_for(Role.OPERATOR)
    first = _post(client, good(), HTTP_IDEMPOTENCY_KEY="k-1")
    again = _post(client, good(), HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 201)
    # The same answer; PostgreSQL keeps it as jsonb, so its keys may come back reordered.
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _headers_of(again) == {
        "Content-Type": "application/json",
        "Idempotent-Replayed": "true",
        "Allow": "GET, POST, HEAD, OPTIONS",
        **SECURITY_HEADERS,
        "Content-Length": str(len(again.content)),
        "Vary": "Accept-Language",
        "Content-Language": "zh-hans",
    }


def test_the_client_may_ask_for_indented_json(city, client_for):
    response = _post(client_for(Role.OPERATOR), good(), HTTP_ACCEPT="application/json; indent=2")
    assert response.status_code == 201
    assert response.content == json.dumps(response.json(), ensure_ascii=False, indent=2).encode()
    assert response.headers["Content-Type"] == "application/json"


def test_a_format_the_api_does_not_give_is_refused_before_anything_is_written(city, client_for):
    response = _post(client_for(Role.OPERATOR), good(), HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response.json()["error"]["code"] == "not_acceptable"
    assert not Order.objects.exists()


def test_a_signed_in_browser_registers_with_its_session_and_csrf_token(city):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(city.users[Role.OPERATOR])
    refused = _post(browser, good())
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "not_permitted"
    browser.get("/intake/")  # the page's form sets the CSRF cookie the browser sends back
    token = browser.cookies.get("csrftoken")
    assert token is not None
    accepted = _post(browser, good(), HTTP_X_CSRFTOKEN=token.value)
    assert accepted.status_code == 201, accepted.json()
    assert accepted.headers["Vary"] == "Accept-Language, Cookie"


def test_a_token_is_the_only_credential_read_even_beside_a_session_cookie(city, client_for):
    client = client_for(Role.OPERATOR)
    client.force_login(city.users[Role.DISPATCHER])  # a session cookie of someone else
    with CaptureQueriesContext(connection) as queries:
        response = _post(client, good())
    assert response.status_code == 201
    assert not any("django_session" in query["sql"] for query in queries.captured_queries)
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    events = Order.objects.get(number=response.json()["number"]).events.all()
    assert [event.actor for event in events] == [city.users[Role.OPERATOR]]


def test_a_refusal_to_a_token_client_is_in_chinese_whatever_it_accepts(city, client_for):
    response = _post(client_for(Role.OPERATOR), good(channel=None), HTTP_ACCEPT_LANGUAGE="en")
    assert error_of(response)["message"] == "该字段不能为 null。"
    assert response.headers["Content-Language"] == "zh-hans"
    assert response.headers["Vary"] == "Accept-Language"


def test_a_wrong_token_is_refused_and_a_browser_without_one_is_asked_to_sign_in(city):
    wrong = Client()
    wrong.defaults["HTTP_AUTHORIZATION"] = "token not-a-key"
    response = _post(wrong, good())
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"
    assert response.headers["WWW-Authenticate"] == "Token"
    assert _post(Client(), good()).status_code == 401
