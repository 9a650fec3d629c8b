"""Intake use cases (SPEC 3): register, the outcomes decided at intake, split, merge."""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Unpack

from django.db import transaction
from django.utils import timezone

from hotline.directory.models import Category, Region, Tag
from hotline.domain import events as ev
from hotline.domain.actions import Action
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import (
    AppealType,
    Channel,
    CitizenKind,
    EmergencyService,
    RejectReason,
)
from hotline.domain.errors import DomainError
from hotline.domain.intake import check_content, check_deputy_level, needs_review, parse_choice
from hotline.domain.lifecycle import HANDLING, OrderState
from hotline.orders.models import Citizen, Order
from hotline.orders.rows import insert, insert_or_found, together
from hotline.orders.selectors import order_state
from hotline.orders.services.numbering import next_number, reserve_number
from hotline.orders.services.recording import (
    Actor,
    Occasion,
    Version,
    When,
    authorize,
    keep_written,
    lock,
    perform,
    record,
    record_first,
)


@dataclass(frozen=True)
class CitizenInput:
    name: str = ""
    phone: str = ""
    id_number: str = ""
    kind: str = CitizenKind.URBAN.value


@dataclass(frozen=True)
class Intake:
    """What the operator typed; shared by register and split."""

    channel: str
    appeal_type: str
    content: str
    category: Category | None = None
    region: Region | None = None
    address: str = ""
    citizen: CitizenInput | None = None
    confidential: bool = False
    urgent: bool = False
    tags: tuple[Tag, ...] = ()
    call_id: str = ""
    # SPEC 11 (2026-12): the sending platform's own number, one order per channel.
    external_ref: str = ""
    # SPEC 7 (2026-12): the deputy's level, on 人大代表专席 only (``check_deputy_level``).
    deputy_level: str = ""
    latitude: float | None = None
    longitude: float | None = None
    # SPEC 3 (2026-12): an order from an online channel or system waits for the
    # operators' intake review (``intake.needs_review``); the desk's calls never do.
    review: bool = False


class MergeTargetClosed(DomainError):
    code = "merge_target_closed"


class ExternalRefTaken(DomainError):
    code = "external_ref_taken"
    field = "external_ref"


def _check_external_ref(channel: Channel, ref: str) -> None:
    taken = Order.objects.filter(channel=channel.value, external_ref=ref).first()
    if taken is not None:
        raise ExternalRefTaken(
            f"外部工单号「{ref}」（{channel.label}）已登记为工单 {taken.number}，不能重复登记"
        )


def _citizen(data: CitizenInput | None) -> Citizen | None:
    if data is None or not (data.name or data.phone):
        return None
    kind = parse_choice(CitizenKind, data.kind, "citizen.kind", "诉求人类型")
    # SPEC 3: repeat callers are recognised by phone — but one phone serves a family or
    # a shop, so a citizen is the phone with the name given: another name on the same
    # phone is another citizen, never renamed after the first (the operator sees the
    # names already given for the phone and picks one, or types a new one).
    citizen = Citizen(name=data.name, phone=data.phone, id_number=data.id_number, kind=kind.value)
    if data.phone:
        insert_or_found(citizen, match=("phone", "name"))
    else:
        insert(citizen)
    return citizen


@transaction.atomic
def order_register(
    *,
    actor: Actor,
    intake: Intake,
    at: When = None,
    number: str | None = None,
    split_from: Order | None = None,
) -> Order:
    """Registers a new order; ``number`` is given only by history import."""
    return order_register_within(
        actor=actor, intake=intake, at=at, number=number, split_from=split_from
    )


def order_register_within(
    *,
    actor: Actor,
    intake: Intake,
    at: When = None,
    number: str | None = None,
    split_from: Order | None = None,
) -> Order:
    """``order_register`` in the transaction its caller holds, without a savepoint of its
    own: a refusal must end the caller's transaction too (``order_register_once``)."""
    authorize(actor, "register")
    at = at or timezone.now()
    channel = parse_choice(Channel, intake.channel, "channel", "受理渠道")
    appeal_type = parse_choice(AppealType, intake.appeal_type, "appeal_type", "诉求类型")
    content = check_content(intake.content, intake.address)
    deputy_level = check_deputy_level(channel, intake.deputy_level)
    external_ref = intake.external_ref.strip()
    if external_ref:
        _check_external_ref(channel, external_ref)
    if number is None:
        number = next_number(at.astimezone(LOCAL_TZ).year)
    else:
        reserve_number(number)
    # The citizen, the order, its register event and its search words: one statement
    # on PostgreSQL (``rows.together``); their keys are known after the block.
    with together():
        order = Order(
            number=number,
            received_at=at,
            channel=channel.value,
            appeal_type=appeal_type.value,
            category=intake.category,
            region=intake.region,
            address=intake.address.strip(),
            content=content,
            citizen=_citizen(intake.citizen) or (split_from.citizen if split_from else None),
            confidential=intake.confidential,
            urgent=intake.urgent,
            call_id=intake.call_id,
            external_ref=external_ref,
            deputy_level=deputy_level,
            latitude=intake.latitude,
            longitude=intake.longitude,
            operator=actor,
            split_from=split_from,
        )
        register = ev.Register(
            at=at, urgent=intake.urgent, review=intake.review and needs_review(channel)
        )
        row = record_first(order, register, actor=actor)
    keep_written(order, "events", [row])
    if intake.tags:
        order.tags.set(intake.tags)
    keep_written(order, "tags", list(intake.tags))
    return order


