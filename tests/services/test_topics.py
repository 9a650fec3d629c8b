"""Topics (每月一题) through the services: the lead unit they need, linking, the plan and
progress, unit scoping, moving on, and the recurrence watch with its own clock."""

import pytest

from hotline.audit.models import AuditRecord
from hotline.domain.enums import Role, TopicLinkSource, TopicStatus
from hotline.domain.permissions import NotPermitted
from hotline.domain.topics import LEAD_UNIT_REQUIRED, TopicRefused
from hotline.governance.models import ProgressNote, Recurrence, Topic, TopicOrder
from hotline.governance.recurrence import topic_recurrence_watch
from hotline.governance.selectors import visible_topics, watched_topics
from hotline.governance.services import (
    milestone_add,
    milestone_done,
    progress_note_add,
    topic_create,
    topic_link,
    topic_move,
)
from tests import factories
from tests.conftest import local

AT = local(2026, 11, 3, 10)


def _topic(city, **fields):
    fields.setdefault("lead_unit", city.district)
    return topic_create(
        actor=city.users[Role.SUPERVISOR],
        title=fields.pop("title", "云盘小区3栋夜间施工噪音"),
        month=local(2026, 11, 1).date(),
        at=fields.pop("at", AT),
        **fields,
    )


def test_a_topic_without_a_lead_unit_is_refused_in_chinese(city):
    with pytest.raises(TopicRefused) as refused:
        _topic(city, lead_unit=None)
    assert refused.value.message == LEAD_UNIT_REQUIRED == "每月一题必须指定牵头单位"
    assert not Topic.objects.exists()


def test_the_lead_unit_is_not_also_a_co_unit(city):
    with pytest.raises(TopicRefused, match="牵头单位不能同时是配合单位"):
        _topic(city, co_units=[city.district])
    assert not Topic.objects.exists()


def test_taken_up_from_a_proposal_its_orders_are_linked_and_audited(city):
    orders = [factories.register(city, local(2026, 10, d, 9)) for d in (5, 12, 19)]
    topic = _topic(
        city,
        co_units=[city.water, city.water],
        proposal_key="abc123",
        order_ids=[o.pk for o in orders],
    )
    assert topic.status == TopicStatus.ACTIVE
    assert topic.month == local(2026, 11, 1).date()
    assert list(topic.co_units.all()) == [city.water]
    links = TopicOrder.objects.filter(topic=topic)
    assert sorted(links.values_list("order_id", flat=True)) == sorted(o.pk for o in orders)
    assert set(links.values_list("source", flat=True)) == {TopicLinkSource.PROPOSAL.value}
    record = AuditRecord.objects.get(action=AuditRecord.Action.TOPIC_CHANGE)
    assert "云盘小区3栋夜间施工噪音" in record.detail and "岳塘区" in record.detail


def test_an_order_is_linked_once(city):
    topic = _topic(city)
    order = factories.register(city, AT)
    supervisor = city.users[Role.SUPERVISOR]
    topic_link(topic=topic, order=order, actor=supervisor, at=AT)
    with pytest.raises(TopicRefused, match=f"工单 {order.number} 已关联到本题"):
        topic_link(topic=topic, order=order, actor=supervisor, at=AT)
    assert TopicOrder.objects.filter(topic=topic).count() == 1


@pytest.mark.parametrize("role", [Role.LEADER, Role.UNIT_HANDLER, Role.OPERATOR])
def test_only_the_office_takes_topics_up_and_plans_them(city, role):
    topic = _topic(city)
    actor = city.users[role]
    with pytest.raises(NotPermitted):
        topic_create(actor=actor, title="题", lead_unit=city.district, month=AT.date(), at=AT)
    with pytest.raises(NotPermitted):
        milestone_add(topic=topic, title="排查", due_on=AT.date(), actor=actor)
    with pytest.raises(NotPermitted):
        topic_move(topic=topic, status="solved", actor=actor, at=AT)


