"""Every transcript a user will bring (issue 14, item 3): WebVTT headers, Teams' timings and voice
classes, Zoom's saved text, UTF-16/UTF-32 with a byte-order mark, character references, two speakers
in one cue; one-off labels are words; captions without names are refused with what to export. And
real files from webvtt-py's and srt's test suites read with the cues those libraries find."""

from pathlib import Path

import pytest
from django.urls import reverse

from podium.core.errors import ApplicationError
from podium.reports.models import Transcript
from podium.reports.transcripts import NO_SPEAKERS, _clean, transcript_cues, transcript_read

DATA = Path(__file__).parent / "data" / "transcripts"


def read(text: str, **kwargs) -> list[tuple[str, str, float | None]]:
    return [(t.speaker, t.text, t.start) for t in transcript_read(data=text.encode(), **kwargs)]


def test_webvtt_header_lines_before_the_first_blank_line_are_skipped():
    vtt = (
        "WEBVTT\nKind: captions\nLanguage: en\nX-TIMESTAMP-MAP=LOCAL:00:00:00.000,MPEGTS:0\n\n"
        "00:00:01.000 --> 00:00:02.000\nKozin: Relations are positive.\n"
    )
    assert read(vtt) == [("Kozin", "Relations are positive.", 1.0)]


def test_teams_timings_without_leading_zeros_and_voice_tags_with_classes():
    vtt = (
        "WEBVTT\n\n"
        "1a2b/12-0\n0:0:0.0 --> 0:0:0.570\n<v.loud Atia Kazmi>Good morning.</v>\n\n"
        "1a2b/13-0\n0:0:2.5 --> 0:0:4.120\n<v.first.loud Ali Shah>An early harvest.</v>\n\n"
        "0:1:5.25 --> 0:1:7.0\n<v Atia Kazmi>Thank you.</v>\n"
    )
    assert read(vtt) == [
        ("Atia Kazmi", "Good morning.", 0.0),
        ("Ali Shah", "An early harvest.", 2.5),
        ("Atia Kazmi", "Thank you.", 65.25),
    ]


def test_zoom_save_transcript_text_names_the_speaker_above_the_words():
    text = (
        "[Amir Yaqub] 11:02:09\nWelcome to the lecture.\n\n"
        "[Vladimir Kozin] 11:02:31\nThank you.\nRelations are positive.\n\n"
        "[Amir Yaqub] 11:05:00\nQuestions now.\n"
    )
    assert read(text) == [
        ("Amir Yaqub", "Welcome to the lecture.", 0.0),
        ("Vladimir Kozin", "Thank you. Relations are positive.", 22.0),
        ("Amir Yaqub", "Questions now.", 171.0),
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_files_with_a_byte_order_mark(encoding):
    text = "WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\nŁukasz Żak: Dziękuję – merci.\r\n"
    bom = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff", "utf-32-le": "\ufeff", "utf-32-be": "\ufeff"}
    data = (bom.get(encoding, "") + text).encode(encoding)
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] == b"\x00\x00\xfe\xff"
    turns = transcript_read(data=data)
    assert [(t.speaker, t.text) for t in turns] == [("Łukasz Żak", "Dziękuję – merci.")]


def test_utf16_without_a_byte_order_mark_is_not_read_as_text():
    with pytest.raises(ApplicationError, match="not a text file"):
        transcript_read(data="Kozin: hello\n".encode("utf-16-le"))


def test_character_references_are_decoded():
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ali &amp; Sons>Trade &amp; transit &apos;now&apos; &lt;b&gt;</v>\n"
    )
    assert read(vtt) == [("Ali & Sons", "Trade & transit 'now' <b>", 1.0)]


