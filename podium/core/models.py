"""The organisation that runs the series: its names, branding and defaults (one row)."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models

from podium.core.uploads import image_validate


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            "“%(value)s” is not a time zone name. Use a name such as Asia/Karachi or Europe/Moscow.",
            params={"value": value},
        )


class Organisation(models.Model):
    name = models.CharField(max_length=200, help_text="For example: NUST Institute of Policy Studies")
    short_name = models.CharField(max_length=40, blank=True, help_text="For example: NIPS")
    parent_name = models.CharField(
        max_length=200, blank=True, help_text="For example: National University of Sciences and Technology (NUST)"
    )
    city = models.CharField(max_length=100, blank=True)
    website = models.URLField(blank=True)
    logo = models.ImageField(upload_to="organisation/", blank=True, validators=[image_validate])
    press_contact_name = models.CharField(max_length=200, blank=True)
    press_contact_email = models.EmailField(blank=True)
    press_contact_phone = models.CharField(max_length=50, blank=True)
    report_approval_required = models.BooleanField(
        "press releases need a second approval",
        default=False,
        help_text="A second staff member approves each press release before it is published.",
    )
    default_time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "organisation settings"
        verbose_name_plural = "organisation settings"

    def __str__(self) -> str:
        return self.name

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.name
