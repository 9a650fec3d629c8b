"""SPEC 5 (2026-12): each unit sees its own provisional row and the breakdown of every
point lost as soon as the month ends; the office sees any unit's; no unit sees another's."""

import pytest

from hotline.domain.enums import Role
from hotline.orders.services.dispatch import order_dispatch
from tests.conftest import local
from tests.factories import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def never_signed(city):
    """Orders of March 2026 never signed for: each fell due at its sign-for deadline."""

    def dispatch(lead, day):
        order = register(city, local(2026, 3, day, 9))
        return order_dispatch(
            order=order, lead=lead, actor=city.users[Role.DISPATCHER], at=local(2026, 3, day, 10)
        )

    return {
        "own": dispatch(city.district, 2),
        "other": dispatch(city.other_district, 3),
    }


def test_a_unit_sees_its_own_provisional_row_and_the_points_each_order_cost(
    client, city, never_signed
):
    client.force_login(city.users[Role.UNIT_HANDLER])
    html = client.get("/assessment/", {"period": "2026-03"}).content.decode()
    assert "岳塘区" in html and "区县政府" in html
    assert "样本不足" in html  # 1 due order, below the office's minimum of 5
    assert 'class="loss-not_handled"' in html and "未办结" in html
    assert "60.0" in html  # (30 + 30) / 1 due
    assert never_signed["own"].number in html
    assert never_signed["other"].number not in html


def test_a_unit_cannot_ask_for_another_units_breakdown(client, city, never_signed):
    client.force_login(city.users[Role.UNIT_HANDLER])
    html = client.get("/assessment/", {"period": "2026-03", "unit": "U-YH"}).content.decode()
    assert never_signed["other"].number not in html
    assert "雨湖区" not in html


def test_the_office_sees_any_units_breakdown(client, city, never_signed):
    client.force_login(city.users[Role.SUPERVISOR])
    html = client.get("/assessment/", {"period": "2026-03", "unit": "U-YH"}).content.decode()
    assert never_signed["other"].number in html
    assert never_signed["own"].number not in html


def test_the_office_sees_every_unit_ranked_within_its_class(client, city, never_signed):
    client.force_login(city.users[Role.SUPERVISOR])
    html = client.get("/assessment/", {"period": "2026-03"}).content.decode()
    ranking = html[html.index("分档排名") :]
    assert "<h3>区县政府</h3>" in ranking
    assert "岳塘区" in ranking and "雨湖区" in ranking
    client.force_login(city.users[Role.UNIT_HANDLER])
    assert "分档排名" not in client.get("/assessment/", {"period": "2026-03"}).content.decode()


def test_a_month_without_due_orders_says_so(client, city):
    client.force_login(city.users[Role.UNIT_HANDLER])
    html = client.get("/assessment/", {"period": "2026-02"}).content.decode()
    assert "本月没有计入考核的工单" in html


# --- appeals from the breakdown, decided in the office's queue (SPEC 4, 2026-12) ------


@pytest.fixture
def unsatisfied(city, settings, tmp_path):
    from hotline.orders.services import handling, review

    settings.MEDIA_ROOT = tmp_path
    handler = city.users[Role.UNIT_HANDLER]
    order = register(city, local(2026, 3, 2, 9))
    order_dispatch(order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 9))
    handling.order_sign(order=order, actor=handler, at=local(2026, 3, 2, 10))
    handling.order_reply(order=order, text="已处理完毕", actor=handler, at=local(2026, 3, 3, 9))
    review.order_review(order=order, decision="accept", actor=None, at=local(2026, 3, 3, 10))
    return review.order_callback(
        order=order,
        result="unsatisfied",
        actor=city.users[Role.CALLBACK_AGENT],
        at=local(2026, 3, 5, 9),
    )


def test_a_unit_appeals_with_evidence_and_the_supervisor_upholds(
    client, city, unsatisfied, monkeypatch
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hotline.configuration.services import setting_set
    from hotline.orders.models import AppealFiling

    setting_set(key="assessment_minimum_due", text="0")
    monkeypatch.setattr("django.utils.timezone.now", lambda: local(2026, 4, 1, 10))
    client.force_login(city.users[Role.UNIT_HANDLER])
    page = client.get("/assessment/", {"period": "2026-03"}).content.decode()
    assert "回访不满意" in page and 'class="appeal-form"' in page
    assert ">80.0<" in page  # satisfaction 0 of 1: 20 points lost
    evidence = SimpleUploadedFile("情况说明.txt", "诉求人要求超出政策规定".encode(), "text/plain")
    response = client.post(
        f"/assessment/appeal/{unsatisfied.number}/",
        {"kind": "unreasonable", "reason": "诉求人要求超出政策规定", "files": [evidence],
         "period": "2026-03"},
    )  # fmt: skip
    assert response.status_code == 302
    filing = AppealFiling.objects.get()
    assert filing.attachments.get().name == "情况说明.txt"
    again = client.post(
        f"/assessment/appeal/{unsatisfied.number}/",
        {"kind": "other", "reason": "再次申诉", "period": "2026-03"},
        follow=True,
    )
    assert "不能重复申诉" in again.content.decode()

    client.force_login(city.users[Role.SUPERVISOR])
    queue = client.get("/assessment/appeals/").content.decode()
    assert unsatisfied.number in queue and "情况说明.txt" in queue and "无理诉求" in queue
    client.post(
        f"/assessment/appeals/{unsatisfied.number}/decide/",
        {"decision": "upheld", "note": "诉求确属无理"},
    )
    filing.refresh_from_db()
    assert filing.decision == "upheld"
    assert "没有待裁定的申诉" in client.get("/assessment/appeals/").content.decode()
    # 无理诉求 upheld: the order left the unit's assessment.
    client.force_login(city.users[Role.UNIT_HANDLER])
    after = client.get("/assessment/", {"period": "2026-03"}).content.decode()
    assert "本月没有计入考核的工单" in after