def test_two_speakers_in_one_cue_after_a_line_break():
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nKozin: Is that so?\nAli Shah: It is.\n\n"
        "00:00:05.000 --> 00:00:06.000\nKozin: Good.\n\n00:00:07.000 --> 00:00:08.000\nAli Shah: Yes.\n"
    )
    assert read(vtt) == [
        ("Kozin", "Is that so?", 1.0),
        ("Ali Shah", "It is.", 1.0),
        ("Kozin", "Good.", 5.0),
        ("Ali Shah", "Yes.", 7.0),
    ]


def test_two_voices_in_one_cue():
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Kozin>Is that so?</v>\n<v Ali Shah>It is.\n"
    assert read(vtt) == [("Kozin", "Is that so?", 1.0), ("Ali Shah", "It is.", 1.0)]


def test_two_speakers_in_one_cue_with_dialogue_dashes():
    srt = "1\n00:00:01,000 --> 00:00:04,000\n- Kozin: Is that so?\n- Ali Shah: It is.\n\n"
    assert read(srt) == [("Kozin", "Is that so?", 1.0), ("Ali Shah", "It is.", 1.0)]


def test_a_dialogue_dash_without_a_name_is_refused_at_its_line():
    srt = "1\n00:00:01,000 --> 00:00:04,000\nKozin: Is that so?\n- It is.\n"
    with pytest.raises(ApplicationError, match="Line 4: A dialogue dash starts a new speaker here but names none"):
        transcript_read(data=srt.encode())


def test_a_one_off_label_in_plain_text_is_words_not_a_speaker():
    text = (
        "Atia Kazmi: Three points.\n"
        "First: our relations are not transactional.\n"
        "Ali Shah: Thank you.\n"
        "Atia Kazmi: And second, trade.\n"
        "Ali Shah: Agreed.\n"
    )
    assert read(text) == [
        ("Atia Kazmi", "Three points. First: our relations are not transactional.", None),
        ("Ali Shah", "Thank you.", None),
        ("Atia Kazmi", "And second, trade.", None),
        ("Ali Shah", "Agreed.", None),
    ]


def test_a_one_off_label_that_is_a_known_participant_is_a_speaker():
    text = "Atia Kazmi: Three points.\nAmir Yaqub: One question.\nAtia Kazmi: Yes.\n"
    assert [t[0] for t in read(text, names=["amir yaqub"])] == ["Atia Kazmi", "Amir Yaqub", "Atia Kazmi"]


def test_in_a_file_of_labelled_lines_a_one_off_name_is_a_speaker_and_a_heading_is_not():
    """An audience member who asks once is someone; “First:” and “Key point:” are the speaker's words."""
    text = (
        "Atia Kazmi: Three points.\nFirst: our relations are old.\nKey point: trade.\n"
        "Hina Rauf: I work with a water NGO in Thatta.\nAtia Kazmi: Thank you for the question.\n"
    )
    assert read(text) == [
        ("Atia Kazmi", "Three points. First: our relations are old. Key point: trade.", None),
        ("Hina Rauf", "I work with a water NGO in Thatta.", None),
        ("Atia Kazmi", "Thank you for the question.", None),
    ]


def test_captions_without_any_speaker_names_are_refused_with_what_to_export():
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nGood morning.\n\n00:00:03.000 --> 00:00:04.000\nWelcome.\n"
    with pytest.raises(ApplicationError) as refused:
        transcript_read(data=vtt.encode())
    assert str(refused.value) == NO_SPEAKERS
    assert "Audio transcript" in NO_SPEAKERS and "Download as .vtt" in NO_SPEAKERS


