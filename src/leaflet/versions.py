"""The kinds of edition, and what one build makes of a leaflet: light, for the format registry."""

from __future__ import annotations

from dataclasses import dataclass

FULL, EASY_READ = "full", "easy-read"
KINDS = (FULL, EASY_READ)


@dataclass(frozen=True)
class Versions:
    """What one build makes of a leaflet: format names (render.FORMATS) and language folders."""

    formats: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
