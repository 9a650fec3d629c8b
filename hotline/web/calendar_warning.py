"""The year-end warning (SPEC 4, 2026-12): from 1 October, until next year's holiday
schedule is entered, the office's supervisors and administrators see a banner on every
page (their dashboards included), with the way to enter it."""

from django.utils import timezone

from hotline.configuration.selectors import year_awaiting_schedule
from hotline.domain.enums import Role

_WARNED = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})


def calendar_warning(request) -> dict:
    """Context processor: ``calendar_warning`` is the year to enter, or absent."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role not in _WARNED:
        return {}
    year = year_awaiting_schedule(today=timezone.localdate(timezone.now()))
    return {"calendar_warning": year} if year else {}
