"""Reading transcripts into speaker turns: Zoom's VTT ("Name: text" cues), Teams' WebVTT with voice
tags (`<v Name>`, `<v.loud Name>`), SRT, Zoom's "Save transcript" text (`[Name] 11:02:09`, the words
below) and plain text with "Name: text" lines. Text is UTF-8, or UTF-16/UTF-32 with a byte-order mark.

Two layers (decision 35): the cue layer (`transcript_cues`) finds each cue's start and lines, as
webvtt-py and srt would, and the speaker layer decides who said each line. A label such as "First:"
is a speaker only when it is a known name, recurs in the file, or opens the file; otherwise it is
words. Nothing is half-read: a file is either read whole or refused with a message that names the
line to fix; captions without any speaker names are refused with what to export instead."""

import codecs
import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from podium.core.errors import ApplicationError
from podium.core.uploads import file_kind

MAX_BYTES = 5 * 1024 * 1024
_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{1,2})[.,](\d{1,3})"  # 01:02:03.456, 02:03.456, and Teams' 0:0:0.57
TIMING = re.compile(rf"^{_TIME}\s+-->\s+{_TIME}")
VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]+)>(.*?)(?=</v>|<v[\s.]|$)", re.S)
TAG = re.compile(r"</?[a-z][^>]*>|<\d[\d:.]*>", re.I)  # markup, and karaoke timestamps <00:17.500>
LABEL = re.compile(r"^([^:\n]{1,80}?):\s+(\S.*)$")
DASH = re.compile(r"^[-–—]\s*(\S.*)$")  # a dialogue dash: a new speaker within one cue
ZOOM_TEXT = re.compile(r"^\[([^\]\n]{1,80})\]\s+(\d{1,2}):(\d{2}):(\d{2})$")
BOMS = (  # UTF-32's little-endian mark begins with UTF-16's: test it first
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
NO_SPEAKERS = (
    "These are captions without speaker names, so who said what cannot be read from them. "
    "Export the transcript instead: from a Zoom cloud recording the “Audio transcript” (.vtt), or "
    "“Save transcript” in the meeting; from Teams the meeting's transcript “Download as .vtt”. "
    "Both name each speaker."
)


def _at_line(line: int, message: str) -> str:
    return f"Line {line}: {message}"


def _refused(message: str) -> ApplicationError:
    return ApplicationError(message, field="file")


@dataclass(frozen=True)
class Turn:
    speaker: str  # the label as the file gives it ("Dr Vladimir Kozin", "Kozin")
    text: str
    start: float | None = None  # seconds from the start of the recording, when the file says
    line: int = 0


@dataclass(frozen=True)
class Cue:
    start: float
    lines: tuple[tuple[int, str], ...]  # (line number in the file, text as written)


@dataclass(frozen=True)
class _Piece:
    """One line of words, before the speaker layer decides whose they are."""

    line: int
    start: float | None
    text: str  # cleaned: no markup, character references decoded
    speaker: str | None = None  # given by the format itself (a voice tag, Zoom's [Name] line)
    first_in_cue: bool = True
    dash: bool = False
    opens_labelled_cue: bool = False  # a label opening a cue, in a file whose cues mostly open with one


def transcript_read(*, data: bytes, names: Iterable[str] = ()) -> list[Turn]:
    """The speaker turns of a transcript file; consecutive turns of one speaker are joined.
    `names` (the event's participants, when known) are always taken for speakers."""
    lines = _lines(data)
    first = next((line.strip() for line in lines if line.strip()), "")
    if first.startswith("WEBVTT") or any(TIMING.match(line.strip()) for line in lines[:5]):
        pieces = _cue_pieces(_cues(lines))
        if not any(p.speaker for p in pieces) and not any(LABEL.match(p.text) for p in pieces):
            raise _refused(NO_SPEAKERS)
    elif ZOOM_TEXT.match(first):
        pieces = _zoom_text_pieces(lines)
    else:
        pieces = _plain_pieces(lines)
    turns = _speaker_turns(pieces, {name.strip().casefold() for name in names})
    if not turns:
        raise _refused("No speaker's words were found. Lines should read “Name: what they said”.")
    return _joined(turns)


def transcript_cues(*, data: bytes) -> list[Cue]:
    """The cues of a VTT or SRT file: each one's start and lines, whoever speaks them."""
    lines = _lines(data)
    return _cues(lines)


# Bytes to lines ---------------------------------------------------------------------------------------------


def _lines(data: bytes) -> list[str]:
    if not data.strip():
        raise _refused("The file is empty.")
    if len(data) > MAX_BYTES:
        raise _refused("The file is larger than 5 MB; a two-hour transcript is well under 1 MB.")
    encoding = next((name for bom, name in BOMS if data.startswith(bom)), None)
    kind = file_kind(data[:16])
    if kind or (encoding is None and b"\x00" in data[:8192]):
        # A Word file (.docx is a zip), a PDF, an image: say what it is rather than read it.
        what = f"This is {kind[1]}, not a text file" if kind else "This is not a text file"
        raise _refused(f"{what}. Export the transcript as VTT, SRT or plain text.")
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].decode(encoding or "utf-8", errors="replace").count("\n") + 1
        name = {"utf-32": "UTF-32", "utf-16": "UTF-16"}.get(encoding or "", "UTF-8")
        raise _refused(_at_line(line, f"The file is not {name} text. Save it as UTF-8 and try again.")) from None
    if not text.strip():
        raise _refused("The file is empty.")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# The cue layer ----------------------------------------------------------------------------------------------


