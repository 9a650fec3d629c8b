"""Supervision that must be answered (SPEC 4, 2026-12) and discipline (SPEC 6) through
the services: the answer, its refusals, the escalation job and the leader's notice."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hotline.attachments.services import violation_with_evidence
from hotline.configuration.models import Setting
from hotline.deadline_watch.supervision import supervision_escalation
from hotline.domain.enums import Role
from hotline.domain.lifecycle import EmptyText, NotSupervisedUnit
from hotline.domain.permissions import NotPermitted
from hotline.jobs.models import DeadlineMark
from hotline.notifications.models import Notification
from hotline.orders.models import Event, Order, Supervision, Violation
from hotline.orders.services import dispatch, handling, review
from hotline.orders.services.discipline import (
    EvidenceRequired,
    OutcomeAlreadySet,
    violation_decide,
)
from hotline.orders.services.recording import WrongUnit
from hotline.orders.services.supervision import order_supervise, order_supervision_reply
from tests import factories
from tests.conftest import local

MONDAY = local(2026, 3, 2, 9, 0)
LATER = local(2026, 3, 2, 12, 0)
# Normal supervision on Mon 03-02: 5 working days → the end of Mon 03-09.
ANSWER_BY = local(2026, 3, 9, 23, 59, 59)


@pytest.fixture
def supervised(city):
    order = factories.register(city, MONDAY)
    order = dispatch.order_dispatch(
        order=order, lead=city.district, actor=city.users[Role.DISPATCHER], at=MONDAY
    )
    order = handling.order_sign(order=order, actor=city.users[Role.UNIT_HANDLER], at=MONDAY)
    return order_supervise(
        order=order,
        level="normal",
        note="请加快办理",
        actor=city.users[Role.SUPERVISOR],
        at=MONDAY + timedelta(hours=1),
    )


def _events(order):
    return list(Event.objects.filter(order=order).order_by("seq").values_list("type", flat=True))


def test_the_deadline_comes_from_the_setting_per_level_or_from_the_supervisor(city, supervised):
    row = Supervision.objects.get(order=supervised)
    assert row.deadline == ANSWER_BY and row.unit == city.district
    Setting.objects.create(key="supervision_reply_days", value={"normal": 5, "yellow": 3, "red": 1})
    from datetime import date

    again = order_supervise(
        order=supervised,
        level="red",
        actor=city.users[Role.SUPERVISOR],
        at=MONDAY + timedelta(hours=2),
    )
    assert Supervision.objects.filter(order=again).latest("pk").deadline == local(
        2026, 3, 3, 23, 59, 59
    )
    given = order_supervise(
        order=again,
        level="normal",
        deadline=date(2026, 3, 20),
        actor=city.users[Role.SUPERVISOR],
        at=MONDAY + timedelta(hours=3),
    )
    assert given.state["supervision_due"].startswith("2026-03-20T23:59:59")


def test_the_supervised_unit_answers(city, supervised):
    order_supervision_reply(
        order=supervised,
        text="已责令施工方停止夜间施工",
        actor=city.users[Role.UNIT_HANDLER],
        at=MONDAY + timedelta(hours=3),
    )
    row = Supervision.objects.get(order=supervised)
    assert row.answer == "已责令施工方停止夜间施工" and row.answered_at is not None
    assert _events(supervised)[-1] == "supervision_reply"


def test_an_answer_to_someone_elses_supervision_writes_nothing(city, supervised):
    other = factories.user(Role.UNIT_HANDLER, unit=city.other_district)
    seen = Event.objects.count()
    with pytest.raises(NotSupervisedUnit, match="不是被督办单位"):
        order_supervision_reply(order=supervised, text="已整改", actor=other, at=LATER)
    with pytest.raises(EmptyText):
        order_supervision_reply(
            order=supervised, text="  ", actor=city.users[Role.UNIT_HANDLER], at=LATER
        )
    with pytest.raises(NotPermitted):
        order_supervision_reply(order=supervised, text="x", actor=city.users[Role.SUPERVISOR])
    with pytest.raises(WrongUnit):
        order_supervision_reply(
            order=supervised, text="x", actor=other, unit=city.district, at=LATER
        )
    assert Event.objects.count() == seen
    assert Supervision.objects.get(order=supervised).answered_at is None


def test_the_job_escalates_once_per_deadline_up_to_the_leader(city, supervised):
    city.district.leader_phone = "13900000009"
    city.district.save()
    assert supervision_escalation(now=ANSWER_BY) == "督办逾期升级 0 件"  # at it: still in time
    late = ANSWER_BY + timedelta(minutes=1)
    assert supervision_escalation(now=late) == "督办逾期升级 1 件"
    assert supervision_escalation(now=late) == "督办逾期升级 0 件"  # idempotent
    order = Order.objects.get(pk=supervised.pk)
    assert order.supervision == "yellow"
    # Yellow: 3 working days from Tue 03-10 → the end of Fri 03-13.
    yellow = Supervision.objects.filter(order=order).latest("pk")
    assert yellow.escalated and yellow.deadline == local(2026, 3, 13, 23, 59, 59)
    assert Event.objects.filter(order=order, type="supervision_escalation").get().actor is None

    supervision_escalation(now=local(2026, 3, 14, 0, 0))
    red = Supervision.objects.filter(order=order).latest("pk")
    assert red.level == "red"
    supervision_escalation(now=red.deadline + timedelta(seconds=1))
    assert supervision_escalation(now=red.deadline + timedelta(days=30)) == "督办逾期升级 0 件"
    red.refresh_from_db()
    assert red.leader_told_at is not None and red.answered_at is None
    notice = Notification.objects.get(kind="leader_told")
    assert (notice.recipient, notice.address) == ("leader:U-YT", "13900000009")
    assert "红牌督办逾期未回复" in notice.text
    assert DeadlineMark.objects.filter(order=order, step="escalation").count() == 3
    assert _events(order)[-3:] == ["supervision_escalation"] * 3


def test_an_answered_supervision_does_not_escalate(city, supervised):
    order_supervision_reply(
        order=supervised, text="已整改", actor=city.users[Role.UNIT_HANDLER], at=LATER
    )
    assert supervision_escalation(now=ANSWER_BY + timedelta(days=1)) == "督办逾期升级 0 件"


# --- discipline -----------------------------------------------------------------------


def _replied(city, order, text):
    return handling.order_reply(
        order=order, text=text, actor=city.users[Role.UNIT_HANDLER], at=MONDAY + timedelta(hours=4)
    )


def test_the_reviewer_confirms_forwarding_and_the_violation_is_on_the_replying_unit(
    city, supervised
):
    order = _replied(city, supervised, "已转交书院路街道处理。")
    review.order_review(
        order=order,
        decision="rework",
        note="仅转交，未见办理结果",
        forwarding=True,
        actor=city.users[Role.SUPERVISOR],
        at=MONDAY + timedelta(hours=5),
    )
    violation = Violation.objects.get()
    assert (violation.kind, violation.unit, violation.reviewed) == (
        "forwarding",
        city.district,
        True,
    )
    assert "已转交书院路街道处理" in violation.note
    assert _events(order)[-2:] == ["review", "violation"]


def test_a_violation_by_hand_needs_its_evidence_and_keeps_the_files(
    city, supervised, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    supervisor = city.users[Role.SUPERVISOR]
    with pytest.raises(EvidenceRequired):
        violation_with_evidence(
            order=supervised, unit=city.district, kind="false_result", note=" ", actor=supervisor
        )
    assert Violation.objects.count() == 0
    photo = SimpleUploadedFile("现场照片.txt", "现场仍有堆放物".encode(), "text/plain")
    violation = violation_with_evidence(
        order=supervised,
        unit=city.district,
        kind="false_result",
        note="答复称已清理，抽查发现仍有堆放",
        files=[photo],
        actor=supervisor,
        at=MONDAY + timedelta(hours=6),
    )
    assert violation.evidence.get().name == "现场照片.txt"
    with pytest.raises(NotPermitted):
        violation_with_evidence(
            order=supervised,
            unit=city.district,
            kind="false_result",
            note="x",
            actor=city.users[Role.UNIT_HANDLER],
        )


def test_the_supervisor_sets_an_outcome_once(city, supervised):
    supervisor = city.users[Role.SUPERVISOR]
    violation = violation_with_evidence(
        order=supervised, unit=city.district, kind="other", note="态度恶劣", actor=supervisor,
        at=MONDAY + timedelta(hours=6),
    )  # fmt: skip
    decided = violation_decide(
        violation=violation, outcome="interview", actor=supervisor, at=MONDAY + timedelta(hours=7)
    )
    assert decided.outcome == "interview" and decided.outcome_at is not None
    assert _events(supervised)[-1] == "violation_outcome"
    with pytest.raises(OutcomeAlreadySet, match="约谈"):
        violation_decide(violation=decided, outcome="referral", actor=supervisor)
    with pytest.raises(NotPermitted):
        violation_decide(violation=decided, outcome="referral", actor=city.users[Role.LEADER])
