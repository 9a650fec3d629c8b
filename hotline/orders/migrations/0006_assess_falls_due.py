from django.db import migrations, models
from django.db.models import Case, F, OuterRef, Q, Subquery, When


def backfill(apps, schema_editor):
    """The current lead assignments get the moment their order's columns give: the
    conclusion when it came inside the deadline, else the deadline in force, else (never
    signed) the sign-for deadline. Orders recorded from now on get it event by event
    (orders/projection.py); assignments already ended keep none, which only matters for
    a report made, after this upgrade, as of a moment before their re-dispatch."""
    Assignment = apps.get_model("orders", "Assignment")
    Order = apps.get_model("orders", "Order")
    moment = Order.objects.filter(pk=OuterRef("order_id")).annotate(
        moment=Case(
            When(
                Q(concluded_at__isnull=False)
                & (Q(deadline__isnull=True) | Q(concluded_at__lte=F("deadline"))),
                then=F("concluded_at"),
            ),
            When(deadline__isnull=False, then=F("deadline")),
            default=F("sign_by"),
        )
    )
    Assignment.objects.filter(role="lead", ended_at__isnull=True).update(
        falls_due_at=Subquery(moment.values("moment")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_unit_notification_contacts"),
        ("orders", "0005_report_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="falls_due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="考核计入时间"),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                condition=models.Q(("role", "lead")),
                fields=["unit", "role", "falls_due_at"],
                include=("id", "order", "ended_at"),
                name="assignment_unit_falls_due",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
