"""Every list page runs about as many queries for 30 rows as for 3 (SPEC 13, 2026-12: a
bounded number of queries per page whatever its rows), on a generated history with
orders in every stage, as the role that uses each page."""

from datetime import date, datetime, time, timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hotline.accounts.models import User
from hotline.demo import DIRECTORY, setup
from hotline.demo.history.generator import generate
from hotline.directory.services import directory_import
from hotline.domain.deadlines import LOCAL_TZ
from hotline.orders.selectors.callbacks import callback_orders
from hotline.orders.services.callback_assignment import order_callback_assign
from hotline.orders.services.history_import import orders_import
from hotline.statistics.day_facts import report_facts
from hotline.web import paging

pytestmark = pytest.mark.django_db

HISTORY_END = date(2026, 3, 18)
NOW = datetime.combine(HISTORY_END, time(16, 0), tzinfo=LOCAL_TZ)

# (path, the demo account of the role that uses it)
LISTS = [
    ("/dispatch/", "dispatcher"),
    ("/dispatch/?tab=returned", "dispatcher"),
    ("/dispatch/?tab=difficult", "dispatcher"),
    ("/dispatch/?tab=redispatch", "dispatcher"),
    ("/unit/", "yuetang"),
    ("/unit/?tab=in_progress", "yuetang"),
    ("/unit/?tab=overdue", "yuetang"),
    ("/unit/progress/", "yuetang"),
    ("/callback/", "callback"),
    ("/callback/?tab=mine", "callback"),
    ("/callback/?tab=unassigned", "callback"),
    ("/callback/?tab=all", "supervisor"),
    ("/callback/?tab=done", "supervisor"),
    ("/supervision/", "supervisor"),
    ("/supervision/?tab=extensions", "supervisor"),
    ("/supervision/?tab=supervision", "supervisor"),
    ("/supervision/?tab=spot_checks", "supervisor"),
    ("/supervision/?tab=appeals", "supervisor"),
    ("/office/violations/", "supervisor"),
    ("/office/audit/", "supervisor"),
    ("/office/users/", "admin"),
    ("/orders/", "supervisor"),
    ("/orders/?status=closed", "supervisor"),
    ("/orders/", "yuetang"),
    ("/reports/", "supervisor"),
    ("/leader/", "leader"),
    ("/surges/", "leader"),
    ("/topics/", "supervisor"),
    ("/topics/proposals/?month=2026-03", "supervisor"),
]


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("query-bounds")
    generate(
        directory=DIRECTORY,
        start=date(2026, 1, 1),
        months=3,
        seed=21,
        out=folder,
        orders_per_month=900,
        until=HISTORY_END,
    )
    with django_db_blocker.unblock(), transaction.atomic():
        directory_import(folder=DIRECTORY)
        setup.ensure_accounts(folder / "password")
        orders_import(path=folder / "orders.jsonl")
        _assign_callbacks()
        yield
        transaction.set_rollback(True)


def _assign_callbacks() -> None:
    """Half the awaited callbacks to the demo's callback agent (their 我的回访), the
    rest left unassigned, so that every tab of the queue has rows."""
    agent = User.objects.get(username="callback")
    awaited = callback_orders(viewer=agent, tab="unassigned", now=NOW).order_by("received_at")
    listed = list(awaited)
    chosen = listed[::2]
    # Each tab longer than the page of three, so that a look-up per row would show.
    assert len(listed) - len(chosen) > 3 and len(chosen) > 3, len(listed)
    for order in chosen:
        order_callback_assign(order=order, agent=agent, actor=agent, at=NOW)


def _queries(client: Client, path: str, size: int, cold: bool = True) -> tuple[int, int]:
    """The queries of one request with pages of ``size`` rows, and the body's length;
    ``cold``: with the cache emptied first."""
    if cold:
        cache.clear()
    defaults = {**paging.keyset_page.__kwdefaults__, "size": size}
    with (
        mock.patch.object(paging.keyset_page, "__kwdefaults__", defaults),
        mock.patch("django.utils.timezone.now", return_value=NOW),
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries), len(response.content)


