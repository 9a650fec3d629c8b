from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_surge_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="order", name="order_received"),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["received_at"],
                include=(
                    "id",
                    "disposition",
                    "reject_reason",
                    "channel",
                    "appeal_type",
                    "category",
                    "lead_unit",
                    "urgent",
                    "concluded_at",
                    "on_time",
                ),
                name="order_received",
            ),
        ),
        migrations.RemoveIndex(model_name="assignment", name="assignment_unit_period"),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                fields=["unit", "role", "assigned_at"],
                include=("id", "order", "ended_at"),
                name="assignment_unit_period",
            ),
        ),
        migrations.RemoveIndex(model_name="event", name="event_type_at"),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["type", "at"], include=("order",), name="event_type_at"),
        ),
        migrations.AddIndex(
            model_name="reply",
            index=models.Index(
                condition=models.Q(("decision", "rework")),
                fields=["at"],
                include=("order",),
                name="reply_rework",
            ),
        ),
        migrations.RemoveIndex(model_name="callback", name="callback_order"),
        migrations.AddIndex(
            model_name="callback",
            index=models.Index(
                fields=["order", "at"], include=("id", "kind", "result"), name="callback_order"
            ),
        ),
        migrations.AddIndex(
            model_name="callback",
            index=models.Index(
                fields=["at"],
                include=("id", "order", "kind", "result", "appeal_upheld"),
                name="callback_at",
            ),
        ),
        migrations.AddIndex(
            model_name="callback",
            index=models.Index(
                condition=models.Q(("rework", True)),
                fields=["at"],
                include=("order",),
                name="callback_rework",
            ),
        ),
    ]
