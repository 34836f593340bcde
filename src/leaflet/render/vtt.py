"""The WebVTT transcript: one cue per spoken sentence, chapter titles as cue identifiers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cue:
    identifier: str
    start: float
    end: float
    text: str


def transcript(cues: list[Cue], language: str) -> bytes:
    lines = ["WEBVTT", "", f"NOTE language: {language}", ""]
    for cue in cues:
        lines += [cue.identifier, f"{_time(cue.start)} --> {_time(cue.end)}", _escape(cue.text), ""]
    return "\n".join(lines).encode("utf-8")


def _time(seconds: float) -> str:
    milliseconds = round(seconds * 1000)
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _escape(text: str) -> str:
    """Cue text may not hold a blank line or "-->"; &, < and > are entities."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.split())
