"""Step two of sealing the webhook secrets: drop the clear columns (0002 sealed what they held)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("integration", "0002_seal_webhook_secrets"),
    ]

    operations = [
        migrations.RemoveField(model_name="webhooksubscription", name="secret"),
        migrations.RemoveField(model_name="webhooksubscription", name="previous_secret"),
        migrations.AlterField(
            model_name="webhooksubscription",
            name="secret_sealed",
            field=models.BinaryField(),
        ),
    ]
