"""The callback queue's 回访分配: tabs by who is to call (我的回访, 未分配, 全部) with their
counts, the lead's batch assignment with an answer per order, an agent's 领取 and 退回,
and the keyset pages and the export of each tab."""

import io
import re
from unittest import mock

import pytest
from openpyxl import load_workbook

from hotline.domain.enums import Role
from hotline.orders.models import Order
from hotline.orders.services import review
from hotline.orders.services.callback_assignment import order_callback_assign
from hotline.web import paging
from tests import factories
from tests.conftest import local
from tests.web.test_callback import concluded

NOW = local(2026, 3, 20, 10, 0)


@pytest.fixture(autouse=True)
def _now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def rows(response) -> list[str]:
    return re.findall(r'<tr id="order-(\d+)"', response.content.decode())


def tabs(response) -> dict[str, str]:
    """Each tab's label and its count as shown."""
    html = response.content.decode()
    nav = html[html.index('aria-label="回访分类"') : html.index("</nav>", html.index("回访分类"))]
    return dict(re.findall(r'>([^<>]+?) <span class="badge">([^<]*)</span></a>', nav))


@pytest.fixture
def awaiting(city):
    """Five concluded orders awaiting their callback, oldest first."""
    return [concluded(city, local(2026, 3, 2 + i, 9)) for i in range(5)]


@pytest.fixture
def second_agent(city):
    return factories.user(Role.CALLBACK_AGENT, username="agent2")


def _batch(client, orders, **fields):
    posted = []
    for order in orders:
        order.refresh_from_db()
        posted.append(f"{order.number}@{order.version}")
    data = {"orders": posted, "next": "/callback/?tab=all", **fields}
    return client.post("/orders/batch/callback-assign/", data, follow=True)


def test_the_lead_sees_all_and_unassigned_an_agent_their_own_and_unassigned(
    signed_in, city, awaiting
):
    lead_page = signed_in(Role.SUPERVISOR).get("/callback/")
    assert tabs(lead_page) == {"全部": "5", "未分配": "5", "已回访待归档": "0"}
    assert rows(lead_page) == [o.number for o in awaiting]
    assert 'id="assign-agent"' in lead_page.content.decode()
    agent_page = signed_in(Role.CALLBACK_AGENT).get("/callback/")
    assert tabs(agent_page) == {"我的回访": "0", "未分配": "5", "已回访待归档": "0"}
    # Nothing of their own yet: the agent starts at the unassigned, with 领取.
    assert rows(agent_page) == [o.number for o in awaiting]
    html = agent_page.content.decode()
    assert "领取所选" in html and 'id="assign-agent"' not in html


def test_the_lead_assigns_a_batch_and_each_order_answers_for_itself(
    signed_in, city, awaiting, second_agent
):
    agent = city.users[Role.CALLBACK_AGENT]
    lead = signed_in(Role.SUPERVISOR)
    # One already called back, one another agent holds, one changed since it was listed.
    review.order_callback(order=awaiting[3], result="satisfied", actor=agent, at=NOW)
    order_callback_assign(order=awaiting[4], agent=second_agent, actor=second_agent, at=NOW)
    posted = []
    for order in awaiting:
        order.refresh_from_db()
        posted.append(f"{order.number}@{order.version}")
    order_callback_assign(order=awaiting[2], agent=second_agent, actor=second_agent, at=NOW)
    response = lead.post(
        "/orders/batch/callback-assign/",
        {"orders": posted, "next": "/callback/?tab=all", "agent": agent.username},
        follow=True,
    )
    html = response.content.decode()
    for order in awaiting[:2]:
        assert f"工单 {order.number}：回访分配已完成" in html
    assert (
        f"工单 {awaiting[2].number}：工单 {awaiting[2].number} 已被他人处理，请刷新后重试" in html
    )
    assert f"工单 {awaiting[3].number}：该工单已回访，无需分配" in html
    assert f"工单 {awaiting[4].number}：已分配给回访员「agent2」" in html
    assert "批量回访分配：2 件完成，3 件未完成" in html
    held = dict(Order.objects.values_list("number", "callback_agent"))
    assert [held[o.number] for o in awaiting] == [agent.username] * 2 + ["agent2", "", "agent2"]
    # The lead's 全部 names who holds each order.
    assert "回访员：callback_agent" in html
    mine = signed_in(Role.CALLBACK_AGENT).get("/callback/")
    assert tabs(mine)["我的回访"] == "2"
    assert rows(mine) == [o.number for o in awaiting[:2]]  # their own tab first now
    # Reassigning takes an order from another agent only when asked.
    lead = signed_in(Role.SUPERVISOR)  # the same test client, signed in again
    _batch(lead, [awaiting[4]], agent=agent.username, reassign="true")
    assert Order.objects.get(pk=awaiting[4].pk).callback_agent == agent.username


