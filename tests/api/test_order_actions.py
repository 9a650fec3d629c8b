"""Every action endpoint reaches its service with its own fields."""

from hotline.domain.enums import Role
from hotline.orders.models import Callback, Extension, Instruction, Supervision, Violation
from tests import factories
from tests.api.test_order_journey import NEW_ORDER


def test_the_difficult_path_through_every_remaining_action(city, client_for, clock):
    operator = client_for(Role.OPERATOR)
    dispatcher = client_for(Role.DISPATCHER)
    supervisor = client_for(Role.SUPERVISOR)
    agent = client_for(Role.CALLBACK_AGENT)
    leader = client_for(Role.LEADER)
    yuetang = client_for(Role.UNIT_HANDLER)
    yuhu = client_for(factories.user(Role.UNIT_HANDLER, unit=city.other_district))
    water = client_for(factories.user(Role.UNIT_HANDLER, unit=city.water))
    number = operator.post("/api/orders/", NEW_ORDER, format="json").json()["number"]

    def act(client, action, **body):
        clock.tick()
        response = client.post(f"/api/orders/{number}/{action}/", body, format="json")
        assert response.status_code == 200, (action, response.json())
        return response.json()

    act(operator, "dispatch", lead="U-YH", co_units=["U-ZHSW"])
    assert act(yuhu, "return", reason="事发地属岳塘区")["status"] == "returned"
    order = act(dispatcher, "return-review", decision="accept", lead="U-YT")
    assert (order["status"], order["lead_unit"]) == ("dispatched", "U-YT")
    order = act(yuetang, "return", reason="属住建部门职责")
    assert order["difficult"] is True  # SPEC 4: the second return makes it difficult
    order = act(supervisor, "designate", lead="U-YT", co_units=["U-ZHSW"])
    assert order["co_units"] == [{"code": "U-ZHSW", "name": "中环水务"}]
    assert act(supervisor, "consultation-open", note="职责争议会商")["paused"] is True
    assert act(supervisor, "consultation-close", decision="由岳塘区主办")["paused"] is False
    assert act(yuetang, "sign")["status"] == "in_progress"
    act(water, "co-reply", text="已配合排查管网")
    assert act(yuetang, "pause", reason="等待市民补充材料")["paused"] is True
    assert act(yuetang, "resume")["paused"] is False
    requested = act(yuetang, "extension-request", until="2026-04-30", reason="需协调施工单位")
    assert requested["extension_until"] == "2026-04-30T23:59:59+08:00"
    granted = act(supervisor, "extension-decision", decision="granted")
    assert granted["deadline"] == "2026-04-30T23:59:59+08:00"
    assert (
        act(supervisor, "supervise", level="yellow", note="请加快办理")["supervision"] == "yellow"
    )
    act(leader, "instruct", text="请岳塘区尽快解决")
    act(yuetang, "reply", text="已转交")
    assert act(supervisor, "review", decision="rework", note="二传手式答复")["status"] == (
        "in_progress"
    )
    act(yuetang, "reply", text="已责令施工单位停止夜间作业", contacted=True)
    act(supervisor, "review", decision="accept")
    reworked = act(agent, "callback", result="unsatisfied", rework=True, pressured=True)
    assert reworked["status"] == "in_progress"
    act(yuetang, "reply", text="已再次现场核查并处理")
    act(supervisor, "review", decision="accept")
    act(agent, "callback", result="unsatisfied")
    act(supervisor, "appeal", decision="upheld", reason="诉求超出职责范围")
    assert act(agent, "close")["status"] == "closed"
    act(agent, "spot-check", result="satisfied")

    assert Extension.objects.get().granted is True
    assert Supervision.objects.get().level == "yellow"
    assert Instruction.objects.get().text == "请岳塘区尽快解决"
    assert Violation.objects.get().kind == "pressure"
    callbacks = Callback.objects.order_by("at")
    assert [(c.kind, c.result) for c in callbacks] == [
        ("callback", "unsatisfied"),
        ("callback", "unsatisfied"),
        ("spot_check", "satisfied"),
    ]
    assert [c.appeal_upheld for c in callbacks].count(True) == 1
    events = supervisor.get(f"/api/orders/{number}/").json()["events"]
    assert len(events) == 27 and events[-1]["type"] == "spot_check"


def test_harassment_and_invalid(city, client_for, clock):
    operator = client_for(Role.OPERATOR)
    for action in ("harassment", "invalid"):
        number = operator.post("/api/orders/", NEW_ORDER, format="json").json()["number"]
        order = operator.post(f"/api/orders/{number}/{action}/", {}, format="json").json()
        assert (order["status"], order["disposition"]) == ("closed", action)
