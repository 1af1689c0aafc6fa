"""The directory of everyone the institute knows, speakers and audience alike, with names as institutes write them."""

import zoneinfo

from django.db import models
from django.db.models.functions import Lower
from django.utils.text import slugify

from podium.core.models import validate_time_zone
from podium.core.uploads import image_validate
from podium.people import naming


class Segment(models.TextChoices):
    STATESMAN = "statesman", "Statesman or official"
    SERVING_DEFENCE = "serving_defence", "Serving defence official"
    FORMER_DEFENCE = "former_defence", "Former defence official"
    DIPLOMAT = "diplomat", "Diplomat"
    BUSINESS = "business", "Business leader"
    EXPERT = "expert", "Expert"
    SCHOLAR = "scholar", "Scholar"
    STUDENT = "student", "Student"
    MEDIA = "media", "Media"
    OTHER = "other", "Other"


class Tag(models.Model):
    """A free label on people in the directory: "Moscow alumni", "CPEC working group"."""

    name = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    class Source(models.TextChoices):
        NOT_RECORDED = "", "Not recorded"
        STAFF = "staff", "Added by staff"
        IMPORT = "import", "Imported"
        SELF_REGISTERED = "self_registered", "Registered themselves"

    # A free-text rank or honorific: institutes write "Brig", "Major General", "H.E.",
    # "Ambassador", "Prof. Dr."; a fixed list (Indico's) cannot hold them.
    honorific = models.CharField(
        "rank or honorific",
        max_length=80,
        blank=True,
        help_text="As written: Dr., Brig, Major General, Ambassador, H.E.",
    )
    retired = models.BooleanField(default=False, help_text="Shown as “(Retd)” after the rank.")
    given_names = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=150)
    post_nominals = models.CharField(max_length=80, blank=True, help_text="For example: SI(M), PhD, OBE")
    later_mention_override = models.CharField(
        "later mention",
        max_length=150,
        blank=True,
        help_text="How later sentences name this person, if not rank and family name (for example “General Haque”).",
    )
    pronoun = models.CharField(
        max_length=10,
        blank=True,
        choices=[("he", "he"), ("she", "she"), ("they", "they")],
        help_text="Lets a report say “he stated” after the first mention; empty repeats the later mention.",
    )
    sort_as = models.CharField(max_length=150, blank=True, help_text="Sort key, if not family name then given names.")
    slug = models.SlugField(max_length=200, unique=True)
    email = models.EmailField(blank=True)
    country = models.CharField(max_length=100, blank=True)
    time_zone = models.CharField(max_length=64, blank=True, validators=[validate_time_zone])
    bio = models.TextField(blank=True)
    photo = models.ImageField(upload_to="people/", blank=True, validators=[image_validate])
    segment = models.CharField(max_length=20, choices=Segment.choices, blank=True)
    consent_to_contact = models.BooleanField(default=False)
    # How the person entered the directory, and when they themselves agreed to be kept in it (the
    # public registration form's tick box, decision 30); staff-entered consent has no time here.
    source = models.CharField(max_length=20, choices=Source.choices, blank=True, default=Source.NOT_RECORDED)
    consent_given_at = models.DateTimeField(null=True, blank=True)
    tags = models.ManyToManyField(Tag, related_name="people", blank=True)
    # Set when the person unsubscribes from campaign mail; transactional mail still goes.
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_names"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="person_email_unique",
                condition=~models.Q(email=""),
                violation_error_message="Someone in the directory already has this email address.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.unique_slug()
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def unique_slug(self) -> str:
        base = slugify(f"{self.given_names} {self.family_name}")[:180] or "person"
        slug, n = base, 2
        while Person.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    @property
    def is_self_registered(self) -> bool:
        return self.source == self.Source.SELF_REGISTERED

    @property
    def zone(self) -> zoneinfo.ZoneInfo | None:
        return zoneinfo.ZoneInfo(self.time_zone) if self.time_zone else None

    # One place formats a person: podium.people.naming.
    @property
    def full_name(self) -> str:
        return naming.full_name(self)

    @property
    def styled_name(self) -> str:
        return naming.styled_name(self)

    @property
    def first_mention(self) -> str:
        return naming.first_mention(self, self._designations())

    @property
    def later_mention(self) -> str:
        return naming.later_mention(self)

    @property
    def designation_text(self) -> str:
        return naming.designations_text(self._designations())

    def _designations(self) -> list:
        # An unsaved person (the sample of an email preview) has no designations to look up.
        return list(self.designations.all()) if self.pk is not None else []

    @property
    def sort_key(self) -> str:
        return naming.sort_key(self)

    @property
    def initials(self) -> str:
        parts = [p for p in ([*self.given_names.split()[:1], self.family_name]) if p]
        return "".join(p[0] for p in parts).upper()[:2]


class Designation(models.Model):
    """A position someone holds: “Senior Policy Analyst, NIPS” or, written without the comma, “Director NIPS”."""

    person = models.ForeignKey(Person, related_name="designations", on_delete=models.CASCADE)
    position = models.CharField(max_length=200, blank=True, help_text="For example: Senior Policy Analyst")
    organisation = models.CharField(max_length=300, blank=True, help_text="For example: NIPS")
    comma = models.BooleanField(
        "comma between position and organisation",
        default=True,
        help_text="Untick to write “Director NIPS” instead of “Director, NIPS”.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(position="", organisation=""),
                name="designation_not_empty",
                violation_error_message="Give a position, an organisation or both.",
            )
        ]

    def __str__(self) -> str:
        return naming.designation_text(self)
