"""What each role may do to an order in each situation: the permission table and the
state machine together, asked without recording anything."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hotline.domain import events as ev
from hotline.domain import lifecycle, permissions
from hotline.domain.available_actions import (
    ACTIONS,
    BY_NAME,
    UNIT_ACTIONS,
    accepts,
    action_open,
    available_actions,
)
from hotline.domain.enums import (
    CallbackResult,
    ReturnDecision,
    ReviewDecision,
    Role,
)
from hotline.domain.lifecycle import replay

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


DEADLINE = at(7 * 24)

# --- situations -----------------------------------------------------------------------


def registered():
    return [ev.Register(at(0))]


def in_review():
    return [ev.Register(at(0), review=True)]


def dispatched():
    return registered() + [ev.Dispatch(at(1), unit="U1", co_units=("U2",), sign_by=at(3))]


def returned():
    return dispatched() + [ev.Return(at(2), unit="U1", reason="不属于本单位职责")]


def difficult():
    return returned() + [
        ev.ReturnReview(at(3), decision=ReturnDecision.ACCEPT, unit="U3", sign_by=at(5)),
        ev.Return(at(4), unit="U3", reason="应由U1办理"),
    ]


def in_consultation():
    return difficult() + [ev.ConsultationOpen(at(5), note="职责争议")]


def designated():
    return difficult() + [ev.Designate(at(5), unit="U3", sign_by=at(7))]


def in_progress():
    return dispatched() + [ev.Sign(at(2), unit="U1", deadline=DEADLINE)]


def paused():
    return in_progress() + [ev.Pause(at(3), reason="等待市民补充材料")]


def extension_pending():
    return in_progress() + [
        ev.ExtensionRequest(at(3), unit="U1", until=DEADLINE + timedelta(days=5), reason="协调")
    ]


def sub_dispatched():
    return in_progress() + [ev.SubDispatch(at(3), unit="U1", sub_unit="U1-1")]


def replied():
    return in_progress() + [ev.Reply(at(4), unit="U1", text="已处理")]


def concluded():
    return replied() + [ev.Review(at(5), decision=ReviewDecision.ACCEPT)]


def unsatisfied():
    return concluded() + [ev.Callback(at(6), result=CallbackResult.UNSATISFIED)]


def unreachable():
    return concluded() + [ev.Callback(at(6), result=CallbackResult.UNREACHABLE)]


def closed():
    return concluded() + [ev.Callback(at(6), result=CallbackResult.SATISFIED), ev.Close(at(7))]


def closed_without_callback():
    return concluded() + [ev.Close(at(7))]


def answered():
    return registered() + [ev.Answer(at(1))]


def rejected():
    return registered() + [ev.Reject(at(1))]


def merged():
    return registered() + [ev.Merge(at(1), into="20260000001")]


SUPERVISOR, DISPATCHER, OPERATOR, CALLBACK, LEADER, ADMIN, UNIT = (
    Role.SUPERVISOR,
    Role.DISPATCHER,
    Role.OPERATOR,
    Role.CALLBACK_AGENT,
    Role.LEADER,
    Role.ADMINISTRATOR,
    Role.UNIT_HANDLER,
)

# (situation, role, the viewer's unit, has sub-units) → the actions open, in page order.
EXPECTED = [
    (
        registered,
        OPERATOR,
        None,
        False,
        "answer reject transfer harassment invalid merge split correct dispatch",
    ),
    (registered, DISPATCHER, None, False, "reject transfer merge correct dispatch"),
    (
        registered,
        SUPERVISOR,
        None,
        False,
        "answer reject transfer harassment invalid merge split correct dispatch instruct",
    ),
    # SPEC 3 (2026-12): an online order is classified first, by the operators.
    (
        in_review,
        OPERATOR,
        None,
        False,
        "classify answer reject transfer harassment invalid merge split correct dispatch",
    ),
    (in_review, DISPATCHER, None, False, "reject transfer merge correct dispatch"),
    (registered, CALLBACK, None, False, ""),
    (registered, UNIT, "U1", True, ""),
    (dispatched, OPERATOR, None, False, ""),
    (dispatched, DISPATCHER, None, False, "correct redispatch"),
    (dispatched, SUPERVISOR, None, False, "correct redispatch pause supervise instruct"),
    (dispatched, UNIT, "U1", True, "sign return pause contact three_way_request"),
    (
        dispatched,
        UNIT,
        "U2",
        False,
        "co_reply contact three_way_request",
    ),  # SPEC 4 (2026-12): only the lead pauses
    (dispatched, CALLBACK, None, False, ""),
    (returned, DISPATCHER, None, False, "correct redispatch return_review"),
    (returned, SUPERVISOR, None, False, "correct redispatch return_review supervise instruct"),
    (returned, UNIT, "U1", True, ""),
    (returned, UNIT, "U2", False, ""),
    (
        difficult,
        SUPERVISOR,
        None,
        False,
        "correct redispatch designate return_review consultation_open supervise instruct",
    ),
    (difficult, DISPATCHER, None, False, "correct redispatch return_review"),
    (
        in_consultation,
        SUPERVISOR,
        None,
        False,
        "correct return_review consultation_close supervise instruct",
    ),
    (in_consultation, DISPATCHER, None, False, "correct return_review"),
    (designated, UNIT, "U3", False, "sign pause contact three_way_request"),
    (
        designated,
        SUPERVISOR,
        None,
        False,
        "correct redispatch designate consultation_open pause supervise instruct",
    ),
    (in_progress, SUPERVISOR, None, False, "correct redispatch pause supervise instruct"),
    (in_progress, DISPATCHER, None, False, "correct redispatch"),
    (
        in_progress,
        UNIT,
        "U1",
        True,
        "sub_dispatch extension_request pause reply contact three_way_request",
    ),
    (in_progress, UNIT, "U1", False, "extension_request pause reply contact three_way_request"),
    (in_progress, UNIT, "U2", False, "co_reply contact three_way_request"),
    (in_progress, UNIT, "U9", True, ""),
    (in_progress, CALLBACK, None, False, ""),
    (in_progress, LEADER, None, False, "instruct"),
    (paused, UNIT, "U1", True, "sub_dispatch extension_request resume contact three_way_request"),
    (paused, SUPERVISOR, None, False, "correct redispatch resume supervise instruct"),
    (extension_pending, UNIT, "U1", False, "pause reply contact three_way_request"),
    (
        extension_pending,
        SUPERVISOR,
        None,
        False,
        "correct redispatch extension_decision pause supervise instruct",
    ),
    (sub_dispatched, UNIT, "U1-1", False, "pause reply contact three_way_request"),
    (
        sub_dispatched,
        UNIT,
        "U1",
        True,
        "sub_dispatch extension_request pause reply contact three_way_request",
    ),
    (replied, SUPERVISOR, None, False, "correct review supervise instruct close"),
    (replied, CALLBACK, None, False, "close"),
    (replied, UNIT, "U1", True, "contact three_way_request"),
    (concluded, SUPERVISOR, None, False, "correct callback spot_check instruct close"),
    (concluded, CALLBACK, None, False, "callback spot_check close"),
    (concluded, DISPATCHER, None, False, "correct"),
    (concluded, UNIT, "U1", True, ""),
    (unsatisfied, SUPERVISOR, None, False, "correct callback spot_check appeal instruct close"),
    (unsatisfied, CALLBACK, None, False, "callback spot_check close"),
    (closed, SUPERVISOR, None, False, "spot_check instruct"),
    (closed, CALLBACK, None, False, "spot_check"),
    (closed, OPERATOR, None, False, ""),
    (answered, SUPERVISOR, None, False, "callback spot_check instruct"),
    (answered, CALLBACK, None, False, "callback spot_check"),
    (answered, OPERATOR, None, False, ""),
    (rejected, SUPERVISOR, None, False, "instruct"),
    (rejected, CALLBACK, None, False, ""),
    # SPEC 3 (2026-12): each merged caller is called back (the service waits for the
    # main order's conclusion).
    (merged, SUPERVISOR, None, False, "callback instruct close"),
    (merged, CALLBACK, None, False, "callback close"),
    (merged, OPERATOR, None, False, ""),
]


@pytest.mark.parametrize(
    ("situation", "role", "unit", "has_sub_units", "expected"),
    [
        pytest.param(*row, id=f"{row[0].__name__}-{row[1].value}-{row[2] or ''}-{i}")
        for i, row in enumerate(EXPECTED)
    ],
)
def test_actions_open_per_role_and_situation(situation, role, unit, has_sub_units, expected):
    state = replay(situation())
    found = available_actions(state, role=role, unit=unit, has_sub_units=has_sub_units)
    assert found == tuple(expected.split())


ALL_SITUATIONS = [
    registered,
    in_review,
    dispatched,
    returned,
    difficult,
    in_consultation,
    designated,
    in_progress,
    paused,
    extension_pending,
    sub_dispatched,
    replied,
    concluded,
    unsatisfied,
    unreachable,
    closed,
    closed_without_callback,
    answered,
    rejected,
    merged,
]


@pytest.mark.parametrize("situation", ALL_SITUATIONS, ids=lambda s: s.__name__)
def test_leaders_may_only_instruct_and_administrators_nothing(situation):
    state = replay(situation())
    assert available_actions(state, role=LEADER) == ("instruct",)
    assert available_actions(state, role=ADMIN, unit="U1") == ()


@pytest.mark.parametrize("situation", ALL_SITUATIONS, ids=lambda s: s.__name__)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_only_permitted_actions_and_unit_actions_only_with_a_unit(situation, role):
    state = replay(situation())
    for unit in (None, "U1", "U2", "U3", "U1-1"):
        found = available_actions(state, role=role, unit=unit, has_sub_units=True)
        assert all(permissions.may(role, BY_NAME[name].action) for name in found)
        if unit is None:
            assert not set(found) & UNIT_ACTIONS


@pytest.mark.parametrize("situation", ALL_SITUATIONS, ids=lambda s: s.__name__)
def test_asking_records_nothing(situation):
    state = replay(situation())
    before = state.__dict__.copy()
    for role in Role:
        available_actions(state, role=role, unit="U1", has_sub_units=True)
    assert state.__dict__ == before


def test_an_action_is_open_exactly_when_its_status_rule_lists_the_status():
    """For actions without further conditions, the answer is the rule table's."""
    plain = {
        "answer": ev.Answer,
        "reject": ev.Reject,
        "transfer": ev.Transfer,
        "harassment": ev.MarkHarassment,
        "invalid": ev.MarkInvalid,
        "dispatch": ev.Dispatch,
        "review": ev.Review,
        "supervise": ev.Supervise,
        "instruct": ev.Instruct,
        "close": ev.Close,
        "return_review": ev.ReturnReview,
    }
    for situation in ALL_SITUATIONS:
        state = replay(situation())
        for name, event_type in plain.items():
            statuses, _ = lifecycle._RULES[event_type]
            assert action_open(state, name) == (state.status in statuses), (situation, name)


