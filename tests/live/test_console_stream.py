"""What each stream carries about a question: the console gets the moderators' payload (the asker's name)
and never the attendees' copy of the same event; the attendees' stream never carries a hidden asker's name."""

import asyncio
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from podium.events.models import Event
from podium.live import services, streams
from podium.live.hub import ALL, ATTENDEES_ONLY, MODERATORS, Channel, Frame, Hub, reaches
from podium.live.models import LiveSession
from podium.registrations.models import Registration

pytestmark = pytest.mark.django_db


def frames_of(event, *, moderator: bool) -> list[tuple[str, dict]]:
    """(kind, payload) of every frame a stream of this audience receives when it catches up."""
    found = []
    for frame in streams.frames_stored(event_id=event.pk, after=0, moderator=moderator):
        if not reaches(frame.audience, moderator=moderator):
            continue
        lines = dict(line.split(": ", 1) for line in frame.data.decode().strip().splitlines())
        found.append((lines["event"], json.loads(lines["data"])))
    return found


@pytest.mark.parametrize("chatham_house", [False, True])
def test_the_attendees_stream_never_names_a_hidden_asker_and_the_console_always_does(
    make_event, add_speaker, chatham_house
):
    start = timezone.now() - timedelta(minutes=5)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=2))
    if chatham_house:
        event.attribution = Event.Attribution.CHATHAM_HOUSE
        event.save()
    speaker = add_speaker(event, role="main_speaker", honorific="Dr.", given_names="Sara", family_name="Baloch")
    ayesha = Registration.objects.create(
        event=event, name="Ayesha Malik", email="a@example.org", segment="diplomat",
        status=Registration.Status.CONFIRMED, status_changed_at=timezone.now(),
    )  # fmt: skip
    services.qa_mode_set(event=event, mode=LiveSession.QAMode.PREMODERATED)
    question, _ = services.question_ask(
        registration=ayesha, text="Indus treaty?", client_key="1", anonymous=not chatham_house, addressed_to=speaker
    )
    services.question_approve(question=question)
    services.question_edit(question=question, text="Will the Indus treaty hold?")
    services.question_pin(question=question)

    public = frames_of(event, moderator=False)
    question_frames = [payload for kind, payload in public if kind.startswith("question_")]
    assert len(question_frames) == 3  # approved, edited, pinned
    for payload in question_frames:
        assert payload["asker"] is None and payload["to"] == "Dr. Sara Baloch"
        assert "Ayesha" not in json.dumps(payload)

    console = frames_of(event, moderator=True)
    question_frames = [payload for kind, payload in console if kind.startswith("question_")]
    assert len(question_frames) == 4  # submitted, approved, edited, pinned: each once
    for payload in question_frames:
        assert payload["asker"] == "Ayesha Malik" and payload["hidden"] is True


def test_an_attendees_only_frame_is_written_to_attendees_and_not_to_the_console():
    class Sink(list):
        async def __call__(self, message):
            if message["body"]:
                self.append(int(message["body"].split()[1]))

    async def scenario():
        hub = Hub()
        hub.loop = asyncio.get_running_loop()
        channel = Channel(hub, 1)
        attendee, console = Sink(), Sink()
        channel.push(Frame(1, 1, ATTENDEES_ONLY, b"id: 1\n\n"))
        channel.listen(attendee, moderator=False, after=0)
        channel.listen(console, moderator=True, after=0)
        for seq, audience in ((2, MODERATORS), (3, ATTENDEES_ONLY), (4, ALL)):
            channel.push(Frame(1, seq, audience, f"id: {seq}\n\n".encode()))
        assert attendee == [1, 3, 4]
        assert console == [2, 4]

    asyncio.run(scenario())
