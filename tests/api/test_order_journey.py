"""One order's whole life through HTTP, and the structured refusals on the way."""

from hotline.domain.enums import Role
from hotline.orders.models import Order
from tests.api.conftest import error_of

NEW_ORDER = {
    "channel": "phone",
    "appeal_type": "complaint",
    "content": "小区楼下夜间施工噪音扰民，影响休息",
    "category": "0501",
    "region": "430304001",
    "address": "岳塘区书院路12号",
    "citizen": {"name": "李先生", "phone": "13800000001", "kind": "urban"},
}


def _act(client, number, action, **body):
    return client.post(f"/api/orders/{number}/{action}/", body, format="json")


def test_register_dispatch_sign_reply_review_callback_close(city, client_for, clock):
    operator = client_for(Role.OPERATOR)
    dispatcher = client_for(Role.DISPATCHER)
    unit = client_for(Role.UNIT_HANDLER)
    supervisor = client_for(Role.SUPERVISOR)
    agent = client_for(Role.CALLBACK_AGENT)

    created = operator.post("/api/orders/", NEW_ORDER, format="json")
    assert created.status_code == 201, created.json()
    order = created.json()
    number = order["number"]
    assert number == "20260000001"
    assert (order["status"], order["version"], order["received_at"]) == (
        "registered",
        1,
        "2026-03-02T09:00:00+08:00",
    )
    assert order["category"] == "0501" and order["region"] == "430304001"
    assert order["citizen"] == {
        "name": "李**",
        "phone": "138****0001",
        "kind": "urban",
        "identity": "masked",
    }
    assert [e["type"] for e in order["events"]] == ["register"]

    clock.tick()
    suggestion = dispatcher.get("/api/catalogue/suggestion/?category=0501&region=430304001")
    assert suggestion.json()["lead"] == {"code": "U-YT", "name": "岳塘区"}
    response = _act(dispatcher, number, "dispatch", lead="U-YT", version=1)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "dispatched"
    assert response.json()["lead_unit"] == "U-YT"
    assert response.json()["sign_by"] is not None

    clock.tick()
    early = _act(unit, number, "reply", text="已处理")
    assert early.status_code == 400
    assert error_of(early)["code"] == "invalid_transition"
    stale = _act(unit, number, "sign", version=1)
    assert stale.status_code == 409
    assert error_of(stale)["code"] == "stale_order"
    signed = _act(unit, number, "sign", version=2)
    assert signed.status_code == 200, signed.json()
    # A complaint gets 10 working days: signed Mon 03-02 → end of Mon 03-16.
    assert signed.json()["deadline"] == "2026-03-16T23:59:59+08:00"
    assert signed.json()["status"] == "in_progress"

    clock.tick(days=2)
    replied = _act(unit, number, "reply", text="已责令施工单位22时后停止作业，并已电话告知市民。")
    assert replied.json()["status"] == "replied"
    clock.tick()
    reviewed = _act(supervisor, number, "review", decision="accept", version=4)
    assert reviewed.json()["status"] == "concluded" and reviewed.json()["on_time"] is True
    clock.tick(days=1)
    called = _act(agent, number, "callback", result="satisfied")
    assert called.status_code == 200
    clock.tick()
    closed = _act(agent, number, "close")
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"

    detail = supervisor.get(f"/api/orders/{number}/").json()
    assert detail["version"] == 7
    assert detail["closed_at"] == "2026-03-05T09:20:00+08:00"
    timeline = [(e["seq"], e["type"], e["from_status"], e["to_status"]) for e in detail["events"]]
    assert timeline == [
        (1, "register", "", "registered"),
        (2, "dispatch", "registered", "dispatched"),
        (3, "sign", "dispatched", "in_progress"),
        (4, "reply", "in_progress", "replied"),
        (5, "review", "replied", "concluded"),
        (6, "callback", "concluded", "concluded"),
        (7, "close", "concluded", "closed"),
    ]
    assert detail["events"][1]["actor"] == "dispatcher"
    assert detail["events"][1]["label"] == "转办"
    assert detail["events"][3]["data"]["unit"] == "U-YT"


def test_refusals_come_back_in_the_one_error_shape(city, client_for, clock):
    operator = client_for(Role.OPERATOR)
    number = operator.post("/api/orders/", NEW_ORDER, format="json").json()["number"]

    not_allowed = _act(operator, number, "review", decision="accept")
    assert not_allowed.status_code == 403
    assert error_of(not_allowed)["code"] == "not_permitted"

    unknown_unit = _act(operator, number, "dispatch", lead="NO-SUCH-UNIT")
    assert unknown_unit.status_code == 400
    assert error_of(unknown_unit)["code"] == "invalid"
    assert error_of(unknown_unit)["field"] == "lead"
    assert "NO-SUCH-UNIT" in error_of(unknown_unit)["message"]

    bad_choice = _act(operator, number, "reject", reason="because")
    assert (bad_choice.status_code, error_of(bad_choice)["field"]) == (400, "reason")

    bad_version = _act(operator, number, "answer", version="x")
    assert (bad_version.status_code, error_of(bad_version)["field"]) == (400, "version")

    nested = operator.post(
        "/api/orders/", {**NEW_ORDER, "citizen": {"kind": "alien"}}, format="json"
    )
    assert (nested.status_code, error_of(nested)["field"]) == (400, "citizen.kind")

    not_json = operator.post("/api/orders/", "{oops", content_type="application/json")
    assert (not_json.status_code, error_of(not_json)["code"]) == (400, "parse_error")

    missing = operator.get("/api/orders/20269999999/")
    assert (missing.status_code, error_of(missing)["code"]) == (404, "not_found")
    nonsense = _act(operator, "not-a-number", "answer")
    assert (nonsense.status_code, error_of(nonsense)["code"]) == (404, "not_found")
    no_route = operator.get("/api/no-such-endpoint/")
    assert (no_route.status_code, error_of(no_route)["code"]) == (404, "not_found")

    # Nothing above changed the order.
    assert Order.objects.get(number=number).version == 1


def test_intake_outcomes_split_and_merge(city, client_for, clock):
    operator = client_for(Role.OPERATOR)
    first = operator.post("/api/orders/", NEW_ORDER, format="json").json()["number"]
    _act(operator, first, "dispatch", lead="U-YT")

    second = operator.post("/api/orders/", NEW_ORDER, format="json").json()["number"]
    merged = _act(operator, second, "merge", into=first)
    assert merged.status_code == 200, merged.json()
    assert (merged.json()["status"], merged.json()["merged_into"]) == ("merged", first)

    third = operator.post("/api/orders/", NEW_ORDER, format="json").json()["number"]
    part = {**NEW_ORDER, "content": "另反映小区供水压力不足", "category": "0301"}
    split = _act(operator, third, "split", parts=[part])
    assert split.status_code == 200, split.json()
    (new_number,) = split.json()["split_into"]
    assert operator.get(f"/api/orders/{new_number}/").json()["split_from"] == third

    answered = _act(operator, third, "answer", article="噪音投诉处理流程")
    assert answered.json()["status"] == "closed"
    assert answered.json()["disposition"] == "answered"

    fourth = operator.post("/api/orders/", NEW_ORDER, format="json").json()["number"]
    rejected = _act(operator, fourth, "reject", reason="between_residents")
    assert rejected.json()["reject_reason"] == "between_residents"
