"""SPEC 4 (2026-12) through the API: a co-unit's pause or resume is refused with the
structured error and nothing written; a long pause is a request the supervisor decides;
an extension granted after the deadline leaves the order overdue."""

from hotline.domain.enums import Role
from hotline.orders.models import Event
from tests import factories
from tests.api.conftest import error_of
from tests.api.test_order_journey import NEW_ORDER


def _in_progress(city, client_for, clock):
    operator = client_for(Role.OPERATOR)
    number = operator.post("/api/orders/", NEW_ORDER, format="json").json()["number"]
    clock.tick()
    operator.post(
        f"/api/orders/{number}/dispatch/", {"lead": "U-YT", "co_units": ["U-ZHSW"]}, format="json"
    )
    clock.tick()
    client_for(Role.UNIT_HANDLER).post(f"/api/orders/{number}/sign/", {}, format="json")
    return number


def test_a_co_unit_pause_is_refused_with_a_structured_error(city, client_for, clock):
    number = _in_progress(city, client_for, clock)
    water = client_for(factories.user(Role.UNIT_HANDLER, unit=city.water))
    events = Event.objects.filter(order__number=number).count()
    clock.tick()
    response = water.post(f"/api/orders/{number}/pause/", {"reason": "等待材料"}, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "not_lead_unit"
    assert "只有主办单位可以暂停或恢复计时" in error["message"]
    assert Event.objects.filter(order__number=number).count() == events
    lead = client_for(Role.UNIT_HANDLER)
    assert lead.post(f"/api/orders/{number}/pause/", {"reason": "等待材料"}, format="json").json()[
        "paused"
    ]
    clock.tick()
    response = water.post(f"/api/orders/{number}/resume/", {}, format="json")
    assert error_of(response)["code"] == "not_lead_unit"


def test_a_long_pause_waits_for_the_supervisor(city, client_for, clock):
    number = _in_progress(city, client_for, clock)
    clock.tick()
    asked = client_for(Role.UNIT_HANDLER).post(
        f"/api/orders/{number}/pause/",
        {"reason": "等待司法鉴定", "until": "2026-04-30"},
        format="json",
    )
    body = asked.json()
    assert body["paused"] is False and body["pause_request"] == "2026-04-30T23:59:59+08:00"
    clock.tick()
    supervisor = client_for(Role.SUPERVISOR)
    granted = supervisor.post(
        f"/api/orders/{number}/pause-decision/", {"decision": "granted"}, format="json"
    ).json()
    assert granted["paused"] is True and granted["pause_request"] is None
    again = supervisor.post(
        f"/api/orders/{number}/pause-decision/", {"decision": "granted"}, format="json"
    )
    assert error_of(again)["code"] == "no_pause_pending"


def test_an_extension_granted_ten_days_late_keeps_the_order_overdue(city, client_for, clock):
    number = _in_progress(city, client_for, clock)
    lead, supervisor = client_for(Role.UNIT_HANDLER), client_for(Role.SUPERVISOR)
    deadline = lead.get(f"/api/orders/{number}/").json()["deadline"]
    assert deadline.startswith("2026-03-16")  # a complaint: 10 working days
    clock.tick(days=24)  # 2026-03-26: ten days past it
    lead.post(
        f"/api/orders/{number}/extension-request/",
        {"until": "2026-04-30", "reason": "需协调施工单位"},
        format="json",
    )
    clock.tick()
    granted = supervisor.post(
        f"/api/orders/{number}/extension-decision/", {"decision": "granted"}, format="json"
    ).json()
    assert granted["deadline"].startswith("2026-04-30") and granted["overdue"] is True
    clock.tick()
    lead.post(f"/api/orders/{number}/reply/", {"text": "已处理"}, format="json")
    clock.tick()
    done = supervisor.post(
        f"/api/orders/{number}/review/", {"decision": "accept"}, format="json"
    ).json()
    assert done["status"] == "concluded" and done["on_time"] is False
