"""Reads of the office's settings and calendar, as domain objects."""

import copy
from datetime import date

from hotline.configuration.models import Holiday, Setting
from hotline.domain import office_settings
from hotline.domain.assessment import AssessmentRule
from hotline.domain.calendar import WorkingCalendar
from hotline.domain.callback_scope import CallbackScope
from hotline.domain.deadlines import DeadlinePolicy
from hotline.domain.letterhead import Letterhead
from hotline.domain.rates import RatesRule
from hotline.domain.report_rules import ReportRule
from hotline.domain.supervision import SupervisionRule
from hotline.reference.cache import remembered


def setting_values() -> dict[str, object]:
    """Kept per process while the settings stay as they are (``hotline.reference``);
    each caller gets its own copy."""
    kept = remembered("setting-values", lambda: dict(Setting.objects.values_list("key", "value")))
    return copy.deepcopy(kept)


def deadline_policy() -> DeadlinePolicy:
    return office_settings.deadline_policy(setting_values())


def assessment_rule() -> AssessmentRule:
    return office_settings.assessment_rule(setting_values())


def assessment_classes() -> dict[str, str]:
    return office_settings.assessment_classes(setting_values())


def appeal_window_days() -> int:
    return office_settings.appeal_window_days(setting_values())


def rates_rule() -> RatesRule:
    return office_settings.rates_rule(setting_values())


def callback_scope() -> CallbackScope:
    return office_settings.callback_scope(setting_values())


def supervision_rule() -> SupervisionRule:
    return office_settings.supervision_rule(setting_values())


def missed_call_minutes() -> int:
    return office_settings.missed_call_minutes(setting_values())


def open311_public_reads() -> bool:
    return office_settings.open311_public_reads(setting_values())


def letterhead() -> Letterhead:
    return office_settings.letterhead(setting_values())


def report_rule() -> ReportRule:
    return office_settings.report_rule(setting_values())


def working_calendar() -> WorkingCalendar:
    """Kept per process while the holiday table stays as it is (``hotline.reference``):
    the calendar is never changed once made, and its working days of a year, worked out
    on first use, serve every request after."""
    return remembered(
        "working-calendar",
        lambda: WorkingCalendar(dict(Holiday.objects.values_list("date", "workday"))),
    )


def year_awaiting_schedule(*, today: date) -> int | None:
    """SPEC 4 (2026-12): the year the office is warned to enter, from the table's rows of
    this year on (a handful) and the package."""
    rows = Holiday.objects.filter(date__year__gte=today.year).values_list("date", "workday")
    return WorkingCalendar(dict(rows)).awaiting_schedule(today)
