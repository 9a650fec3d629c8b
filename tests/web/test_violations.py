"""The violations page (SPEC 6, 2026-12): per unit and period; a unit sees only its own
and may change nothing; the supervisor records by hand with evidence and decides the
outcome; the review shows the 二传手 flag and confirming it records the violation."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hotline.domain.enums import Role
from hotline.orders.models import Event, Violation
from hotline.orders.services import dispatch, handling
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

URL = "/office/violations/"
T0 = local(2026, 3, 2, 9)


def _order(city, lead, at=T0):
    order = factories.register(city, at)
    order = dispatch.order_dispatch(order=order, lead=lead, actor=None, at=at)
    return order


@pytest.fixture
def two_units(city):
    """One violation on 岳塘区 in March, one on 雨湖区 in April."""
    ours = _order(city, city.district)
    theirs = _order(city, city.other_district, local(2026, 4, 1, 9))
    Violation.objects.create(unit=city.district, order=ours, kind="leak", at=T0)
    Violation.objects.create(
        unit=city.other_district, order=theirs, kind="false_result", at=local(2026, 4, 2, 9)
    )
    return ours, theirs


def rows(response) -> str:
    return response.content.decode().split("<tbody>")[1].split("</tbody>")[0]


def test_a_unit_sees_only_its_own_violations_and_no_office_forms(signed_in, two_units):
    ours, theirs = two_units
    response = signed_in(Role.UNIT_HANDLER).get(URL)
    assert response.status_code == 200
    listed = rows(response)
    assert ours.number in listed and theirs.number not in listed
    page = response.content.decode()
    assert 'name="do" value="record"' not in page and 'name="do" value="outcome"' not in page
    # Asking for another unit's shows nothing of it.
    assert theirs.number not in rows(signed_in(Role.UNIT_HANDLER).get(URL, {"unit": "U-YH"}))


@pytest.mark.parametrize("role", [Role.UNIT_HANDLER, Role.LEADER])
def test_only_the_supervisor_may_change_a_violation(signed_in, two_units, role):
    violation = Violation.objects.get(kind="leak")
    response = signed_in(role).post(
        URL, {"do": "outcome", "violation": violation.pk, "outcome": "interview"}
    )
    assert response.status_code == 403
    violation.refresh_from_db()
    assert violation.outcome == ""


def test_the_office_filters_by_unit_and_period(signed_in, two_units):
    ours, theirs = two_units
    client = signed_in(Role.SUPERVISOR)
    both = rows(client.get(URL))
    assert ours.number in both and theirs.number in both
    april = rows(client.get(URL, {"since": "2026-04-01", "until": "2026-04-30"}))
    assert theirs.number in april and ours.number not in april
    assert ours.number not in rows(client.get(URL, {"unit": "U-YH"}))
    bad = client.get(URL, {"since": "2026-05-01", "until": "2026-04-01"})
    assert bad.status_code == 400 and "开始日期不能晚于结束日期" in bad.content.decode()


def test_the_supervisor_records_a_violation_with_evidence_and_decides_it(
    signed_in, city, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    order = _order(city, city.district)
    client = signed_in(Role.SUPERVISOR)
    evidence = SimpleUploadedFile("核查记录.txt", "现场仍有堆放物".encode(), "text/plain")
    response = client.post(
        URL,
        {
            "do": "record",
            "number": order.number,
            "unit": "U-YT",
            "kind": "false_result",
            "note": "答复称已清理，核查发现仍有堆放",
            "files": [evidence],
        },
    )
    assert response.status_code == 302
    violation = Violation.objects.get()
    assert violation.evidence.get().name == "核查记录.txt"
    assert "核查记录.txt" in client.get(URL).content.decode()

    response = client.post(URL, {"do": "outcome", "violation": violation.pk, "outcome": "referral"})
    assert response.status_code == 302
    violation.refresh_from_db()
    assert violation.outcome == "referral"
    assert "移送纪检监察机关" in rows(client.get(URL))


def test_a_violation_without_evidence_is_refused_on_the_page_nothing_written(signed_in, city):
    order = _order(city, city.district)
    client = signed_in(Role.SUPERVISOR)
    seen = Event.objects.count()
    response = client.post(
        URL, {"do": "record", "number": order.number, "unit": "U-YT", "kind": "other", "note": ""}
    )
    assert response.status_code == 400
    assert "请写明违规情况（证据）" in response.content.decode()
    response = client.post(
        URL, {"do": "record", "number": "29990000001", "unit": "U-YT", "kind": "other", "note": "x"}
    )
    assert response.status_code == 400 and "未找到工单" in response.content.decode()
    assert Event.objects.count() == seen and not Violation.objects.exists()


def test_the_review_shows_the_forwarding_flag_and_confirming_records_it(signed_in, city):
    handler = city.users[Role.UNIT_HANDLER]
    order = _order(city, city.district)
    handling.order_sign(order=order, actor=handler, at=T0 + timedelta(hours=1))
    handling.order_reply(
        order=order, text="已转交书院路街道处理。", actor=handler, at=T0 + timedelta(hours=2)
    )
    client = signed_in(Role.SUPERVISOR)
    desk = client.get(reverse("web:supervision_desk"), {"tab": "review"}).content.decode()
    assert "疑似二传手" in desk
    detail = client.get(f"/orders/{order.number}/").content.decode()
    assert "疑似二传手" in detail and 'name="forwarding"' in detail
    response = client.post(
        f"/orders/{order.number}/do/review/",
        {"decision": "rework", "note": "请写明办理结果", "forwarding": "true"},
    )
    assert response.status_code == 302
    violation = Violation.objects.get()
    assert (violation.kind, violation.unit) == ("forwarding", city.district)


def test_a_reply_with_a_result_shows_no_flag(signed_in, city):
    handler = city.users[Role.UNIT_HANDLER]
    order = _order(city, city.district)
    handling.order_sign(order=order, actor=handler, at=T0 + timedelta(hours=1))
    handling.order_reply(
        order=order, text="经现场核实，已责令停工。", actor=handler, at=T0 + timedelta(hours=2)
    )
    detail = signed_in(Role.SUPERVISOR).get(f"/orders/{order.number}/").content.decode()
    assert "疑似二传手" not in detail
