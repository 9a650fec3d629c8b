"""Live telephony pages (SPEC 8): seats and the screen pop, the missed-call callback
list (漏接回拨), the recording, the wallboard."""

from datetime import timedelta

import pytest

from hotline.audit.models import AuditRecord
from hotline.calls.live import call_event_record, seat_sign_in
from hotline.calls.models import MissedCallCallback
from hotline.configuration.models import Setting
from hotline.domain.enums import Role
from hotline.domain.telephony import CallEvent, CallEventKind
from hotline.orders.models import Order
from tests.conftest import local
from tests.factories import register
from tests.web.test_intake import call as intake_call

pytestmark = pytest.mark.django_db

R, A, E, M = (
    CallEventKind.RINGING,
    CallEventKind.ANSWERED,
    CallEventKind.ENDED,
    CallEventKind.MISSED,
)
T0 = local(2026, 12, 7, 9, 0)


class Clock:
    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at


@pytest.fixture
def clock(monkeypatch):
    fixed = Clock(T0)
    monkeypatch.setattr("django.utils.timezone.now", fixed)
    return fixed


def report(call_id, kind, seconds, **fields):
    event = CallEvent(call_id=call_id, kind=kind, at=T0 + timedelta(seconds=seconds), **fields)
    return call_event_record(switch=None, event=event).call


def missed(call_id, caller, seconds=0, wait=30):
    report(call_id, R, seconds, caller=caller, queue="hotline")
    return report(call_id, M, seconds + wait)


def answered(call_id, caller, seat, seconds=0, wait=5, talk=None):
    report(call_id, R, seconds, caller=caller)
    call = report(call_id, A, seconds + wait, seat=seat)
    if talk is not None:
        call = report(
            call_id, E, seconds + wait + talk, recording=f"https://rec.example/{call_id}.wav"
        )
    return call


# --- seats and the screen pop ------------------------------------------------------------


def test_an_operator_signs_in_to_a_seat_from_the_intake_page(signed_in, city, clock):
    client = signed_in(Role.OPERATOR)
    assert "签入坐席" in client.get("/intake/").content.decode()
    response = client.post("/seat/", {"extension": "8001", "seat_action": "sign_in"})
    assert response.status_code == 302
    page = client.get("/intake/").content.decode()
    assert 'id="seat-extension">8001<' in page and 'hx-get="/intake/pop/?after=0"' in page


def test_a_seat_held_by_another_operator_is_refused_in_chinese(signed_in, city, clock):
    from tests.factories import user

    other = user(Role.OPERATOR, username="op2")
    seat_sign_in(actor=other, extension="8001")
    response = signed_in(Role.OPERATOR).post(
        "/seat/", {"extension": "8001", "seat_action": "sign_in"}
    )
    assert response.status_code == 400
    assert "坐席 8001 已由" in response.content.decode()


def test_the_pop_answers_nothing_until_a_call_is_answered_at_the_seat(signed_in, city, clock):
    client = signed_in(Role.OPERATOR)
    seat_sign_in(actor=city.users[Role.OPERATOR], extension="8001", at=T0 - timedelta(minutes=1))
    assert client.get("/intake/pop/?after=0").status_code == 204
    answered("c-other", "13900000009", seat="8002")
    assert client.get("/intake/pop/?after=0").status_code == 204
    call = answered("c1", "13800000001", seat="8001")
    pop = client.get("/intake/pop/?after=0")
    assert pop.status_code == 200
    page = pop.content.decode()
    assert 'data-pop-phone="13800000001"' in page and 'data-pop-call="c1"' in page
    assert f"/intake/pop/?after={call.pk}" in page  # polls on from this call
    assert client.get(f"/intake/pop/?after={call.pk}").status_code == 204
    assert client.get("/intake/pop/?after=nonsense").status_code == 200


def test_the_order_registered_from_a_popped_call_keeps_the_call_id(signed_in, city, clock):
    client = signed_in(Role.OPERATOR)
    answered("c1", "13800000001", seat="8001", talk=60)
    response = client.post("/intake/", intake_call(city, "queue", call_id="c1"))
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.call_id == "c1"
    detail = client.get(f"/orders/{order.number}/").content.decode()
    assert 'id="order-call-id">c1<' in detail and "收听录音" in detail


