"""The settings a hotline office may change (SPEC 4, 5 and 11: `hotline config set`)."""

from datetime import time

import pytest

from hotline.domain.assessment import AssessmentRule, UnitCounts, assess
from hotline.domain.callback_scope import CallbackScope
from hotline.domain.deadlines import DEFAULT_DAYS_BY_APPEAL_TYPE, DeadlinePolicy
from hotline.domain.office_settings import (
    KEYS,
    InvalidSetting,
    UnknownSetting,
    assessment_classes,
    assessment_rule,
    callback_scope,
    deadline_policy,
    open311_public_reads,
    parse,
    validate,
)

# --- parse -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "text", "value"),
    [
        ("default_days", "10", 10),
        ("yellow_fraction", "0.2", 0.2),
        ("grade_bounds", '{"A": 95, "B": 90}', {"A": 95, "B": 90}),
        ("days_by_appeal_type", '{"help": 15}', {"help": 15}),
        ("callback_scope", '"all"', "all"),
    ],
)
def test_parse_reads_json(key, text, value):
    assert parse(key, text) == value


@pytest.mark.parametrize(
    ("key", "text"),
    [("callback_scope", "all"), ("callback_scope", "dispatched"), ("office_hours_start", "08:30")],
)
def test_parse_keeps_text_that_is_not_json_as_a_bare_string(key, text):
    assert parse(key, text) == text


def test_unknown_key_is_refused_listing_the_known_keys():
    with pytest.raises(UnknownSetting) as error:
        parse("callback_scop", "all")
    assert "callback_scop" in error.value.message
    for key in KEYS:
        assert key in error.value.message


def test_every_key_has_a_description_and_an_example_that_parses():
    for key, spec in KEYS.items():
        assert spec.description
        parse(key, spec.example)


def test_the_spec_settings_are_all_keys():
    assert {
        "callback_scope",
        "sign_for_hours",
        "urgent_sign_for_minutes",
        "urgent_reply_hours",
        "default_days",
        "assessment_weights",
        "grade_bounds",
    } <= set(KEYS)


# --- validate --------------------------------------------------------------------------


def test_validate_accepts_the_defaults():
    validate({})


def test_validate_accepts_every_example_value_together():
    validate({key: parse(key, spec.example) for key, spec in KEYS.items()})


@pytest.mark.parametrize(
    "values",
    [
        {"callback_scope": "all"},
        {"callback_scope": "dispatched"},
        {"default_days": 7},
        {"sign_for_hours": 1.5, "urgent_sign_for_minutes": 20, "urgent_reply_hours": 12},
        {"days_by_appeal_type": {"help": 20}, "days_by_category": {"0101": 3}},
        {"office_hours_start": "09:00", "office_hours_end": "18:00"},
        {"assessment_weights": {"handled": 40, "on_time": 20, "rework": 20, "satisfaction": 20}},
        {"grade_bounds": {"A": 92, "B": 85, "C": 75, "D": 55}},
    ],
)
def test_validate_accepts_good_values(values):
    validate(values)


@pytest.mark.parametrize(
    "values",
    [
        {"callback_scope": "sometimes"},
        {"default_days": -1},
        {"default_days": 0},
        {"default_days": "ten"},
        {"assessment_weights": {"handled": 40, "on_time": 30, "rework": 20, "satisfaction": 20}},
        {"assessment_weights": {"handled": 50, "on_time": 50}},
        {
            "assessment_weights": {
                "handled": 30,
                "on_time": 30,
                "rework": "twenty",
                "satisfaction": 20,
            }
        },
        {"assessment_weights": [30, 30, 20, 20]},
        {"grade_bounds": "A=95"},
        {"grade_bounds": [95, 90, 80, 60]},
        {"grade_bounds": {}},
        {"grade_bounds": {"A": 90, "B": 90}},
        {"grade_bounds": {"A": "high"}},
        {"office_hours_start": "18:00", "office_hours_end": "08:00"},
        {"open311_public_reads": "yes"},
        {"open311_public_reads": 1},
    ],
)
def test_validate_refuses_bad_values(values):
    with pytest.raises(InvalidSetting) as error:
        validate(values)
    assert error.value.message


def test_refused_callback_scope_names_the_choices():
    with pytest.raises(InvalidSetting) as error:
        callback_scope({"callback_scope": "sometimes"})
    assert "sometimes" in error.value.message
    assert "all" in error.value.message
    assert "dispatched" in error.value.message


# --- building the domain objects -------------------------------------------------------


