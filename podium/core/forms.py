"""Form fields for the ids that staff and live control actions send, so that whatever arrives (letters,
a 30-digit number, a NUL byte) gets a message and never reaches the database, and the field for names
(NameField), which refuses what a name must never hide. Django's CharField already refuses NUL bytes."""

from django import forms

from podium.core.text import validate_name_text

# The largest key any of our tables can hold (BigAutoField); anything larger matches no row.
MAX_ID = 2**63 - 1


class ModelIdField(forms.ModelChoiceField):
    """A row of `queryset` chosen by its id. Letters, a sign, a NUL byte or a number too large for the
    database are refused as "not one of the choices" before any query is made."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not text.isascii() or not text.isdigit() or not 0 < int(text) <= MAX_ID:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(text)


def _id(value) -> int | None:
    text = str(value).strip()
    if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
        return int(text)
    return None


class IdListField(forms.Field):
    """Several ids, as ticked checkboxes send them (`?x=1&x=2`). Each must be a plain positive number
    that fits the database's key; which rows they name is the service's to check."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": "That selection was not understood: reload the page and choose again."}

    def to_python(self, value) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value]
        values = [v for v in values if v not in self.empty_values]  # an empty field sends [""]
        ids = [_id(v) for v in values]
        valid = [i for i in ids if i is not None]
        if len(valid) < len(ids):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return list(dict.fromkeys(valid))


class NameField(forms.CharField):
    """A name-like text on one line: a person's name, an organisation, a position, a sender's name.
    Line breaks, control characters, direction overrides and zero-width characters are refused
    (podium.core.text.validate_name_text)."""

    default_validators = [validate_name_text]
