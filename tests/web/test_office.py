"""The office's pages: violations, holiday table, settings, users and the audit trail."""

from datetime import date

import pytest
from django.urls import reverse

from hotline.accounts.models import User
from hotline.accounts.services import user_create, user_deactivate
from hotline.audit.models import AuditRecord
from hotline.audit.services import audit_record
from hotline.configuration.models import Holiday, Setting
from hotline.domain.enums import Role
from hotline.orders.models import Violation
from hotline.orders.selectors.violations import violation_list
from hotline.orders.services import dispatch, handling, review
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

OFFICE_PAGES = ["violations", "calendar_settings", "office_settings", "users", "audit_trail"]


def text(response) -> str:
    return response.content.decode()


def table_rows(response) -> str:
    """The body of the page's list table."""
    return text(response).split("<tbody>")[1].split("</tbody>")[0]


@pytest.mark.parametrize("name", OFFICE_PAGES)
@pytest.mark.parametrize(
    "role, allowed",
    [
        (Role.SUPERVISOR, set(OFFICE_PAGES)),
        (Role.ADMINISTRATOR, set(OFFICE_PAGES) - {"violations"}),
        (Role.OPERATOR, set()),
        # SPEC 6 (2026-12): a unit sees its own violations (tests/web/test_violations.py).
        (Role.UNIT_HANDLER, {"violations"}),
    ],
    ids=lambda v: v.value if isinstance(v, Role) else "",
)
def test_pages_open_to_the_office_only(signed_in, name, role, allowed):
    response = signed_in(role).get(reverse(f"web:{name}"))
    assert response.status_code == (200 if name in allowed else 403)


def test_posting_is_refused_to_other_roles_too(signed_in):
    client = signed_in(Role.OPERATOR)
    response = client.post(
        reverse("web:calendar_settings"), {"op": "set", "day": "2027-01-01", "kind": "rest"}
    )
    assert response.status_code == 403
    assert not Holiday.objects.exists()
    response = client.post(reverse("web:office_settings"), {"key": "default_days", "value": "3"})
    assert response.status_code == 403
    assert not Setting.objects.exists()


# --- holiday table --------------------------------------------------------------------


def test_a_holiday_is_set_changed_and_deleted(signed_in):
    client = signed_in(Role.ADMINISTRATOR)
    url = reverse("web:calendar_settings")
    response = client.post(
        f"{url}?year=2027", {"op": "set", "day": "2027-01-01", "kind": "rest", "name": "元旦"}
    )
    assert response.status_code == 302
    assert response.url == f"{url}?year=2027"
    holiday = Holiday.objects.get()
    assert (holiday.date, holiday.workday, holiday.name) == (date(2027, 1, 1), False, "元旦")

    client.post(url, {"op": "set", "day": "2027-01-01", "kind": "work", "name": "调休上班"})
    assert Holiday.objects.get().workday is True

    page = text(client.get(url, {"year": 2027}))
    assert "调休上班" in page and "2027-01-01" in page

    response = client.post(url, {"op": "delete", "day": "2027-01-01"})
    assert response.status_code == 302
    assert not Holiday.objects.exists()


def test_a_bad_date_is_refused_in_chinese_and_nothing_is_written(signed_in):
    client = signed_in(Role.SUPERVISOR)
    url = reverse("web:calendar_settings")
    response = client.post(url, {"op": "set", "day": "2027-13-45", "kind": "rest"})
    assert response.status_code == 400
    assert "日期格式不正确" in text(response)
    response = client.post(url, {"op": "set", "day": "2150-02-01", "kind": "rest"})
    assert response.status_code == 400
    assert "日期须在 2000–2099 年之间" in text(response)
    response = client.post(url, {"op": "set", "day": "2027-02-01", "kind": "holiday"})
    assert response.status_code == 400
    assert "请选择放假或上班" in text(response)
    assert not Holiday.objects.exists()


def test_deleting_a_day_not_in_the_table_is_refused(signed_in):
    response = signed_in(Role.SUPERVISOR).post(
        reverse("web:calendar_settings"), {"op": "delete", "day": "2027-05-01"}
    )
    assert response.status_code == 400
    assert "节假日表中没有 2027-05-01 这一天" in text(response)


def test_a_year_nobody_entered_shows_its_provisional_calendar_with_a_warning(signed_in):
    client = signed_in(Role.SUPERVISOR)
    url = reverse("web:calendar_settings")
    page = text(client.get(url, {"year": 2031}))
    assert "2031 年的节假日安排尚未录入，目前按临时日历计算" in page
    assert "2031 年月历" in page
    assert "整年录入（粘贴通知或上传文件）" not in page  # the administrator's page

    client.post(url, {"op": "set", "day": "2031-01-01", "kind": "rest", "name": "元旦"})
    page = text(client.get(url, {"year": 2031}))
    assert "2031 年的节假日安排尚未录入" not in page
    assert "2031 年月历" in page
    assert "完全以节假日表为准" in page


