"""What the staff pages accept: the registrations filter and decisions; the series, event and agenda forms."""

import zoneinfo
from datetime import datetime
from typing import Any

from django import forms

from podium.core.forms import IdListField, ModelIdField, NameField
from podium.events.attribution import Attribution, attribution_policy
from podium.events.models import VISIBILITY_MEANINGS, Event, Role, Series
from podium.people.models import Person, Segment
from podium.people.services import DesignationInput
from podium.registrations.models import Registration
from podium.registrations.services import DECLINE_REASON_MAX
from podium.video.models import VideoRoom


class RegistrationFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "All"), *Registration.Status.choices], required=False)
    q = forms.CharField(max_length=100, required=False)


class RegistrationExportForm(RegistrationFilterForm):
    """The registrations under the page's filter, as a spreadsheet."""

    format = forms.ChoiceField(
        choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")],
        error_messages={
            "required": "Choose CSV or Excel (XLSX).",
            "invalid_choice": "Choose CSV or Excel (XLSX).",
        },
    )


class DecideForm(forms.Form):
    """Approve or decline the ticked registrations, or (with ?only=<id>) the one row whose button was pressed."""

    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("decline", "Decline")],
        error_messages={
            "required": "Choose whether to approve or decline.",
            "invalid_choice": "Choose whether to approve or decline.",
        },
    )
    registration = IdListField(required=False)
    only = IdListField(required=False)
    next = forms.CharField(required=False, max_length=2000)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        # A row's own button decides that row only, whatever else is ticked.
        data["ids"] = data.get("only") or data.get("registration") or []
        if "decision" in data and not data["ids"] and not self.errors:
            raise forms.ValidationError("Select at least one registration first.")
        return data


class RegistrationAddForm(forms.Form):
    """Someone added by hand; `person` links the directory record they were picked from."""

    name = NameField(label="Full name", max_length=200, error_messages={"required": "Give the person's name."})
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Give the person's email address: their confirmation and links go there.",
            "invalid": "This does not look like an email address, for example name@example.org.",
        },
    )
    organisation = NameField(label="Organisation (optional)", max_length=300, required=False)
    designation = NameField(label="Designation (optional)", max_length=200, required=False)
    segment = forms.ChoiceField(
        label="Segment",
        choices=[("", "Choose one"), *Segment.choices],
        error_messages={"required": "Choose the segment that fits the person best."},
    )
    person = ModelIdField(
        queryset=Person.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That person is no longer in the directory; search again."},
    )
    no_email = forms.BooleanField(
        label="Don't email them",
        required=False,
        help_text="Without this, they receive the usual confirmation (or waiting-list) email with their links.",
    )

    @classmethod
    def initial_from(cls, person: Person) -> dict:
        designation = next(iter(person.designations.all()), None)
        return {
            "name": person.styled_name,
            "email": person.email,
            "segment": person.segment,
            "organisation": designation.organisation if designation else "",
            "designation": designation.position if designation else "",
            "person": person.pk,
        }


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=DECLINE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Sent to the person in the email, as written. At most {DECLINE_REASON_MAX} characters.",
        error_messages={"max_length": f"The reason is too long: at most {DECLINE_REASON_MAX} characters fit."},
    )
    action = forms.ChoiceField(
        choices=[("preview", "Preview"), ("decline", "Decline")],
        required=False,
    )


# Setting up series and events ----------------------------------------------------------------

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
ZONES = sorted(zoneinfo.available_timezones())
VIDEO_ENGINES = VideoRoom.Engine.choices
# The visibility of an event, worded once on the model with its meaning; a draft is an event not yet
# published (its own button).
VISIBILITY_CHOICES = [(value, f"{label} ({VISIBILITY_MEANINGS[value]})") for value, label in Event.Visibility.choices]
REGISTRATION_CHOICES = [
    (Event.RegistrationMode.OPEN, "Open: anyone may register; seats are confirmed at once"),
    (Event.RegistrationMode.APPROVAL, "Approval required: staff approve each registration"),
    (Event.RegistrationMode.INVITATION, "Invitation only: only people invited may register"),
]
ROLE_CHOICES = [(role.value, role.label) for role in Role]
TOO_LONG = {"max_length": "This is too long: use at most %(limit_value)d characters."}


