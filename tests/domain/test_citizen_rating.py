"""The citizen's own rating: once, on a concluded or closed order that was handled or
answered at intake, with one of the three opinions and a short comment."""

import pytest

from hotline.domain import citizen_rating as rating
from hotline.domain.enums import CallbackResult, Disposition, Status


@pytest.mark.parametrize(
    ("status", "disposition"),
    [
        (Status.CONCLUDED, Disposition.DISPATCHED),
        (Status.CLOSED, Disposition.DISPATCHED),  # archived after handling
        (Status.CLOSED, Disposition.ANSWERED),  # answered at intake
        ("closed", "answered"),  # the values stored on the order row
        ("concluded", "dispatched"),
    ],
)
def test_a_handled_order_may_be_rated_once_concluded_or_closed(status, disposition):
    rating.check_rateable(status=status, disposition=disposition, rated=False)
    assert rating.may_rate(status=status, disposition=disposition, rated=False)
    with pytest.raises(rating.AlreadyRated) as refused:
        rating.check_rateable(status=status, disposition=disposition, rated=True)
    assert refused.value.code == "already_rated"
    assert refused.value.message == "该工单已评价，不能重复评价"
    assert not rating.may_rate(status=status, disposition=disposition, rated=True)


@pytest.mark.parametrize(
    "status",
    [Status.REGISTERED, Status.DISPATCHED, Status.RETURNED, Status.IN_PROGRESS, Status.REPLIED],
)
@pytest.mark.parametrize("disposition", [None, "", Disposition.DISPATCHED])
def test_an_order_still_in_handling_is_too_early(status, disposition):
    with pytest.raises(rating.RatingTooEarly) as refused:
        rating.check_rateable(status=status, disposition=disposition, rated=False)
    assert refused.value.code == "rating_too_early"
    assert refused.value.message == "工单办结后才能评价"
    assert not rating.may_rate(status=status, disposition=disposition, rated=False)


@pytest.mark.parametrize(
    ("status", "disposition", "message"),
    [
        (Status.MERGED, Disposition.MERGED, "合并办理"),
        (Status.CLOSED, Disposition.MERGED, "合并办理"),  # a merged order archived
        (Status.CLOSED, Disposition.REJECTED, "不予受理"),
        (Status.CLOSED, Disposition.HARASSMENT, "已结束受理"),
        (Status.CLOSED, Disposition.INVALID, "已结束受理"),
    ],
)
def test_an_order_that_was_never_handled_cannot_be_rated(status, disposition, message):
    with pytest.raises(rating.OrderNotRateable) as refused:
        rating.check_rateable(status=status, disposition=disposition, rated=False)
    assert refused.value.code == "order_not_rateable"
    assert message in refused.value.message
    assert not rating.may_rate(status=status, disposition=disposition, rated=False)


def test_exactly_the_unhandled_dispositions_are_refused_on_a_closed_order():
    allowed = {
        d for d in Disposition if rating.may_rate(status=Status.CLOSED, disposition=d, rated=False)
    }
    assert allowed == {Disposition.DISPATCHED, Disposition.ANSWERED}


def test_being_rated_is_said_before_anything_else():
    with pytest.raises(rating.AlreadyRated):
        rating.check_rateable(status=Status.CLOSED, disposition=Disposition.MERGED, rated=True)


def test_every_refusal_is_a_domain_error_with_its_own_code():
    refusals = [
        rating.InvalidRatingResult,
        rating.RatingCommentTooLong,
        rating.RatingTooEarly,
        rating.AlreadyRated,
    ]
    codes = {cls().code for cls in refusals} | {rating.OrderNotRateable("x").code}
    assert len(codes) == 5
    assert all(issubclass(cls, rating.RatingRefused) for cls in refusals)


@pytest.mark.parametrize(
    "value",
    ["satisfied", "basically_satisfied", "unsatisfied", CallbackResult.UNSATISFIED],
)
def test_the_three_opinions_are_accepted(value):
    assert rating.parse_result(value) is CallbackResult(value)


@pytest.mark.parametrize("value", ["unreachable", "满意", "", None, "great"])
def test_anything_else_is_not_an_opinion(value):
    with pytest.raises(rating.InvalidRatingResult) as refused:
        rating.parse_result(value)
    assert refused.value.message == "请选择满意、基本满意或不满意"


def test_the_comment_is_trimmed_and_may_be_empty():
    assert rating.check_comment("  办得很快，谢谢  ") == "办得很快，谢谢"
    assert rating.check_comment("") == ""
    assert rating.check_comment(None) == ""
    assert rating.check_comment("好" * rating.COMMENT_MAX) == "好" * rating.COMMENT_MAX
    assert rating.check_comment(" " + "好" * rating.COMMENT_MAX + "\n") == "好" * 500


def test_a_comment_over_the_limit_is_refused():
    with pytest.raises(rating.RatingCommentTooLong) as refused:
        rating.check_comment("好" * (rating.COMMENT_MAX + 1))
    assert refused.value.message == "评价意见不能超过 500 字"
