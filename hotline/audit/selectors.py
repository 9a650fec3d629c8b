"""Reads of the audit trail."""

from django.db.models import QuerySet

from hotline.audit.models import AuditRecord


def reveals_of(*, order) -> QuerySet[AuditRecord]:
    return AuditRecord.objects.filter(order=order, action=AuditRecord.Action.REVEAL).order_by("at")


def audit_recent(*, action: str = "") -> QuerySet[AuditRecord]:
    records = AuditRecord.objects.select_related("actor", "order")
    if action:
        records = records.filter(action=action)
    return records.order_by("-at", "-pk")
