"""Staff forms of the import: the file, and which field each of its columns goes to."""

from django import forms
from django.conf import settings

from podium.imports.columns import FIELD_CHOICES, mapping_errors


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet",
        allow_empty_file=True,  # refused by spreadsheet_read, in its own words
        help_text="A CSV file (saved as “CSV UTF-8”) or an Excel workbook (.xlsx), first sheet; the first row "
        "holds the column headings.",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.txt,.tsv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text += f" Up to {settings.PODIUM_IMPORT_MAX_MB:g} MB and {settings.PODIUM_IMPORT_MAX_ROWS:,} rows."


class MappingForm(forms.Form):
    """One choice per column of the file, named column_<n>, labelled with the column's heading."""

    def __init__(self, *args, headers: list[str], mapping: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        for i, heading in enumerate(headers):
            self.fields[f"column_{i}"] = forms.ChoiceField(
                label=heading,
                choices=FIELD_CHOICES,
                required=False,
                initial=mapping[i] if i < len(mapping) else "",
            )

    @property
    def columns(self):
        return [self[f"column_{i}"] for i in range(len(self.headers))]

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"column_{i}", "") for i in range(len(self.headers))]

    def clean(self):
        data = super().clean()
        for error in mapping_errors(headers=self.headers, mapping=self.mapping()):
            self.add_error(None, error)
        return data


class DecideForm(forms.Form):
    """After the dry run: import the valid rows, or nothing."""

    choice = forms.ChoiceField(choices=[("valid", "Import the valid rows"), ("nothing", "Import nothing")])
