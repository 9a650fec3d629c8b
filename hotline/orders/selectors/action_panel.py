"""The action panel of the order page: what the viewer may do to the order now
(permission and state machine together), with what the forms offer to pick from."""

from __future__ import annotations

from dataclasses import dataclass, field

from hotline.directory.models import Unit
from hotline.domain import enums
from hotline.domain.available_actions import available_actions
from hotline.orders.selectors.detail import OrderDetail
from hotline.orders.selectors.search import unit_choices

_ASSIGNING = frozenset({"dispatch", "redispatch", "designate", "return_review"})


@dataclass(frozen=True)
class ActionPanel:
    actions: tuple[str, ...]
    units: list[Unit] = field(default_factory=list)  # to pick a lead or co-units from
    sub_units: list[Unit] = field(default_factory=list)  # the viewer's own sub-units
    suggested_lead: Unit | None = None  # the dispatch catalogue's choice
    suggested_co_units: tuple[int, ...] = ()
    suggested_basis: str = ""  # SPEC 2 (2026-12): the rule's 三定 / 权责清单 basis


def action_panel(*, detail: OrderDetail, viewer) -> ActionPanel:
    """The actions the viewer's role may take on the order now (permission and state
    machine together), with what their forms offer to pick from."""
    unit = viewer.unit if viewer.role == enums.Role.UNIT_HANDLER else None
    sub_units = list(Unit.objects.filter(parent=unit, active=True).order_by("code")) if unit else []
    actions = available_actions(
        detail.state,
        role=viewer.role,
        unit=unit.code if unit else None,
        has_sub_units=bool(sub_units),
    )
    main = detail.order.merged_into
    if detail.state.status is enums.Status.MERGED and (main is None or main.concluded_at is None):
        # SPEC 3 (2026-12): a merged caller is called back with the main order's reply,
        # once there is one (the callback service refuses earlier).
        actions = tuple(a for a in actions if a != "callback")
    if not _ASSIGNING & set(actions):
        return ActionPanel(actions, sub_units=sub_units)
    suggestion = detail.catalogue
    return ActionPanel(
        actions,
        units=list(unit_choices()),
        sub_units=sub_units,
        suggested_lead=suggestion.lead if suggestion else None,
        suggested_co_units=tuple(u.pk for u in suggestion.co_units) if suggestion else (),
        suggested_basis=suggestion.basis if suggestion else "",
    )
