"""BigBlueButton's API: signed calls (checksum = hash of call name + query string + shared secret) and the
XML answers of `create` and `getMeetingInfo`. The shared secret never leaves the server: only checksums do.
"""

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

ALGORITHMS = {"sha1", "sha256", "sha384", "sha512"}
MAX_ANSWER_BYTES = 1024 * 1024


class BigBlueButtonError(Exception):
    """The server could not be reached, or answered FAILED; `message` is written for staff."""

    def __init__(self, message: str, *, key: str = ""):
        super().__init__(message)
        self.message, self.key = message, key


def checksum(call: str, query: str, secret: str, algorithm: str = "sha256") -> str:
    if algorithm not in ALGORITHMS:
        raise ValueError(f"Unknown checksum algorithm {algorithm!r}")
    return hashlib.new(algorithm, f"{call}{query}{secret}".encode()).hexdigest()


def signed_url(api_url: str, call: str, params: list[tuple[str, str]], secret: str, algorithm: str) -> str:
    """`<api>/<call>?<query>&checksum=<hash>`; the query is encoded once and the same text is hashed and sent."""
    query = urlencode(params)
    return f"{api_url.rstrip('/')}/{call}?{query}&checksum={checksum(call, query, secret, algorithm)}"


@dataclass(frozen=True)
class Answer:
    """An XML answer with returncode SUCCESS: the text of each top-level element."""

    fields: dict[str, str]

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)


def call(
    api_url: str,
    name: str,
    params: list[tuple[str, str]],
    *,
    secret: str,
    algorithm: str,
    timeout: float,
    missing_ok: bool = False,
) -> Answer | None:
    """Make one signed API call. FAILED answers raise BigBlueButtonError, except `notFound` with missing_ok,
    which returns None."""
    parts = urlsplit(api_url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise BigBlueButtonError(f"The BigBlueButton API URL {api_url!r} is not an http(s) address.")
    host = parts.netloc
    request = Request(
        signed_url(api_url, name, params, secret, algorithm),
        headers={"Accept": "application/xml", "User-Agent": "Podium"},
    )
    try:
        with urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_ANSWER_BYTES)
    except HTTPError as error:
        raise BigBlueButtonError(f"BigBlueButton at {host} answered HTTP {error.code} to {name}.") from None
    except (URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            message = f"BigBlueButton at {host} did not answer {name} within {timeout:g} s."
        else:
            message = f"BigBlueButton at {host} could not be reached ({reason})."
        raise BigBlueButtonError(message) from None
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        raise BigBlueButtonError(
            f"BigBlueButton at {host} sent an answer to {name} that is not XML: "
            "is the API URL right (it ends in /bigbluebutton/api/)?"
        ) from None
    fields = {child.tag: (child.text or "").strip() for child in root}
    if fields.get("returncode") != "SUCCESS":
        key = fields.get("messageKey", "")
        if missing_ok and key == "notFound":
            return None
        if key == "checksumError":
            message = (
                f"BigBlueButton at {host} refused the checksum of {name}: check the shared secret and the "
                "checksum algorithm."
            )
        else:
            message = f"BigBlueButton at {host} refused {name}: {fields.get('message') or key or 'no reason given'}."
        raise BigBlueButtonError(message, key=key)
    return Answer(fields=fields)
