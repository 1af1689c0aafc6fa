"""Staff pages of an event's reminders (schedule, briefings) and speakers (invitations and answers)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from podium.core.errors import ApplicationError
from podium.core.permissions import staff_permission
from podium.events import selectors as event_selectors
from podium.events import services as event_services
from podium.events.forms import EventJoiningForm
from podium.events.models import Event, Participation
from podium.reminders import selectors
from podium.video.selectors import video_room_get


def _reminders_page(request, event: Event, form: EventJoiningForm, status: int = 200):
    participations = [p for p in event_selectors.event_participations(event=event) if not p.is_declined]
    return render(
        request,
        "reminders/event_reminders.html",
        {
            "event": event,
            "form": form,
            "now": timezone.now(),
            "schedule": selectors.reminder_schedule(event=event, now=timezone.now()),
            "briefings": selectors.speaker_briefings(event=event, participations=participations),
            "confirmed": selectors.confirmed_count(event=event),
            # the question the join page asks: is there a room to send people to?
            "video_room": video_room_get(event=event),
            "can_edit": request.user.has_perm("events.change_event"),
        },
        status=status,
    )


@staff_permission("events.view_event")
def event_reminders(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("series"), pk=pk)
    return _reminders_page(request, event, EventJoiningForm(instance=event))


@require_POST
@staff_permission("events.change_event")
def event_reminders_save(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("series"), pk=pk)
    # The form works on its own copy, so an invalid entry never shows up in the schedule beside it.
    form = EventJoiningForm(request.POST, instance=Event.objects.get(pk=pk))
    if not form.is_valid():
        return _reminders_page(request, event, form, status=400)
    event_services.event_joining_save(event=event, **form.cleaned_data)
    messages.success(request, "The joining details and reminder schedule are saved.")
    return redirect("reminders:event", pk=pk)


@staff_permission("events.view_participation")
def event_speakers(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("series"), pk=pk)
    return render(
        request,
        "reminders/event_speakers.html",
        {
            "event": event,
            "participations": event_selectors.event_participations(event=event),
            "can_invite": request.user.has_perm("events.change_participation"),
        },
    )


@require_POST
@staff_permission("events.change_participation")
def participation_invite(request, pk: int, participation_pk: int):
    participation = get_object_or_404(Participation.objects.select_related("person"), pk=participation_pk, event_id=pk)
    again = participation.invited_at is not None
    try:
        event_services.participation_invite(participation=participation, by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{'Sent again' if again else 'Sent'}: the invitation to "
            f"{participation.person.styled_name} is in the outbox.",
        )
    return redirect("reminders:speakers", pk=pk)
