"""Video rooms of events: Jitsi Meet, BigBlueButton or a link, joined through per-person URLs made on the server."""
