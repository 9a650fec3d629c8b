"""Who may correct an order, and when (SPEC 3 工单修正, 2026-12).

The operator corrects what they registered until it goes to a unit; the dispatcher
and the supervisor until the order is closed (the state machine's ``CORRECTABLE``).
A correction keeps the old value beside the new in its event; the citizen's own words
(the content) are never a correctable field, a corrected summary sits beside them.
"""

from hotline.domain.enums import Role, Status
from hotline.domain.permissions import NotPermitted

SUMMARY_MAX = 500


def may_correct_now(role: str, status: Status) -> bool:
    """Beyond the permission (``permissions``): the operator only before dispatch."""
    return role != Role.OPERATOR or status is Status.REGISTERED


def require_correct_now(role: str, status: Status) -> None:
    if not may_correct_now(role, status):
        raise NotPermitted("话务员只能在派单前修正工单，派单后请联系派单员或热线办修正")
