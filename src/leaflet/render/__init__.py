"""One renderer per output format, registered by name in FORMATS."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Callable

from ..model import Leaflet


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str  # appended to the leaflet id to name the output file
    module: str  # imported only when the format is built, to keep start-up fast
    function: str

    def render(self, leaflet: Leaflet) -> bytes:
        renderer: Callable[[Leaflet], bytes] = getattr(
            import_module(f"{__name__}.{self.module}"), self.function)
        return renderer(leaflet)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("html", ".html", "html", "render"),
        Format("pdf", ".pdf", "pdf", "render"),
        Format("large-print", "-large-print.pdf", "pdf", "render_large_print"),
        Format("docx", ".docx", "docx", "render"),
    )
}