def test_the_month_calendar_follows_the_official_schedule(signed_in):
    page = text(signed_in(Role.SUPERVISOR).get(reverse("web:calendar_settings"), {"year": 2026}))
    # National Day 2026 is a holiday; Saturday 10 October a make-up working day (SPEC 4).
    assert 'title="2026-10-01 休息"' in page
    assert 'title="2026-10-10 上班"' in page
    assert 'title="2026-10-12 上班"' in page


def test_a_year_out_of_range_is_refused(signed_in):
    response = signed_in(Role.SUPERVISOR).get(reverse("web:calendar_settings"), {"year": "abc"})
    assert response.status_code == 400
    assert "年份须为" in text(response)


# --- settings -------------------------------------------------------------------------


def test_a_valid_setting_is_stored_and_shown(signed_in):
    client = signed_in(Role.SUPERVISOR)
    url = reverse("web:office_settings")
    page = text(client.get(url))
    assert "默认办理时限（工作日）" in page and "未设置，使用默认值" in page
    # A field starts from the value in force, not from an example.
    assert '<option value="dispatched" selected>' in page

    response = client.post(url, {"key": "default_days", "value": "12"})
    assert response.status_code == 302
    assert Setting.objects.get(key="default_days").value == 12

    response = client.post(url, {"key": "days_by_appeal_type", "value": '{"help": 20}'})
    assert response.status_code == 302
    page = text(client.get(url))
    assert "12 个工作日" in page
    assert '<td>求助</td><td class="num">20</td>' in page


def test_an_invalid_setting_is_refused_and_nothing_changes(signed_in):
    client = signed_in(Role.ADMINISTRATOR)
    url = reverse("web:office_settings")
    client.post(url, {"key": "default_days", "value": "12"})

    response = client.post(url, {"key": "default_days", "value": "-3"})
    assert response.status_code == 400
    assert "默认办理时限（工作日）须为正整数" in text(response)
    assert Setting.objects.get(key="default_days").value == 12

    weights = '{"handled": 50, "on_time": 30, "rework": 20, "satisfaction": 20}'
    response = client.post(url, {"key": "assessment_weights", "value": weights})
    assert response.status_code == 400
    assert "四项权重须为非负数且合计为 100" in text(response)
    assert not Setting.objects.filter(key="assessment_weights").exists()

    response = client.post(url, {"key": "no_such_key", "value": "1"})
    assert response.status_code == 400
    assert "没有名为「no_such_key」的配置项" in text(response)
    assert Setting.objects.count() == 1


# --- users ----------------------------------------------------------------------------


def create_user(client, **fields):
    data = {"op": "create", "new-role": "operator", **{f"new-{k}": v for k, v in fields.items()}}
    return client.post(reverse("web:users"), data)


def sign_in_with(client, username, password):
    client.logout()
    return client.post(reverse("web:login"), {"username": username, "password": password})


def test_the_user_list_shows_role_unit_and_last_login(signed_in, city):
    rows = table_rows(
        signed_in(Role.SUPERVISOR).get(reverse("web:users"), {"role": "unit_handler"})
    )
    assert "承办单位联络员" in rows and "岳塘区" in rows and "从未登录" in rows
    assert "话务员" not in rows


def test_a_unit_handler_needs_a_unit(signed_in):
    response = create_user(signed_in(Role.SUPERVISOR), username="liuhua", role="unit_handler")
    assert response.status_code == 400
    assert "承办单位联络员必须绑定所属单位" in text(response)
    assert not User.objects.filter(username="liuhua").exists()


