"""Who gives an awaited callback to which callback agent (回访分配).

The callback team's lead — the hotline office's supervisor (热线办), who organises the
callbacks as they organise the outbound campaigns — assigns orders to the callback
agents, reassigns them and releases them to the unassigned. A callback agent takes
(领取) an unassigned order for themself and may give back (退回) their own; the lead's
assignments they cannot undo. Users are named by their user name, as the event keeps them.
"""

from hotline.domain.enums import Role
from hotline.domain.errors import DomainError

# The roles that organise the callback team's work.
LEADS = frozenset({Role.SUPERVISOR})
# The roles an order's callback can be assigned to.
AGENTS = frozenset({Role.CALLBACK_AGENT})


class AssignedElsewhere(DomainError):
    code = "callback_assigned_elsewhere"


class OwnCallbacksOnly(DomainError):
    code = "callback_own_only"


class NotCallbackAgent(DomainError):
    code = "not_callback_agent"


def check_agent(role: str, active: bool) -> None:
    """The user an order's callback is given to must be an active callback agent."""
    if role not in AGENTS:
        raise NotCallbackAgent("只能分配给回访员")
    if not active:
        raise NotCallbackAgent("该回访员账号已停用")


def check(
    *, role: str, actor: str, holder: str, agent: str, reassign: bool, holder_name: str = ""
) -> None:
    """May ``actor`` (of ``role``) give the order held by ``holder`` ("" unassigned) to
    ``agent`` ("" releases it)? ``reassign``: the lead means to take it from another agent.
    ``holder_name`` is how the refusal names the holder."""
    shown = holder_name or holder
    if role in LEADS:
        if agent and holder and holder != agent and not reassign:
            raise AssignedElsewhere(f"已分配给回访员「{shown}」，如需改派请选择“改派”")
        return
    if agent and agent != actor:
        raise OwnCallbacksOnly("回访员只能领取给自己，分配给他人须由热线办（回访组长）操作")
    if agent and holder and holder != agent:
        raise AssignedElsewhere(f"已分配给回访员「{shown}」，不能领取")
    if not agent and holder and holder != actor:
        raise AssignedElsewhere(f"已分配给回访员「{shown}」，只能退回自己的回访")
