"""Changes to the office's settings and holiday table."""

from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from hotline.audit.models import AuditRecord
from hotline.audit.services import audit_record
from hotline.configuration.models import Holiday, Setting
from hotline.configuration.selectors import setting_values
from hotline.domain import office_settings
from hotline.domain.errors import DomainError
from hotline.domain.holiday_notice import YearSchedule


class HolidayNotFound(DomainError):
    code = "holiday_not_found"


@transaction.atomic
def setting_set(*, key: str, text: str, actor: AbstractBaseUser | None = None) -> object:
    """Parses, validates against every rule that reads it, then saves; returns the value.
    A change by a person (``actor``) goes on the audit trail."""
    value = office_settings.parse(key, text)
    office_settings.validate({**setting_values(), key: value})
    Setting.objects.update_or_create(key=key, defaults={"value": value})
    if actor is not None:
        audit_record(
            action=AuditRecord.Action.SETTING_CHANGE, actor=actor, detail=f"{key} = {text}"
        )
    return value


@transaction.atomic
def holiday_set(
    *, day: date, workday: bool, name: str = "", actor: AbstractBaseUser | None = None
) -> Holiday:
    holiday, _ = Holiday.objects.update_or_create(
        date=day, defaults={"workday": workday, "name": name}
    )
    if actor is not None:
        kind = "上班" if workday else "放假"
        audit_record(
            action=AuditRecord.Action.HOLIDAY_CHANGE,
            actor=actor,
            detail=f"{day:%Y-%m-%d} {kind} {name}".rstrip(),
        )
    return holiday


@transaction.atomic
def holiday_delete(*, day: date, actor: AbstractBaseUser | None = None) -> None:
    """Removes the table's row for ``day``: the day follows the packaged calendar again
    (or, in a year the package does not know, the weekday rule)."""
    deleted, _ = Holiday.objects.filter(date=day).delete()
    if not deleted:
        raise HolidayNotFound(f"节假日表中没有 {day:%Y-%m-%d} 这一天")
    if actor is not None:
        audit_record(
            action=AuditRecord.Action.HOLIDAY_CHANGE,
            actor=actor,
            detail=f"删除 {day:%Y-%m-%d} 的节假日设置",
        )


@transaction.atomic
def holiday_year_replace(*, schedule: YearSchedule, actor: AbstractBaseUser | None = None) -> int:
    """SPEC 4 (2026-12): a year's schedule is entered whole — the year's rows are
    replaced by the schedule's, all or none. Returns the number of rows saved."""
    year = schedule.year
    Holiday.objects.filter(date__year=year).delete()
    Holiday.objects.bulk_create(
        Holiday(date=d.day, workday=d.workday, name=d.name) for d in schedule.days.values()
    )
    if actor is not None:
        audit_record(
            action=AuditRecord.Action.HOLIDAY_CHANGE,
            actor=actor,
            detail=(
                f"整年录入 {year} 年节假日安排：放假 {len(schedule.rest_days)} 天，"
                f"调休上班 {len(schedule.work_days)} 天"
            ),
        )
    return len(schedule.days)
