from django.db import migrations

# PostgreSQL only (see Assignment.Meta): the lead assignments by the moment they were made.
CREATE = (
    "CREATE INDEX IF NOT EXISTS assignment_lead_made ON orders_assignment (assigned_at) "
    "INCLUDE (unit_id, order_id, ended_at) WHERE role = 'lead'"
)
DROP = "DROP INDEX IF EXISTS assignment_lead_made"


def _on_postgresql(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0020_event_order_sign_for"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP)),
    ]
