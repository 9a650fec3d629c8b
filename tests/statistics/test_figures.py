"""SPEC 7's definitions, one by one, on a handful of orders whose histories say exactly
what each figure must count — including what had happened by the time the report is
made."""

from datetime import date, datetime, timedelta

import pytest

from hotline.configuration.services import setting_set
from hotline.directory.models import Category
from hotline.domain.deadlines import LOCAL_TZ
from hotline.statistics.document import report_document
from tests.statistics.histories import Line, event, import_orders, stamp

pytestmark = pytest.mark.django_db

D = timedelta(days=1)
H = timedelta(hours=1)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


def _handled(t: datetime, *, late: bool = False) -> list[dict]:
    deadline = t + H if late else t + 5 * D
    return [
        event("sign", t + 0.1 * H, unit="岳塘区", deadline=stamp(deadline)),
        event("reply", t + 2 * H, unit="岳塘区", text="已处理"),
        event("review", t + 3 * H, decision="accept"),
    ]


NOV_6, NOV_10, NOV_18, NOV_19 = (local(2024, 11, d, 9) for d in (6, 10, 18, 19))
MADE_AT = local(2024, 11, 20)


@pytest.fixture
def november(city, tmp_path):
    Category.objects.create(code="050101", name="夜间施工噪音", level=3, parent=city.noise)
    lines = [
        # A: answered at intake and called back (in the scope only when it is every order).
        Line(
            local(2024, 11, 4, 9),
            "answered",
            callback="satisfied",
            extra={"number": "20240000001"},
        ),
        # B: an invalid call, resolved at intake.
        Line(local(2024, 11, 5, 9), "invalid"),
        # C: merged into A: accepted, and nothing else.
        Line(local(2024, 11, 5, 10), "merged", extra={"merged_into": "20240000001"}),
        # D: filed under a third-level item, re-dispatched before signing, concluded on
        # time; its first callback did not reach the citizen, the second found them
        # satisfied.
        Line(
            NOV_6,
            "dispatched",
            category="050101",
            events=[
                event("dispatch", NOV_6 + 0.01 * H, unit="雨湖区"),
                event("redispatch", NOV_6 + 0.05 * H, unit="岳塘区"),
                *_handled(NOV_6),
                event("callback", NOV_6 + D, result="unreachable"),
                event("callback", NOV_6 + 2 * D, result="satisfied"),
            ],
        ),
        # E: urgent, concluded late, called back unsatisfied; a satisfied spot check is
        # not a callback.
        Line(
            NOV_10,
            "dispatched",
            category="0501",
            extra={"urgent": True},
            events=[
                event("dispatch", NOV_10 + 0.01 * H, unit="岳塘区"),
                *_handled(NOV_10, late=True),
                event("callback", NOV_10 + D, result="unsatisfied"),
                event("spot_check", NOV_10 + 2 * D, result="satisfied"),
            ],
        ),
        # F: concluded and called back only after the report is made.
        Line(
            NOV_18,
            "dispatched",
            category="0301",
            events=[
                event("dispatch", NOV_18 + 0.01 * H, unit="雨湖区"),
                event("sign", NOV_18 + 0.1 * H, unit="雨湖区", deadline=stamp(NOV_18 + 9 * D)),
                event("reply", NOV_18 + 6 * D, unit="雨湖区", text="已处理"),
                event("review", NOV_18 + 7 * D, decision="accept"),
                event("callback", NOV_18 + 8 * D, result="satisfied"),
            ],
        ),
        # G: returned by the first unit; its extension is granted after the report.
        Line(
            NOV_19,
            "dispatched",
            events=[
                event("dispatch", NOV_19 + 0.01 * H, unit="中环水务"),
                event("return", NOV_19 + 0.02 * H, unit="中环水务", reason="非本单位职责"),
                event("return_review", NOV_19 + 0.03 * H, decision="accept", unit="市市场监管局"),
                event("sign", NOV_19 + 0.1 * H, unit="市市场监管局", deadline=stamp(NOV_19 + D)),
                event(
                    "extension",
                    NOV_19 + 0.2 * H,
                    unit="市市场监管局",
                    until=stamp(NOV_19 + 10 * D),
                    reason="需现场勘查",
                    decision="granted",
                    decided_at=stamp(NOV_19 + 2 * D),
                ),
            ],
        ),
    ]
    import_orders(tmp_path, lines)


def _report(made_at=None):
    return report_document(start=date(2024, 11, 1), end=date(2024, 11, 30), made_at=made_at)


def test_accepted_counts_every_order_and_resolved_at_intake_counts_invalid_calls(november):
    assert _report(MADE_AT)["intake"] == {
        "accepted": 7,  # the merged order too
        "resolved_at_intake": 2,
        "resolved_at_intake_rate": 0.2857,
        "dispatched": 4,
        "rejected": 0,
        "rejected_by_reason": {},
        "transferred": 0,
        "harassment": 0,
        "invalid": 1,
        "citizens": [],  # the lines name no citizen
        "resolved_at_intake_over": "accepted",
    }


def test_handling_counts_what_had_happened_when_the_report_was_made(november):
    assert _report(MADE_AT)["handling"] == {
        "concluded": 2,  # D and E; F is concluded on 25 November
        "concluded_rate": 0.5,
        "concluded_in_period": 2,
        "on_time": 1,
        "on_time_rate": 0.5,
        "urgent": 1,
        "urgent_on_time": 0,
        "extended": 0,  # G's extension is granted on 21 November
        "returned": 1,
        "first_dispatch_accuracy": 0.5,  # E and F; D was re-dispatched, G returned
        # Every lead signed in time; 雨湖区's D taken away and 中环水务's G returned
        # within their sign-for time count nowhere.
        "sign_on_time_rate": 1.0,
    }
    later = _report()["handling"]
    assert (later["concluded"], later["on_time"], later["extended"]) == (3, 2, 1)
    assert later["on_time_rate"] == 0.6667


def test_callbacks_count_each_order_once_by_its_latest_callback(november):
    assert _report(MADE_AT)["callbacks"] == {
        # every dispatched order (the default scope) and, SPEC 3 (2026-12), each caller
        # merged into one (C, not called back yet)
        "needed": 5,
        "done": 2,
        "rate": 0.4,
        "reached": 2,  # D was reached the second time
        "satisfied": 1,
        "satisfaction_rate": 0.5,
    }
    later = _report()["callbacks"]
    assert (later["done"], later["reached"], later["satisfied"]) == (3, 3, 2)


def test_with_every_accepted_order_in_scope_the_answered_ones_are_called_back_too(november):
    setting_set(key="callback_scope", text="all")
    callbacks = _report(MADE_AT)["callbacks"]
    # A, the four dispatched and the merged caller C; not the invalid call.
    assert (callbacks["needed"], callbacks["done"], callbacks["satisfied"]) == (6, 3, 2)


def test_lists_name_the_current_lead_unit_and_the_middle_level_category(november):
    document = _report(MADE_AT)
    assert document["top_units"] == {
        "units": [
            {"name": "岳塘区", "count": 2, "share": 0.5},
            {"name": "市市场监管局", "count": 1, "share": 0.25},
            {"name": "雨湖区", "count": 1, "share": 0.25},
        ],
        "top10_share": 1.0,
    }
    assert document["top_categories"] == [
        {"name": "噪音扰民", "count": 2, "share": 0.2857},
        {"name": "供水", "count": 1, "share": 0.1429},
    ]
    assert document["appeal_types"] == [{"name": "咨询", "count": 7, "share": 1.0}]
    assert document["channels"] == [{"name": "电话", "count": 7}]
    assert document["tags"] == []
