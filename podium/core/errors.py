"""The one kind of error a person should read, and the one way views turn it into an answer.

Services raise ApplicationError when they refuse what someone asked for (a closed registration, a
question too long, a transcript that cannot be read). The message is written for that person;
`field` names the form field it is about. Views answer it through `error_reply` (a flash message and
the page again, or JSON for the page's script) or `error_to_form` (beside the field, form shown
again). Anything else that goes wrong is a bug or an outage, and is logged, not shown.
"""

from collections.abc import Sequence

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect


class ApplicationError(Exception):
    """Something a person asked for that cannot be done, with a message written for them.

    field:   the form field the message belongs beside (None: the form as a whole).
    status:  what a view answers with: 400 refused input, 409 a conflict with someone else's change,
             503 busy (try again in a moment).
    details: further lines, for a list of problems (each row of a spreadsheet that cannot be read).
    """

    def __init__(self, message: str, *, field: str | None = None, status: int = 400, details: Sequence[str] = ()):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
        self.details = list(details)

    @property
    def lines(self) -> list[str]:
        """The message and its details, each to be shown on a line of its own."""
        return [self.message, *self.details]


def wants_json(request: HttpRequest) -> bool:
    """The live page's and console's script send actions with fetch and read the answer as JSON."""
    return request.headers.get("X-Requested-With") == "fetch"


def error_reply(request: HttpRequest, error: ApplicationError, *, back: str) -> HttpResponse:
    """The answer to a refused action: JSON for the page's script, otherwise the message shown on
    the page at `back` (a URL or URL name), where the person tries again."""
    if wants_json(request):
        return JsonResponse({"error": error.message, "field": error.field}, status=error.status)
    for line in error.lines:
        messages.error(request, line)
    return redirect(back)


def error_to_form(form: forms.BaseForm, error: ApplicationError) -> None:
    """Put the message beside its field of a form the view shows again (or above it)."""
    field = error.field if error.field in form.fields else None
    for line in error.lines:
        form.add_error(field, line)


def form_error(form: forms.BaseForm) -> ApplicationError:
    """An invalid form as one error a view can reply with: its first message, the others as details."""
    lines: list[str] = []
    field = None
    for name, errors in form.errors.items():
        if field is None and name != NON_FIELD_ERRORS:
            field = name
        # Iterating an ErrorList yields its messages as str; the stubs say ValidationError | str.
        lines.extend(errors)  # type: ignore[arg-type]
    return ApplicationError(lines[0] if lines else "Please check what you sent.", field=field, details=lines[1:])
