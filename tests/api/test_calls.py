"""Call records posted by the telephony system: one or many, all or nothing."""

import pytest
from django.contrib.auth.models import Group

from hotline.api.permissions import SYSTEM_GROUP
from hotline.calls.models import Call
from hotline.domain.enums import Role
from tests import factories
from tests.api.conftest import error_of


def _record(id_, **extra):
    return {
        "id": id_,
        "started_at": "2026-03-02T09:00:00+08:00",
        "caller": "13800000001",
        "answered": True,
        **extra,
    }


@pytest.fixture
def telephony(city, client_for):
    system = factories.user(Role.OPERATOR, username="telephony")
    system.groups.add(Group.objects.create(name=SYSTEM_GROUP))
    return client_for(system)


def test_a_system_token_posts_a_list_of_records(telephony):
    records = [
        _record("C1", agent="1001", wait_seconds=3, talk_seconds=95),
        _record("C2", answered="0", caller="07315555"),
        _record("C3", answered=1),
    ]
    response = telephony.post("/api/calls/", records, format="json")
    assert response.status_code == 201, response.json()
    assert response.json() == {"count": 3}
    stored = {c.external_id: c for c in Call.objects.all()}
    assert stored["C1"].talk_seconds == 95 and stored["C1"].agent == "1001"
    assert stored["C2"].answered is False and stored["C2"].wait_seconds is None
    assert stored["C3"].answered is True


def test_one_record_may_be_posted_alone(telephony):
    response = telephony.post("/api/calls/", _record("C1"), format="json")
    assert (response.status_code, response.json()) == (201, {"count": 1})


def test_a_bad_record_stores_none_of_the_batch(telephony):
    bad = telephony.post(
        "/api/calls/",
        [_record("C1"), _record("C2", started_at="2026-03-02T09:00:00")],
        format="json",
    )
    assert bad.status_code == 400
    assert error_of(bad)["field"] == "[1].started_at"
    repeated = telephony.post("/api/calls/", [_record("C1"), _record("C1")], format="json")
    assert (repeated.status_code, error_of(repeated)["code"]) == (400, "invalid_call_line")
    assert not Call.objects.exists()

    telephony.post("/api/calls/", [_record("C1")], format="json")
    again = telephony.post("/api/calls/", [_record("C9"), _record("C1")], format="json")
    assert (again.status_code, error_of(again)["code"]) == (400, "invalid_call_line")
    assert "C1" in error_of(again)["message"]
    assert list(Call.objects.values_list("external_id", flat=True)) == ["C1"]


def test_an_empty_list_or_a_bare_value_is_refused(telephony):
    assert telephony.post("/api/calls/", [], format="json").status_code == 400
    assert telephony.post("/api/calls/", "C1", format="json").status_code == 400


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMINISTRATOR])
def test_the_office_may_post_records(client_for, role):
    response = client_for(role).post("/api/calls/", _record(f"C-{role}"), format="json")
    assert response.status_code == 201


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.DISPATCHER, Role.UNIT_HANDLER])
def test_other_users_may_not(client_for, role):
    response = client_for(role).post("/api/calls/", _record("C1"), format="json")
    assert (response.status_code, error_of(response)["code"]) == (403, "not_permitted")
    assert not Call.objects.exists()


def test_a_system_user_must_use_its_token_not_a_session(city):
    from rest_framework.test import APIClient

    system = factories.user(Role.OPERATOR, username="telephony")
    system.groups.add(Group.objects.create(name=SYSTEM_GROUP))
    client = APIClient()
    client.force_login(system)
    assert client.post("/api/calls/", _record("C1"), format="json").status_code == 403
