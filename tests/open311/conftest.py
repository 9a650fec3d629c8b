import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token

from hotline.configuration.services import setting_set
from hotline.domain.enums import Role
from tests.api.conftest import Clock
from tests.conftest import local


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    fixed = Clock(local(2026, 3, 2, 9, 0))
    monkeypatch.setattr("django.utils.timezone.now", fixed)
    return fixed


@pytest.fixture
def api_key(city):
    """The token of the website's system account (an operator: it registers orders)."""
    return Token.objects.create(user=city.users[Role.OPERATOR]).key


@pytest.fixture
def public_reads(db):
    """The office has opened the requests to the public (SPEC 11, 2026-12)."""
    setting_set(key="open311_public_reads", text="true")
