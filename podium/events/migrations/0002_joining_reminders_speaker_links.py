"""Joining and reminders on events; personal links and invitation times on participations.

The participation token is added in three steps so every existing row gets its own random
token: add it nullable, fill it row by row, then make it unique and required.
"""

import secrets

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import podium.events.models


def fill_tokens(apps, schema_editor):
    Participation = apps.get_model("events", "Participation")
    for participation in Participation.objects.filter(token__isnull=True).only("pk").iterator():
        Participation.objects.filter(pk=participation.pk).update(token=secrets.token_urlsafe(32))


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="join_url",
            field=models.URLField(blank=True, help_text="Zoom, Jitsi or any link. Registrants reach it through their personal join link, which leads here once the event opens.", max_length=500, validators=[django.core.validators.URLValidator(schemes=["https", "http"])], verbose_name="video link"),
        ),
        migrations.AddField(
            model_name="event",
            name="join_opens_minutes",
            field=models.PositiveSmallIntegerField(default=15, help_text="Minutes before the start when registrants can join.", verbose_name="join link opens"),
        ),
        migrations.AddField(
            model_name="event",
            name="reminder_offsets",
            field=models.JSONField(blank=True, default=podium.events.models.default_reminder_offsets, help_text="Minutes before the start when confirmed registrants get a reminder with their join link.", validators=[podium.events.models.validate_reminder_offsets], verbose_name="reminders"),
        ),
        migrations.AddField(
            model_name="event",
            name="tech_check_minutes",
            field=models.PositiveSmallIntegerField(default=30, help_text="Minutes before the start when speakers join for a technical check.", verbose_name="technical check"),
        ),
        migrations.AddField(
            model_name="participation",
            name="briefing_note",
            field=models.TextField(blank=True, help_text="For the speaker only: sent with their invitation and briefings, never published."),
        ),
        migrations.AddField(
            model_name="participation",
            name="invited_at",
            field=models.DateTimeField(blank=True, help_text="When the invitation email was last sent.", null=True),
        ),
        migrations.AddField(
            model_name="participation",
            name="invited_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name="participation",
            name="responded_at",
            field=models.DateTimeField(blank=True, help_text="When the speaker accepted or declined.", null=True),
        ),
        # 1. nullable, no default: existing rows stay NULL instead of sharing one value
        migrations.AddField(
            model_name="participation",
            name="token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        # 2. a token of its own for every existing row
        migrations.RunPython(fill_tokens, migrations.RunPython.noop, elidable=True),
        # 3. required and unique from now on
        migrations.AlterField(
            model_name="participation",
            name="token",
            field=models.CharField(default=podium.events.models.new_participation_token, editable=False, max_length=64, unique=True),
        ),
    ]
