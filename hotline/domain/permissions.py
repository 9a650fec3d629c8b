"""Which role may take which action (SPEC 1). One table, read by services and pages,
keyed by the one name of each action (``actions.Action``).

Unit handlers are further limited to their own unit's orders; that scoping is
structural in the selectors, this table only says what a role may do at all.
"""

from hotline.domain.actions import Action
from hotline.domain.enums import Role
from hotline.domain.errors import DomainError

OPERATOR, DISPATCHER, UNIT, CALLBACK, SUPERVISOR, LEADER, ADMIN = (
    Role.OPERATOR,
    Role.DISPATCHER,
    Role.UNIT_HANDLER,
    Role.CALLBACK_AGENT,
    Role.SUPERVISOR,
    Role.LEADER,
    Role.ADMINISTRATOR,
)

ACTIONS: dict[Action, frozenset[Role]] = {
    Action.REGISTER: frozenset({OPERATOR, SUPERVISOR}),
    Action.ANSWER: frozenset({OPERATOR, SUPERVISOR}),
    Action.REJECT: frozenset({OPERATOR, DISPATCHER, SUPERVISOR}),
    Action.HARASSMENT: frozenset({OPERATOR, SUPERVISOR}),
    Action.INVALID: frozenset({OPERATOR, SUPERVISOR}),
    Action.SPLIT: frozenset({OPERATOR, SUPERVISOR}),
    Action.MERGE: frozenset({OPERATOR, DISPATCHER, SUPERVISOR}),
    # SPEC 3 (2026-12): an emergency is transferred at intake or by the dispatcher; the
    # operators review online orders.
    Action.TRANSFER: frozenset({OPERATOR, DISPATCHER, SUPERVISOR}),
    Action.CLASSIFY: frozenset({OPERATOR, SUPERVISOR}),
    Action.DISPATCH: frozenset({OPERATOR, DISPATCHER, SUPERVISOR}),
    Action.REDISPATCH: frozenset({DISPATCHER, SUPERVISOR}),
    Action.RETURN_REVIEW: frozenset({DISPATCHER, SUPERVISOR}),
    Action.DESIGNATE: frozenset({SUPERVISOR}),
    Action.CONSULTATION_OPEN: frozenset({SUPERVISOR}),
    Action.CONSULTATION_CLOSE: frozenset({SUPERVISOR}),
    Action.SIGN: frozenset({UNIT}),
    Action.RETURN: frozenset({UNIT}),
    Action.SUB_DISPATCH: frozenset({UNIT}),
    Action.EXTENSION_REQUEST: frozenset({UNIT}),
    Action.EXTENSION_DECISION: frozenset({SUPERVISOR}),
    Action.PAUSE: frozenset({UNIT, SUPERVISOR}),
    Action.RESUME: frozenset({UNIT, SUPERVISOR}),
    Action.PAUSE_DECISION: frozenset({SUPERVISOR}),
    Action.REPLY: frozenset({UNIT}),
    Action.CO_REPLY: frozenset({UNIT}),
    Action.REVIEW: frozenset({SUPERVISOR}),
    Action.CALLBACK: frozenset({CALLBACK, SUPERVISOR}),
    # The lead assigns callbacks, an agent takes them (``callback_assignment``).
    Action.CALLBACK_ASSIGN: frozenset({CALLBACK, SUPERVISOR}),
    Action.SPOT_CHECK: frozenset({CALLBACK, SUPERVISOR}),
    Action.APPEAL: frozenset({SUPERVISOR}),
    Action.APPEAL_FILE: frozenset({UNIT}),
    Action.SUPERVISE: frozenset({SUPERVISOR}),
    Action.INSTRUCT: frozenset({LEADER, SUPERVISOR}),
    Action.CLOSE: frozenset({CALLBACK, SUPERVISOR}),
    Action.VIOLATION_REVIEW: frozenset({SUPERVISOR}),
    Action.SUPERVISION_REPLY: frozenset({UNIT}),
    Action.VIOLATION_RECORD: frozenset({SUPERVISOR}),
    Action.VIOLATION_OUTCOME: frozenset({SUPERVISOR}),
    Action.CONFIGURE: frozenset({SUPERVISOR, ADMIN}),
    Action.CONTACT: frozenset({UNIT}),
    # SPEC 4 (2026-12): the unit asks, the hotline's operators connect the call.
    Action.THREE_WAY_REQUEST: frozenset({UNIT}),
    Action.THREE_WAY_CALL: frozenset({OPERATOR, SUPERVISOR}),
    # SPEC 3 (2026-12): the operator only before dispatch (``correction``).
    Action.CORRECT: frozenset({OPERATOR, DISPATCHER, SUPERVISOR}),
    # Topics (每月一题): the office (supervisors, dispatchers) takes them up, links orders
    # and sets the plan; the lead and co-units write progress too (their own topics only,
    # which the selectors see to); leaders read.
    Action.TOPIC_MANAGE: frozenset({DISPATCHER, SUPERVISOR}),
    Action.TOPIC_NOTE: frozenset({DISPATCHER, SUPERVISOR, UNIT}),
}


class NotPermitted(DomainError):
    code = "not_permitted"


def may(role: Role, action: Action | str) -> bool:
    return role in ACTIONS[Action(action)]


def require(role: Role, action: Action | str) -> None:
    if not may(role, action):
        raise NotPermitted(f"「{Role(role).label}」角色无权执行此操作")


assert set(ACTIONS) == set(Action), "every action has its roles"
