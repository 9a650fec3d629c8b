"""The sign-for watch (SPEC 4, 2026-12): a warning at half the sign-for time, 签收超时
at the sign-for deadline, automatic supervision when still unsigned, each once per
sign-for deadline however often the job runs."""

import pytest

from hotline.deadline_watch.sign_for import sign_for_watch
from hotline.domain.enums import Role
from hotline.jobs.models import DeadlineMark
from hotline.notifications.models import Notification
from hotline.orders.models import Event, Supervision
from hotline.orders.services import dispatch, handling, supervision
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

# Dispatched Mon 03-02 09:00: two working hours to sign, until 11:00; yellow from 10:00;
# supervised once unsigned past 13:00 (two more working hours, the default).
SIGN_BY = local(2026, 3, 2, 11, 0)


@pytest.fixture
def dispatched(city):
    order = factories.register(city, local(2026, 3, 2, 8, 50))
    order = dispatch.order_dispatch(
        order=order, lead=city.district, actor=city.users[Role.DISPATCHER], at=local(2026, 3, 2, 9)
    )
    assert order.sign_by == SIGN_BY
    Notification.objects.all().delete()  # the dispatch's own notices are not the subject here
    return order


def _marks():
    return sorted(DeadlineMark.objects.values_list("step", "deadline"))


def _notices():
    return list(Notification.objects.order_by("pk").values_list("kind", "recipient"))


NOTHING = "签收预警 0 件，签收超时 0 件，签收超时自动督办 0 件"


def test_inside_the_first_half_nothing_happens(dispatched):
    assert sign_for_watch(now=local(2026, 3, 2, 9, 59)) == NOTHING
    assert not _marks() and not _notices()


def test_at_half_the_time_the_lead_is_warned_once(dispatched):
    half = local(2026, 3, 2, 10, 0)
    assert sign_for_watch(now=half) == "签收预警 1 件，签收超时 0 件，签收超时自动督办 0 件"
    assert sign_for_watch(now=half) == NOTHING
    assert _marks() == [("sign_yellow", SIGN_BY)]
    assert _notices() == [("sign_yellow", "unit:U-YT")]
    assert "须于2026-03-02 11:00前签收" in Notification.objects.get().text


def test_past_the_sign_for_deadline_it_is_recorded_and_the_unit_told(dispatched):
    sign_for_watch(now=local(2026, 3, 2, 10, 0))
    assert sign_for_watch(now=SIGN_BY) == NOTHING  # the deadline itself is in time
    late = local(2026, 3, 2, 11, 1)
    assert sign_for_watch(now=late) == "签收预警 0 件，签收超时 1 件，签收超时自动督办 0 件"
    assert sign_for_watch(now=late) == NOTHING
    assert _marks() == [("sign_overdue", SIGN_BY), ("sign_yellow", SIGN_BY)]
    mark = DeadlineMark.objects.get(step="sign_overdue")
    assert mark.unit == dispatched.lead_unit and mark.at == late
    assert [kind for kind, _ in _notices()] == ["sign_yellow", "sign_overdue"]


def test_still_unsigned_the_order_is_supervised_by_the_system_once(dispatched):
    first = local(2026, 3, 2, 15, 0)  # the first run sees it only now
    for now in (first, local(2026, 3, 2, 16, 0)):
        sign_for_watch(now=now)
    assert [step for step, _ in _marks()] == ["sign_overdue", "sign_supervise", "sign_yellow"]
    # Found already overdue: no late "about to be overdue" warning.
    assert _notices() == [("sign_overdue", "unit:U-YT")]
    card = Supervision.objects.get(order=dispatched)
    assert (card.level, card.by, card.at) == ("yellow", None, first)
    assert "签收超时自动督办：签收时限 2026-03-02 11:00 已过仍未签收" in card.note
    event = Event.objects.get(order=dispatched, type="supervision")
    assert event.actor is None


def test_the_supervision_delay_is_the_office_setting(dispatched):
    from hotline.configuration.models import Setting

    Setting.objects.create(key="sign_for_supervision_hours", value=0)
    assert sign_for_watch(now=local(2026, 3, 2, 11, 1)).endswith("签收超时自动督办 1 件")


def test_a_card_from_the_office_makes_the_automatic_one_superfluous(dispatched, city):
    supervision.order_supervise(
        order=dispatched,
        level="red",
        note="立即签收",
        actor=city.users[Role.SUPERVISOR],
        at=local(2026, 3, 2, 12),
    )
    assert sign_for_watch(now=local(2026, 3, 2, 15)).endswith("签收超时自动督办 0 件")
    assert Supervision.objects.filter(order=dispatched).count() == 1


def test_a_signed_order_is_not_watched(dispatched, city):
    handling.order_sign(
        order=dispatched, actor=city.users[Role.UNIT_HANDLER], at=local(2026, 3, 2, 9, 30)
    )
    assert sign_for_watch(now=local(2026, 3, 2, 15)) == NOTHING


def test_a_redispatch_is_watched_afresh(dispatched, city):
    sign_for_watch(now=local(2026, 3, 2, 11, 30))
    moved = dispatch.order_redispatch(
        order=dispatched,
        lead=city.other_district,
        actor=city.users[Role.DISPATCHER],
        at=local(2026, 3, 2, 14, 0),
    )
    assert moved.sign_by == local(2026, 3, 2, 16, 0)
    assert sign_for_watch(now=local(2026, 3, 2, 15, 0)).startswith("签收预警 1 件")
    assert DeadlineMark.objects.filter(deadline=moved.sign_by).count() == 1