def test_a_new_user_gets_a_random_password_shown_once(signed_in, client, city):
    response = create_user(
        signed_in(Role.SUPERVISOR),
        username="liuhua",
        full_name="刘华",
        role="unit_handler",
        unit="U-YT-SYL",
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    user = User.objects.get(username="liuhua")
    assert (user.role, user.unit, user.first_name) == ("unit_handler", city.street_office, "刘华")
    password = response.context["handed_over"][1]
    assert password in text(response)
    assert sign_in_with(client, "liuhua", password).status_code == 302


def test_a_typed_password_must_be_strong_enough(signed_in):
    client = signed_in(Role.SUPERVISOR)
    response = create_user(client, username="zhangli", password="123")
    assert response.status_code == 400
    assert not User.objects.filter(username="zhangli").exists()
    response = create_user(client, username="zhangli", password="Xiangtan-12345-ok")
    assert response.status_code == 302
    assert User.objects.get(username="zhangli").check_password("Xiangtan-12345-ok")


def test_only_an_administrator_creates_administrators(signed_in):
    response = create_user(signed_in(Role.SUPERVISOR), username="root2", role="administrator")
    assert response.status_code == 400
    assert "只有系统管理员可以创建或修改系统管理员账号" in text(response)
    assert not User.objects.filter(username="root2").exists()

    response = create_user(signed_in(Role.ADMINISTRATOR), username="root2", role="administrator")
    assert response.status_code == 200
    made = User.objects.get(username="root2")
    assert made.is_staff and made.is_superuser


def test_deactivating_stops_sign_in_and_reactivating_restores_it(signed_in, client, city):
    operator = city.users[Role.OPERATOR]
    office = signed_in(Role.SUPERVISOR)
    response = office.post(reverse("web:users"), {"op": "deactivate", "user": operator.pk})
    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.is_active is False
    assert sign_in_with(client, "operator", "pass-for-tests-1").status_code == 400

    office = signed_in(Role.SUPERVISOR)
    office.post(reverse("web:users"), {"op": "reactivate", "user": operator.pk})
    assert sign_in_with(client, "operator", "pass-for-tests-1").status_code == 302


def test_a_deactivated_users_open_session_ends(signed_in, city, client):
    operator = city.users[Role.OPERATOR]
    client.force_login(operator)
    assert client.get(reverse("web:intake")).status_code == 200
    User.objects.filter(pk=operator.pk).update(is_active=False)
    assert client.get(reverse("web:intake")).status_code == 302


def test_nobody_deactivates_themselves(signed_in, city):
    supervisor = city.users[Role.SUPERVISOR]
    response = signed_in(Role.SUPERVISOR).post(
        reverse("web:users"), {"op": "deactivate", "user": supervisor.pk}
    )
    assert response.status_code == 400
    assert "不能停用自己的账号" in text(response)
    supervisor.refresh_from_db()
    assert supervisor.is_active


def test_a_password_reset_shows_the_new_password_once(signed_in, client, city):
    response = signed_in(Role.ADMINISTRATOR).post(
        reverse("web:users"), {"op": "reset", "user": city.users[Role.DISPATCHER].pk}
    )
    assert response.status_code == 200
    password = response.context["handed_over"][1]
    assert len(password) >= 12 and password in text(response)
    assert sign_in_with(client, "dispatcher", "pass-for-tests-1").status_code == 400
    assert sign_in_with(client, "dispatcher", password).status_code == 302


def test_a_user_is_moved_to_another_role_and_unit(signed_in, city):
    operator = city.users[Role.OPERATOR]
    client = signed_in(Role.SUPERVISOR)
    form = client.get(reverse("web:users"), {"edit": operator.pk})
    assert "修改用户 operator" in text(form)
    response = client.post(
        reverse("web:users"),
        {"op": "update", "user": operator.pk, "edit-role": "unit_handler", "edit-full_name": "王"},
    )
    assert response.status_code == 400
    assert "承办单位联络员必须绑定所属单位" in text(response)
    response = client.post(
        reverse("web:users"),
        {
            "op": "update",
            "user": operator.pk,
            "edit-role": "unit_handler",
            "edit-unit": "U-ZHSW",
            "edit-full_name": "王",
        },
    )
    assert response.status_code == 302
    operator.refresh_from_db()
    assert (operator.role, operator.unit, operator.first_name) == ("unit_handler", city.water, "王")


def test_an_unknown_user_is_not_found(signed_in):
    response = signed_in(Role.SUPERVISOR).post(
        reverse("web:users"), {"op": "reset", "user": "999999"}
    )
    assert response.status_code == 404


# --- audit trail ----------------------------------------------------------------------


def test_the_audit_trail_lists_a_sign_in(client, signed_in, city):
    client.post(reverse("web:login"), {"username": "dispatcher", "password": "wrong"})
    client.post(reverse("web:login"), {"username": "operator", "password": "pass-for-tests-1"})
    office = signed_in(Role.ADMINISTRATOR)
    rows = table_rows(office.get(reverse("web:audit_trail")))
    assert "operator" in rows and "登录" in rows and "127.0.0.1" in rows
    assert "登录失败" in rows

    rows = table_rows(office.get(reverse("web:audit_trail"), {"action": "login"}))
    assert "operator" in rows and "登录失败" not in rows

    rows = table_rows(office.get(reverse("web:audit_trail"), {"username": "dispatcher"}))
    assert "dispatcher" in rows and "operator" not in rows


def test_the_audit_trail_pages_by_time(signed_in):
    for n in range(35):
        audit_record(action=AuditRecord.Action.LOGIN_FAILED, username=f"guess{n:02d}")
    client = signed_in(Role.SUPERVISOR)
    first = client.get(reverse("web:audit_trail"), {"action": "login_failed"})
    assert len(first.context["page"].rows) == 30
    cursor = first.context["page"].cursor
    second = client.get(reverse("web:audit_trail"), {"action": "login_failed", "cursor": cursor})
    assert len(second.context["page"].rows) == 5
    seen = {r.pk for r in first.context["page"].rows} | {r.pk for r in second.context["page"].rows}
    assert len(seen) == 35


# --- violations -----------------------------------------------------------------------


@pytest.fixture
def violations(city):
    """A callback in which the citizen says the unit pressed them and leaked their details."""
    handler = city.users[Role.UNIT_HANDLER]
    order = factories.register(city, local(2026, 3, 2, 9))
    dispatch.order_dispatch(order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 9))
    handling.order_sign(order=order, actor=handler, at=local(2026, 3, 2, 10))
    handling.order_reply(order=order, text="已处理完毕", actor=handler, at=local(2026, 3, 3, 9))
    review.order_review(order=order, decision="accept", actor=None, at=local(2026, 3, 3, 10))
    review.order_callback(
        order=order,
        result="unsatisfied",
        pressured=True,
        leaked=True,
        actor=city.users[Role.CALLBACK_AGENT],
        at=local(2026, 3, 4, 9),
    )
    return order


