"""The directory's codes and the API's tokens are kept per process while the reference
generation stands; every write, from any process or plain SQL, is seen at the next
request, and a registration reads nothing back of what it wrote.

These tests run outside a test transaction (``transactional_db``): values are kept only
from reads outside a transaction, as a request's are."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from hotline.configuration.models import Holiday, Setting
from hotline.configuration.selectors import setting_values, working_calendar
from hotline.directory.models import Category
from hotline.domain.enums import Role
from hotline.reference import cache
from hotline.reference.cache import remembered
from hotline.reference.models import Generation
from tests import factories
from tests.api.conftest import error_of, token_client


@pytest.fixture
def city(transactional_db):
    return factories.small_city()


def _register(client, category="0501", region="430304001", phone="13800000001"):
    return client.post(
        "/api/orders/",
        {
            "channel": "phone",
            "appeal_type": "complaint",
            "content": "夜间施工噪音扰民",
            "category": category,
            "region": region,
            "citizen": {"name": "李先生", "phone": phone},
        },
        format="json",
    )


def _sql(statement: str, params=()) -> None:
    """A write as another process (or a person at psql) makes it: no Django signal."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _generation() -> int:
    return Generation.objects.get(pk=1).value


def test_a_registration_reads_no_token_code_or_what_it_wrote(city):
    client = token_client(city.users[Role.OPERATOR])
    assert _register(client).status_code == 201
    with CaptureQueriesContext(connection) as seen:
        response = _register(client)
    assert response.status_code == 201
    body = response.json()
    assert [e["type"] for e in body["events"]] == ["register"]
    assert (body["category"], body["region"], body["tags"]) == ("0501", "430304001", [])
    reads = [q["sql"] for q in seen.captured_queries if q["sql"].startswith("SELECT")]
    # The generation, and the citizen known by phone and name: nothing else.
    assert len(reads) == 2, reads
    assert "reference_generation" in reads[0] and "orders_citizen" in reads[1]
    assert not any("SAVEPOINT" in q["sql"] for q in seen.captured_queries)
    # A new caller's citizen is written by the statement that looks for it.
    with CaptureQueriesContext(connection) as seen:
        assert _register(client, phone="13800000002").status_code == 201
    reads = [q["sql"] for q in seen.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) == 1 and "reference_generation" in reads[0], reads
    writes = [q["sql"] for q in seen.captured_queries if "INSERT" in q["sql"]]
    tables = ("orders_citizen", "orders_order", "orders_event", "orders_ordertext")
    if connection.vendor == "postgresql":  # the four rows by one statement
        assert len(writes) == 1 and all(f'INSERT INTO "{t}"' in writes[0] for t in tables)
    else:
        assert [w.split(" (")[0].split()[-1].strip('"') for w in writes] == list(tables)


def test_a_token_deleted_elsewhere_fails_at_the_next_request(city):
    client = token_client(city.users[Role.OPERATOR])
    assert client.get("/api/regions/").status_code == 200
    _sql("DELETE FROM authtoken_token")
    response = client.get("/api/regions/")
    assert (response.status_code, error_of(response)["code"]) == (401, "authentication_failed")


def test_a_user_made_inactive_elsewhere_is_refused_at_the_next_request(city):
    operator = city.users[Role.OPERATOR]
    client = token_client(operator)
    assert client.get("/api/regions/").status_code == 200
    _sql("UPDATE accounts_user SET is_active = %s WHERE id = %s", [False, operator.pk])
    assert client.get("/api/regions/").status_code == 401


def test_a_role_changed_elsewhere_applies_at_the_next_request(city):
    operator = city.users[Role.OPERATOR]
    client = token_client(operator)
    assert _register(client).status_code == 201
    _sql("UPDATE accounts_user SET role = %s WHERE id = %s", [Role.LEADER.value, operator.pk])
    response = _register(client)
    assert (response.status_code, error_of(response)["code"]) == (403, "not_permitted")


def test_a_category_retired_elsewhere_is_refused_at_the_next_request(city):
    client = token_client(city.users[Role.OPERATOR])
    assert _register(client).status_code == 201
    _sql("UPDATE directory_category SET active = %s WHERE code = %s", [False, "0501"])
    response = _register(client)
    assert response.status_code == 400
    assert error_of(response)["field"] == "category"


