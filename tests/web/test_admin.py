"""The admin site: every registered list loads with each of its filters applied, writes
obey the same rules as the pages, and orders and their log cannot be changed."""

from datetime import date
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.urls import reverse

from hotline.accounts.models import User
from hotline.accounts.services import user_create
from hotline.audit.models import AuditRecord
from hotline.audit.services import audit_record
from hotline.configuration.models import Holiday, Setting
from hotline.configuration.services import holiday_set, setting_set
from hotline.directory.models import Tag
from hotline.domain.enums import Role
from hotline.orders.models import Event, Order, Violation
from hotline.orders.services import dispatch
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(city):
    return user_create(username="root", role="administrator", password="Root-pass-12345")


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


@pytest.fixture
def filled(city):
    """A row in every table the admin site lists."""
    order = factories.register(city, local(2026, 3, 2, 9))
    dispatch.order_dispatch(order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 10))
    Violation.objects.create(
        unit=city.district, order=order, kind="pressure", at=local(2026, 3, 4, 9)
    )
    holiday_set(day=date(2027, 1, 1), workday=False, name="元旦")
    holiday_set(day=date(2027, 2, 7), workday=True, name="春节调休")
    setting_set(key="default_days", text="12")
    Tag.objects.create(name="文明创建")
    audit_record(action=AuditRecord.Action.LOGIN, actor=city.users[Role.OPERATOR])
    return order


FILLED_APPS = {"accounts", "configuration", "directory", "orders", "audit"}


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m.__name__}"
)
def test_every_list_loads_with_each_filter_applied(admin_client, filled, model):
    response = admin_client.get(changelist(model))
    assert response.status_code == 200
    listing = response.context["cl"]
    if model._meta.app_label in FILLED_APPS:
        assert listing.result_count >= 1, "the fixture fills this table"
    tried = 0
    for spec in listing.filter_specs:
        choices = [c for c in spec.choices(listing) if not c.get("selected")]
        for choice in choices[:3]:
            filtered = admin_client.get(changelist(model) + choice["query_string"])
            assert filtered.status_code == 200, (spec.title, choice["query_string"])
            assert "cl" in filtered.context, (spec.title, choice["query_string"])
            tried += 1
    if model._meta.app_label in FILLED_APPS:
        assert tried >= len(listing.filter_specs)


def test_filters_narrow_the_lists(admin_client, filled, city):
    holidays = admin_client.get(changelist(Holiday) + "?" + urlencode({"kind": "work"}))
    assert [h.name for h in holidays.context["cl"].result_list] == ["春节调休"]
    users = admin_client.get(changelist(User) + "?" + urlencode({"role__exact": "unit_handler"}))
    assert [u.username for u in users.context["cl"].result_list] == ["unit_handler-U-YT"]
    events = admin_client.get(changelist(Event) + "?" + urlencode({"type": "dispatch"}))
    assert [e.type for e in events.context["cl"].result_list] == ["dispatch"]
    orders = admin_client.get(changelist(Order) + "?" + urlencode({"lead_unit": "U-YH"}))
    assert list(orders.context["cl"].result_list) == []