def _labels(form: forms.BaseForm) -> None:
    form.label_suffix = ""
    for field in form.fields.values():
        if not field.required and not isinstance(field, forms.BooleanField | forms.ChoiceField):
            field.label = f"{field.label} (optional)"


def _organiser_choices():
    """People who have been on an agenda: a select of the whole directory (thousands of contacts) would be useless."""
    return Person.objects.filter(participations__isnull=False).distinct().order_by("family_name", "given_names")


def _engine_or_link(engine: str) -> str:
    return engine if engine in VideoRoom.Engine.values else VideoRoom.Engine.LINK


class OrganiserField(ModelIdField):
    def label_from_instance(self, obj) -> str:
        return obj.styled_name


class SeriesForm(forms.Form):
    name = NameField(label="Name", max_length=200, error_messages=TOO_LONG)
    description = forms.CharField(
        label="About the series",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        error_messages=TOO_LONG,
    )
    intended_audience = forms.CharField(
        label="Who it is for",
        help_text="As the press release describes the audience: “policy makers, diplomats and scholars”.",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        error_messages=TOO_LONG,
    )
    default_organiser = OrganiserField(
        queryset=Person.objects.none(),
        required=False,
        label="Default organiser",
        help_text="Put on each new event's agenda as its host. People appear here once they have been on an agenda.",
        empty_label="Nobody",
    )
    default_video_engine = forms.ChoiceField(
        label="Default video engine", choices=[("", "Choose for each event"), *VIDEO_ENGINES], required=False
    )
    default_registration_mode = forms.ChoiceField(
        label="Default registration", choices=REGISTRATION_CHOICES, widget=forms.RadioSelect
    )
    default_capacity = forms.IntegerField(
        label="Default seats", min_value=1, max_value=100_000, required=False, help_text="Empty for no limit."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_organiser"].queryset = _organiser_choices()  # type: ignore[attr-defined]
        _labels(self)


class EventForm(forms.Form):
    series = ModelIdField(queryset=Series.objects.all(), required=False, label="Series", empty_label="No series")
    title = NameField(label="Title", max_length=300, error_messages=TOO_LONG)
    abstract = forms.CharField(
        label="Topic",
        help_text="What the event is about, as its page describes it.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10_000,
        error_messages=TOO_LONG,
    )
    purpose = forms.CharField(
        label="Purpose",
        max_length=300,
        required=False,
        help_text="Why it is held, as the press release's lead goes on: “to discuss the prospects of …”.",
        error_messages=TOO_LONG,
    )
    format = forms.ChoiceField(label="Format", choices=Event.Format.choices, widget=forms.RadioSelect)
    location = forms.CharField(
        label="Venue",
        max_length=300,
        required=False,
        help_text="For hybrid and in-person events.",
        error_messages=TOO_LONG,
    )
    date = forms.DateField(label="Date", widget=DATE_INPUT, error_messages={"invalid": "Give a date, as 2026-12-14."})
    starts = forms.TimeField(label="Starts", widget=TIME_INPUT, error_messages={"invalid": "Give a time, as 15:00."})
    ends = forms.TimeField(label="Ends", widget=TIME_INPUT, error_messages={"invalid": "Give a time, as 17:00."})
    time_zone = forms.CharField(
        label="Time zone",
        max_length=64,
        help_text="Type to search, for example “Karachi” or “London”.",
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}),
    )
    registration_mode = forms.ChoiceField(
        label="Who may register", choices=REGISTRATION_CHOICES, widget=forms.RadioSelect
    )
    capacity = forms.IntegerField(
        label="Seats", min_value=1, max_value=100_000, required=False, help_text="Empty for no limit."
    )
    closes_date = forms.DateField(
        label="Registration closes on", widget=DATE_INPUT, required=False, help_text="Empty: when the event starts."
    )
    closes_time = forms.TimeField(label="at", widget=TIME_INPUT, required=False)
    attribution = forms.ChoiceField(label="Attribution rule", widget=forms.RadioSelect)
    video_engine = forms.ChoiceField(label="Video room", choices=VIDEO_ENGINES, widget=forms.RadioSelect)
    join_url = forms.URLField(
        label="Video link",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="For a link room: the Zoom or other meeting's address.",
        error_messages={"invalid": "Give the whole address of the video room, starting with https://."},
    )
    visibility = forms.ChoiceField(label="Visibility", choices=VISIBILITY_CHOICES, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attribution"].choices = [  # type: ignore[attr-defined]
            (rule.value, f"{rule.label}: {attribution_policy(rule).choice_note}") for rule in Attribution
        ]
        _labels(self)

    @classmethod
    def initial_for(cls, event: Event | None, *, series: Series | None, zone: str) -> dict:
        if event is None:
            return {
                "series": series.pk if series else None,
                "format": Event.Format.WEBINAR,
                "time_zone": zone,
                "registration_mode": series.default_registration_mode if series else Event.RegistrationMode.OPEN,
                "capacity": series.default_capacity if series else None,
                "attribution": Attribution.ON_THE_RECORD,
                "video_engine": _engine_or_link(series.default_video_engine if series else ""),
                "visibility": Event.Visibility.PUBLIC,
            }
        start, end = event.starts_at.astimezone(event.zone), event.ends_at.astimezone(event.zone)
        closes = event.registration_closes_at.astimezone(event.zone) if event.registration_closes_at else None
        room = getattr(event, "video_room", None)
        return {
            "series": event.series_id,
            "title": event.title,
            "abstract": event.abstract,
            "purpose": event.purpose,
            "format": event.format,
            "location": event.location,
            "date": start.date(),
            "starts": start.time(),
            "ends": end.time(),
            "time_zone": event.time_zone,
            "registration_mode": event.registration_mode,
            "capacity": event.capacity,
            "closes_date": closes.date() if closes else None,
            "closes_time": closes.time() if closes else None,
            "attribution": event.attribution,
            "video_engine": room.engine if room else VideoRoom.Engine.LINK,
            "join_url": event.join_url,
            "visibility": event.visibility,
        }

    def clean_time_zone(self) -> str:
        zone = self.cleaned_data["time_zone"].strip()
        matches = {name.casefold(): name for name in ZONES}
        if zone.casefold() not in matches:
            raise forms.ValidationError("Choose a time zone from the list, for example Asia/Karachi.")
        return matches[zone.casefold()]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        zone_name, day = data.get("time_zone"), data.get("date")
        if zone_name and day and data.get("starts") and data.get("ends"):
            zone = zoneinfo.ZoneInfo(zone_name)
            data["starts_at"] = datetime.combine(day, data["starts"], tzinfo=zone)
            data["ends_at"] = datetime.combine(day, data["ends"], tzinfo=zone)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("ends", "The event must end after it starts (on the same day).")
        closes_date, closes_time = data.get("closes_date"), data.get("closes_time")
        data["registration_closes_at"] = None
        if closes_date and not closes_time:
            self.add_error("closes_time", "Give the time registration closes, or leave both empty.")
        elif closes_time and not closes_date:
            self.add_error("closes_date", "Give the day registration closes, or leave both empty.")
        elif closes_date and closes_time and zone_name:
            data["registration_closes_at"] = datetime.combine(
                closes_date, closes_time, tzinfo=zoneinfo.ZoneInfo(zone_name)
            )
        return data

    def event_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ["series", "title", "abstract", "purpose", "format", "location", "time_zone", "registration_mode"]
        names += ["capacity", "attribution", "visibility", "join_url", "starts_at", "ends_at", "registration_closes_at"]
        return {name: data[name] for name in names}


