"""Reads from a real PostgreSQL streaming replica (``bin/replica start``; CI starts it).

The test database is created on the primary and streamed to the standby, so the
replica holds it too once the test's rows are committed and replayed. Each test adds
a ``replica`` connection to that database on the standby, as ``HOTLINE_REPLICA_URL``
does in production, and checks where each query of a page ran.
"""

import logging
import os
import time
from urllib.parse import urlparse

import psycopg
import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hotline.domain.enums import Role
from hotline.operations import replica as replica_reads
from hotline.orders.models import Order
from tests import factories

REPLICA_URL = os.environ.get("HOTLINE_TEST_REPLICA_URL", "postgres://postgres@127.0.0.1:5433")
CAUGHT_UP_SECONDS = 30


def _reachable(url: str) -> bool:
    try:
        with psycopg.connect(url + "/postgres", connect_timeout=2) as probe:
            return probe.execute("select pg_is_in_recovery()").fetchone()[0]
    except psycopg.Error:
        return False


pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(scope="module", autouse=True)
def replica_connection(django_db_setup):
    """The ``replica`` connection, to the primary's test database on the standby, made
    before the test case is, as ``HOTLINE_REPLICA_URL`` does in production. As a test
    mirror it is never flushed (a standby is read-only); the tests commit their rows,
    since the standby sees only committed ones."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and its streaming replica")
    if not _reachable(REPLICA_URL):
        if os.environ.get("HOTLINE_REQUIRE_REPLICA") == "1":
            pytest.fail(f"no streaming replica at {REPLICA_URL} (bin/replica start)")
        pytest.skip(f"no streaming replica at {REPLICA_URL} (bin/replica start)")
    address = urlparse(REPLICA_URL)
    settings_dict = dict(connection.settings_dict)
    settings_dict.update(
        HOST=address.hostname,
        PORT=address.port or 5432,
        CONN_MAX_AGE=0,
        OPTIONS={**settings_dict.get("OPTIONS", {}), "connect_timeout": 2},
        TEST={**settings_dict["TEST"], "MIRROR": "default"},
    )
    connections.settings[replica_reads.REPLICA] = settings_dict
    yield settings_dict
    connections[replica_reads.REPLICA].close()
    del connections[replica_reads.REPLICA]
    del connections.settings[replica_reads.REPLICA]
    replica_reads.forget_health()


@pytest.fixture(autouse=True)
def _checked_each_time(settings, replica_connection):
    settings.HOTLINE_REPLICA_CHECK_SECONDS = 0
    replica_reads.forget_health()
    yield
    connections[replica_reads.REPLICA].close()


def caught_up() -> None:
    """Waits until the standby has replayed everything the primary has written."""
    with connection.cursor() as cursor:
        cursor.execute("select pg_current_wal_lsn()::text")
        (written,) = cursor.fetchone()
    deadline = time.monotonic() + CAUGHT_UP_SECONDS
    with psycopg.connect(REPLICA_URL + "/postgres") as probe:
        while time.monotonic() < deadline:
            replayed = probe.execute(
                "select pg_last_wal_replay_lsn() >= %s::pg_lsn", (written,)
            ).fetchone()[0]
            if replayed:
                return
            time.sleep(0.1)
    pytest.fail("the standby did not catch up")


@pytest.fixture
def office():
    city = factories.small_city()
    now = timezone.now()
    for _ in range(3):
        factories.register(city, now - timezone.timedelta(minutes=5))
    return city


def _touching_orders(queries) -> list[str]:
    return [q["sql"] for q in queries if "orders_order" in q["sql"]]


@pytest.mark.parametrize(
    "page", ["web:statistics_dashboard", "web:leader_dashboard", "web:assessment_breakdown"]
)
def test_the_reading_pages_read_from_the_replica(client, office, page):
    caught_up()
    client.force_login(office.users[Role.LEADER])
    with (
        CaptureQueriesContext(connections[replica_reads.REPLICA]) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        response = client.get(reverse(page))
    assert response.status_code == 200
    assert _touching_orders(on_replica), "the page read no order from the replica"
    assert not _touching_orders(on_primary), "the page read orders from the primary"


def test_writes_and_the_work_pages_never_touch_the_replica(client, office):
    caught_up()
    operator = office.users[Role.OPERATOR]
    client.force_login(operator)
    number = Order.objects.order_by("id").first().number
    with CaptureQueriesContext(connections[replica_reads.REPLICA]) as on_replica:
        # A page that writes (the leader's instruction) and pages that show what was
        # just written (the order, the search) stay on the primary.
        client.force_login(office.users[Role.LEADER])
        posted = client.post(
            reverse("web:leader_dashboard"), {"number": number, "text": "请加快办理"}
        )
        detail = client.get(reverse("web:order_detail", args=[number]))
    assert posted.status_code in (200, 302) and detail.status_code == 200
    assert on_replica.captured_queries == []


def test_a_replica_that_is_down_leaves_the_pages_on_the_primary(
    client, office, caplog, replica_connection, monkeypatch
):
    monkeypatch.setitem(replica_connection, "PORT", 1)  # nothing listens there
    client.force_login(office.users[Role.LEADER])
    with (
        caplog.at_level(logging.WARNING, logger="hotline.operations.replica"),
        CaptureQueriesContext(connection) as on_primary,
    ):
        response = client.get(reverse("web:statistics_dashboard"))
    assert response.status_code == 200
    assert _touching_orders(on_primary)
    assert "只读副本不可用" in caplog.text


def test_a_lagging_replica_is_left_aside_until_it_catches_up(client, office, settings, caplog):
    settings.HOTLINE_REPLICA_MAX_LAG_SECONDS = 0.5
    caught_up()
    client.force_login(office.users[Role.LEADER])
    with psycopg.connect(REPLICA_URL + "/postgres", autocommit=True) as standby_admin:
        standby_admin.execute("select pg_wal_replay_pause()")
        try:
            factories.register(office, timezone.now())  # received, not replayed
            time.sleep(1)
            cache.clear()  # 本月统计 keeps its figures: make it count them
            with (
                caplog.at_level(logging.WARNING, logger="hotline.operations.replica"),
                CaptureQueriesContext(connection) as on_primary,
            ):
                response = client.get(reverse("web:statistics_dashboard"))
            assert response.status_code == 200
            assert _touching_orders(on_primary)
            assert "落后主库" in caplog.text
        finally:
            standby_admin.execute("select pg_wal_replay_resume()")
    caught_up()
    cache.clear()
    with CaptureQueriesContext(connections[replica_reads.REPLICA]) as on_replica:
        assert client.get(reverse("web:statistics_dashboard")).status_code == 200
    assert _touching_orders(on_replica)
    assert "只读副本已恢复" in caplog.text
