"""What a web address, an e-mail address and a phone number may be, in a source or leaflet.toml."""

from __future__ import annotations

import re

EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{4,30}[0-9]$")
_URL_FORBIDDEN = re.compile(r"[\s<>\"'`{}|\\^]")


def url_problem(value: str, what: str) -> str | None:
    """Why `value` cannot be the web address `what`, or None: https only, and nothing that
    could end the address early in HTML, CSS, Markdown or a PDF link."""
    if not value.startswith("https://"):
        return f"{what} '{value}' must start with https://"
    bad = _URL_FORBIDDEN.search(value)
    if bad:
        return (f"{what} '{value}' holds {bad[0]!r}, which a web address may not hold; write it "
                f"as %{ord(bad[0]):02X}")
    return None


def feedback_problem(value: str, what: str) -> str | None:
    """Why `value` is not a feedback route (an e-mail address or an https address), or None."""
    if EMAIL.match(value):
        return None
    if value.startswith("https:"):
        return url_problem(value, what)
    return f"{what} '{value[:60]}' must be an e-mail address or an https:// address"