@pytest.mark.parametrize(("path", "username"), LISTS)
def test_a_page_of_thirty_rows_costs_the_queries_of_a_page_of_three(history, path, username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    _queries(client, path, 30)  # the session and anything read once per process
    few, few_bytes = _queries(client, path, 3)
    many, many_bytes = _queries(client, path, 30)
    # A look-up per row would cost 27 more; the calendar may be read once more when the
    # longer page reaches deadlines in another year.
    assert many - few <= 2, f"{path}: {few} queries for 3 rows, {many} for 30"
    assert many <= 40, f"{path}: {many} queries"  # the inbox: a count per tab


# The pages that keep figures in the cache: the most statements each may send on the first
# load after the cache expired, and when it holds the figures (whatever the history); first
# with no per-day counts stored, then with them as the hourly job leaves them (their state
# and the events since read once, then a statement over the stored days beside each
# statement over the days counted from the orders, here today).
CACHED = [
    # Warm: the session, the user and the data version (the latest order event, call
    # record and switch event). PostgreSQL sends two statements more than SQLite on the
    # cold load (26 there: the stored per-day counts' state, the categories and the units
    # are read apart). With the counts stored, the call records written since are read
    # once (two statements) and each month's calls read from the stored days too.
    ("/statistics/", "leader", (28, 5), (43, 5)),
    # The dashboard's 每月一题 panel reads its topics in one statement, whatever their number.
    # Its figures are the report's four statements over today and over the month's days
    # before it (stored per-day counts where kept), in one reading of the counts' state;
    # on PostgreSQL the reading's transaction sets its isolation and settings (two more);
    # the units' names in one more, cold or warm, when some unit has orders overdue.
    # First-dispatch accuracy's month is counted on every load (stored days and today).
    ("/leader/", "leader", (35, 30), (41, 35)),
    # Nothing cached: the session, the user, the holiday table, the first order's day,
    # the days' counts (stored or not), the topics and districts of the surges found.
    ("/surges/", "leader", (6, 6), (10, 10)),
]


@pytest.mark.parametrize("stored", [False, True], ids=["counted", "stored"])
@pytest.mark.parametrize(("path", "username", "counted", "from_stored"), CACHED)
def test_the_pages_that_cache_send_a_bounded_number_of_statements(
    history, path, username, counted, from_stored, stored
):
    if stored:
        with mock.patch("django.utils.timezone.now", return_value=NOW - timedelta(hours=2)):
            report_facts(now=NOW - timedelta(hours=2))
    cold_most, warm_most = from_stored if stored else counted
    client = Client()
    client.force_login(User.objects.get(username=username))
    _queries(client, path, 30)  # the session and anything read once per process
    cold, _ = _queries(client, path, 30)
    warm, _ = _queries(client, path, 30, cold=False)
    assert cold <= cold_most and warm <= warm_most, f"{path}: {cold} cold, {warm} warm"


def test_a_page_chosen_by_its_ids_first_is_the_same_page_without_joining_the_others(history):
    agent = User.objects.get(username="callback")
    rows = callback_orders(viewer=agent, tab="unassigned", now=NOW)
    plain = paging.keyset_page(rows, cursor=None, size=3)
    first = paging.keyset_page(rows, cursor=None, size=3, ids_first=True)
    assert [o.pk for o in first.rows] == [o.pk for o in plain.rows]
    assert first.cursor == plain.cursor is not None
    later = paging.keyset_page(rows, cursor=first.cursor, size=3, ids_first=True)
    expected = paging.keyset_page(rows, cursor=plain.cursor, size=3)
    assert [o.pk for o in later.rows] == [o.pk for o in expected.rows]
    with CaptureQueriesContext(connection) as seen:
        paging.keyset_page(rows, cursor=None, size=3, ids_first=True)
    (statement,) = seen.captured_queries
    # The page's ids in a subquery of their own, with its LIMIT and none of the joins the
    # rows carry (the directory's category, region and unit, the citizen).
    chosen = statement["sql"].split(" IN (SELECT ", 1)[1]
    assert "LIMIT 4" in chosen
    assert "directory_category" not in chosen and "orders_citizen" not in chosen
