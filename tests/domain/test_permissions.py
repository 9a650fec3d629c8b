"""SPEC 1: which role may take which action."""

import re

import pytest

from hotline.domain.enums import Role
from hotline.domain.permissions import ACTIONS, NotPermitted, may, require

ORDER_ACTIONS = [action for action in ACTIONS if action != "configure"]


@pytest.mark.parametrize("action", ["sign", "reply", "return"])
def test_unit_handlers_may_sign_reply_and_return(action):
    assert may(Role.UNIT_HANDLER, action)
    require(Role.UNIT_HANDLER, action)


@pytest.mark.parametrize(
    "action", ["dispatch", "redispatch", "review", "return_review", "callback", "close"]
)
def test_unit_handlers_may_not_dispatch_review_or_close(action):
    assert not may(Role.UNIT_HANDLER, action)


def test_unit_handlers_may_re_dispatch_to_sub_units_and_ask_for_extension():
    assert may(Role.UNIT_HANDLER, "sub_dispatch")
    assert may(Role.UNIT_HANDLER, "extension_request")
    assert not may(Role.UNIT_HANDLER, "extension_decision")


def test_leaders_may_only_write_instructions_among_order_actions():
    assert [a for a in ORDER_ACTIONS if may(Role.LEADER, a)] == ["instruct"]


def test_leaders_may_not_configure():
    assert not may(Role.LEADER, "configure")


def test_every_action_has_at_least_one_role():
    for action, roles in ACTIONS.items():
        assert roles, action
        assert all(isinstance(role, Role) for role in roles)


def test_only_the_hotline_calls_back_so_a_unit_cannot_close_its_own_order():
    # SPEC 6: the callback is done by the hotline.
    assert Role.UNIT_HANDLER not in ACTIONS["callback"]
    assert Role.UNIT_HANDLER not in ACTIONS["close"]
    assert Role.CALLBACK_AGENT in ACTIONS["callback"]


def test_operators_register_and_dispatchers_review_returns():
    assert may(Role.OPERATOR, "register")
    assert may(Role.OPERATOR, "answer")
    assert may(Role.DISPATCHER, "return_review")
    assert may(Role.DISPATCHER, "redispatch")
    assert not may(Role.OPERATOR, "review")


def test_supervisor_reviews_replies_and_decides_extensions():
    for action in ["review", "extension_decision", "supervise", "appeal", "designate"]:
        assert may(Role.SUPERVISOR, action)


def test_administrator_configures():
    assert may(Role.ADMINISTRATOR, "configure")


@pytest.mark.parametrize(
    ("role", "action"), [(Role.LEADER, "dispatch"), (Role.UNIT_HANDLER, "review")]
)
def test_require_refuses_with_a_chinese_message(role, action):
    with pytest.raises(NotPermitted) as error:
        require(role, action)
    assert role.label in error.value.message
    assert re.search(r"[\u4e00-\u9fff]", error.value.message)
    assert error.value.code == "not_permitted"


def test_require_accepts_a_permitted_role_silently():
    assert require(Role.LEADER, "instruct") is None
