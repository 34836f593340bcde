"""One renderer per output format, registered by name in FORMATS."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from ..model import Leaflet


@dataclass(frozen=True)
class Options:
    """What a renderer may need besides the leaflet: a cache folder, engine choices."""

    cache: Path | None = None
    settings: dict = field(default_factory=dict)
    progress: bool = False  # a renderer with long work may show a progress bar on stderr
    narrated: bool = False  # the build makes the narration a page would offer


@dataclass(frozen=True)
class Format:
    name: str
    suffixes: tuple[str, ...]  # appended to the leaflet id to name each output file
    module: str  # imported only when the format is built, to keep start-up fast
    function: str
    slow_import: bool = False  # worth importing in a worker while the sources are read
    check: str | None = None  # "module:function(leaflet, files)" that refuses bad files
    narration: str | None = None  # the format of the narration a page offers, if it is built

    def checker(self):
        """The check the files must pass before they are written, or None."""
        if not self.check:
            return None
        module, function = self.check.split(":")
        return getattr(import_module(module), function)

    def render(self, leaflet: Leaflet, options: Options) -> dict[str, bytes]:
        """The output files' contents by suffix."""
        renderer = getattr(import_module(f"{__name__}.{self.module}"), self.function)
        result = renderer(leaflet, options)
        return result if isinstance(result, dict) else {self.suffixes[0]: result}


PDF_CHECK = "leaflet.audit.pdf:refuse_inaccessible"  # PDF/UA structure, before a PDF is written
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("html", (".html",), "html", "render", narration="audio"),
        Format("pdf", (".pdf",), "pdf", "render", slow_import=True, check=PDF_CHECK),
        Format("large-print", ("-large-print.pdf",), "pdf", "render_large_print", slow_import=True,
               check=PDF_CHECK),
        Format("docx", (".docx",), "docx", "render"),
        Format("braille", (".brf", "-braille.txt"), "braille", "render"),
        Format("easy-read-html", ("-easy-read.html",), "easyread", "render_html",
               narration="easy-read-audio"),
        Format("easy-read", ("-easy-read.pdf",), "easyread", "render_pdf", slow_import=True,
               check=PDF_CHECK),
        Format("easy-read-docx", ("-easy-read.docx",), "easyread", "render_docx"),
        Format("audio", (".mp3", ".vtt"), "audio", "render"),
        Format("easy-read-audio", ("-easy-read.mp3", "-easy-read.vtt"), "audio",
               "render_easy_read"),
    )
}
