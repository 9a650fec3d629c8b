"""The answer to a registration is rendered by plain code (``order_detail``), the detail
by the serializer that declares it (``OrderDetailOut``): the two agree on every field,
for orders in every state, as every role sees them."""

import json
from datetime import date

import pytest

from hotline.api.order_output import OrderDetailOut, order_detail
from hotline.directory.models import Tag
from hotline.domain.enums import Role
from hotline.orders.models import Order
from hotline.orders.services import (
    callback_assignment,
    correction,
    dispatch,
    handling,
    intake,
    review,
    supervision,
)
from hotline.orders.services.intake import CitizenInput, Intake
from tests import factories
from tests.api.test_order_journey import NEW_ORDER
from tests.conftest import local

AT = local(2026, 12, 28, 10, 0)  # the deadlines fall in 2027, on the provisional calendar
LATE = local(2027, 3, 1, 10, 0)  # after every deadline: overdue, not on time


def _as_declared(order, viewer) -> dict:
    return OrderDetailOut(order, context={"viewer": viewer}).data


def _assert_same(order, viewers) -> None:
    for viewer in viewers:
        plain, declared = order_detail(order, viewer), _as_declared(order, viewer)
        assert list(plain) == list(declared)
        for field in declared:
            assert plain[field] == declared[field], (viewer.role, field)
        # The same document once sent: types included (a float stays a float).
        assert json.dumps(plain, ensure_ascii=False) == json.dumps(declared, ensure_ascii=False)


def _orders(city) -> list[Order]:
    operator, dispatcher = city.users[Role.OPERATOR], city.users[Role.DISPATCHER]
    unit, supervisor = city.users[Role.UNIT_HANDLER], city.users[Role.SUPERVISOR]
    Tag.objects.create(name="安全生产")

    def held() -> Order:
        """A new order dispatched to the district and signed for."""
        order = dispatch.order_dispatch(
            order=factories.register(city, AT), lead=city.district, actor=dispatcher, at=AT
        )
        return handling.order_sign(order=order, actor=unit, at=AT)

    def asking_to_pause() -> Order:
        """A new signed order whose unit asks to pause it until the citizen answers."""
        return handling.order_pause(
            order=held(), reason="等待市民补充材料", actor=unit, until=date(2027, 1, 8), at=AT
        )

    registered = intake.order_register(
        actor=operator,
        intake=Intake(
            channel="phone",
            appeal_type="help",
            content="路口井盖缺失",
            region=city.yuhu,
            citizen=CitizenInput(name="王女士", phone="0731-5822123", kind="enterprise"),
            confidential=True,
            tags=tuple(Tag.objects.all()),
            call_id="C-1",
            latitude=27.85,
            longitude=112.9,
        ),
        at=AT,
    )
    anonymous = intake.order_register(
        actor=None,
        intake=Intake(channel="website", appeal_type="other", content="路灯坏了", review=True),
        at=AT,
    )
    answered = intake.order_answer(
        order=intake.order_register(
            actor=None,
            intake=Intake(channel="website", appeal_type="other", content="路灯坏了", review=True),
            at=AT,
        ),
        actor=operator,
        text="路灯已报修，三日内修复。",
        at=AT,
    )
    deputy = factories.register(city, AT, channel="npc_deputy_line", deputy_level="national")
    signed = dispatch.order_dispatch(
        order=factories.register(city, AT, urgent=True),
        lead=city.district,
        co_units=[city.water, city.market],
        actor=dispatcher,
        at=AT,
    )
    signed = handling.order_sign(order=signed, actor=unit, at=AT)
    extended = handling.order_extension_request(
        order=held(), until=date(2027, 2, 26), reason="需协调", actor=unit, at=AT
    )
    paused = handling.order_pause_decision(
        order=asking_to_pause(), decision="granted", actor=supervisor, at=AT
    )
    asking = asking_to_pause()
    sub_dispatched = dispatch.order_sub_dispatch(
        order=held(),
        sub_unit=city.street_office,
        actor=unit,
        at=AT,
    )
    # Dispatched on the year's last afternoon: the sign-for time falls in 2027.
    unsigned = dispatch.order_dispatch(
        order=factories.register(city, AT, external_ref="P-9", channel="province_platform"),
        lead=city.district,
        actor=dispatcher,
        at=local(2026, 12, 31, 17, 30),
    )
    corrected = correction.order_correct(
        order=unsigned,
        field="summary",
        value="井盖缺失",
        reason="概括诉求",
        actor=supervisor,
        at=local(2026, 12, 31, 17, 40),
    )
    rejected = intake.order_reject(
        order=factories.register(city, AT), actor=operator, reason="legal_process", at=AT
    )
    supervised = supervision.order_supervise(
        order=held(),
        level="normal",
        note="请加快办理",
        actor=supervisor,
        at=AT,
    )
    concluded = review.order_review(
        order=handling.order_reply(
            order=held(),
            text="已处理",
            actor=unit,
            at=LATE,
        ),
        decision="accept",
        actor=supervisor,
        at=LATE,
    )
    assigned = callback_assignment.order_callback_assign(
        order=concluded, agent=city.users[Role.CALLBACK_AGENT], actor=supervisor, at=LATE
    )
    split_parts = intake.order_split(
        order=factories.register(city, AT),
        parts=[
            Intake(channel="phone", appeal_type="complaint", content="噪音"),
            Intake(channel="phone", appeal_type="complaint", content="占道"),
        ],
        actor=operator,
        at=AT,
    )
    merged = intake.order_merge(
        order=factories.register(city, AT), into=signed, actor=operator, at=AT
    )
    return [
        registered,
        anonymous,
        answered,
        deputy,
        signed,
        extended,
        paused,
        asking,
        sub_dispatched,
        corrected,
        rejected,
        supervised,
        assigned,
        Order.objects.get(pk=split_parts[0].split_from_id),
        *split_parts,
        merged,
    ]


@pytest.mark.django_db
def test_the_plain_rendering_is_the_declared_one_in_every_state_for_every_role(city):
    viewers = [*city.users.values(), factories.user(Role.UNIT_HANDLER, unit=city.water)]
    for order in _orders(city):
        _assert_same(order, viewers)  # as the use case left it in memory
        _assert_same(Order.objects.get(pk=order.pk), viewers)  # as read back


def test_a_registrations_answer_is_the_detail_read_back(city, client_for, clock):
    operator = client_for(Role.OPERATOR)
    for sent in (
        NEW_ORDER,
        {**NEW_ORDER, "urgent": True, "confidential": True, "lat": 27.8, "long": 112.9},
        {"channel": "wechat", "appeal_type": "consult", "content": "社保卡补办要带什么材料"},
    ):
        created = operator.post("/api/orders/", sent, format="json")
        assert created.status_code == 201, created.json()
        read = operator.get(f"/api/orders/{created.json()['number']}/")
        assert created.json() == read.json()