def test_units_see_and_write_progress_of_their_own_topics_only(city):
    led = _topic(city, title="岳塘区牵头")
    helped = _topic(city, title="配合中环水务", lead_unit=city.water, co_units=[city.district])
    other = _topic(city, title="雨湖区的事", lead_unit=city.other_district)
    handler = city.users[Role.UNIT_HANDLER]  # 岳塘区
    assert set(visible_topics(viewer=handler)) == {led, helped}
    assert set(visible_topics(viewer=city.users[Role.LEADER])) == {led, helped, other}
    street = factories.user(Role.UNIT_HANDLER, unit=city.street_office)
    assert set(visible_topics(viewer=street)) == set()

    note = progress_note_add(topic=helped, text="已排查管网", actor=handler, at=AT)
    assert note.unit == city.district
    with pytest.raises(NotPermitted, match="不是该题的牵头或配合单位"):
        progress_note_add(topic=other, text="越权填报", actor=handler, at=AT)
    with pytest.raises(NotPermitted):
        progress_note_add(topic=led, text="领导不填报", actor=city.users[Role.LEADER], at=AT)
    assert list(ProgressNote.objects.values_list("text", flat=True)) == ["已排查管网"]


def test_milestones_are_done_once_and_a_closed_topic_takes_no_progress(city):
    topic = _topic(city)
    supervisor = city.users[Role.SUPERVISOR]
    step = milestone_add(topic=topic, title="约谈施工单位", due_on=AT.date(), actor=supervisor)
    milestone_done(milestone=step, actor=supervisor, at=AT)
    with pytest.raises(TopicRefused, match="已完成"):
        milestone_done(milestone=step, actor=supervisor, at=AT)
    topic_move(topic=topic, status="closed", actor=supervisor, at=AT)
    with pytest.raises(TopicRefused, match="不能改为"):
        topic_move(topic=topic, status="active", actor=supervisor, at=AT)
    with pytest.raises(TopicRefused, match="已结束"):
        progress_note_add(topic=Topic.objects.get(pk=topic.pk), text="x", actor=supervisor, at=AT)


def test_the_recurrence_watch_flags_new_orders_of_the_kind_after_solving(city):
    supervisor = city.users[Role.SUPERVISOR]
    place = "岳塘区书院路云盘小区3栋2单元"
    before = factories.register(city, local(2026, 10, 20, 9), address=place)
    topic = _topic(city, place="书院路云盘小区3栋", category=city.noise, order_ids=[before.pk])
    solved_at = local(2026, 12, 1, 9)
    topic_move(topic=topic, status="solved", actor=supervisor, at=solved_at)
    back = factories.register(city, local(2026, 12, 3, 20), address="书院路云盘小区3栋")
    factories.register(city, local(2026, 12, 3, 21), address="书院路云盘小区8栋")
    factories.register(
        city, local(2026, 12, 3, 22), address=place, category=city.water_supply, content="停水"
    )
    later = factories.register(city, local(2026, 12, 5, 9), address=place)
    # Not solved: not watched.
    _topic(city, title="仍在推进", place="书院路12号", category=city.noise)

    summary = topic_recurrence_watch(now=local(2026, 12, 4, 0, 0))
    assert summary == "回头看每月一题 1 项，发现解决后新增工单 1 件"
    assert list(Recurrence.objects.values_list("order_id", flat=True)) == [back.pk]
    assert Topic.objects.get(pk=topic.pk).watched_at == local(2026, 12, 4, 0, 0)

    # The next day's run adds what came since, never twice.
    topic_recurrence_watch(now=local(2026, 12, 6, 0, 0))
    topic_recurrence_watch(now=local(2026, 12, 6, 0, 0))
    assert sorted(Recurrence.objects.values_list("order_id", flat=True)) == [back.pk, later.pk]

    # Closing ends the watch.
    topic_move(topic=topic, status="closed", actor=supervisor, at=local(2026, 12, 6, 9))
    assert not watched_topics().exists()
