"""Every way in is the one sign-in door, throttled and audited: the admin site's login
page included."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from hotline.accounts.services import user_create
from hotline.audit.models import AuditRecord

pytestmark = pytest.mark.django_db

PASSWORD = "Root-pass-12345"


@pytest.fixture
def root(db):
    return user_create(username="root", role="administrator", password=PASSWORD)


def test_an_admin_brute_force_is_throttled_and_audited(client, root):
    admin_login = reverse("admin:login")
    tries = settings.HOTLINE_LOGIN_FAILURE_LIMIT + 3
    for guess in range(tries):
        client.post(admin_login, {"username": "root", "password": f"guess-{guess}"})
    failed = AuditRecord.objects.filter(action=AuditRecord.Action.LOGIN_FAILED, username="root")
    locked = AuditRecord.objects.filter(action=AuditRecord.Action.LOGIN_LOCKED, username="root")
    assert failed.count() == settings.HOTLINE_LOGIN_FAILURE_LIMIT
    assert locked.count() == 3
    # Locked: even the right password is not checked now.
    response = client.post(admin_login, {"username": "root", "password": PASSWORD})
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_login_page_is_the_sites_sign_in_and_leads_back_to_the_admin(client, root):
    page = client.get(reverse("admin:login"), {"next": "/admin/"})
    assert 'action="/login/"' in page.content.decode()
    response = client.post(
        reverse("admin:login"), {"username": "root", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302 and response.url == "/admin/"
    assert AuditRecord.objects.filter(action=AuditRecord.Action.LOGIN, username="root").exists()
    assert client.get("/admin/").status_code == 200


class CountingHasher(MD5PasswordHasher):
    """Counts every password hashed, for a user who exists or not."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


def _flood(client, tries: int, *, addresses: int) -> list[int]:
    return [
        client.post(
            "/login/",
            {"username": f"nobody-{n}", "password": "x"},
            REMOTE_ADDR=f"10.0.{n % addresses // 250}.{n % addresses % 250}",
        ).status_code
        for n in range(tries)
    ]


def test_a_flood_of_random_names_from_one_address_stops_hashing_at_its_limit(client, hashes):
    statuses = _flood(client, 100, addresses=1)
    assert hashes.calls == settings.HOTLINE_LOGIN_ADDRESS_FAILURE_LIMIT
    assert set(statuses) == {400}


def test_a_flood_spread_over_many_addresses_stops_hashing_at_the_site_limit(
    client, hashes, settings
):
    settings.HOTLINE_LOGIN_SITE_FAILURE_LIMIT = 40
    _flood(client, 120, addresses=120)
    assert hashes.calls == 40
    refused = client.post("/login/", {"username": "root", "password": "x"})
    assert "登录尝试过于频繁" in refused.content.decode()