def test_an_unknown_call_id_is_refused_and_nothing_is_registered(signed_in, city, clock):
    response = signed_in(Role.OPERATOR).post("/intake/", intake_call(city, "queue", call_id="nope"))
    assert response.status_code == 400
    assert "来电编号 nope 不存在" in response.content.decode()
    assert not Order.objects.exists()


def test_listening_to_the_recording_is_logged(signed_in, city, clock):
    answered("c1", "13800000001", seat="8001", talk=60)
    order = register(city, T0, call_id="c1")
    response = signed_in(Role.SUPERVISOR).post(f"/orders/{order.number}/recording/")
    assert response.status_code == 302 and response.url == "https://rec.example/c1.wav"
    record = AuditRecord.objects.get(action="recording")
    assert record.order == order and "c1" in record.detail


def test_an_order_without_a_recording_says_so(signed_in, city, clock):
    order = register(city, T0)
    client = signed_in(Role.OPERATOR)
    response = client.post(f"/orders/{order.number}/recording/")
    assert response.status_code == 302 and response.url == f"/orders/{order.number}/"
    assert not AuditRecord.objects.filter(action="recording").exists()


# --- the missed-call list ------------------------------------------------------------------


def listed(client) -> list[str]:
    return [entry.call.caller for entry in client.get("/calls/missed/").context["entries"]]


def test_a_missed_call_appears_after_the_settings_minutes_and_leaves_when_called_back(
    signed_in, city, clock
):
    client = signed_in(Role.OPERATOR)
    call = missed("m1", "13800000002")
    clock.at = T0 + timedelta(minutes=29)
    assert listed(client) == []
    clock.at = T0 + timedelta(minutes=31)
    assert listed(client) == ["13800000002"]
    response = client.post(
        f"/calls/missed/{call.pk}/", {"result": "unreachable", "note": "无人接听"}
    )
    assert response.status_code == 302
    assert listed(client) == []
    assert MissedCallCallback.objects.get().agent == city.users[Role.OPERATOR]
    # A new missed call from the number puts it back.
    missed("m2", "13800000002", seconds=3600)
    clock.at = T0 + timedelta(hours=2)
    assert listed(client) == ["13800000002"]


def test_the_minutes_are_the_offices_setting(signed_in, city, clock):
    Setting.objects.create(key="missed_call_minutes", value=5)
    missed("m1", "13800000002")
    clock.at = T0 + timedelta(minutes=6)
    assert listed(signed_in(Role.OPERATOR)) == ["13800000002"]


def test_a_number_that_got_through_or_produced_an_order_is_not_listed(signed_in, city, clock):
    missed("m1", "13800000003")
    answered("a1", "13800000003", seat="8001", seconds=120)
    missed("m2", "13800000001")
    register(city, T0 + timedelta(minutes=3))  # the factory's citizen calls 13800000001
    missed("m3", "13800000004")
    clock.at = T0 + timedelta(hours=1)
    assert listed(signed_in(Role.OPERATOR)) == ["13800000004"]


