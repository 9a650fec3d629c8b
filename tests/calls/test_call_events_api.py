"""The call-event interface driven like a switch: token, events, repeats, disorder, refusals."""

import pytest
from rest_framework.test import APIClient

from hotline.calls.live import call_events_record, seat_sign_in, switch_create
from hotline.calls.models import Call, CallEvent
from hotline.domain.enums import Role
from hotline.domain.telephony import CallEvent as Event
from hotline.domain.telephony import CallEventKind
from tests.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def switch(db):
    return switch_create(name="Asterisk 主机")


@pytest.fixture
def pbx(switch):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {switch.token}")
    return client


def post(client, call_id, event, at, **extra):
    body = {"call_id": call_id, "event": event, "at": at, **extra}
    return client.post("/api/calls/events/", body, format="json")


def test_a_call_reported_event_by_event_becomes_one_record(pbx):
    assert (
        post(
            pbx, "c1", "ringing", "2026-12-07T09:00:00+08:00", caller="13800000001", queue="q"
        ).status_code
        == 201
    )
    answered = post(pbx, "c1", "answered", "2026-12-07T09:00:08+08:00", seat="8001")
    assert answered.status_code == 201
    assert answered.json() == {
        "call_id": "c1",
        "event": "answered",
        "duplicate": False,
        "status": "answered",
        "seat_signed_in": False,
    }
    post(pbx, "c1", "ended", "2026-12-07T09:03:08+08:00", recording="https://rec.example/c1.wav")
    call = Call.objects.get()
    assert (call.status, call.answered, call.agent) == ("ended", True, "8001")
    assert (call.wait_seconds, call.talk_seconds, call.caller) == (8, 180, "13800000001")
    assert call.started_at == local(2026, 12, 7, 9, 0)
    assert call.recording == "https://rec.example/c1.wav"


def test_a_repeated_event_is_absorbed_and_said_so(pbx):
    post(pbx, "c1", "ringing", "2026-12-07T09:00:00+08:00", caller="13800000001")
    again = post(pbx, "c1", "ringing", "2026-12-07T09:00:00+08:00", caller="13800000001")
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert Call.objects.count() == 1 and CallEvent.objects.count() == 1


def test_an_end_arriving_before_the_answer_still_gives_the_answered_call(pbx):
    post(pbx, "c1", "ended", "2026-12-07T09:03:00+08:00")
    post(pbx, "c1", "answered", "2026-12-07T09:00:10+08:00", seat="8001")
    post(pbx, "c1", "ringing", "2026-12-07T09:00:00+08:00", caller="13800000001")
    call = Call.objects.get()
    assert (call.status, call.wait_seconds, call.talk_seconds) == ("ended", 10, 170)


def test_the_answer_says_whether_an_operator_is_signed_in_at_the_seat(pbx, city):
    seat_sign_in(actor=city.users[Role.OPERATOR], extension="8001", at=local(2026, 12, 7, 8))
    answered = post(pbx, "c1", "answered", "2026-12-07T09:00:08+08:00", seat="8001")
    assert answered.json()["seat_signed_in"] is True


@pytest.mark.parametrize(
    ("auth", "code"),
    [
        (None, "not_authenticated"),
        ("Bearer nope", "authentication_failed"),
        ("Bearer", "authentication_failed"),
    ],
)
def test_an_unknown_token_is_refused(switch, auth, code):
    client = APIClient()
    if auth:
        client.credentials(HTTP_AUTHORIZATION=auth)
    response = post(client, "c1", "ringing", "2026-12-07T09:00:00+08:00")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code
    assert not Call.objects.exists()


def test_a_deactivated_switch_is_refused(pbx, switch):
    switch.switch.active = False
    switch.switch.save()
    assert post(pbx, "c1", "ringing", "2026-12-07T09:00:00+08:00").status_code == 401


def test_only_the_tokens_digest_is_stored(switch):
    assert switch.token not in (switch.switch.token_hash, switch.switch.token_hint)
    assert len(switch.switch.token_hash) == 64


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"call_id": "c1", "event": "ringing", "at": "2026-12-07T09:00:00"}, "at"),
        ({"call_id": "c1", "event": "ringing", "at": "yesterday"}, "at"),
        ({"call_id": "c1", "event": "hold", "at": "2026-12-07T09:00:00+08:00"}, "event"),
        ({"call_id": "c1", "event": "answered", "at": "2026-12-07T09:00:00+08:00"}, "seat"),
        ({"call_id": "", "event": "ringing", "at": "2026-12-07T09:00:00+08:00"}, "call_id"),
        ({"call_id": "c" * 41, "event": "ringing", "at": "2026-12-07T09:00:00+08:00"}, "call_id"),
        (
            {
                "call_id": "c1",
                "event": "ended",
                "at": "2026-12-07T09:00:00+08:00",
                "recording": "ftp:x",
            },
            "recording",
        ),
    ],
)
def test_malformed_events_are_refused_naming_the_field(pbx, body, field):
    response = pbx.post("/api/calls/events/", body, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["field"] == field and error["message"]
    assert not Call.objects.exists()


def test_a_body_that_is_not_json_is_refused(pbx):
    response = pbx.post("/api/calls/events/", "{", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_imported_records_and_live_calls_live_side_by_side(pbx, tmp_path):
    from hotline.calls.services import calls_import

    path = tmp_path / "calls.csv"
    path.write_text(
        "id,started_at,caller,answered,agent,wait_seconds,talk_seconds\n"
        "old1,2026-12-01T09:00:00+08:00,13800000009,0,,20,\n",
        encoding="utf-8",
    )
    assert calls_import(path=path) == 1
    post(pbx, "c1", "missed", "2026-12-07T09:00:30+08:00", caller="13800000009")
    assert dict(Call.objects.values_list("external_id", "status")) == {
        "old1": "missed",
        "c1": "missed",
    }


def test_a_batch_with_repeats_keeps_one_event_of_each_kind(switch):
    at = local(2026, 12, 7, 9)
    events = [Event(call_id="b1", kind=CallEventKind.RINGING, at=at, caller="1")] * 3
    outcomes = call_events_record(switch=switch.switch, events=events)
    assert [o.duplicate for o in outcomes] == [False, True, True]
    assert CallEvent.objects.count() == 1