class RescheduleForm(forms.Form):
    """The confirmation of a save that moves an event people registered for (staff.views._event_form)."""

    reschedule = forms.ChoiceField(choices=[("confirm", "confirm")], widget=forms.HiddenInput)
    dont_email = forms.BooleanField(label="Don't email them: I will tell them myself", required=False, initial=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="Find in the directory", max_length=100, required=False)


class ParticipationAddForm(forms.Form):
    person = ModelIdField(
        queryset=Person.objects.all(),
        error_messages={"invalid_choice": "That person is no longer in the directory; search again."},
    )
    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES, initial=Role.DISCUSSANT)
    confirmed = forms.BooleanField(label="Has already agreed (shown on the public agenda at once)", required=False)


class PersonCreateForm(forms.Form):
    """Someone new, straight onto the agenda: the name as institutes write it, designations and pronoun."""

    honorific = NameField(label="Rank or honorific", max_length=80, required=False, help_text="Dr., Brig, Ambassador")
    retired = forms.BooleanField(label="Retired (shown as “(Retd)” after the rank)", required=False)
    given_names = NameField(label="Given names", max_length=150, required=False)
    family_name = NameField(label="Family name", max_length=150)
    position_1 = NameField(label="Position", max_length=200, required=False, help_text="For example: Director")
    organisation_1 = NameField(label="Organisation", max_length=300, required=False, help_text="For example: NIPS")
    # A comma is what most designations need ("Senior Research Fellow, Energy Policy Centre"); a title
    # that runs on into its organisation ("Director NIPS") is the exception, so the box starts ticked.
    comma_1 = forms.BooleanField(
        label="Comma between them: “Senior Research Fellow, Energy Policy Centre” "
        "(untick for a title that runs on, as “Director NIPS”)",
        required=False,
        initial=True,
    )
    position_2 = NameField(label="Second position", max_length=200, required=False)
    organisation_2 = NameField(label="Its organisation", max_length=300, required=False)
    comma_2 = forms.BooleanField(label="Comma between them (untick for “Director NIPS”)", required=False, initial=True)
    pronoun = forms.ChoiceField(
        label="Pronoun",
        choices=[("", "Not given"), ("he", "he"), ("she", "she"), ("they", "they")],
        required=False,
        help_text="Lets a report say “she stated” after the first mention.",
    )
    email = forms.EmailField(label="Email", required=False, help_text="Needed to send an invitation.")
    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES, initial=Role.DISCUSSANT)
    confirmed = forms.BooleanField(label="Has already agreed (shown on the public agenda at once)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _labels(self)

    def designations(self) -> list[DesignationInput]:
        data = self.cleaned_data
        return [
            DesignationInput(data[f"position_{n}"], data[f"organisation_{n}"], comma=data[f"comma_{n}"]) for n in (1, 2)
        ]


class ParticipationRoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role", choices=ROLE_CHOICES, error_messages={"invalid_choice": "Choose a role from the list."}
    )


class ParticipationTalkForm(forms.Form):
    talk_title = NameField(label="Talk title", max_length=300, required=False, error_messages=TOO_LONG)


class ParticipationMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")], required=False)
    position = forms.IntegerField(min_value=0, max_value=1000, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not self.errors and not data.get("direction") and data.get("position") is None:
            raise forms.ValidationError("Say where to move: up, down or a position.")
        return data


class DuplicateForm(forms.Form):
    title = NameField(label="Title", max_length=300, error_messages=TOO_LONG)
    date = forms.DateField(label="Date", widget=DATE_INPUT, error_messages={"invalid": "Give a date, as 2026-12-14."})
    starts = forms.TimeField(label="Starts", widget=TIME_INPUT, error_messages={"invalid": "Give a time, as 15:00."})

    def starts_at(self, event: Event) -> datetime:
        return datetime.combine(self.cleaned_data["date"], self.cleaned_data["starts"], tzinfo=event.zone)


class SeriesChoiceForm(forms.Form):
    """`?series=<id>` on the new-event link: the series whose defaults the form starts from."""

    series = ModelIdField(queryset=Series.objects.all(), required=False)
