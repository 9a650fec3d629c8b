"""Reads of the outbox for the office."""

from django.db.models import QuerySet

from hotline.notifications.models import Notification


def notifications_recent(*, status: str = "") -> QuerySet[Notification]:
    """Notifications, newest first by ``created_at``, optionally of one status."""
    rows = Notification.objects.select_related("order", "unit")
    return rows.filter(status=status) if status else rows
