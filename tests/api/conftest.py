"""HTTP clients per role (token auth) and a clock the services read instead of today."""

from datetime import datetime, timedelta

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hotline.domain.enums import Role
from tests.conftest import local


class Clock:
    """What ``django.utils.timezone.now`` answers during a test; ``tick`` moves it on."""

    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def tick(self, **delta) -> datetime:
        self.at += timedelta(**delta) if delta else timedelta(minutes=5)
        return self.at


@pytest.fixture
def clock(monkeypatch):
    fixed = Clock(local(2026, 3, 2, 9, 0))
    monkeypatch.setattr("django.utils.timezone.now", fixed)
    return fixed


def token_client(user) -> APIClient:
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def client_for(city):
    """``client_for(Role.X)`` or ``client_for(user)``: an API client with that user's token."""

    def make(who) -> APIClient:
        return token_client(city.users[who] if isinstance(who, Role) else who)

    return make


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "field"}, body
    return body["error"]
