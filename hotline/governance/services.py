"""Topic use cases (每月一题), one transaction each: the office takes a topic up (by hand
or from the miner's proposal, its orders linked), links further orders, plans
milestones and moves the topic on; the office and the topic's units write progress."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction

from hotline.audit.models import AuditRecord
from hotline.audit.services import audit_record
from hotline.directory.models import Category, Unit
from hotline.domain.actions import Action
from hotline.domain.enums import TopicLinkSource, TopicStatus
from hotline.domain.permissions import NotPermitted, require
from hotline.domain.topics import TopicRefused, check_move, check_shape
from hotline.governance.models import Milestone, ProgressNote, Topic, TopicOrder
from hotline.governance.selectors import writes_for_topic
from hotline.orders.models import Order


@transaction.atomic
def topic_create(
    *,
    actor,
    title: str,
    lead_unit: Unit | None,
    month: date,
    at: datetime,
    co_units: Iterable[Unit] = (),
    description: str = "",
    place: str = "",
    category: Category | None = None,
    keywords: str = "",
    proposal_key: str = "",
    order_ids: Iterable[int] = (),
) -> Topic:
    """A topic taken up; ``order_ids`` (the proposal's orders) are linked at once."""
    require(actor.role, Action.TOPIC_MANAGE)
    co_units = list(dict.fromkeys(co_units))
    check_shape(
        title=title,
        lead_unit_id=lead_unit.pk if lead_unit else None,
        co_unit_ids=tuple(u.pk for u in co_units),
    )
    topic = Topic.objects.create(
        title=title.strip(),
        description=description.strip(),
        lead_unit=lead_unit,
        month=month.replace(day=1),
        place=place.strip(),
        category=category,
        keywords=keywords.strip(),
        proposal_key=proposal_key,
        created_by=actor,
        created_at=at,
    )
    topic.co_units.set(co_units)
    orders = Order.objects.filter(pk__in=list(order_ids)).values_list("pk", flat=True)
    TopicOrder.objects.bulk_create(
        TopicOrder(
            topic=topic,
            order_id=order_id,
            source=TopicLinkSource.PROPOSAL,
            linked_by=actor,
            linked_at=at,
        )
        for order_id in orders
    )
    audit_record(
        action=AuditRecord.Action.TOPIC_CHANGE,
        actor=actor,
        detail=f"立项：{topic.title}（牵头单位 {lead_unit.name}）",
    )
    return topic


@transaction.atomic
def topic_link(
    *,
    topic: Topic,
    order: Order,
    actor,
    at: datetime,
    source: TopicLinkSource = TopicLinkSource.HAND,
) -> TopicOrder:
    require(actor.role, Action.TOPIC_MANAGE)
    if TopicOrder.objects.filter(topic=topic, order=order).exists():
        raise TopicRefused(f"工单 {order.number} 已关联到本题")
    return TopicOrder.objects.create(
        topic=topic, order=order, source=source, linked_by=actor, linked_at=at
    )


@transaction.atomic
def milestone_add(*, topic: Topic, title: str, due_on: date, actor) -> Milestone:
    require(actor.role, Action.TOPIC_MANAGE)
    if not title.strip():
        raise TopicRefused("请填写工作节点")
    return Milestone.objects.create(topic=topic, title=title.strip(), due_on=due_on)


@transaction.atomic
def milestone_done(*, milestone: Milestone, actor, at: datetime) -> Milestone:
    require(actor.role, Action.TOPIC_MANAGE)
    if milestone.done_at is not None:
        raise TopicRefused(f"工作节点「{milestone.title}」已完成")
    milestone.done_at, milestone.done_by = at, actor
    milestone.save(update_fields=["done_at", "done_by"])
    return milestone


@transaction.atomic
def progress_note_add(*, topic: Topic, text: str, actor, at: datetime) -> ProgressNote:
    """Progress written by the office, or by a unit that leads or helps with the topic."""
    require(actor.role, Action.TOPIC_NOTE)
    if not writes_for_topic(topic=topic, viewer=actor):
        raise NotPermitted("本单位不是该题的牵头或配合单位，不能填报进展")
    if not text.strip():
        raise TopicRefused("请填写推进情况")
    if topic.status == TopicStatus.CLOSED:
        raise TopicRefused("该题已结束，不再填报进展")
    return ProgressNote.objects.create(
        topic=topic, text=text.strip(), author=actor, unit=actor.unit, at=at
    )


@transaction.atomic
def topic_move(*, topic: Topic, status: str, actor, at: datetime) -> Topic:
    """Solved (the recurrence watch starts), taken up again, or closed (the watch ends)."""
    require(actor.role, Action.TOPIC_MANAGE)
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    check_move(topic.status, status)
    new = TopicStatus(status)
    topic.status = new
    if new == TopicStatus.SOLVED:
        topic.solved_at = at
    elif new == TopicStatus.ACTIVE:
        topic.solved_at = None
    else:
        topic.closed_at = at
    topic.save(update_fields=["status", "solved_at", "closed_at"])
    audit_record(
        action=AuditRecord.Action.TOPIC_CHANGE, actor=actor, detail=f"{new.label}：{topic.title}"
    )
    return topic
