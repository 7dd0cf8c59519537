"""Seal the webhook secrets at rest (data migration), and record why a subscription was turned off.

Step one of two: the sealed columns are added and every existing secret is sealed into them; the next
migration drops the clear columns. (Two migrations, so that PostgreSQL never alters a table with rows
updated in the same transaction.) Reversible: going back unseals into the clear columns.
"""

from django.db import migrations, models

CONTEXT = "webhook-secret:{}"


def _context(pk):
    return CONTEXT.format(pk).encode("ascii")


def seal_secrets(apps, schema_editor):
    from haicang.core.crypto import seal

    Subscription = apps.get_model("integration", "WebhookSubscription")
    for row in Subscription.objects.all().iterator():
        row.secret_sealed = seal(row.secret.encode(), context=_context(row.pk))
        row.previous_secret_sealed = (
            seal(row.previous_secret.encode(), context=_context(row.pk)) if row.previous_secret else None
        )
        if not row.is_active and row.disabled_at is not None:
            failing = row.disabled_reason.startswith("turned off after")
            row.disabled_cause = "failing" if failing else "party"
            row.disabled_acknowledged_at = None if failing else row.disabled_at
        row.secret = ""
        row.previous_secret = ""
        row.save(
            update_fields=[
                "secret_sealed",
                "previous_secret_sealed",
                "secret",
                "previous_secret",
                "disabled_cause",
                "disabled_acknowledged_at",
            ]
        )


def unseal_secrets(apps, schema_editor):
    from haicang.core.crypto import unseal

    Subscription = apps.get_model("integration", "WebhookSubscription")
    for row in Subscription.objects.all().iterator():
        row.secret = unseal(bytes(row.secret_sealed), context=_context(row.pk)).decode()
        previous = row.previous_secret_sealed
        row.previous_secret = unseal(bytes(previous), context=_context(row.pk)).decode() if previous else ""
        row.save(update_fields=["secret", "previous_secret"])


class Migration(migrations.Migration):
    dependencies = [
        ("integration", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhooksubscription",
            name="secret_sealed",
            field=models.BinaryField(null=True),
        ),
        migrations.AddField(
            model_name="webhooksubscription",
            name="previous_secret_sealed",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="webhooksubscription",
            name="disabled_cause",
            field=models.CharField(
                blank=True,
                choices=[("failing", "Its deliveries kept failing"), ("party", "Turned off by the party")],
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="webhooksubscription",
            name="disabled_acknowledged_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="webhooksubscription",
            name="secret",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.RunPython(seal_secrets, unseal_secrets),
    ]
