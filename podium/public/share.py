"""The share image of an event: the 1200×630 PNG that link previews (Open Graph, Twitter cards) show,
drawn by the server from what the event page itself shows: title, date and time, confirmed speakers."""

import hashlib
import io
import json
from dataclasses import asdict, dataclass
from functools import lru_cache

from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont

from podium.core.models import Organisation
from podium.core.templatetags.podium import when
from podium.events.models import Event, Role
from podium.events.selectors import agenda_groups

WIDTH, HEIGHT = 1200, 630
# Bumped when the drawing changes, so every event's ETag and cache key change with it.
DRAWING_VERSION = 1
SPEAKERS_NAMED = 4  # more than this and the card says "and N more"
CACHE_SECONDS = 30 * 24 * 3600  # the key is the card's own hash: a changed event is a new key

INK = (26, 26, 26)
MUTED = (74, 85, 88)
ACCENT = (15, 76, 92)  # the teal of the site's header and favicon
PAPER = (250, 249, 245)
WHITE = (255, 255, 255)

MARGIN = 80
BAND = 24  # the teal band down the left edge


@dataclass(frozen=True)
class ShareCard:
    """Everything the image shows, as text: two events with the same card share one image."""

    organisation: str
    kicker: str  # "Webinar · Chatham House Rule"
    title: str
    when: str  # "Tuesday 15 December 2026, 15:00–17:00 PKT (UTC+05:00)"
    speakers: tuple[str, ...]
    more_speakers: int

    @property
    def etag(self) -> str:
        data = json.dumps([DRAWING_VERSION, asdict(self)], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(data.encode()).hexdigest()[:32]

    @property
    def speakers_line(self) -> str:
        if not self.speakers:
            return ""
        names = list(self.speakers)
        if self.more_speakers:
            names.append(f"{self.more_speakers} more")
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"With {listed}"


def share_card(*, event: Event, organisation: Organisation) -> ShareCard:
    """The card of an event: the speakers the page names (confirmed, `Participation.objects.public()`,
    through the agenda), rapporteurs left out as in the structured data. The attribution rule is about
    what was said, not who spoke, so it is named beside the format as the page's badge names it."""
    speakers = [
        p.person.styled_name
        for group in agenda_groups(event=event)
        for p in group.participations
        if p.role != Role.RAPPORTEUR
    ]
    kicker = event.get_format_display()
    if event.policy.announced:
        kicker += f" · {event.policy.label}"
    return ShareCard(
        organisation=organisation.name,
        kicker=kicker,
        title=event.title,
        when=when(event.starts_at, event.ends_at, event.time_zone),
        speakers=tuple(speakers[:SPEAKERS_NAMED]),
        more_speakers=max(len(speakers) - SPEAKERS_NAMED, 0),
    )


@lru_cache(maxsize=16)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow finds DejaVu in the system's font folders (Debian: fonts-dejavu-core); without it, its own
    # default font still draws the card.
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)


def _wrap(text: str, font, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap to `width` pixels in at most `max_lines`; an ellipsis ends a text that runs over."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) <= max_lines and all(font.getlength(line) <= width for line in lines):
        return lines
    kept, rest = lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])
    while rest and font.getlength(rest + "…") > width:
        rest = rest[:-1].rstrip()
    return [*kept, rest + "…"]


def share_image_png(*, card: ShareCard) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, BAND, HEIGHT], fill=ACCENT)
    text_width = WIDTH - 2 * MARGIN

    y = 64
    draw.text((MARGIN, y), card.organisation, font=_font(30, bold=True), fill=ACCENT)
    y += 52
    draw.text((MARGIN, y), card.kicker.upper(), font=_font(24), fill=MUTED)
    y += 52

    # From the bottom up: the speakers, the date, then the title fills what is left.
    bottom = HEIGHT - 64
    speaker_lines = _wrap(card.speakers_line, _font(28), text_width, 2) if card.speakers_line else []
    speakers_top = bottom - 40 * len(speaker_lines)
    when_lines = _wrap(card.when, _font(30, bold=True), text_width, 2)
    when_top = speakers_top - (16 if speaker_lines else 0) - 42 * len(when_lines)
    rule_y = when_top - 24
    draw.line([(MARGIN, rule_y), (MARGIN + 120, rule_y)], fill=ACCENT, width=4)
    for index, line in enumerate(when_lines):
        draw.text((MARGIN, when_top + 42 * index), line, font=_font(30, bold=True), fill=INK)
    for index, line in enumerate(speaker_lines):
        draw.text((MARGIN, speakers_top + 40 * index), line, font=_font(28), fill=MUTED)

    # The longest titles get a smaller size before they lose words.
    room = rule_y - 24 - y
    for size in (62, 54, 46, 40):
        title_font, line_height = _font(size, bold=True), int(size * 1.2)
        title_lines = _wrap(card.title, title_font, text_width, max(room // line_height, 1))
        if not title_lines[-1].endswith("…"):
            break
    for line in title_lines:
        draw.text((MARGIN, y), line, font=title_font, fill=INK)
        y += line_height

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def share_image(*, card: ShareCard) -> bytes:
    """The card's PNG, drawn once per card (about 50 ms) and then taken from the cache."""
    key = f"podium:share-image:{card.etag}"
    png = cache.get(key)
    if png is None:
        png = share_image_png(card=card)
        cache.set(key, png, CACHE_SECONDS)
    return png
