from django.db import migrations, models


def versions_carry_over(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Counters take over the subject versions the outbox handed out for ``inventory.available`` so far, so a
    receiver that kept the highest version it applied never sees a lower one."""
    counter = apps.get_model("inventory", "StockCounter")
    subject_version = apps.get_model("integration", "SubjectVersion")
    for row in subject_version.objects.filter(subject_type="inventory.available").iterator():
        sku_id, _, warehouse_id = row.subject_id.partition(":")
        counter.objects.filter(sku_id=sku_id, warehouse_id=warehouse_id).update(version=row.version)


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0002_cycle_counts"),
        ("integration", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="stockcounter",
            name="version",
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunPython(versions_carry_over, migrations.RunPython.noop),
    ]
