"""``hotline audit verify``: every order's event chain, and the orders changed behind the
application's back."""

import pytest

from hotline.cli.main import run
from hotline.domain.enums import Role
from hotline.orders.models import Event, Order
from hotline.orders.services import dispatch
from tests import factories
from tests.conftest import local


@pytest.fixture(autouse=True)
def _keyed(settings):
    settings.HOTLINE_AUDIT_KEY = "office-audit-key-" + "k" * 32


def _orders(city, count):
    orders = []
    for minute in range(count):
        order = factories.register(city, local(2026, 3, 2, 9, minute))
        orders.append(
            dispatch.order_dispatch(
                order=order,
                lead=city.district,
                actor=city.users[Role.OPERATOR],
                at=local(2026, 3, 2, 10, minute),
            )
        )
    return orders


def test_a_clean_database_verifies(city, capsys):
    _orders(city, 3)
    assert run(["audit", "verify"]) == 0
    assert capsys.readouterr().out == "已核验 3 件工单、6 条办理记录，未发现篡改\n"


def test_an_empty_database_verifies(db, capsys):
    assert run(["audit", "verify"]) == 0
    assert capsys.readouterr().out == "已核验 0 件工单、0 条办理记录，未发现篡改\n"


def test_rows_edited_in_the_database_are_named(city, capsys):
    first, second, third = _orders(city, 3)
    Event.objects.filter(order=first, seq=2).update(data={"lead": "U-YH", "co_units": []})
    Event.objects.filter(order=third, seq=1).update(at=local(2026, 3, 1, 9, 0))
    assert run(["audit", "verify"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [
        "已核验 3 件工单、6 条办理记录，发现 2 件工单的办理记录被改动：",
        f"  工单 {first.number}：自第 2 条办理记录起不符",
        f"  工单 {third.number}：自第 1 条办理记录起不符",
    ]
    # And what the edited events now give differs from the orders' records.
    assert out[3] == f"  工单 {first.number}：办理记录不能按规则重放：请指定主办单位"


def test_a_deleted_event_is_named(city, capsys):
    first, second = _orders(city, 2)
    Event.objects.filter(order=second, seq=2).delete()
    assert run(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[1] == f"  工单 {second.number}：自第 2 条办理记录起不符"


def test_without_the_key_the_limit_is_said(city, capsys, settings):
    settings.HOTLINE_AUDIT_KEY = ""
    _orders(city, 1)
    assert run(["audit", "verify"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "已核验 1 件工单、2 条办理记录，未发现篡改",
        "注意：未设置审计密钥 HOTLINE_AUDIT_KEY，哈希链未加密钥，"
        "发现不了按规则重算整条链的篡改（见运维文档「审计」）",
    ]


def test_a_checkpoint_is_written_and_checked(city, capsys, tmp_path):
    first, second = _orders(city, 2)
    Event.objects.update(recorded_at=local(2026, 3, 2, 12))
    assert run(["audit", "checkpoint", "--out", str(tmp_path), "--day", "2026-03-02"]) == 0
    path = tmp_path / "checkpoint-2026-03-02.json"
    assert capsys.readouterr().out == f"已写出检查点 {path}\n"
    assert run(["audit", "verify", "--checkpoint", str(path)]) == 0
    assert capsys.readouterr().out == "已核验 2 件工单、4 条办理记录和 1 个检查点，未发现篡改\n"
    Event.objects.filter(order=second, seq=2).delete()
    Order.objects.filter(pk=second.pk).update(version=1)
    assert run(["audit", "verify", "--checkpoint", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "已核验 2 件工单、3 条办理记录和 1 个检查点，"
        "发现 1 件工单的办理记录被改动、1 段工单与检查点不符："
    )
    assert out[-1] == (
        "  检查点 2026-03-02：工单 id 0–9999 一段记有 2 件工单、4 条办理记录，现为 2 件、3 条"
    )
