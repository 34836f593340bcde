"""The transcript page of a narration: its chapters as headings, what is said as text, and the
recording, each chapter's start a link that moves it there."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from . import html
from .web import clock


@dataclass(frozen=True)
class Part:
    id: str
    title: str
    start: float
    time: str
    sentences: tuple[str, ...]


def page(edition, chapters, cues, recording: str, leaflet_page: str | None, cache=None) -> bytes:
    """The page of `recording` (its file name without .mp3): `chapters` are the narration's
    (narration.Chapter), `cues` the transcript's (vtt.Cue), `leaflet_page` the page it belongs
    to, if the build makes it."""
    from ..i18n.labels import translations

    _ = translations(edition.language).gettext
    parts = []
    for chapter in chapters:
        said = [cue for cue in cues if cue.identifier.partition(".")[0] == chapter.id]
        start = said[0].start if said else 0.0
        # The first thing said in a chapter is its title: here it is the heading.
        parts.append(Part(chapter.id, chapter.title, round(start, 3), clock(start),
                          tuple(cue.text for cue in said[1:])))
    text = html.environment().get_template("transcript.html").render(
        _=_, language=edition.language, direction=edition.direction,
        heading=_("Transcript: %(title)s") % {"title": edition.title},
        styles=Markup(html.stylesheet("base") + html.stylesheet("screen")),
        page=leaflet_page, recording=recording, chapters=parts,
        enhance=Markup(html.enhancement()))
    return html.with_fonts(text, cache).encode("utf-8")