@transaction.atomic
def order_answer(
    *,
    order: Order,
    actor: Actor,
    article: str = "",
    text: str = "",
    **occasion: Unpack[Occasion],
) -> Order:
    """``text``: the answer given online, which the order's channel carries back."""
    return perform(
        order,
        actor=actor,
        action=Action.ANSWER,
        build=lambda order, state, at: ev.Answer(at=at, article=article, text=text.strip()),
        **occasion,
    )


@transaction.atomic
def order_transfer(
    *,
    order: Order,
    actor: Actor,
    to: str,
    note: str,
    **occasion: Unpack[Occasion],
) -> Order:
    """SPEC 3 (2026-12): an emergency transferred to 110/119/120/122 (即时转办)."""
    service = parse_choice(EmergencyService, to, "to", "转办对象")
    return perform(
        order,
        actor=actor,
        action=Action.TRANSFER,
        build=lambda order, state, at: ev.Transfer(at=at, to=service, note=note.strip()),
        **occasion,
    )


@transaction.atomic
def order_classify(
    *,
    order: Order,
    actor: Actor,
    category: Category | None,
    region: Region | None,
    appeal_type: str,
    address: str = "",
    **occasion: Unpack[Occasion],
) -> Order:
    """SPEC 3 (2026-12): the intake review of an online order: the operator classifies
    it (and corrects its address); the order then takes any intake outcome."""
    kind = parse_choice(AppealType, appeal_type, "appeal_type", "诉求类型")
    address = address.strip()
    check_content(order.content, address)
    changed = address if address and address != order.address else ""

    def build(order: Order, state: OrderState, at: datetime) -> ev.Event:
        return ev.Classify(
            at=at,
            category=category.code if category else None,
            region=region.code if region else None,
            appeal_type=kind,
            address=changed,
        )

    return perform(order, actor=actor, action=Action.CLASSIFY, build=build, **occasion)


@transaction.atomic
def order_reject(*, order: Order, actor: Actor, reason: str, **occasion: Unpack[Occasion]) -> Order:
    reject_reason = parse_choice(RejectReason, reason, "reason", "不予受理理由")
    return perform(
        order,
        actor=actor,
        action=Action.REJECT,
        build=lambda order, state, at: ev.Reject(at=at, reason=reject_reason),
        **occasion,
    )


@transaction.atomic
def order_harassment(*, order: Order, actor: Actor, **occasion: Unpack[Occasion]) -> Order:
    return perform(
        order,
        actor=actor,
        action=Action.HARASSMENT,
        build=lambda order, state, at: ev.MarkHarassment(at=at),
        **occasion,
    )


@transaction.atomic
def order_invalid(*, order: Order, actor: Actor, **occasion: Unpack[Occasion]) -> Order:
    return perform(
        order,
        actor=actor,
        action=Action.INVALID,
        build=lambda order, state, at: ev.MarkInvalid(at=at),
        **occasion,
    )


@transaction.atomic
def order_merge(*, order: Order, into: Order, actor: Actor, **occasion: Unpack[Occasion]) -> Order:
    """SPEC 3: a new order about an open matter joins it instead of being dispatched."""
    target = Order.objects.select_for_update().get(pk=into.pk)
    if target.pk == order.pk or order_state(target).status not in HANDLING:
        raise MergeTargetClosed(f"工单 {target.number} 不在办理中，不能并入")
    return perform(
        order,
        actor=actor,
        action=Action.MERGE,
        build=lambda order, state, at: ev.Merge(at=at, into=target.number),
        **occasion,
    )


@transaction.atomic
def order_split(
    *,
    order: Order,
    parts: list[Intake],
    actor: Actor,
    at: When = None,
    expected_version: Version = None,
) -> list[Order]:
    """SPEC 3: one call with several matters becomes several orders sharing the call."""
    authorize(actor, "split")
    order = lock(order, expected_version)
    at = at or timezone.now()
    created = [
        order_register(
            actor=actor,
            intake=replace(part, call_id=order.call_id or part.call_id),
            at=at,
            split_from=order,
        )
        for part in parts
    ]
    record(order, ev.Split(at=at, parts=tuple(o.number for o in created)), actor=actor)
    return created