def test_a_sign_in_does_not_move_the_generation_and_a_directory_write_does(city):
    before = _generation()
    _sql("UPDATE accounts_user SET last_login = CURRENT_TIMESTAMP")
    assert _generation() == before
    Category.objects.filter(code="0501").update(name="噪声扰民")
    assert _generation() > before


def test_nothing_read_inside_a_transaction_is_kept(city):
    def category(code):
        return remembered(("test-category", code), lambda: Category.objects.get(code=code).name)

    with pytest.raises(RuntimeError), transaction.atomic():
        Category.objects.create(code="0502", name="油烟", level=2, parent=city.noise.parent)
        assert category("0502") == "油烟"
        raise RuntimeError("rolled back")
    # Another write takes the generation the rolled-back one had taken.
    Category.objects.filter(code="0501").update(name="噪声扰民")
    with pytest.raises(Category.DoesNotExist):
        category("0502")


SATURDAY = date(2026, 3, 7)


def test_a_holiday_row_written_elsewhere_changes_the_calendar_at_once(transactional_db):
    assert not working_calendar().is_workday(SATURDAY)
    _sql(
        "INSERT INTO configuration_holiday (date, workday, name) VALUES (%s, %s, %s)",
        [SATURDAY, True, "调休上班"],
    )
    assert working_calendar().is_workday(SATURDAY)


def test_a_request_sees_its_own_bulk_write_of_the_calendar(transactional_db):
    # Inside a request the generation is read once; a write of this process, even one
    # that sends no signal, makes the next read look again.
    cache.request_began()
    try:
        assert not working_calendar().is_workday(SATURDAY)
        Holiday.objects.bulk_create([Holiday(date=SATURDAY, workday=True, name="调休上班")])
        assert working_calendar().is_workday(SATURDAY)
    finally:
        cache.request_ended()


def test_each_caller_gets_its_own_copy_of_the_settings(transactional_db):
    Setting.objects.create(key="assessment_classes", value={"U-YT": "A"})
    setting_values()["assessment_classes"]["U-YT"] = "B"
    assert setting_values()["assessment_classes"] == {"U-YT": "A"}


def test_a_units_family_is_walked_once_and_again_after_a_unit_is_added_below(city):
    from hotline.directory.models import Unit
    from hotline.directory.selectors import unit_family_ids

    district = Unit.objects.get(code="U-YT")
    family = unit_family_ids(district)
    assert district.pk in family and len(family) > 1  # the street office below it
    with CaptureQueriesContext(connection) as seen:
        assert unit_family_ids(district) == family
    # The generation only: a unit inbox draws a list and a count per tab over the family.
    assert [q["sql"] for q in seen.captured_queries if "directory_unit" in q["sql"]] == []
    street = Unit.objects.get(parent=district)
    _sql(
        "INSERT INTO directory_unit (code, name, kind, parent_id, active, notify_phone, "
        "notify_email, leader_phone, leader_email) VALUES ('U-YT-1-1', '社区居委会', "
        "'town_government', %s, true, '', '', '', '')",
        (street.pk,),
    )
    added = Unit.objects.get(code="U-YT-1-1")
    assert unit_family_ids(district) == [*family, added.pk]


def test_the_generation_read_is_the_kept_connections_health_check(city, monkeypatch):
    client = token_client(city.users[Role.OPERATOR])
    assert _register(client).status_code == 201
    checks = []
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or True)
    connection.health_check_done = False  # a new request on a kept connection
    with CaptureQueriesContext(connection) as seen:
        assert _register(client, phone="13800000002").status_code == 201
    assert connection.health_check_done and not checks  # no SELECT 1 of its own
    # Read on the driver's connection, as Django's check is: one read, not counted here.
    assert not any("reference_generation" in q["sql"] for q in seen.captured_queries)


def test_a_kept_connection_the_server_dropped_is_replaced_before_the_request_uses_it(
    city, on_postgres
):
    client = token_client(city.users[Role.OPERATOR])
    assert _register(client).status_code == 201
    dropped = connection.connection
    dropped.close()  # as a server restart leaves it
    connection.health_check_done = False
    assert _register(client, phone="13800000002").status_code == 201
    assert connection.connection is not dropped
