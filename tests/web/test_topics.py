"""The topic pages (每月一题): the office takes a topic up by hand or from the miner's
candidates (候选一类事), links orders, plans and moves it; a unit sees its own topics
and writes progress; leaders read; bad input gets a Chinese message and writes nothing;
the lists cost the same queries for 3 rows as for 30."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotline.domain.enums import Role, TopicLinkSource, TopicStatus
from hotline.domain.topic_mining import TopicCandidate
from hotline.governance.models import Milestone, ProgressNote, Topic, TopicOrder
from hotline.governance.services import (
    milestone_add,
    progress_note_add,
    topic_create,
    topic_link,
    topic_move,
)
from hotline.web import paging
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

NOW = local(2026, 11, 20, 10)
MONTH = "2026-11"


@pytest.fixture(autouse=True)
def _now():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def _topic(city, title="云盘小区3栋夜间施工噪音", lead=None, **fields):
    return topic_create(
        actor=city.users[Role.SUPERVISOR],
        title=title,
        lead_unit=lead or city.district,
        month=local(2026, 11, 1).date(),
        at=NOW,
        **fields,
    )


def _candidate(city, orders) -> TopicCandidate:
    return TopicCandidate(
        key="c0ffee",
        place="书院路云盘小区3栋",
        category_code=city.noise.code,
        category_name=city.noise.name,
        title="书院路云盘小区3栋噪音扰民",
        order_ids=tuple(o.pk for o in orders),
        unit_ids=(city.district.pk, city.water.pk),
        months=("2026-10", "2026-11"),
        repeat_callers=1,
        returns=1,
        reworks=0,
        unsatisfied=1,
        score=7.5,
        evidence=("2026-10至2026-11共3件，同一来电人反映2次", "回访不满意1件"),
    )


@pytest.fixture
def proposed(city):
    orders = [factories.register(city, local(2026, 11, d, 9)) for d in (2, 9, 16)]
    candidate = _candidate(city, orders)
    with mock.patch("hotline.web.views.topics.propose_topics", return_value=[candidate]) as miner:
        yield orders, miner


def test_the_office_takes_a_candidate_up_with_its_orders(signed_in, city, proposed):
    orders, miner = proposed
    client = signed_in(Role.SUPERVISOR)
    page = client.get("/topics/proposals/", {"month": MONTH})
    assert page.status_code == 200
    text = page.content.decode()
    assert "书院路云盘小区3栋噪音扰民" in text and "回访不满意1件" in text and "立项" in text
    assert miner.call_args.kwargs == {
        "month_start": local(2026, 11, 1).date(),
        "month_end": local(2026, 11, 20).date(),
    }
    response = client.post(
        "/topics/proposals/",
        {
            "key": "c0ffee",
            "month": MONTH,
            "title": "云盘小区3栋噪音治理",
            "lead_unit": "U-YT",
            "co_units": ["U-ZHSW"],
        },
    )
    topic = Topic.objects.get()
    assert response.status_code == 302 and response.url == f"/topics/{topic.pk}/"
    assert (topic.title, topic.lead_unit, topic.place, topic.category) == (
        "云盘小区3栋噪音治理",
        city.district,
        "书院路云盘小区3栋",
        city.noise,
    )
    assert list(topic.co_units.all()) == [city.water]
    assert "回访不满意1件" in topic.description
    assert set(TopicOrder.objects.values_list("order_id", flat=True)) == {o.pk for o in orders}
    # Taken up: the candidate now links to its topic instead of offering 立项.
    again = client.get("/topics/proposals/", {"month": MONTH}).content.decode()
    assert f"/topics/{topic.pk}/" in again and 'name="key"' not in again


def test_a_repeated_load_reads_the_candidates_and_new_data_mine_again(signed_in, city, proposed):
    _, miner = proposed
    client = signed_in(Role.DISPATCHER)
    first = client.get("/topics/proposals/", {"month": MONTH}).content.decode()
    assert "归类于 2026-11-20 10:00" in first
    again = client.get("/topics/proposals/", {"month": MONTH}).content.decode()
    assert miner.call_count == 1 and "书院路云盘小区3栋噪音扰民" in again
    # Another month is mined on its own.
    client.get("/topics/proposals/", {"month": "2026-10"})
    assert miner.call_count == 2
    # A new order (a new event) makes the next load mine the month again.
    factories.register(city, local(2026, 11, 20, 9, 30))
    client.get("/topics/proposals/", {"month": MONTH})
    assert miner.call_count == 3
    client.get("/topics/proposals/", {"month": MONTH})
    assert miner.call_count == 3


def test_a_candidate_without_a_lead_unit_is_refused_in_chinese(signed_in, proposed):
    response = signed_in(Role.SUPERVISOR).post(
        "/topics/proposals/",
        {"key": "c0ffee", "month": MONTH, "title": "云盘小区噪音", "lead_unit": ""},
    )
    assert response.status_code == 400
    assert "每月一题必须指定牵头单位" in response.content.decode()
    assert not Topic.objects.exists() and not TopicOrder.objects.exists()


def test_a_candidate_gone_from_the_month_is_refused(signed_in, proposed):
    response = signed_in(Role.SUPERVISOR).post(
        "/topics/proposals/",
        {"key": "gone", "month": MONTH, "title": "题", "lead_unit": "U-YT"},
    )
    assert response.status_code == 400
    assert "该候选已不在本月的候选一类事中" in response.content.decode()
    assert not Topic.objects.exists()


def test_a_leader_reads_the_candidates_without_the_button(signed_in, proposed):
    text = signed_in(Role.LEADER).get("/topics/proposals/").content.decode()
    assert "书院路云盘小区3栋噪音扰民" in text and 'name="key"' not in text
    refused = signed_in(Role.LEADER).post(
        "/topics/proposals/", {"key": "c0ffee", "month": MONTH, "title": "题", "lead_unit": "U-YT"}
    )
    assert refused.status_code == 403 and not Topic.objects.exists()


def test_a_topic_by_hand_needs_its_lead_unit(signed_in):
    client = signed_in(Role.DISPATCHER)
    response = client.post("/topics/", {"title": "建设北路占道经营", "month": MONTH})
    assert response.status_code == 400
    assert "每月一题必须指定牵头单位" in response.content.decode()
    assert not Topic.objects.exists()
    done = client.post(
        "/topics/",
        {"title": "建设北路占道经营", "month": MONTH, "lead_unit": "U-YH", "keywords": "占道"},
    )
    topic = Topic.objects.get()
    assert done.status_code == 302 and topic.lead_unit.code == "U-YH" and topic.keywords == "占道"


def test_linking_planning_and_progress_on_the_topic_page(signed_in, city):
    topic = _topic(city)
    order = factories.register(city, local(2026, 11, 5, 9))
    url = f"/topics/{topic.pk}/"
    office = signed_in(Role.SUPERVISOR)
    assert office.post(url, {"do": "link", "number": order.number}).status_code == 302
    twice = office.post(url, {"do": "link", "number": order.number}, follow=True)
    assert f"工单 {order.number} 已关联到本题" in twice.content.decode()
    missing = office.post(url, {"do": "link", "number": "20269999999"})
    assert missing.status_code == 400 and "未找到工单 20269999999" in missing.content.decode()
    office.post(url, {"do": "milestone", "title": "约谈施工单位", "due_on": "2026-11-30"})
    step = Milestone.objects.get()
    office.post(url, {"do": "milestone_done", "milestone": step.pk})
    office.post(url, {"do": "note", "text": "已约谈，夜间停工"})
    office.post(url, {"do": "move", "status": "solved"})
    text = office.get(url).content.decode()
    assert order.number in text and "约谈施工单位" in text and "已约谈，夜间停工" in text
    assert "工作计划（完成 1/1）" in text
    topic.refresh_from_db()
    assert topic.status == TopicStatus.SOLVED and topic.solved_at == NOW
    assert TopicOrder.objects.get().order == order


def test_a_unit_sees_its_topics_and_writes_progress_but_does_not_plan(signed_in, city):
    ours = _topic(city)
    theirs = _topic(city, "雨湖区的事", lead=city.other_district)
    unit = signed_in(Role.UNIT_HANDLER)
    listed = unit.get("/topics/").content.decode()
    assert ours.title in listed and theirs.title not in listed and 'name="lead_unit"' not in listed
    assert unit.get(f"/topics/{theirs.pk}/").status_code == 404
    assert unit.post(f"/topics/{ours.pk}/", {"do": "note", "text": "已排查"}).status_code == 302
    assert ProgressNote.objects.get().unit == city.district
    refused = unit.post(
        f"/topics/{ours.pk}/", {"do": "milestone", "title": "x", "due_on": "2026-12-01"}
    )
    assert refused.status_code == 403 and not Milestone.objects.exists()


def test_the_leader_dashboard_shows_active_topics_and_their_progress(signed_in, city):
    topic = _topic(city)
    supervisor = city.users[Role.SUPERVISOR]
    milestone_add(topic=topic, title="排查", due_on=NOW.date(), actor=supervisor)
    progress_note_add(topic=topic, text="已完成第一轮排查", actor=supervisor, at=NOW)
    closed = _topic(city, "已结束的题")
    topic_move(topic=closed, status="closed", actor=supervisor, at=NOW)
    text = signed_in(Role.LEADER).get("/leader/").content.decode()
    panel = text.split('id="topics-title"')[1].split("</section>")[0]
    assert topic.title in panel and "已完成第一轮排查" in panel and "0/1" in panel
    assert closed.title not in panel


def _many_topics(city, n, first=0):
    supervisor = city.users[Role.SUPERVISOR]
    for i in range(first, first + n):
        topic = _topic(city, f"第{i}题", co_units=[city.water])
        topic_link(topic=topic, order=factories.register(city, NOW), actor=supervisor, at=NOW)
        milestone_add(topic=topic, title="排查", due_on=NOW.date(), actor=supervisor)
        progress_note_add(topic=topic, text=f"进展{i}", actor=supervisor, at=NOW)
    return topic


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("role", "path"),
    [(Role.SUPERVISOR, "/topics/"), (Role.UNIT_HANDLER, "/topics/"), (Role.LEADER, "/leader/")],
)
def test_the_lists_cost_the_same_queries_for_three_topics_as_for_thirty(
    signed_in, city, role, path
):
    _many_topics(city, 3)
    client = signed_in(role)
    _count(client, path)  # the session and anything read once
    few = _count(client, path)
    _many_topics(city, 27, first=3)
    assert paging.PAGE_SIZE >= 30
    assert _count(client, path) == few


def test_a_topic_page_costs_the_same_queries_whatever_its_orders(signed_in, city):
    topic = _many_topics(city, 1)
    client = signed_in(Role.SUPERVISOR)
    _count(client, f"/topics/{topic.pk}/")
    few = _count(client, f"/topics/{topic.pk}/")
    supervisor = city.users[Role.SUPERVISOR]
    for _ in range(20):
        topic_link(topic=topic, order=factories.register(city, NOW), actor=supervisor, at=NOW)
        progress_note_add(topic=topic, text="又一进展", actor=supervisor, at=NOW)
    assert _count(client, f"/topics/{topic.pk}/") == few


def test_the_topic_page_suggests_orders_of_its_kind_and_links_one(signed_in, city):
    place = "岳塘区书院路云盘小区3栋"
    linked = factories.register(city, local(2026, 11, 2, 9), address=place)
    same = factories.register(city, local(2026, 11, 9, 9), address=f"{place}2单元")
    elsewhere = factories.register(city, local(2026, 11, 9, 10), address="书院路云盘小区8栋")
    other_kind = factories.register(
        city, local(2026, 11, 9, 11), address=place, category=city.water_supply, content="停水"
    )
    topic = _topic(city, place="书院路云盘小区3栋", category=city.noise, order_ids=[linked.pk])
    office = signed_in(Role.SUPERVISOR)
    page = office.get(f"/topics/{topic.pk}/").content.decode()
    suggested = page.split('id="suggestions-title"')[1].split("</table>")[0]
    assert same.number in suggested
    assert linked.number not in suggested
    assert elsewhere.number not in suggested and other_kind.number not in suggested
    response = office.post(
        f"/topics/{topic.pk}/", {"do": "link", "number": same.number, "suggested": "1"}
    )
    assert response.status_code == 302
    assert TopicOrder.objects.get(order=same).source == TopicLinkSource.SUGGESTION
    assert 'id="suggestions-title"' not in office.get(f"/topics/{topic.pk}/").content.decode()
    # A unit writes progress but links nothing: no suggestions for it.
    unit_page = signed_in(Role.UNIT_HANDLER).get(f"/topics/{topic.pk}/").content.decode()
    assert 'id="suggestions-title"' not in unit_page
