"""``hotline audit verify``: every order's event chain, and the orders changed behind the
application's back."""

from hotline.cli.main import run
from hotline.domain.enums import Role
from hotline.orders.models import Event
from hotline.orders.services import dispatch
from tests import factories
from tests.conftest import local


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
    assert capsys.readouterr().out == (
        "已核验 3 件工单、6 条办理记录，发现 2 件工单的办理记录被改动：\n"
        f"  工单 {first.number}：自第 2 条办理记录起不符\n"
        f"  工单 {third.number}：自第 1 条办理记录起不符\n"
    )


def test_a_deleted_event_is_named(city, capsys):
    first, second = _orders(city, 2)
    Event.objects.filter(order=second, seq=2).delete()
    assert run(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[1:] == [f"  工单 {second.number}：自第 2 条办理记录起不符"]