def test_an_agent_takes_and_gives_back(signed_in, city, awaiting):
    client = signed_in(Role.CALLBACK_AGENT)
    agent = city.users[Role.CALLBACK_AGENT]
    html = _batch(client, awaiting[:2], agent=agent.username).content.decode()
    assert "批量回访分配：2 件完成，0 件未完成" in html
    assert rows(client.get("/callback/", {"tab": "mine"})) == [o.number for o in awaiting[:2]]
    # An agent may not hand orders to someone else.
    other = factories.user(Role.CALLBACK_AGENT, username="agent3")
    html = _batch(client, awaiting[2:3], agent=other.username).content.decode()
    assert "回访员只能领取给自己" in html
    html = _batch(client, awaiting[:1], agent="").content.decode()
    assert "批量回访分配：1 件完成，0 件未完成" in html
    assert rows(client.get("/callback/", {"tab": "mine"})) == [awaiting[1].number]


def test_an_unknown_agent_is_refused_before_any_order(signed_in, awaiting):
    html = _batch(signed_in(Role.SUPERVISOR), awaiting, agent="nobody").content.decode()
    assert "回访员「nobody」不存在或已停用" in html
    assert not Order.objects.exclude(callback_agent="").exists()


def test_a_tab_pages_and_exports_within_its_filter(signed_in, city, awaiting):
    agent = city.users[Role.CALLBACK_AGENT]
    for order in awaiting[1:]:
        order_callback_assign(order=order, agent=agent, actor=agent, at=NOW)
    client = signed_in(Role.CALLBACK_AGENT)
    defaults = {**paging.keyset_page.__kwdefaults__, "size": 3}
    with mock.patch.object(paging.keyset_page, "__kwdefaults__", defaults):
        first = client.get("/callback/", {"tab": "mine"})
        assert rows(first) == [o.number for o in awaiting[1:4]]
        cursor = re.search(r'rel="next" href="\?([^"]+)"', first.content.decode()).group(1)
        assert "tab=mine" in cursor
        second = client.get("/callback/?" + cursor.replace("&amp;", "&"))
        assert rows(second) == [awaiting[4].number]
    exported = client.get("/callback/", {"tab": "mine", "export": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(exported.streaming_content)), read_only=True)
    sheet = list(book.active.iter_rows(values_only=True))
    assert sheet[0][0].startswith("回访-我的回访")
    assert [row[0] for row in sheet[2:]] == [o.number for o in awaiting[1:]]


def test_counts_stop_at_the_cap(signed_in, city, awaiting, monkeypatch):
    monkeypatch.setattr("hotline.orders.selectors.COUNT_CAP", 3)
    assert tabs(signed_in(Role.SUPERVISOR).get("/callback/"))["全部"] == "3+"


def test_the_callback_made_leaves_my_tab(signed_in, city, awaiting):
    agent = city.users[Role.CALLBACK_AGENT]
    order = order_callback_assign(order=awaiting[0], agent=agent, actor=agent, at=NOW)
    client = signed_in(Role.CALLBACK_AGENT)
    client.post(
        f"/orders/{order.number}/do/callback/",
        {"version": order.version, "result": "satisfied", "note": "市民满意"},
    )
    assert rows(client.get("/callback/", {"tab": "mine"})) == []
    assert order.number in rows(client.get("/callback/", {"tab": "done"}))


def test_assignment_shows_on_the_order_timeline(signed_in, city, awaiting):
    agent = city.users[Role.CALLBACK_AGENT]
    agent.first_name = "王回访"
    agent.save()
    order_callback_assign(order=awaiting[0], agent=agent, actor=city.users[Role.SUPERVISOR], at=NOW)
    html = signed_in(Role.SUPERVISOR).get(f"/orders/{awaiting[0].number}/").content.decode()
    assert "回访分配" in html and "王回访" in html
