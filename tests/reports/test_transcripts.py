"""Transcript files into speaker turns: Zoom VTT, WebVTT voice tags, SRT and plain text; bad files
refused whole, with the line to fix."""

import pytest

from podium.core.errors import ApplicationError
from podium.reports.transcripts import transcript_read

ZOOM_VTT = """WEBVTT

1
00:00:01.000 --> 00:00:05.500
Brig (Retd) Amir Yaqub: Welcome to the NIPS Lecture Series.

2
00:00:06.000 --> 00:00:12.000
Dr Vladimir Kozin: Relations between Russia and Pakistan are largely positive.

3
00:00:12.100 --> 00:00:15.000
and free of disputes.
"""


def test_zoom_vtt_names_each_speaker_and_joins_a_split_turn():
    turns = transcript_read(data=ZOOM_VTT.encode())
    assert [t.speaker for t in turns] == ["Brig (Retd) Amir Yaqub", "Dr Vladimir Kozin"]
    assert turns[1].text == "Relations between Russia and Pakistan are largely positive. and free of disputes."
    assert turns[1].start == 6.0


def test_webvtt_voice_tags_and_srt_and_plain_text():
    vtt = "WEBVTT\n\n00:01.000 --> 00:04.000\n<v Kozin>Huge potential <i>to expand</i> cooperation.</v>\n"
    assert [(t.speaker, t.text) for t in transcript_read(data=vtt.encode())] == [
        ("Kozin", "Huge potential to expand cooperation.")
    ]
    srt = "1\r\n00:00:01,000 --> 00:00:03,000\r\nAli Shah: An early harvest project.\r\n\r\n"
    assert transcript_read(data=srt.encode())[0].speaker == "Ali Shah"
    plain = "Dr. Atia Ali Kazmi: Relations are not transactional.\nThey move at a sustainable pace.\n"
    turns = transcript_read(data=plain.encode())
    assert turns[0].text == "Relations are not transactional. They move at a sustainable pace."


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a text file"),
        (
            b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nno speaker here\n\n00:00:03.000 --> 00:00:04.000\nKozin: hi\n",
            "Line 4: This cue names no speaker",
        ),
        (b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nno speaker here\n", "captions without speaker names"),
        (b"WEBVTT\n\nnot a timing\nKozin: words\n", "Line 3: Expected a cue timing"),
        (b"just words without a name\n", "Line 1: The first line names no speaker"),
        (b"Kozin: fine\n" + b"\xff\xfe broken\n", "Line 2: The file is not UTF-8"),
    ],
)
def test_bad_files_are_refused_with_the_line_to_fix(data, message):
    with pytest.raises(ApplicationError) as refused:
        transcript_read(data=data)
    assert message in str(refused.value)
