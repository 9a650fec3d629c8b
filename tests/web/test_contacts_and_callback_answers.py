"""Pages of SPEC 4 (2026-12): the unit records a contact from its inbox and the order
page; the reply says whether the problem is resolved; the callback asks whether it was
solved and whether the unit contacted the citizen, with the agent's note; the office
sees the contacts on the order page."""

from datetime import timedelta

import pytest

from hotline.domain.enums import Role
from hotline.orders.models import Callback, Contact, Reply, Violation
from hotline.orders.services import dispatch, handling, review
from tests import factories
from tests.conftest import local
from tests.web.test_callback import _callback

NOW = local(2026, 3, 3, 10, 0)


@pytest.fixture(autouse=True)
def _now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


@pytest.fixture
def signed(city):
    order = factories.register(city, local(2026, 3, 2, 9))
    dispatch.order_dispatch(order=order, lead=city.district, actor=None, at=local(2026, 3, 2, 9))
    return handling.order_sign(
        order=order, actor=city.users[Role.UNIT_HANDLER], at=local(2026, 3, 2, 10)
    )


def test_the_inbox_row_records_a_contact_in_one_step(signed_in, signed):
    client = signed_in(Role.UNIT_HANDLER)
    page = client.get("/unit/", {"tab": "in_progress"}).content.decode()
    assert f'action="/orders/{signed.number}/do/contact/"' in page
    assert "联系诉求人" in page and "上门走访" in page and "未联系上" in page
    response = client.post(
        f"/orders/{signed.number}/do/contact/",
        {
            "version": signed.version,
            "next": "/unit/?tab=in_progress",
            "contacted_at": "2026-03-02T14:30",
            "way": "on_site",
            "outcome": "reached",
        },
    )
    assert response.status_code == 302 and response.url == "/unit/?tab=in_progress"
    contact = Contact.objects.get(order=signed)
    assert (contact.at, contact.way, contact.outcome) == (
        local(2026, 3, 2, 14, 30),
        "on_site",
        "reached",
    )


def test_a_refused_contact_comes_back_as_a_chinese_message(signed_in, signed):
    client = signed_in(Role.UNIT_HANDLER)
    response = client.post(
        f"/orders/{signed.number}/do/contact/",
        {"version": signed.version, "contacted_at": "2026-03-04T09:00", "way": "phone",
         "outcome": "reached"},
        follow=True,
    )  # fmt: skip
    assert "联系时间不能晚于当前时间" in response.content.decode()
    assert not Contact.objects.exists()


def test_the_office_sees_the_contacts_and_the_unit_has_the_action_on_the_order_page(
    signed_in, city, signed
):
    handling.order_contact(
        order=signed, way="phone", outcome="unreachable", actor=None, unit=city.district, now=NOW
    )
    office = signed_in(Role.SUPERVISOR).get(f"/orders/{signed.number}/").content.decode()
    assert "联系诉求人" in office and "未联系上" in office and "响应时限" in office
    assert f"/orders/{signed.number}/do/contact/" not in office  # the office does not contact
    agent = signed_in(Role.CALLBACK_AGENT).get(f"/orders/{signed.number}/").content.decode()
    assert "未联系上" in agent
    unit = signed_in(Role.UNIT_HANDLER).get(f"/orders/{signed.number}/").content.decode()
    assert f"/orders/{signed.number}/do/contact/" in unit


def test_the_reply_page_asks_whether_the_problem_is_resolved(signed_in, signed):
    client = signed_in(Role.UNIT_HANDLER)
    url = f"/unit/orders/{signed.number}/reply/"
    page = client.get(url).content.decode()
    assert "问题已解决" in page and "未解决（请在答复中说明原因）" in page
    missing = client.post(url, {"version": signed.version, "text": "已处理", "contacted": "on"})
    assert missing.status_code == 400 and "请选择问题是否已解决" in missing.content.decode()
    done = client.post(
        url, {"version": signed.version, "text": "已处理", "contacted": "on", "resolved": "true"}
    )
    assert done.status_code == 302
    assert Reply.objects.get(order=signed).resolved is True


def test_the_callback_form_asks_the_new_questions_and_keeps_the_answers(signed_in, city, signed):
    handling.order_reply(
        order=signed, text="已处理完毕", resolved=True, actor=None, unit=city.district,
        at=NOW - timedelta(hours=1),
    )  # fmt: skip
    review.order_review(order=signed, decision="accept", actor=None, at=NOW - timedelta(minutes=30))
    client = signed_in(Role.CALLBACK_AGENT)
    page = client.get("/callback/").content.decode()
    assert "问题是否解决？" in page and "承办单位是否联系过您？" in page and "回访备注" in page
    assert 'value="not_solved"' in page
    _callback(
        client, signed, result="unsatisfied", solved="not_solved", unit_contacted="false",
        note="市民称噪音依旧", pressured="false", leaked="false",
    )  # fmt: skip
    callback = Callback.objects.get(order=signed)
    assert (callback.solved, callback.unit_contacted, callback.note) == (
        "not_solved",
        False,
        "市民称噪音依旧",
    )
    assert Violation.objects.get().kind == "contradiction"
    office = signed_in(Role.SUPERVISOR).get(f"/orders/{signed.number}/").content.decode()
    assert "未解决" in office and "市民称噪音依旧" in office