def test_violations_are_listed_and_filtered(signed_in, violations):
    client = signed_in(Role.SUPERVISOR)
    rows = table_rows(client.get(reverse("web:violations")))
    assert "要求市民撤销投诉" in rows and "泄露市民信息" in rows
    assert violations.number in rows and "岳塘区" in rows

    rows = table_rows(client.get(reverse("web:violations"), {"kind": "leak"}))
    assert "泄露市民信息" in rows and "要求市民撤销投诉" not in rows

    rows = table_rows(client.get(reverse("web:violations"), {"unit": "U-YH"}))
    assert "没有违规记录" in rows

    bad = client.get(reverse("web:violations"), {"kind": "nonsense"})
    assert bad.status_code == 400


def test_a_violation_is_reviewed(signed_in, violations):
    client = signed_in(Role.SUPERVISOR)
    pressure = Violation.objects.get(kind="pressure")
    response = client.post(
        reverse("web:violations"),
        {"violation": pressure.pk, "note": "已约谈单位负责人", "next": "/office/violations/"},
    )
    assert response.status_code == 302
    pressure.refresh_from_db()
    assert pressure.reviewed and pressure.note == "已约谈单位负责人"
    assert Violation.objects.get(kind="leak").reviewed is False

    pending = client.get(reverse("web:violations"), {"reviewed": "no"})
    assert [v.kind for v in pending.context["page"].rows] == ["leak"]


def test_a_unit_handler_reading_violations_sees_only_its_own_units(city, violations):
    Violation.objects.create(unit=city.other_district, kind="leak", at=local(2026, 3, 5, 9))
    own = violation_list(viewer=city.users[Role.UNIT_HANDLER])
    assert {v.unit for v in own} == {city.district}
    assert violation_list(viewer=city.users[Role.SUPERVISOR]).count() == 3


def test_reviewing_an_unknown_violation_is_not_found(signed_in, violations):
    response = signed_in(Role.SUPERVISOR).post(reverse("web:violations"), {"violation": 999999})
    assert response.status_code == 404


def test_account_setting_and_holiday_changes_are_on_the_audit_trail(signed_in, city):
    supervisor = city.users[Role.SUPERVISOR]
    client = signed_in(Role.SUPERVISOR)
    url = reverse("web:calendar_settings")
    client.post(url, {"op": "set", "day": "2027-01-01", "kind": "rest", "name": "元旦"})
    client.post(url, {"op": "delete", "day": "2027-01-01"})
    user_deactivate(user=city.users[Role.LEADER], actor=supervisor)
    trail = AuditRecord.objects.filter(actor=supervisor).order_by("pk")
    assert [(r.action, r.detail) for r in trail] == [
        ("holiday_change", "2027-01-01 放假 元旦"),
        ("holiday_change", "删除 2027-01-01 的节假日设置"),
        ("account_change", f"停用用户 {city.users[Role.LEADER].username}"),
    ]
    # The system's own changes (demo setup, the command line) are no person's.
    user_create(username="clerk", role="operator", password="Clerk-pass-2026")
    assert not AuditRecord.objects.filter(detail__contains="clerk").exists()
