"""Per-address limits behind the office's reverse proxy: its X-Forwarded-For names the
client; nobody else's does."""

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory

from hotline.security.ratelimit import client_address

PROXY = "10.0.0.5"


@pytest.fixture(autouse=True)
def proxies(settings):
    settings.HOTLINE_TRUSTED_PROXIES = [PROXY, "10.1.0.0/16"]


def _address(remote: str, forwarded: str | None = None) -> str:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        (PROXY, "203.0.113.7", "203.0.113.7"),
        # The client wrote its own header: the proxy appended the real address.
        (PROXY, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        # Two trusted hops (the load balancer, then nginx).
        (PROXY, "203.0.113.7, 10.1.2.3", "203.0.113.7"),
        (PROXY, None, PROXY),
        (PROXY, "not-an-address", PROXY),
        # Not a trusted proxy: its header is the client's own word.
        ("198.51.100.1", "203.0.113.7", "198.51.100.1"),
    ],
)
def test_the_client_address(remote, forwarded, client):
    assert _address(remote, forwarded) == client


@pytest.mark.django_db
def test_sign_in_locks_one_client_behind_the_proxy_not_all(client, city):
    for n in range(django_settings.HOTLINE_LOGIN_ADDRESS_FAILURE_LIMIT):
        client.post(
            "/login/",
            {"username": f"nobody-{n}", "password": "x"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )

    def attempt(address):
        return client.post(
            "/login/",
            {"username": "somebody", "password": "x"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=address,
        ).content.decode()

    assert "登录失败次数过多" in attempt("203.0.113.7")
    assert "用户名或密码不正确" in attempt("203.0.113.8")
