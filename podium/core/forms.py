"""Form fields for the ids that staff and live control actions send, so that whatever arrives (letters,
a 30-digit number, a NUL byte) gets a message and never reaches the database, and the field for names
(NameField), which refuses what a name must never hide. Django's CharField already refuses NUL bytes."""

import warnings

from django import forms
from PIL import Image

from podium.core.text import validate_name_text
from podium.core.uploads import IMAGE_MAX_BYTES, size_text

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


class ImageUploadField(forms.ImageField):
    """Django's ImageField, except that a file past the upload ceiling gets the size message rather than
    "not an image", and an image Pillow counts as a decompression bomb is refused, never decoded."""

    def __init__(self, *args, max_bytes: int = IMAGE_MAX_BYTES, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def to_python(self, data):
        if data and getattr(data, "too_large", False):
            raise forms.ValidationError(
                f"This file is {size_text(data.size)}; please upload one of at most {size_text(self.max_bytes)}.",
                code="too_large",
            )
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                if data:
                    Image.open(data)  # reads the header only; the upload stays open for what follows
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise forms.ValidationError(
                    "This image is too large in pixels; please upload a smaller one.", code="too_many_pixels"
                ) from None
            except Exception:
                pass  # Django's ImageField says it is not an image, in the form's own words
            finally:
                if data:
                    data.seek(0)
            return super().to_python(data)
