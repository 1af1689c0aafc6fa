"""What the directory's filter and "save as an audience" accept from a page."""

from typing import Any

from django import forms

from podium.audience.selectors import HISTORY_CHOICES, DirectoryFilter
from podium.core.forms import MAX_ID, NameField
from podium.people.models import Segment


class DirectoryFilterForm(forms.Form):
    """The directory's filter as the page sends it. A value that cannot be used (a NUL byte, an unknown
    segment, an event id that is not a number) is left out of the filter and named in a message."""

    q = forms.CharField(required=False)
    segment = forms.ChoiceField(choices=[("", "Any segment"), *Segment.choices], required=False)
    tag = forms.CharField(required=False)
    country = forms.CharField(required=False)
    history = forms.ChoiceField(choices=HISTORY_CHOICES, required=False)
    event = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    contactable = forms.BooleanField(required=False)

    LIMITS = {"q": 100, "tag": 80, "country": 100}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for name, limit in self.LIMITS.items():  # long text is cut, as a search box would
            if name in data:
                data[name] = data[name][:limit]
        return data

    def directory_filter(self) -> DirectoryFilter:
        """The filter from the values that are usable (call after is_valid())."""
        usable = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return DirectoryFilter.from_query(usable)


class SavedAudienceForm(DirectoryFilterForm):
    name = NameField(required=False, max_length=200)
