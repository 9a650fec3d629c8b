"""Which role may take which action (SPEC 1). One table, read by services and pages.

Unit handlers are further limited to their own unit's orders; that scoping is
structural in the selectors, this table only says what a role may do at all.
"""

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

ACTIONS: dict[str, frozenset[Role]] = {
    "register": frozenset({OPERATOR, SUPERVISOR}),
    "answer": frozenset({OPERATOR, SUPERVISOR}),
    "reject": frozenset({OPERATOR, DISPATCHER, SUPERVISOR}),
    "harassment": frozenset({OPERATOR, SUPERVISOR}),
    "invalid": frozenset({OPERATOR, SUPERVISOR}),
    "split": frozenset({OPERATOR, SUPERVISOR}),
    "merge": frozenset({OPERATOR, DISPATCHER, SUPERVISOR}),
    "dispatch": frozenset({OPERATOR, DISPATCHER, SUPERVISOR}),
    "redispatch": frozenset({DISPATCHER, SUPERVISOR}),
    "return_review": frozenset({DISPATCHER, SUPERVISOR}),
    "designate": frozenset({SUPERVISOR}),
    "consultation": frozenset({SUPERVISOR}),
    "sign": frozenset({UNIT}),
    "return": frozenset({UNIT}),
    "sub_dispatch": frozenset({UNIT}),
    "extension_request": frozenset({UNIT}),
    "extension_decision": frozenset({SUPERVISOR}),
    "pause": frozenset({UNIT, SUPERVISOR}),
    "resume": frozenset({UNIT, SUPERVISOR}),
    "pause_decision": frozenset({SUPERVISOR}),
    "reply": frozenset({UNIT}),
    "co_reply": frozenset({UNIT}),
    "review": frozenset({SUPERVISOR}),
    "callback": frozenset({CALLBACK, SUPERVISOR}),
    "spot_check": frozenset({CALLBACK, SUPERVISOR}),
    "appeal": frozenset({SUPERVISOR}),
    "appeal_file": frozenset({UNIT}),
    "supervision": frozenset({SUPERVISOR}),
    "instruction": frozenset({LEADER, SUPERVISOR}),
    "close": frozenset({CALLBACK, SUPERVISOR}),
    "violation_review": frozenset({SUPERVISOR}),
    "supervision_reply": frozenset({UNIT}),
    "violation_record": frozenset({SUPERVISOR}),
    "violation_outcome": frozenset({SUPERVISOR}),
    "configure": frozenset({SUPERVISOR, ADMIN}),
    "contact": frozenset({UNIT}),
}


class NotPermitted(DomainError):
    code = "not_permitted"


def may(role: Role, action: str) -> bool:
    return role in ACTIONS[action]


def require(role: Role, action: str) -> None:
    if not may(role, action):
        raise NotPermitted(f"「{Role(role).label}」角色无权执行此操作")