# Real files from webvtt-py's and srt's test suites (tests/reports/data/transcripts/README.md): the cue
# count, first start and last cue's words those libraries report (webvtt-py 0.6.0, srt 3.5.3).
REAL_FILES = [
    ("webvtt-py_metadata_headers.vtt", 2, 0.5, "Caption text #2"),
    ("webvtt-py_using_identifiers.vtt", 6, 0.5, "Caption text #6"),
    ("webvtt-py_captions_with_bom.vtt", 4, 0.5, "Caption text #4"),
    ("webvtt-py_cue_tags.vtt", 3, 16.5, "That's amore"),
    ("webvtt-py_comments.vtt", 3, 135.0, "- Ta en kopp"),
    ("webvtt-py_youtube_dl.vtt", 4, 286.07, "this will happen is I'm telling"),
    ("webvtt-py_styles.vtt", 1, 0.0, "- Hello world."),
    ("webvtt-py_sample.srt", 5, 0.5, "Caption text #5"),
    ("srt_ascii.srt", 3, 27.0, "ascii everywhere"),
]


@pytest.mark.parametrize("name, count, first_start, last_words", REAL_FILES)
def test_real_files_have_the_cues_the_libraries_find(name, count, first_start, last_words):
    data = (DATA / name).read_bytes()
    cues = transcript_cues(data=data)
    assert len(cues) == count
    assert cues[0].start == pytest.approx(first_start)
    assert _clean(" ".join(text for _, text in cues[-1].lines)) == last_words
    # None of them names a speaker (webvtt-py finds no voice either): refused, saying what to export.
    with pytest.raises(ApplicationError) as refused:
        transcript_read(data=data)
    assert str(refused.value) == NO_SPEAKERS


def test_a_one_off_label_inside_a_cue_is_words_but_one_opening_a_zoom_cue_is_a_name():
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nKazmi: Three points.\nFirst: relations.\n\n"
        "00:00:05.000 --> 00:00:06.000\nYaqub: One question.\n\n00:00:07.000 --> 00:00:08.000\nKazmi: Yes.\n"
    )
    assert read(vtt) == [
        ("Kazmi", "Three points. First: relations.", 1.0),
        ("Yaqub", "One question.", 5.0),
        ("Kazmi", "Yes.", 7.0),
    ]


def test_an_agenda_name_said_once_is_a_speaker_when_imported_for_the_event(make_event, add_speaker):
    from podium.reports import services

    event = make_event()
    add_speaker(event, given_names="Sara", family_name="Baloch", honorific="Dr.")
    text = (
        b"Amir Yaqub: Welcome to the webinar.\n"
        b"First: our relations are older than the state.\n"
        b"Amir Yaqub: Let us begin.\n"
        b"Sara Baloch: Energy is where the two economies meet.\n"
    )
    transcript = services.transcript_import(event=event, filename="t.txt", data=text)
    turns = [(turn.speaker.label, turn.text) for turn in transcript.turns.order_by("pk")]
    # The one-off "First:" stays words of the moderator; the participant said once is a speaker.
    assert turns[0][0] == "Amir Yaqub" and "First: our relations" in " ".join(t for s, t in turns if s == "Amir Yaqub")
    assert ("Sara Baloch", "Energy is where the two economies meet.") in turns


def test_a_transcript_can_be_pasted_instead_of_uploaded(client, make_event, add_speaker, admin_user):
    event = make_event()
    add_speaker(event, given_names="Sara", family_name="Baloch")
    client.force_login(admin_user)
    url = reverse("reports:transcript", args=[event.pk])
    # Nothing chosen and nothing pasted: one message says both ways.
    response = client.post(url, {"text": "   "})
    assert response.status_code == 400 and "or paste its text" in response.content.decode()
    # Pasted text with a NUL byte gets a message, not a 500.
    response = client.post(url, {"text": "Sara Baloch: a\x00b"})
    assert response.status_code == 400
    pasted = "Amir Yaqub: Welcome.\nSara Baloch: Energy is where the two economies meet.\nAmir Yaqub: Thank you.\n"
    response = client.post(url, {"text": pasted})
    assert response.status_code == 302
    transcript = Transcript.objects.get(event=event)
    assert transcript.filename == "Pasted text"
    assert [t.speaker.label for t in transcript.turns.order_by("pk")] == ["Amir Yaqub", "Sara Baloch", "Amir Yaqub"]
