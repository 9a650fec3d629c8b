"""Call figures (SPEC 7 ``calls``): call records started in the period, one aggregate."""

from django.db.models import Count, Q

from hotline.calls.models import Call
from hotline.calls.selectors import call_figures_between
from hotline.domain.statistics import Period, per_day, rate


def call_counts(*, period: Period) -> dict[str, int]:
    start, until = period.bounds()
    return Call.objects.filter(started_at__gte=start, started_at__lt=until).aggregate(
        offered=Count("pk"), answered=Count("pk", filter=Q(answered=True))
    )


def call_figures(*, period: Period) -> dict:
    counts = call_counts(period=period)
    start, until = period.bounds()
    # SPEC 8 (2026-12): the GB/T 33358 figures, from the calls' waits.
    waits = call_figures_between(start=start, until=until)
    return {
        "offered": counts["offered"],
        "answered": counts["answered"],
        "answer_rate": rate(counts["answered"], counts["offered"]),
        "daily_offered": per_day(counts["offered"], period.days),
        "answered_within_15s_rate": waits.answered_within_15s_rate,
        "average_wait_seconds": waits.average_wait_seconds,
        "abandoned": waits.abandoned,
    }