def test_the_admin_site_is_for_administrators_only(client, city, filled):
    client.force_login(city.users[Role.SUPERVISOR])
    response = client.get(changelist(Holiday))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_orders_events_and_violations_cannot_be_changed(admin_client, filled):
    order_url = reverse("admin:orders_order_change", args=[filled.pk])
    page = admin_client.get(order_url)
    assert page.status_code == 200
    assert filled.number in page.content.decode()
    assert "李先生" not in page.content.decode()  # identity only through the logged reveal
    before = Order.objects.get(pk=filled.pk).status
    assert admin_client.post(order_url, {"status": "closed"}).status_code == 403
    assert Order.objects.get(pk=filled.pk).status == before
    assert admin_client.get(reverse("admin:orders_event_add")).status_code == 403
    event = Event.objects.filter(order=filled).first()
    delete = reverse("admin:orders_event_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()
    violation = Violation.objects.get()
    change = reverse("admin:orders_violation_change", args=[violation.pk])
    assert admin_client.post(change, {"reviewed": "on"}).status_code == 403


def test_an_invalid_setting_is_refused_in_the_admin_too(admin_client, filled):
    setting = Setting.objects.get(key="default_days")
    url = reverse("admin:configuration_setting_change", args=[setting.pk])
    response = admin_client.post(url, {"value": "-1"})
    assert response.status_code == 200  # the form again, with its error
    assert "默认办理时限（工作日）须为正整数" in response.content.decode()
    assert Setting.objects.get(key="default_days").value == 12

    response = admin_client.post(url, {"value": "15"})
    assert response.status_code == 302
    assert Setting.objects.get(key="default_days").value == 15

    add = reverse("admin:configuration_setting_add")
    response = admin_client.post(add, {"key": "office_hours_start", "value": "09:00"})
    assert response.status_code == 302
    assert Setting.objects.get(key="office_hours_start").value == "09:00"


def test_holidays_are_added_and_deleted_in_the_admin(admin_client, filled):
    response = admin_client.post(
        reverse("admin:configuration_holiday_add"),
        {"date": "2027-10-01", "workday": "", "name": "国庆节"},
    )
    assert response.status_code == 302
    assert Holiday.objects.get(date=date(2027, 10, 1)).workday is False
    holiday = Holiday.objects.get(date=date(2027, 10, 1))
    delete = reverse("admin:configuration_holiday_delete", args=[holiday.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Holiday.objects.filter(date=date(2027, 10, 1)).exists()


def test_a_user_added_in_the_admin_obeys_the_account_rules(admin_client, city):
    add = reverse("admin:accounts_user_add")
    data = {
        "username": "liuhua",
        "first_name": "刘华",
        "role": "unit_handler",
        "password1": "Xiangtan-12345-ok",
        "password2": "Xiangtan-12345-ok",
    }
    response = admin_client.post(add, data)
    assert response.status_code == 200
    assert "承办单位联络员必须绑定所属单位" in response.content.decode()
    assert not User.objects.filter(username="liuhua").exists()

    response = admin_client.post(add, {**data, "unit": city.district.pk})
    assert response.status_code == 302
    made = User.objects.get(username="liuhua")
    assert (made.role, made.unit, made.is_staff) == ("unit_handler", city.district, False)
    assert made.check_password("Xiangtan-12345-ok")


def test_changing_a_users_role_in_the_admin_goes_through_the_rules(admin_client, city, root):
    operator = city.users[Role.OPERATOR]
    url = reverse("admin:accounts_user_change", args=[operator.pk])
    fields = {"username": "operator", "first_name": "", "is_active": "on"}
    response = admin_client.post(url, {**fields, "role": "administrator"})
    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.role == "administrator" and operator.is_staff and operator.is_superuser

    response = admin_client.post(url, {**fields, "role": "operator", "is_active": ""})
    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.role == "operator" and not operator.is_staff and not operator.is_active

    own = reverse("admin:accounts_user_change", args=[root.pk])
    response = admin_client.post(own, {"username": "root", "role": "administrator"})
    assert "不能停用自己的账号" in response.content.decode()
    root.refresh_from_db()
    assert root.is_active


def test_a_switch_added_in_the_admin_shows_its_token_once_and_keeps_its_digest(admin_client):
    from hotline.calls.models import Switch
    from hotline.security.tokens import token_digest

    response = admin_client.post(
        "/admin/calls/switch/add/", {"name": "Asterisk", "active": "on"}, follow=True
    )
    assert response.status_code == 200
    [shown] = [str(m) for m in response.context["messages"] if "令牌" in str(m)]
    token = shown.split("令牌：")[1].split(" ")[0]
    switch = Switch.objects.get()
    assert switch.token_hash == token_digest(token) and token not in switch.token_hash
    renewed = admin_client.post(
        "/admin/calls/switch/",
        {"action": "renew_token", "_selected_action": [switch.pk]},
        follow=True,
    )
    assert renewed.status_code == 200
    switch.refresh_from_db()
    assert switch.token_hash != token_digest(token)
