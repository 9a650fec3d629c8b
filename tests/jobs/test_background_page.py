"""The office's page of background jobs and notifications."""

import pytest
from django.utils import timezone

from hotline.domain.enums import Role
from hotline.jobs import runs
from hotline.jobs.runner import run
from hotline.notifications.models import Notification
from hotline.orders.services import dispatch
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db


def test_the_supervisor_sees_each_job_and_every_notification(city, client):
    order = factories.register(city, local(2026, 3, 2, 9, 0))
    dispatch.order_dispatch(
        order=order,
        lead=city.district,
        actor=city.users[Role.DISPATCHER],
        at=local(2026, 3, 2, 9, 5),
    )
    Notification.objects.filter(recipient="citizen").update(attempts=2, last_error="网关超时")
    run("overdue_marking", {}, runs.run_create("overdue_marking", now=timezone.now()))
    client.force_login(city.users[Role.SUPERVISOR])
    page = client.get("/office/background/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "超期自动督办" in html and "每 30 分钟" in html and "从未运行" in html
    assert "新超期 0 件" in html
    assert "岳塘区" in html and "已派至贵单位" in html and order.number in html
    # The citizen's number is masked; the failed tries are shown with their error.
    assert "13800000001" not in html and "138****0001" in html
    assert "重试中（已失败 2 次）" in html and "网关超时" in html
    pending = client.get("/office/background/", {"status": "skipped"}).content.decode()
    assert "已派至贵单位" not in pending and "没有通知" in pending
    assert client.get("/office/background/", {"status": "lost"}).status_code == 400


def test_other_roles_do_not_see_the_page(city, client):
    client.force_login(city.users[Role.UNIT_HANDLER])
    assert client.get("/office/background/").status_code == 403
