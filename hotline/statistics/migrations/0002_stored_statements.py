from django.db import migrations, models

# The statements every stored count held before their names were kept: they stay read
# from the stored counts; a statement added later is counted from the orders until the
# next run of report_facts counts every day again.
STORED_BEFORE = [
    "appeal_types",
    "assessment_callbacks",
    "assessment_due",
    "callbacks",
    "categories",
    "channels",
    "compare",
    "concluded_in_period",
    "districts",
    "handling",
    "intake",
    "lines_channel",
    "lines_channel_topics",
    "lines_channel_units",
    "lines_levels",
    "lines_tag",
    "lines_tag_topics",
    "lines_tag_units",
    "rates_resolution",
    "rates_response",
    "sign_for",
    "sign_for_undecided",
    "tags",
    "units",
]


def name_the_stored(apps, schema_editor):
    apps.get_model("statistics", "FactsState").objects.update(statements=STORED_BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0001_day_facts"),
    ]

    operations = [
        migrations.AddField(
            model_name="factsstate",
            name="statements",
            field=models.JSONField(default=list, verbose_name="已统计的口径"),
        ),
        migrations.RunPython(name_the_stored, migrations.RunPython.noop),
    ]
