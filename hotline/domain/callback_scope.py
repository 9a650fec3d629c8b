"""Which orders need a callback (SPEC 4 and 7: callbacks.needed)."""

from hotline.domain.enums import Disposition, Vocabulary


class CallbackScope(Vocabulary):
    DISPATCHED = "dispatched", "全部转办工单"
    # Longshan's rule: every accepted order except harassment, invalid and rejected.
    ALL = "all", "全部受理工单（骚扰、无效、不予受理除外）"


# (2026-12) An emergency transferred to 110/119/120/122 is followed up there.
NEVER_CALLED_BACK = frozenset(
    {
        Disposition.HARASSMENT,
        Disposition.INVALID,
        Disposition.REJECTED,
        Disposition.TRANSFERRED,
    }
)


def needs_callback(disposition: Disposition | None, scope: CallbackScope) -> bool:
    if disposition is None or disposition in NEVER_CALLED_BACK:
        return False
    if disposition is Disposition.MERGED:
        # SPEC 3 (2026-12): each merged caller is called back with the main order's
        # reply, and counts as a caller to call back; orders are merged only into
        # dispatched ones, so under either scope.
        return True
    if scope is CallbackScope.ALL:
        return True
    return disposition is Disposition.DISPATCHED
