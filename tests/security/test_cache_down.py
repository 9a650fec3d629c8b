"""With the shared cache (Redis) unreachable, the rate limits fall back to this
process's memory with a warning in the log: signing in and the portal keep working,
and the limits still hold."""

import logging

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from hotline.accounts.services import user_create
from hotline.orders.models import Order
from hotline.security import ratelimit

pytestmark = pytest.mark.django_db

PASSWORD = "Staff-pass-12345"


@pytest.fixture(autouse=True)
def redis_stopped(settings):
    # Nothing listens on port 1: every command fails at once, as with Redis stopped.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/7",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    ratelimit._local.clear()
    yield
    ratelimit._local.clear()


def test_sign_in_works_and_stays_throttled_with_redis_stopped(client, city, caplog):
    user_create(username="clerk", role="operator", password=PASSWORD)
    with caplog.at_level(logging.WARNING, logger="hotline.security.ratelimit"):
        signed_in = client.post("/login/", {"username": "clerk", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert "共享缓存不可用" in caplog.text
    client.post("/logout/")
    for _ in range(django_settings.HOTLINE_LOGIN_FAILURE_LIMIT):
        client.post("/login/", {"username": "clerk", "password": "wrong"})
    locked = client.post("/login/", {"username": "clerk", "password": PASSWORD})
    assert "登录失败次数过多" in locked.content.decode()


def test_the_portal_takes_a_request_with_redis_stopped(client, city):
    form = {
        "appeal_type": "complaint",
        "content": "小区门口路灯不亮已经一周",
        "name": "刘女士",
        "phone": "13800000009",
        "region": city.street.code,
        "address": "雨湖区和平路88号",
    }
    response = client.post(reverse("portal:submit"), form)
    assert response.status_code == 302
    assert Order.objects.count() == 1
