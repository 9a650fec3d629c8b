"""Reads of the office's settings and calendar, as domain objects."""

from hotline.configuration.models import Holiday, Setting
from hotline.domain import office_settings
from hotline.domain.assessment import AssessmentRule
from hotline.domain.calendar import WorkingCalendar
from hotline.domain.callback_scope import CallbackScope
from hotline.domain.deadlines import DeadlinePolicy


def setting_values() -> dict[str, object]:
    return dict(Setting.objects.values_list("key", "value"))


def deadline_policy() -> DeadlinePolicy:
    return office_settings.deadline_policy(setting_values())


def assessment_rule() -> AssessmentRule:
    return office_settings.assessment_rule(setting_values())


def callback_scope() -> CallbackScope:
    return office_settings.callback_scope(setting_values())


def missed_call_minutes() -> int:
    return office_settings.missed_call_minutes(setting_values())


def working_calendar() -> WorkingCalendar:
    return WorkingCalendar(dict(Holiday.objects.values_list("date", "workday")))
