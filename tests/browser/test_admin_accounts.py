"""The administrator creates a unit handler in the browser, bound to a unit found with
the users page's unit picker; the new handler signs in and finds the unit's inbox."""

import pytest

from hotline.accounts.models import User
from hotline.domain.enums import Role
from hotline.orders.services.dispatch import order_dispatch
from tests.browser.conftest import submit
from tests.conftest import local
from tests.factories import register, user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Xiangtan-12345-ok"


def test_the_administrator_creates_a_unit_handler_who_then_sees_the_inbox(city, sign_in):
    order = register(city, local(2026, 3, 2, 9))
    order_dispatch(
        order=order,
        lead=city.street_office,
        actor=city.users[Role.DISPATCHER],
        at=local(2026, 3, 2, 10),
    )
    admin = sign_in("administrator")
    admin.goto("/office/users/")
    create = admin.locator("form", has=admin.get_by_role("button", name="创建"))
    create.get_by_label("用户名").fill("syl-handler")
    create.get_by_label("姓名").fill("书院路联络员")
    create.get_by_label("角色").select_option(label=Role.UNIT_HANDLER.label)
    create.get_by_role("searchbox", name="所属单位").fill("书院路")
    choice = create.get_by_role("radio", name="书院路街道")
    choice.check()  # found by the unit picker, which answers the administrator
    create.get_by_label("初始密码").fill(PASSWORD)
    submit(admin, create.get_by_role("button", name="创建"))
    assert "已创建用户：syl-handler" in admin.get_by_role("status").first.inner_text()
    handler = User.objects.get(username="syl-handler")
    assert (handler.role, handler.unit) == (Role.UNIT_HANDLER, city.street_office)

    # The new handler starts the day on the unit's inbox, the order dispatched there in it.
    unit = sign_in("syl-handler", password=PASSWORD)
    assert unit.url.endswith("/unit/")
    assert order.number in unit.locator("main").inner_text()


def test_the_administrator_moves_a_handler_to_another_unit(city, sign_in):
    moved = user(Role.UNIT_HANDLER, unit=city.district, username="moving-handler")
    admin = sign_in("administrator")
    admin.goto(f"/office/users/?edit={moved.pk}")
    edit = admin.locator("form", has=admin.get_by_role("button", name="保存"))
    edit.get_by_role("searchbox", name="所属单位").fill("雨湖")
    edit.get_by_role("radio", name="雨湖区").check()
    submit(admin, edit.get_by_role("button", name="保存"))
    assert "已修改用户：moving-handler" in admin.get_by_role("status").first.inner_text()
    moved.refresh_from_db()
    assert moved.unit == city.other_district
