"""Discipline rules (SPEC 6): what a callback reveals about the unit's conduct."""

from hotline.domain.enums import Solved, ViolationKind
from hotline.domain.events import Callback


def violations_from_callback(
    callback: Callback, *, reply_resolved: bool | None = None
) -> list[ViolationKind]:
    """A citizen's report of pressure or a leak raises a violation on the unit; so does
    a reply that said the problem was resolved when the citizen says it was not
    (答复与回访不符). A reply that said nothing either way (older data) raises none."""
    found = []
    if callback.pressured:
        found.append(ViolationKind.PRESSURE)
    if callback.leaked:
        found.append(ViolationKind.LEAK)
    if reply_resolved is True and callback.solved is Solved.NOT_SOLVED:
        found.append(ViolationKind.CONTRADICTION)
    return found
