"""Read a leaflet source (YAML) into the model, validating it with line numbers."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Leaflet
    from ..pictures import picture_index
    from .audio import RATES
    from .schema import RESERVED_IDS, texts_of, years_after

__all__ = ["RATES", "RESERVED_IDS", "load", "picture_index", "texts_of", "years_after"]

# Where each name lives; each is imported when first asked for, so that the picture index
# (in pictures) can use source.reader without loading the leaflet schema.
_HOMES = {
    "RATES": ".audio",
    "RESERVED_IDS": ".schema",
    "texts_of": ".schema",
    "years_after": ".schema",
    "picture_index": "..pictures",
}


def load(path: str | Path, content: bytes | None = None) -> Leaflet:
    """Load and validate the leaflet at `path` (or `content` read from it already);
    raise LeafletErrors listing every mistake."""
    from .schema import LeafletReader

    return LeafletReader(str(path), content).leaflet()


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOMES[name], __name__), name)
