"""The product's PostgreSQL connections compile no statement just in time: a page's
statement over ten million orders is estimated costly enough to be compiled, which
takes longer than running it (docs/performance.md)."""

import pytest
from django.db import connection

from hotline.project.settings import _without_jit

POSTGRESQL = "django.db.backends.postgresql"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_the_products_connection_compiles_nothing_just_in_time():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_the_setting_joins_the_options_a_database_address_gives():
    given = {"ENGINE": POSTGRESQL, "OPTIONS": {"options": "-c statement_timeout=5s"}}
    _without_jit(given)
    assert given["OPTIONS"]["options"] == "-c statement_timeout=5s -c jit=off"
    bare = {"ENGINE": POSTGRESQL}
    _without_jit(bare)
    assert bare["OPTIONS"] == {"options": "-c jit=off"}
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "OPTIONS": {"timeout": 20}}
    _without_jit(sqlite)
    assert sqlite["OPTIONS"] == {"timeout": 20}
