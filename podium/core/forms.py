"""Form fields for the ids that staff and live control actions send, so that whatever arrives (letters,
a 30-digit number, a NUL byte) gets a message and never reaches the database. Text fields need nothing
of ours: Django's CharField already refuses NUL bytes."""

from django import forms

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
