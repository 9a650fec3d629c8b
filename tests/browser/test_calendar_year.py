"""SPEC 4 (2026-12): on 1 October the administrator sees the year-end banner, pastes the
State Council's notice, checks the preview and saves the year whole."""

import pytest

from hotline.configuration.models import Holiday
from tests.browser.conftest import submit
from tests.conftest import local
from tests.services.test_calendar_year import NOTICE_2027

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_administrator_pastes_the_notice_previews_and_saves(city, sign_in, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: local(2026, 10, 1, 9, 0))
    page = sign_in("administrator")
    page.set_viewport_size({"width": 1366, "height": 768})
    banner = page.get_by_test_id("calendar-warning")
    assert "2027 年的节假日安排尚未录入" in banner.inner_text()

    page.goto("/office/calendar/year/")
    page.get_by_label("年份").fill("2027")
    page.get_by_label("粘贴国务院通知").fill(NOTICE_2027)
    submit(page, page.get_by_role("button", name="预览"))
    assert page.get_by_role("heading", name="2027 年安排预览").is_visible()
    assert page.get_by_test_id("working-days").inner_text() == "249"
    assert page.get_by_role("cell", name="2027-02-20").is_visible()
    assert not Holiday.objects.exists()

    submit(page, page.get_by_role("button", name="保存 2027 年安排"))
    assert "已保存 2027 年节假日安排（34 天）" in page.content()
    assert Holiday.objects.filter(date__year=2027).count() == 34
    assert page.get_by_test_id("calendar-warning").count() == 0
