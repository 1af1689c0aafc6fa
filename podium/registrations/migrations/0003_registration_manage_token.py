"""A registration's manage token, apart from its join token: each existing row gets a fresh one."""

import secrets

from django.db import migrations, models

import podium.registrations.models


def give_manage_tokens(apps, schema_editor):
    Registration = apps.get_model("registrations", "Registration")
    rows = list(Registration.objects.filter(manage_token__isnull=True).only("pk"))
    for row in rows:
        # Fresh randomness, never derived from the join token the row already has.
        row.manage_token = secrets.token_urlsafe(32)
    Registration.objects.bulk_update(rows, ["manage_token"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0002_invitation_response_joined_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="manage_token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(give_manage_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="registration",
            name="manage_token",
            field=models.CharField(
                default=podium.registrations.models.new_token, editable=False, max_length=64, unique=True
            ),
        ),
    ]