def _seconds(h, m, s, fraction) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(fraction.ljust(3, "0")) / 1000


def _cues(lines: list[str]) -> list[Cue]:
    i = next((n for n, line in enumerate(lines) if line.strip()), 0)
    vtt = lines[i].strip().startswith("WEBVTT") if lines else False
    if vtt:  # the header: "WEBVTT", then Kind:, Language:, X-TIMESTAMP-MAP… up to the first blank line
        i += 1
        while i < len(lines) and lines[i].strip() and "-->" not in lines[i]:
            i += 1
    cues: list[Cue] = []
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        if vtt and (line.startswith(("NOTE", "STYLE", "REGION")) and "-->" not in line):
            i = _skip_block(lines, i)
            continue
        if TIMING.match(line):
            timing_at = i
        elif i + 1 < len(lines) and TIMING.match(lines[i + 1].strip()):
            timing_at = i + 1  # a cue identifier (SRT's number, or a WebVTT id) before the timing
        else:
            raise _refused(_at_line(i + 1, "Expected a cue timing such as “00:01:02.000 --> 00:01:05.000”."))
        if not vtt and timing_at == i + 1 and not line.isdigit():
            raise _refused(_at_line(i + 1, "Expected the cue's number."))
        match = TIMING.match(lines[timing_at].strip())
        assert match is not None  # timing_at is the line that matched above
        i = timing_at + 1
        body = []
        # A cue ends at a blank line, or where the next timing begins (YouTube leaves no blank line).
        while i < len(lines) and lines[i].strip() and not TIMING.match(lines[i].strip()):
            body.append((i + 1, lines[i].strip()))
            i += 1
        cues.append(Cue(_seconds(*match.groups()[:4]), tuple(body)))
    return cues


def _skip_block(lines: list[str], i: int) -> int:
    while i < len(lines) and lines[i].strip():
        i += 1
    return i + 1


# Formats into pieces ----------------------------------------------------------------------------------------


def _cue_pieces(cues: list[Cue]) -> list[_Piece]:
    # Zoom names the speaker at the start of every cue: there a label opening a cue is a name even once.
    opening = [LABEL.match(_clean(cue.lines[0][1])) for cue in cues if cue.lines]
    zoom_style = sum(1 for m in opening if m) * 2 >= len(opening) > 0
    pieces = []
    for cue in cues:
        if not cue.lines:
            continue
        body = "\n".join(text for _, text in cue.lines)
        voices = VOICE.findall(body)
        if voices:
            for name, words in voices:
                text = _clean(words)
                if text:
                    pieces.append(_Piece(cue.lines[0][0], cue.start, text, _clean(name)))
            continue
        first = True
        for number, raw in cue.lines:
            text = _clean(raw)
            if not text:
                continue
            dash = DASH.match(text)
            text = dash[1] if dash else text
            pieces.append(_Piece(number, cue.start, text, None, first, bool(dash), first and zoom_style))
            first = False
    return pieces


