"""Each event's hash chaining it to the previous event of its order; the events already
stored get theirs here, order by order, in batches."""

from django.db import migrations, models

from hotline.domain.event_chain import StoredEvent, chain

ORDERS_PER_BATCH = 2000


def fill_chain_hashes(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    Event = apps.get_model("orders", "Event")
    database = schema_editor.connection.alias
    orders = Order.objects.using(database)
    events = Event.objects.using(database)
    last = 0
    while True:
        numbers = dict(
            orders.filter(pk__gt=last).order_by("pk").values_list("pk", "number")[:ORDERS_PER_BATCH]
        )
        if not numbers:
            return
        last = max(numbers)
        batch = list(
            events.filter(order_id__gte=min(numbers), order_id__lte=last).order_by(
                "order_id", "seq"
            )
        )
        start = 0
        while start < len(batch):
            order_id = batch[start].order_id
            end = start
            while end < len(batch) and batch[end].order_id == order_id:
                end += 1
            mine = batch[start:end]
            stored = [
                StoredEvent(e.seq, e.type, e.at, e.actor_id, e.from_status, e.to_status, e.data, "")
                for e in mine
            ]
            for event, hashed in zip(mine, chain(numbers[order_id], stored), strict=True):
                event.chain_hash = hashed
            start = end
        events.bulk_update(batch, ["chain_hash"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0002_queue_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="chain_hash",
            field=models.CharField(default="", max_length=64, verbose_name="链哈希"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_chain_hashes, migrations.RunPython.noop, elidable=False),
    ]
