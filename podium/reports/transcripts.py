"""Reading transcripts: Zoom's VTT ("Name: text" cues), WebVTT with voice tags, SRT, and plain text
with "Name: text" lines, into speaker turns. Nothing is half-read: a file is either read whole or
refused with a message that names the line to fix."""

import re
from dataclasses import dataclass

from podium.core.errors import ApplicationError
from podium.core.uploads import file_kind

MAX_BYTES = 5 * 1024 * 1024
TIMING = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})\s+-->\s+(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})")
VOICE = re.compile(r"<v(?:\.[^ >]*)?\s+([^>]+)>(.*?)(?:</v>|$)", re.S)
TAG = re.compile(r"</?[a-z][^>]*>", re.I)
LABEL = re.compile(r"^([^:\n]{1,80}?):\s+(\S.*)$")


def _at_line(line: int, message: str) -> str:
    return f"Line {line}: {message}"


@dataclass(frozen=True)
class Turn:
    speaker: str  # the label as the file gives it ("Dr Vladimir Kozin", "Kozin")
    text: str
    start: float | None = None  # seconds from the start of the recording, when the file says
    line: int = 0


def transcript_read(*, data: bytes) -> list[Turn]:
    """The speaker turns of a transcript file; consecutive turns of one speaker are joined."""
    if not data.strip():
        raise ApplicationError("The file is empty.", field="file")
    if len(data) > MAX_BYTES:
        raise ApplicationError("The file is larger than 5 MB; a two-hour transcript is well under 1 MB.", field="file")
    kind = file_kind(data[:16])
    if kind or b"\x00" in data[:8192]:
        # A Word file (.docx is a zip), a PDF, an image: say what it is rather than read it.
        what = f"This is {kind[1]}, not a text file" if kind else "This is not a text file"
        raise ApplicationError(f"{what}. Export the transcript as VTT, SRT or plain text.", field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ApplicationError(
            _at_line(line, "The file is not UTF-8 text. Save it as UTF-8 and try again."), field="file"
        ) from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = lines[0].strip()
    if first.startswith("WEBVTT"):
        turns = _cues(lines, start=1, vtt=True)
    elif any(TIMING.match(line.strip()) for line in lines[:5]):
        turns = _cues(lines, start=0, vtt=False)
    else:
        turns = _plain(lines)
    if not turns:
        raise ApplicationError("No speaker's words were found. Lines should read “Name: what they said”.", field="file")
    return _joined(turns)


def _seconds(h, m, s, ms) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def _cues(lines: list[str], *, start: int, vtt: bool) -> list[Turn]:
    turns, i, speaker = [], start, None
    while i < len(lines):
        line = lines[i].strip()
        if not line or (vtt and line.startswith(("NOTE", "STYLE", "REGION"))):
            i = _skip_block(lines, i) if line else i + 1
            continue
        if TIMING.match(line):
            timing_at = i
        elif i + 1 < len(lines) and TIMING.match(lines[i + 1].strip()):
            timing_at = i + 1  # a cue identifier (SRT's number, or a WebVTT id) before the timing
        else:
            timing_at = None
        if timing_at is None:
            raise ApplicationError(
                _at_line(i + 1, "Expected a cue timing such as “00:01:02.000 --> 00:01:05.000”."), field="file"
            )
        if not vtt and timing_at == i + 1 and not line.isdigit():
            raise ApplicationError(_at_line(i + 1, "Expected the cue's number."), field="file")
        match = TIMING.match(lines[timing_at].strip())
        assert match is not None  # timing_at is the line that matched above
        begin = _seconds(*match.groups()[:4])
        i = timing_at + 1
        body_line, body = i + 1, []
        while i < len(lines) and lines[i].strip():
            body.append(lines[i].strip())
            i += 1
        for turn in _cue_turns(" ".join(body), begin, body_line, speaker):
            turns.append(turn)
            speaker = turn.speaker
    return turns


def _skip_block(lines: list[str], i: int) -> int:
    while i < len(lines) and lines[i].strip():
        i += 1
    return i + 1


def _cue_turns(body: str, begin: float, line: int, previous: str | None) -> list[Turn]:
    voices = VOICE.findall(body)
    if voices:
        return [Turn(name.strip(), _clean(words), begin, line) for name, words in voices if _clean(words)]
    body = _clean(body)
    if not body:
        return []
    labelled = LABEL.match(body)
    if labelled:
        return [Turn(labelled[1].strip(), labelled[2].strip(), begin, line)]
    if previous:  # a cue without a name continues the last speaker (Zoom splits long turns)
        return [Turn(previous, body, begin, line)]
    raise ApplicationError(
        _at_line(line, "This cue names no speaker; cues should read “Name: what they said”."), field="file"
    )


def _plain(lines: list[str]) -> list[Turn]:
    turns = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        labelled = LABEL.match(line)
        if labelled:
            turns.append(Turn(labelled[1].strip(), labelled[2].strip(), None, number))
        elif turns:
            last = turns[-1]
            turns[-1] = Turn(last.speaker, f"{last.text} {line}", last.start, last.line)
        else:
            raise ApplicationError(
                _at_line(number, "The first line names no speaker; lines should read “Name: what they said”."),
                field="file",
            )
    return turns


def _clean(text: str) -> str:
    return " ".join(TAG.sub("", text).split())


def _joined(turns: list[Turn]) -> list[Turn]:
    joined: list[Turn] = []
    for turn in turns:
        if joined and joined[-1].speaker == turn.speaker:
            last = joined[-1]
            joined[-1] = Turn(last.speaker, f"{last.text} {turn.text}", last.start, last.line)
        else:
            joined.append(turn)
    return joined
