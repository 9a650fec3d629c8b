"""Call figures (SPEC 7 ``calls``): call records started in the period, one aggregate."""

from django.db.models import Count, Q

from hotline.calls.models import Call
from hotline.domain.statistics import Period, per_day, rate


def call_counts(*, period: Period) -> dict[str, int]:
    start, until = period.bounds()
    return Call.objects.filter(started_at__gte=start, started_at__lt=until).aggregate(
        offered=Count("pk"), answered=Count("pk", filter=Q(answered=True))
    )


def call_figures(*, period: Period) -> dict:
    counts = call_counts(period=period)
    return {
        "offered": counts["offered"],
        "answered": counts["answered"],
        "answer_rate": rate(counts["answered"], counts["offered"]),
        "daily_offered": per_day(counts["offered"], period.days),
    }
