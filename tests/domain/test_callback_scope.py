"""SPEC 4 and 7: which orders the hotline must call back."""

from collections import Counter

import pytest

from hotline.domain.callback_scope import NEVER_CALLED_BACK, CallbackScope, needs_callback
from hotline.domain.enums import Disposition


def test_with_scope_dispatched_dispatched_orders_and_their_merged_callers_need_a_callback():
    needing = {d for d in Disposition if needs_callback(d, CallbackScope.DISPATCHED)}
    assert needing == {Disposition.DISPATCHED, Disposition.MERGED}


def test_with_scope_all_answered_at_intake_and_dispatched_orders_need_a_callback():
    assert needs_callback(Disposition.ANSWERED, CallbackScope.ALL)
    assert needs_callback(Disposition.DISPATCHED, CallbackScope.ALL)


@pytest.mark.parametrize("scope", list(CallbackScope))
@pytest.mark.parametrize(
    "disposition", [Disposition.HARASSMENT, Disposition.INVALID, Disposition.REJECTED]
)
def test_harassment_invalid_and_rejected_are_never_called_back(scope, disposition):
    assert disposition in NEVER_CALLED_BACK
    assert not needs_callback(disposition, scope)


@pytest.mark.parametrize("scope", list(CallbackScope))
def test_order_without_disposition_needs_no_callback_yet(scope):
    assert not needs_callback(None, scope)


@pytest.mark.parametrize("scope", list(CallbackScope))
def test_each_merged_caller_is_called_back(scope):
    # SPEC 3 (2026-12): callbacks count per caller; orders merge only into dispatched ones.
    assert needs_callback(Disposition.MERGED, scope)


def test_scope_values_are_all_and_dispatched():
    assert {s.value for s in CallbackScope} == {"all", "dispatched"}
    assert CallbackScope.parse("all") is CallbackScope.ALL


def longshan_first_quarter_2020() -> Counter:
    # Seed 004: 3085 accepted, of which 2694 closed online (161 harassment among them),
    # 288 dispatched, 103 not accepted (不予立案), no invalid calls.
    return Counter(
        {
            Disposition.ANSWERED: 2694 - 161,
            Disposition.HARASSMENT: 161,
            Disposition.DISPATCHED: 288,
            Disposition.REJECTED: 103,
        }
    )


def needing_callback(counts: Counter, scope: CallbackScope) -> int:
    return sum(n for disposition, n in counts.items() if needs_callback(disposition, scope))


def test_longshan_3085_accepted_less_161_harassment_and_103_rejected_is_2821_to_call_back():
    counts = longshan_first_quarter_2020()
    assert counts.total() == 3085
    assert needing_callback(counts, CallbackScope.ALL) == 2821


def test_longshan_with_scope_dispatched_calls_back_only_the_288_dispatched():
    assert needing_callback(longshan_first_quarter_2020(), CallbackScope.DISPATCHED) == 288
