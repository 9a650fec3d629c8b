"""A citizen's own rating of the handling, given on the portal (SPEC 1: the citizen
"rates the handling").

It is not a callback. Callbacks are the office's calls to the citizen, and the
satisfaction of SPEC 5 and 7 is counted over them; a rating the citizen leaves
unasked is kept apart and never enters those figures. It therefore does not go
through the order's state machine either: rating an order changes nothing in it.

A citizen rates an order once, when it is concluded or closed. An order that was
never handled has nothing to rate: one merged into another (its citizen follows
the other), not accepted, or ended as harassment or invalid. An order answered at
intake is closed with its answer and may be rated.
"""

from hotline.domain.enums import CallbackResult, Disposition, Status
from hotline.domain.errors import DomainError

COMMENT_MAX = 500

# What a citizen may say; "unreachable" is what the office records when it cannot
# reach them, not an opinion.
RESULTS = (
    CallbackResult.SATISFIED,
    CallbackResult.BASICALLY_SATISFIED,
    CallbackResult.UNSATISFIED,
)

RATED_STATUSES = frozenset({Status.CONCLUDED, Status.CLOSED})
# (2026-12) An emergency transferred to 110/119/120/122 was handled there, not here.
UNHANDLED = frozenset(
    {
        Disposition.MERGED,
        Disposition.REJECTED,
        Disposition.HARASSMENT,
        Disposition.INVALID,
        Disposition.TRANSFERRED,
    }
)


class RatingRefused(DomainError):
    code = "rating_refused"


class InvalidRatingResult(RatingRefused):
    code = "invalid_rating_result"

    def __init__(self, message: str = "请选择满意、基本满意或不满意"):
        super().__init__(message)


class RatingCommentTooLong(RatingRefused):
    code = "rating_comment_too_long"

    def __init__(self, message: str = f"评价意见不能超过 {COMMENT_MAX} 字"):
        super().__init__(message)


class RatingTooEarly(RatingRefused):
    code = "rating_too_early"

    def __init__(self, message: str = "工单办结后才能评价"):
        super().__init__(message)


class OrderNotRateable(RatingRefused):
    code = "order_not_rateable"


class AlreadyRated(RatingRefused):
    code = "already_rated"

    def __init__(self, message: str = "该工单已评价，不能重复评价"):
        super().__init__(message)


def parse_result(value) -> CallbackResult:
    """The citizen's answer as a result; anything but the three opinions is refused."""
    try:
        result = CallbackResult(value)
    except ValueError:
        raise InvalidRatingResult() from None
    if result not in RESULTS:
        raise InvalidRatingResult()
    return result


def check_comment(text: str | None) -> str:
    """The comment without surrounding blanks; it may be empty."""
    comment = (text or "").strip()
    if len(comment) > COMMENT_MAX:
        raise RatingCommentTooLong()
    return comment


def _as_status(value) -> Status:
    return value if isinstance(value, Status) else Status(value)


def _as_disposition(value) -> Disposition | None:
    if not value:
        return None
    return value if isinstance(value, Disposition) else Disposition(value)


def check_rateable(*, status, disposition, rated: bool) -> None:
    """Returns when the citizen may rate the order now; raises the refusal otherwise.

    ``status`` and ``disposition`` are the order's (members or their values; an empty
    disposition means none decided yet); ``rated`` tells whether it was rated already.
    """
    if rated:
        raise AlreadyRated()
    status = _as_status(status)
    disposition = _as_disposition(disposition)
    if status is Status.MERGED or disposition is Disposition.MERGED:
        raise OrderNotRateable("该工单已与同一事项的工单合并办理，不能单独评价")
    if disposition in UNHANDLED:
        raise OrderNotRateable("该工单不予受理或已结束受理，没有可评价的办理结果")
    if status not in RATED_STATUSES:
        raise RatingTooEarly()


def may_rate(*, status, disposition, rated: bool) -> bool:
    try:
        check_rateable(status=status, disposition=disposition, rated=rated)
    except RatingRefused:
        return False
    return True
