from datetime import datetime

import pytest
from django.core.cache import cache

from hotline.domain.deadlines import LOCAL_TZ
from tests import factories


def local(*args) -> datetime:
    """A wall-clock instant in the hotline's time zone (tests never read today's date)."""
    return datetime(*args, tzinfo=LOCAL_TZ)


@pytest.fixture
def city(db):
    return factories.small_city()


@pytest.fixture
def on_postgres(settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with DATABASE_URL=postgres://…)")


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits and the dashboard's cached counts must not carry over between tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _own_data_folder(settings, tmp_path_factory):
    # The data folder of a clean checkout, whatever the checkout's own ./var holds: a
    # model the demo trained on its city would answer the tests' suggestions instead.
    settings.VAR_DIR = tmp_path_factory.mktemp("var")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Real hashing is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
