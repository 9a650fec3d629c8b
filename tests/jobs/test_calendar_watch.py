"""SPEC 4 (2026-12): from 1 October supervisors and administrators are told, once per
year, that next year's holiday schedule is not entered."""

from datetime import date

from hotline.configuration.models import Holiday
from hotline.domain.enums import Role
from hotline.notifications.calendar_watch import calendar_warning
from hotline.notifications.models import Notification
from tests import factories
from tests.conftest import local


def test_from_1_october_each_supervisor_and_administrator_is_told_once(city):
    factories.user(Role.SUPERVISOR, username="second_supervisor")
    assert calendar_warning(now=local(2026, 9, 30, 23, 0)) == "节假日安排已录入，无需提醒"
    assert not Notification.objects.exists()

    summary = calendar_warning(now=local(2026, 10, 1, 0, 30))
    assert summary == "2027 年节假日安排尚未录入，新提醒 3 人"
    told = Notification.objects.order_by("recipient")
    assert {n.recipient for n in told} == {
        f"user:{city.users[Role.ADMINISTRATOR].username}",
        f"user:{city.users[Role.SUPERVISOR].username}",
        "user:second_supervisor",
    }
    assert {(n.kind, n.reference, n.order_id) for n in told} == {
        ("calendar", "calendar:2027", None)
    }
    assert "2027 年的节假日安排尚未录入" in told[0].text

    # Every later day until it is entered: nobody is told twice.
    assert calendar_warning(now=local(2026, 11, 2, 0, 30)).endswith("新提醒 0 人")
    assert Notification.objects.count() == 3
    Holiday.objects.create(date=date(2027, 1, 1), workday=False, name="元旦")
    assert calendar_warning(now=local(2026, 12, 2, 0, 30)) == "节假日安排已录入，无需提醒"
    assert Notification.objects.count() == 3


def test_the_office_notice_is_delivered_or_skipped_like_any_other(city):
    from hotline.notifications.delivery import notifications_deliver

    calendar_warning(now=local(2026, 10, 1, 0, 30))
    notifications_deliver(now=local(2026, 10, 1, 0, 31))
    assert not Notification.objects.filter(status=Notification.Status.PENDING).exists()


def test_the_background_page_lists_a_notice_about_no_order(city, client):
    from django.urls import reverse

    calendar_warning(now=local(2026, 10, 1, 0, 30))
    client.force_login(city.users[Role.SUPERVISOR])
    response = client.get(reverse("web:background_jobs"))
    assert response.status_code == 200
    assert "节假日安排待录入" in response.content.decode()