def _zoom_text_pieces(lines: list[str]) -> list[_Piece]:
    """Zoom's "Save transcript": "[Name] 11:02:09" on one line, the words on the lines below. The
    times are the clock's; a turn's start is counted from the first of them."""
    pieces, speaker, start, origin = [], "", 0.0, None
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        header = ZOOM_TEXT.match(line)
        if header:
            clock = int(header[2]) * 3600 + int(header[3]) * 60 + int(header[4])
            origin = clock if origin is None else origin
            speaker, start = header[1].strip(), float((clock - origin) % 86400)
        elif line:
            pieces.append(_Piece(number, start, _clean(line), speaker))
    return pieces


# Words that head a line of notes (“First: our relations …”, “Question: …”), not people.
NOT_NAMES = frozenset(
    """first second third fourth fifth finally lastly next note notes question questions answer answers summary
agenda update example background conclusion conclusions recommendation recommendations point points issue issues
topic today yesterday tomorrow q a re subject action actions decision decisions result results key""".split()
)
NAME_PARTICLES = frozenset("ul ud un bin bint al el de da van von der di du e".split())


def _looks_like_a_name(label: str) -> bool:
    """“Hina Rauf”, “Col (Retd) Shahid”, “Galaxy A52”: a name (or a device's) as a transcript labels
    someone; not a heading such as “First” or “Key point”."""
    words = re.sub(r"\([^)]*\)", " ", label).replace(".", " ").split()
    return (
        0 < len(words) <= 5
        and all(w[:1].isupper() or w.lower() in NAME_PARTICLES for w in words)
        and not all(w.lower() in NOT_NAMES for w in words)
    )


def _plain_pieces(lines: list[str]) -> list[_Piece]:
    """Plain “Name: words” lines. Where most lines open with a label, a label that looks like a name is a
    speaker even if they speak once (an audience member asking a question)."""
    cleaned = [(number, _clean(raw)) for number, raw in enumerate(lines, start=1) if _clean(raw)]
    labelled = [LABEL.match(text) for _, text in cleaned]
    mostly_labelled = sum(1 for m in labelled if m) * 2 >= len(cleaned) > 0
    return [
        _Piece(number, None, text, opens_labelled_cue=bool(mostly_labelled and m and _looks_like_a_name(m[1].strip())))
        for (number, text), m in zip(cleaned, labelled, strict=True)
    ]


# The speaker layer ------------------------------------------------------------------------------------------


def _speaker_turns(pieces: list[_Piece], names: set[str]) -> list[Turn]:
    labels = Counter(m[1].strip() for p in pieces if p.speaker is None and (m := LABEL.match(p.text)))
    turns: list[Turn] = []
    speaker = None
    for piece in pieces:
        if piece.speaker is not None:
            turns.append(Turn(piece.speaker, piece.text, piece.start, piece.line))
            speaker = piece.speaker
            continue
        labelled = LABEL.match(piece.text)
        label = labelled[1].strip() if labelled else ""
        speaks = (
            labels[label] > 1
            or label.casefold() in names
            or speaker is None  # the file opens with a speaker
            or piece.opens_labelled_cue
            or piece.dash  # a dialogue dash says a new speaker begins: the label after it is one
        )
        if labelled and speaks:
            turns.append(Turn(label, labelled[2].strip(), piece.start, piece.line))
            speaker = label
        elif piece.dash and not piece.first_in_cue:
            raise _refused(
                _at_line(
                    piece.line,
                    "A dialogue dash starts a new speaker here but names none; write “- Name: what they said”.",
                )
            )
        elif speaker is not None:  # words without a name continue the last speaker (Zoom splits long turns)
            turns.append(Turn(speaker, piece.text, piece.start, piece.line))
        elif piece.start is None:
            raise _refused(
                _at_line(piece.line, "The first line names no speaker; lines should read “Name: what they said”.")
            )
        else:
            raise _refused(_at_line(piece.line, "This cue names no speaker; cues should read “Name: what they said”."))
    return turns


def _clean(text: str) -> str:
    return " ".join(html.unescape(TAG.sub("", text)).split())


def _joined(turns: list[Turn]) -> list[Turn]:
    joined: list[Turn] = []
    for turn in turns:
        if joined and joined[-1].speaker == turn.speaker:
            last = joined[-1]
            joined[-1] = Turn(last.speaker, f"{last.text} {turn.text}", last.start, last.line)
        else:
            joined.append(turn)
    return joined
