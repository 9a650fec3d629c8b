"""Changes to the office's settings and holiday table."""

from datetime import date

from django.db import transaction

from hotline.configuration.models import Holiday, Setting
from hotline.configuration.selectors import setting_values
from hotline.domain import office_settings
from hotline.domain.errors import DomainError


class HolidayNotFound(DomainError):
    code = "holiday_not_found"


@transaction.atomic
def setting_set(*, key: str, text: str) -> object:
    """Parses, validates against every rule that reads it, then saves; returns the value."""
    value = office_settings.parse(key, text)
    office_settings.validate({**setting_values(), key: value})
    Setting.objects.update_or_create(key=key, defaults={"value": value})
    return value


@transaction.atomic
def holiday_set(*, day: date, workday: bool, name: str = "") -> Holiday:
    holiday, _ = Holiday.objects.update_or_create(
        date=day, defaults={"workday": workday, "name": name}
    )
    return holiday


@transaction.atomic
def holiday_delete(*, day: date) -> None:
    """Removes the table's row for ``day``: the day follows the packaged calendar again
    (or, in a year the package does not know, the weekday rule)."""
    deleted, _ = Holiday.objects.filter(date=day).delete()
    if not deleted:
        raise HolidayNotFound(f"节假日表中没有 {day:%Y-%m-%d} 这一天")
