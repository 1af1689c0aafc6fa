"""The registration form: fixed fields plus the event's own questions."""

from collections.abc import Sequence
from typing import TypedDict

from django import forms

from podium.core.forms import NameField
from podium.events.models import Question
from podium.people.models import Segment


class _QuestionFieldOptions(TypedDict):
    """What every field for an event's own question is made with, whatever its kind."""

    label: str
    help_text: str
    required: bool
    error_messages: dict[str, str]


class RegistrationForm(forms.Form):
    name = NameField(
        label="Full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text="As you would like it written, with your rank or title if you wish.",
        error_messages={"required": "Please tell us your name."},
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="We send your confirmation and your personal link here.",
        error_messages={
            "required": "Please give your email address.",
            "invalid": "This does not look like an email address. Please check it, for example name@example.org.",
        },
    )
    organisation = NameField(
        label="Organisation",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    designation = NameField(
        label="Designation",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        help_text="Your position, for example Senior Research Fellow.",
    )
    segment = forms.ChoiceField(
        label="Which best describes you?",
        choices=[("", "Choose one"), *list(Segment.choices)],
        error_messages={"required": "Please choose the description that fits you best."},
    )

    def __init__(self, *args, questions: Sequence[Question] = (), with_email: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        if not with_email:
            del self.fields["email"]
        for question in self.questions:
            self.fields[self.question_field(question)] = self._question_field(question)
        # Last, after the event's questions; only the public form asks (the manage page has no email field).
        if with_email:  # decision 30: without the tick, nobody joins the directory
            self.fields["directory_consent"] = forms.BooleanField(
                label="Keep me in the institute's directory for future invitations",
                required=False,
                help_text="Optional. We keep your name, email, organisation and designation, and may invite you "
                "to future events; every invitation lets you unsubscribe.",
            )
        self.label_suffix = ""
        for field in self.fields.values():
            if not field.required and not isinstance(field, forms.BooleanField):
                field.label = f"{field.label} (optional)"

    @staticmethod
    def question_field(question: Question) -> str:
        return f"question_{question.pk}"

    @staticmethod
    def _question_field(question: Question) -> forms.Field:
        common: _QuestionFieldOptions = {
            "label": question.label,
            "help_text": question.help_text,
            "required": question.required,
            "error_messages": {"required": "Please answer this question."},
        }
        if question.kind == Question.Kind.LONG_TEXT:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, **common)
        if question.kind == Question.Kind.CHOICE:
            options = [("", "Choose one")] + [(c, c) for c in question.choice_list]
            return forms.ChoiceField(choices=options, **common)
        if question.kind == Question.Kind.CHECKBOX:
            return forms.BooleanField(**common)
        return forms.CharField(max_length=500, **common)

    def answers(self) -> dict:
        """Answers keyed by question id, each with the question's wording at the time."""
        return {
            str(q.pk): {"question": q.label, "answer": self.cleaned_data.get(self.question_field(q))}
            for q in self.questions
        }

    @classmethod
    def initial_from(cls, registration) -> dict:
        initial = {
            "name": registration.name,
            "email": registration.email,
            "organisation": registration.organisation,
            "designation": registration.designation,
            "segment": registration.segment,
        }
        for key, entry in (registration.answers or {}).items():
            initial[f"question_{key}"] = entry.get("answer")
        return initial