def test_deadline_policy_is_built_from_the_values():
    policy = deadline_policy(
        {
            "default_days": 7,
            "sign_for_hours": 3,
            "urgent_reply_hours": 12,
            "days_by_appeal_type": {"help": 20},
            "days_by_category": {"0101": 3},
            "office_hours_start": "09:00",
            "yellow_fraction": 0.25,
        }
    )
    assert isinstance(policy, DeadlinePolicy)
    assert policy.default_days == 7
    assert policy.sign_for_hours == 3
    assert policy.urgent_reply_hours == 12
    assert policy.days_by_appeal_type["help"] == 20
    assert policy.days_by_appeal_type["consult"] == DEFAULT_DAYS_BY_APPEAL_TYPE["consult"]
    assert policy.days_by_category == {"0101": 3}
    assert policy.office_hours.start == time(9, 0)
    assert policy.yellow_fraction == 0.25


def test_deadline_policy_defaults_without_values():
    assert deadline_policy({}) == DeadlinePolicy()


def test_assessment_rule_is_built_from_the_values():
    rule = assessment_rule(
        {
            "assessment_weights": {"handled": 40, "on_time": 20, "rework": 25, "satisfaction": 15},
            "grade_bounds": {"B": 85, "A": 92, "D": 50, "C": 70},
            "assessment_minimum_due": 1,
        }
    )
    assert isinstance(rule, AssessmentRule)
    assert (
        rule.handled_weight,
        rule.on_time_weight,
        rule.rework_weight,
        rule.satisfaction_weight,
    ) == (40, 20, 25, 15)
    assert rule.bounds == (("A", 92), ("B", 85), ("C", 70), ("D", 50))
    # One order handled late: 40 + 0 + 25 + 15 = 80 → C under these bounds.
    result = assess(UnitCounts(1, 1, 1, 0, 0, 0), rule)
    assert (result.score, result.grade) == (80.0, "C")


def test_assessment_rule_defaults_without_values():
    # SPEC 5 (2026-12): the office's default minimum of due orders for a grade is 5.
    assert assessment_rule({}) == AssessmentRule(minimum_due=5)


def test_below_the_office_minimum_a_unit_has_no_grade():
    rule = assessment_rule({})
    assert assess(UnitCounts(1, 0, 0, 0, 0, 0), rule).grade is None
    assert assess(UnitCounts(5, 0, 0, 0, 0, 0), rule).grade == "E"
    assert assessment_rule({"assessment_minimum_due": 0}).minimum_due == 0


@pytest.mark.parametrize("value", [-1, 2.5, "5", True])
def test_a_bad_minimum_of_due_orders_is_refused(value):
    with pytest.raises(InvalidSetting, match="最少应办理数"):
        assessment_rule({"assessment_minimum_due": value})


def test_assessment_classes_are_read_from_the_value():
    assert assessment_classes({}) == {}
    assert assessment_classes({"assessment_classes": {"U01": " 重点部门 "}}) == {"U01": "重点部门"}
    for bad in ([], {"department": ""}, {"department": 3}):
        with pytest.raises(InvalidSetting, match="分档分类"):
            assessment_classes({"assessment_classes": bad})


def test_callback_scope_is_built_from_the_value():
    assert callback_scope({"callback_scope": "all"}) is CallbackScope.ALL
    assert callback_scope({"callback_scope": "dispatched"}) is CallbackScope.DISPATCHED


def test_callback_scope_defaults_to_dispatched_orders():
    assert callback_scope({}) is CallbackScope.DISPATCHED


def test_foreign_keys_are_ignored_by_the_builders():
    values = {"callback_scope": "all", "default_days": 5, "grade_bounds_note": 30}
    assert deadline_policy(values).default_days == 5
    assert assessment_rule(values) == AssessmentRule(minimum_due=5)
    assert callback_scope(values) is CallbackScope.ALL


def test_the_appeal_window_is_three_working_days_unless_the_office_says_otherwise():
    from hotline.domain.office_settings import appeal_window_days

    assert appeal_window_days({}) == 3
    assert appeal_window_days({"appeal_window_days": 5}) == 5
    for bad in (0, -1, 2.5, "3", True):
        with pytest.raises(InvalidSetting, match="申诉期限"):
            appeal_window_days({"appeal_window_days": bad})


def test_open311_requests_are_private_unless_the_office_opens_them():
    assert open311_public_reads({}) is False
    assert open311_public_reads({"open311_public_reads": parse("open311_public_reads", "true")})
