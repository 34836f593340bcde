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


def cues(data: bytes) -> list[Cue]:
    """The cues of a transcript this module wrote, their text unescaped."""
    found, lines = [], data.decode("utf-8").split("\n")
    for index, timing in enumerate(lines):
        if " --> " in timing and index:
            start, end = timing.split(" --> ")
            text = lines[index + 1].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            found.append(Cue(lines[index - 1], _seconds(start), _seconds(end), text))
    return found


def chapter_starts(data: bytes) -> tuple[tuple[str, float], ...]:
    """(chapter id, start in seconds) of a transcript this module wrote: a chapter's first cue
    is identified by the chapter's id alone, its others by "<id>.<n>"."""
    starts, lines = [], data.decode("utf-8").split("\n")
    for identifier, timing in zip(lines, lines[1:]):
        if " --> " in timing and identifier and "." not in identifier:
            starts.append((identifier, _seconds(timing.split(" --> ")[0])))
    return tuple(starts)


def _seconds(time: str) -> float:
    hours, minutes, seconds = time.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
