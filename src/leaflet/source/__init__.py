"""Read a leaflet source (YAML) into the model, validating it with line numbers.

`reader` is the YAML reader with line numbers, `schema` the leaflet's keys and rules, `audio`
the pronunciations and narration settings.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Leaflet


def load(path: str | Path, content: bytes | None = None) -> Leaflet:
    """Load and validate the leaflet at `path` (or `content` read from it already);
    raise LeafletErrors listing every mistake."""
    from .schema import LeafletReader

    return LeafletReader(str(path), content).leaflet()
