"""Every event an action records is told in its own words, and each decision of a
decided event in different words (issue 17: 审核通过 / 已退回返工, not 答复审核已完成)."""

from dataclasses import fields, replace
from datetime import datetime
from enum import Enum

import pytest

from hotline.domain import events as ev
from hotline.domain.enums import ReturnDecision, ReviewDecision
from hotline.domain.outcomes import told

AT = datetime(2026, 3, 2, 9)
NAMES = {"U-YT": "岳塘区", "U-SCJG": "市市场监管局"}


@pytest.mark.parametrize("kind", list(ev.EVENT_TYPES.values()), ids=lambda k: k.type)
def test_every_event_type_is_told_and_not_as_a_mere_completion(kind):
    text = told(kind(at=AT), NAMES)
    assert text and "已完成" not in text and kind.label + "已完成" != text


def _decisions():
    for kind in ev.EVENT_TYPES.values():
        for field in fields(kind):
            if field.name == "decision" and isinstance(field.default, Enum):
                yield kind, type(field.default)


@pytest.mark.parametrize("kind, vocabulary", list(_decisions()), ids=lambda k: str(k))
def test_each_decision_is_told_differently(kind, vocabulary):
    texts = {told(kind(at=AT, decision=choice), NAMES) for choice in vocabulary}
    assert len(texts) == len(vocabulary)


def test_the_words_of_the_review_and_the_return_review():
    review = ev.Review(at=AT)
    assert told(review, NAMES) == "审核通过"
    assert told(replace(review, decision=ReviewDecision.REWORK), NAMES) == "已退回返工"
    accepted = ev.ReturnReview(
        at=AT, decision=ReturnDecision.ACCEPT, unit="U-YT", co_units=("U-SCJG",)
    )
    assert told(accepted, NAMES) == "退单已同意并改派至「岳塘区」，协办单位「市市场监管局」"
    refused = ev.ReturnReview(at=AT, decision=ReturnDecision.REFUSE)
    assert told(refused, NAMES) == "退单不予同意，由原承办单位继续办理"


def test_a_callback_that_sends_the_order_back_says_so():
    callback = ev.Callback(at=AT)
    assert told(callback, NAMES) == "回访已记录：满意"
    assert told(replace(callback, rework=True), NAMES).endswith("已退回返工")
