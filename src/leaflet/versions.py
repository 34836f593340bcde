"""The kinds of edition, and what one build makes of a leaflet: light, for the format registry."""

from __future__ import annotations

from dataclasses import dataclass

FULL, EASY_READ, BILINGUAL = "full", "easy-read", "bilingual"
KINDS = (FULL, EASY_READ, BILINGUAL)
# The translations a bilingual edition is made of, first, with their source after them.
BILINGUAL_LANGUAGES = ("cy",)


@dataclass(frozen=True)
class Versions:
    """What one build makes of a leaflet: format names (render.FORMATS) and language folders."""

    formats: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
