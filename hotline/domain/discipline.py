"""Discipline rules (SPEC 6): what a callback reveals about the unit's conduct."""

from hotline.domain.enums import ViolationKind
from hotline.domain.events import Callback


def violations_from_callback(callback: Callback) -> list[ViolationKind]:
    """A citizen's report of pressure or a leak raises a violation on the unit."""
    found = []
    if callback.pressured:
        found.append(ViolationKind.PRESSURE)
    if callback.leaked:
        found.append(ViolationKind.LEAK)
    return found
