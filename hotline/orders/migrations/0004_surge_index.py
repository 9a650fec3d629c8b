from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0003_event_chain_hash"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["received_at", "category", "region"], name="order_received_topic"
            ),
        ),
    ]
