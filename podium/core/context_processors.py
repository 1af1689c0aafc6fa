"""Puts the organisation into every template, for the header, footer and emails."""

from podium.core.selectors import organisation_get


def organisation(request) -> dict:
    return {"organisation": organisation_get()}