def test_a_number_missed_three_times_is_one_line(signed_in, city, clock):
    for n in range(3):
        missed(f"m{n}", "13800000005", seconds=n * 60)
    clock.at = T0 + timedelta(hours=1)
    [entry] = signed_in(Role.OPERATOR).get("/calls/missed/").context["entries"]
    assert (entry.call.external_id, entry.attempts) == ("m2", 3)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"result": ""}, "请选择回拨结果"),
        ({"result": "maybe"}, "没有这种回拨结果"),
        ({"result": "order_created"}, "请填写工单编号"),
        (
            {"result": "order_created", "order_number": "20269999999"},
            "没有编号为 20269999999 的工单",
        ),
    ],
)
def test_a_callback_that_cannot_be_recorded_is_refused_in_chinese(
    signed_in, city, clock, data, message
):
    call = missed("m1", "13800000002")
    clock.at = T0 + timedelta(hours=1)
    response = signed_in(Role.OPERATOR).post(f"/calls/missed/{call.pk}/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MissedCallCallback.objects.exists()


def test_a_callback_that_created_an_order_names_it_and_the_day_is_counted(signed_in, city, clock):
    call = missed("m1", "13800000002")
    clock.at = T0 + timedelta(hours=1)
    order = register(city, T0 + timedelta(hours=1), citizen=None)
    client = signed_in(Role.OPERATOR)
    response = client.post(
        f"/calls/missed/{call.pk}/", {"result": "order_created", "order_number": order.number}
    )
    assert response.status_code == 302
    [day] = client.get("/calls/missed/").context["figures"]
    assert (day["total"], day["order_created"], day["reached"]) == (1, 1, 0)


def test_a_unit_handler_cannot_record_a_callback(signed_in, city, clock):
    call = missed("m1", "13800000002")
    assert (
        signed_in(Role.UNIT_HANDLER)
        .post(f"/calls/missed/{call.pk}/", {"result": "reached"})
        .status_code
        == 403
    )


# --- the wallboard -------------------------------------------------------------------------


def test_the_wallboard_against_a_hand_computed_call_log(signed_in, city, clock):
    """09:00–10:00, computed by hand:

    call  wait  answered
    w1      4   yes (within 15 s)
    w2     15   yes (within 15 s)
    w3     20   yes
    w4     41   yes
    w5     30   no: abandoned in the queue
    w6     10   no: ended before an answer
    t1      8   yes (within 15 s), still talking at 8001
    q1      -   still waiting (5 s so far): not offered yet
    yesterday's call: not today's

    offered 7, answered 5 (71.4 %), within 15 s 3 (42.9 %), abandoned 2,
    average wait (4 + 15 + 20 + 41 + 8) / 5 = 17.6 s; seats: 8001 talking, 8002 idle.
    """
    seat_sign_in(actor=city.users[Role.OPERATOR], extension="8001", at=T0)
    seat_sign_in(actor=city.users[Role.SUPERVISOR], extension="8002", at=T0)
    for n, wait in enumerate([4, 15, 20, 41], start=1):
        answered(f"w{n}", f"1380000001{n}", seat="8002", seconds=n * 60, wait=wait, talk=30)
    missed("w5", "13800000025", seconds=300, wait=30)
    report("w6", R, 360, caller="13800000026")
    report("w6", E, 370)
    report("yesterday", R, -86400, caller="13800000027")
    report("yesterday", M, -86390)
    clock.at = T0 + timedelta(hours=1)
    answered("t1", "13800000031", seat="8001", seconds=3590, wait=8)
    report("q1", R, 3595, caller="13800000032")
    board = signed_in(Role.SUPERVISOR).get("/wallboard/").context["board"]
    # t1 is answered and still talking: offered and answered, waited 8 s
    figures = board.figures
    assert (figures.offered, figures.answered, figures.abandoned) == (7, 5, 2)
    assert figures.answer_rate == round(5 / 7, 4)
    assert figures.answered_within_15s_rate == round(3 / 7, 4)
    assert figures.average_wait_seconds == round((4 + 15 + 20 + 41 + 8) / 5, 1)
    assert (board.waiting, board.longest_wait_seconds) == (1, 5)
    assert board.seats_by_state == {"idle": 1, "talking": 1}
    live = signed_in(Role.LEADER).get("/wallboard/live/").content.decode()
    assert 'id="wb-offered">7<' in live and 'id="wb-15s">42.9%<' in live
    assert 'id="wb-wait">17.6<' in live and 'id="wb-abandoned">2<' in live


def test_registering_an_order_from_the_list_starts_with_the_number(signed_in, city, clock):
    missed("m1", "13800000002")
    clock.at = T0 + timedelta(hours=1)
    client = signed_in(Role.OPERATOR)
    assert "/intake/?phone=13800000002" in client.get("/calls/missed/").content.decode()
    page = client.get("/intake/?phone=13800000002").content.decode()
    assert 'id="id_phone" value="13800000002"' in page
