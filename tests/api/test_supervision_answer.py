"""The supervision answer through the API (SPEC 4, 2026-12): the supervised unit
answers; anyone else, or an empty answer, gets a structured refusal, nothing written."""

from hotline.domain.enums import Role
from hotline.orders.models import Event, Supervision
from tests import factories
from tests.api.test_order_journey import NEW_ORDER


def _supervised(client_for, clock):
    operator = client_for(Role.OPERATOR)
    number = operator.post("/api/orders/", NEW_ORDER, format="json").json()["number"]
    for client, action, body in (
        (operator, "dispatch", {"lead": "U-YT", "co_units": ["U-ZHSW"]}),
        (client_for(Role.UNIT_HANDLER), "sign", {}),
        (client_for(Role.SUPERVISOR), "supervise", {"level": "normal", "note": "请加快办理"}),
    ):
        clock.tick()
        response = client.post(f"/api/orders/{number}/{action}/", body, format="json")
        assert response.status_code == 200, response.json()
    return number, response.json()


def test_the_supervised_unit_answers(city, client_for, clock):
    number, order = _supervised(client_for, clock)
    # Mon 2026-03-02 + 5 working days (the default for a normal supervision).
    assert order["supervision_answer"] == {
        "unit": "U-YT",
        "due": "2026-03-09T23:59:59+08:00",
        "leader_told": False,
    }
    clock.tick()
    response = client_for(Role.UNIT_HANDLER).post(
        f"/api/orders/{number}/supervision-reply/", {"text": "已责令停工"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["supervision_answer"] is None
    assert Supervision.objects.get().answer == "已责令停工"


def test_an_answer_to_someone_elses_supervision_is_refused_structured(city, client_for, clock):
    number, _ = _supervised(client_for, clock)
    # 雨湖区 cannot see the order at all: 404, as for any order of another unit.
    yuhu = client_for(factories.user(Role.UNIT_HANDLER, unit=city.other_district))
    hidden = yuhu.post(f"/api/orders/{number}/supervision-reply/", {"text": "x"}, format="json")
    assert hidden.status_code == 404
    # The co-unit 中环水务 sees it but was not supervised.
    water = client_for(factories.user(Role.UNIT_HANDLER, unit=city.water))
    seen = Event.objects.count()
    clock.tick()
    response = water.post(
        f"/api/orders/{number}/supervision-reply/", {"text": "已整改"}, format="json"
    )
    assert response.status_code in (400, 409, 422)
    error = response.json()["error"]
    assert error["code"] == "not_supervised_unit"
    assert "不是被督办单位" in error["message"]
    empty = client_for(Role.UNIT_HANDLER).post(
        f"/api/orders/{number}/supervision-reply/", {"text": "  "}, format="json"
    )
    assert empty.status_code == 400 and empty.json()["error"]["field"] == "text"
    assert Event.objects.count() == seen
