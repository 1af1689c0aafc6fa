"""Jitsi Meet: room names, per-person join URLs and the HS256 tokens of servers with token authentication.

The token follows lib-jitsi-meet's doc/tokens.md: iss (the server's app_id), aud, sub (the tenant, or the
server's host name), room, exp, plus context.user for display. Moderators get context.user.affiliation
"owner" and moderator "true", which jitsi-meet's mod_token_affiliation turns into the moderator role.
"""

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlsplit

SCRIPT_PATH = "external_api.js"


@dataclass(frozen=True)
class JitsiServer:
    origin: str  # https://meet.example.org
    domain: str  # meet.example.org, what JitsiMeetExternalAPI takes
    tenant: str  # "" or the first path segment (JaaS and multi-tenant servers: https://8x8.vc/<tenant>)

    @classmethod
    def parse(cls, url: str) -> "JitsiServer":
        parts = urlsplit(url.strip())
        tenant = parts.path.strip("/").split("/")[0] if parts.path.strip("/") else ""
        return cls(origin=f"{parts.scheme}://{parts.netloc}", domain=parts.netloc, tenant=tenant)

    def room_path(self, room: str) -> str:
        return f"{self.tenant}/{room}" if self.tenant else room

    @property
    def script_url(self) -> str:
        return f"{self.origin}/{SCRIPT_PATH}"


def room_name_default(*, slug: str, uid) -> str:
    """The event's address plus twelve hex digits of its random uid: readable, and not guessable on a public
    server where anyone who knows a room's name can walk in."""
    return f"{slug[:60].strip('-_') or 'event'}-{uid.hex[:12]}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwt_encode(claims: dict, secret: str) -> str:
    """An HS256 JSON Web Token (RFC 7519): header.payload.signature, each base64url without padding."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    signature = hmac.new(secret.encode(), f"{header}.{payload}".encode("ascii"), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def jwt_claims(
    *,
    server: JitsiServer,
    room: str,
    app_id: str,
    audience: str,
    display_name: str,
    email: str,
    user_id: str,
    moderator: bool,
    not_before: datetime,
    expires: datetime,
) -> dict:
    return {
        "iss": app_id,
        "aud": audience,
        # The tenant for TENANT/ROOM addresses, otherwise the host name (doc/tokens.md); both in lower case.
        "sub": (server.tenant or server.domain.split(":")[0]).lower(),
        # Prosody compares the room claim with the room's JID, which it keeps in lower case.
        "room": room.lower(),
        "nbf": int(not_before.timestamp()),
        "exp": int(expires.timestamp()),
        # Every value a string: lib-jitsi-meet refuses other types in context.user.
        "context": {
            "user": {
                "id": user_id,
                "name": display_name,
                "email": email,
                "moderator": "true" if moderator else "false",
                "affiliation": "owner" if moderator else "member",
            }
        },
    }


def _hash_value(value) -> str:
    # jitsi-meet reads each #key=value as JSON after decodeURIComponent.
    return quote(json.dumps(value, ensure_ascii=False), safe="")


def join_url(*, server: JitsiServer, room: str, display_name: str, token: str, moderator: bool) -> str:
    url = f"{server.origin}/{server.room_path(room)}"
    if token:
        url += f"?jwt={token}"
    fragment = [f"userInfo.displayName={_hash_value(display_name)}"]
    if not moderator:
        # A webinar audience comes in listening: microphones and cameras off until they choose otherwise.
        fragment += ["config.startWithAudioMuted=true", "config.startWithVideoMuted=true"]
    return f"{url}#{'&'.join(fragment)}"


def iframe_options(*, server: JitsiServer, room: str, display_name: str, token: str, moderator: bool) -> dict:
    """The options object of `new JitsiMeetExternalAPI(domain, options)`, ready for json_script."""
    options = {"roomName": server.room_path(room), "userInfo": {"displayName": display_name}}
    if token:
        options["jwt"] = token
    if not moderator:
        options["configOverwrite"] = {"startWithAudioMuted": True, "startWithVideoMuted": True}
    return options
