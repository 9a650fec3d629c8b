from django.db import migrations, models

from hotline.directory.spelling import region_initials


def spell_regions(apps, schema_editor):
    Region = apps.get_model("directory", "Region")
    regions = list(Region.objects.only("pk", "name", "aliases"))
    for region in regions:
        region.initials = region_initials(region.name, region.aliases)
    Region.objects.bulk_update(regions, ["initials"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0005_province_level_and_catalogue_basis'),
    ]

    operations = [
        migrations.AddField(
            model_name="region",
            name="initials",
            field=models.CharField(
                blank=True, editable=False, max_length=300, verbose_name="拼音首字母"
            ),
        ),
        migrations.RunPython(spell_regions, migrations.RunPython.noop),
    ]