def test_every_order_permission_has_an_action_and_names_are_the_api_slugs():
    used = {offer.action for offer in ACTIONS}
    office_pages = {
        "violation_review",
        "violation_record",
        "violation_outcome",
        "topic_manage",
        "callback_assign",
        "topic_note",
    }
    assert used == set(permissions.ACTIONS) - {"register", "configure", *office_pages}
    slugs = (
        "classify answer reject transfer harassment invalid merge split dispatch redispatch "
        "designate return "
        "return-review sub-dispatch consultation-open consultation-close sign "
        "extension-request extension-decision pause pause-decision resume reply co-reply review "
        "callback spot-check appeal supervise supervision-reply instruct close appeal-file contact "
        "three-way-request three-way-call correct"
    ).split()
    assert sorted(a.name.replace("_", "-") for a in ACTIONS) == sorted(slugs)


def test_every_action_has_a_chinese_label():
    for action in ACTIONS:
        assert action.label and not action.label.isascii()


def test_sub_dispatch_needs_sub_units():
    state = replay(in_progress())
    assert action_open(state, "sub_dispatch", unit="U1", has_sub_units=True)
    assert not action_open(state, "sub_dispatch", unit="U1", has_sub_units=False)


def test_accepts_answers_for_any_event():
    state = replay(in_progress())
    assert accepts(state, ev.Reply(at(9), unit="U1", text="已处理"))
    assert not accepts(state, ev.Reply(at(9), unit="U2", text="已处理"))
    assert not accepts(state, ev.Reply(at(9), unit="U1", text=" "))
    assert not accepts(state, ev.Reply(at(-1), unit="U1", text="已处理"))  # before the last step
