"""The formats: each one edition (full, easy read) in one medium, registered by name in FORMATS."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from typing import TYPE_CHECKING

from ..versions import BILINGUAL, BILINGUAL_LANGUAGES, EASY_READ, FULL, Versions

if TYPE_CHECKING:  # the model is not needed to list the formats
    from ..model import Leaflet


@dataclass(frozen=True)
class Output:
    """A file the build made of the leaflet in the same language, for a page that links it."""

    format: str  # its format's name (FORMATS)
    name: str  # its file name, in the page's folder
    size: int | None  # in bytes; None for a web page made in the same round


@dataclass(frozen=True)
class Options:
    """What a renderer may need besides the leaflet: a cache folder, engine choices."""

    cache: Path | None = None
    settings: dict = field(default_factory=dict)
    meter: type | None = None  # draws the bar of long work (progress.TerminalMeter); None: quiet
    listen: bool = False  # the page offers its narration: this build makes it, with a voice
    # For a format made from the narration (Format.from_narration): its MP3 and WebVTT files,
    # once written, if this build makes them; () when the format must narrate the edition itself.
    narration: tuple[Path, ...] = ()
    versions: Versions = Versions()  # what else the build makes of the leaflet: formats, languages
    # For a format that links the others (Format.links), filled in once they are written:
    outputs: tuple[Output, ...] = ()  # the build's files of the leaflet in this language
    chapters: tuple[tuple[str, float], ...] = ()  # (id, start in seconds) of its narration
    original: Leaflet | None = None  # for a bilingual edition: the translation's source


@dataclass(frozen=True)
class Format:
    name: str
    edition: str  # FULL or EASY_READ: the reading order (edition.py)
    suffixes: tuple[str, ...]  # appended to the leaflet id to name each output file
    module: str  # the medium's writer, imported only when the format is built
    function: str
    slow_import: bool = False  # worth importing in a worker while the sources are read
    check: str | None = None  # "module:function(leaflet, files)" that refuses bad files
    narration: str | None = None  # the format of the narration a page offers, if it is built
    from_narration: bool = False  # made once the narration is written: it carries it
    links: bool = False  # made after the build's other formats: it links to their files
    languages: tuple[str, ...] = ()  # made only of a translation into these; () every language

    @property
    def stage(self) -> int:
        """When the build makes it: 0 first, 1 once the narration is written, 2 last."""
        return 2 if self.links else 1 if self.from_narration else 0

    def checker(self):
        """The check the files must pass before they are written, or None."""
        if not self.check:
            return None
        module, function = self.check.split(":")
        return getattr(import_module(module), function)

    def render(self, leaflet: Leaflet, options: Options) -> dict[str, bytes]:
        """The output files' contents by suffix: the leaflet's edition, written in the medium."""
        from ..edition import edition

        writer = getattr(import_module(f"{__name__}.{self.module}"), self.function)
        result = writer(edition(leaflet, self.edition, options.versions, options.original),
                        options)
        return result if isinstance(result, dict) else {self.suffixes[0]: result}


PDF_CHECK = "leaflet.audit.pdf:refuse_inaccessible"  # PDF/UA structure, before a PDF is written
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("html", FULL, (".html",), "html", "render", narration="audio", links=True),
        Format("pdf", FULL, (".pdf",), "pdf", "render", slow_import=True, check=PDF_CHECK),
        Format("large-print", FULL, ("-large-print.pdf",), "pdf", "render_large_print",
               slow_import=True, check=PDF_CHECK),
        Format("docx", FULL, (".docx",), "docx", "render"),
        Format("large-print-docx", FULL, ("-large-print.docx",), "docx", "render_large_print"),
        Format("braille", FULL, (".brf", "-braille.txt"), "braille", "render"),
        Format("easy-read-html", EASY_READ, ("-easy-read.html",), "html", "render_easy_read",
               narration="easy-read-audio", links=True),
        Format("easy-read", EASY_READ, ("-easy-read.pdf",), "pdf", "render_easy_read",
               slow_import=True, check=PDF_CHECK),
        Format("easy-read-docx", EASY_READ, ("-easy-read.docx",), "docx", "render_easy_read"),
        Format("audio", FULL, (".mp3", ".vtt", "-transcript.html"), "audio", "render"),
        Format("easy-read-audio", EASY_READ,
               ("-easy-read.mp3", "-easy-read.vtt", "-easy-read-transcript.html"), "audio",
               "render_easy_read"),
        Format("epub", FULL, (".epub",), "epub", "render", narration="audio",
               from_narration=True),
        Format("easy-read-epub", EASY_READ, ("-easy-read.epub",), "epub", "render_easy_read",
               narration="easy-read-audio", from_narration=True),
        Format("bilingual", BILINGUAL, ("-bilingual.pdf",), "pdf", "render_bilingual",
               slow_import=True, check=PDF_CHECK, languages=BILINGUAL_LANGUAGES),
        Format("bilingual-html", BILINGUAL, ("-bilingual.html",), "html", "render_bilingual",
               languages=BILINGUAL_LANGUAGES),
        Format("bilingual-docx", BILINGUAL, ("-bilingual.docx",), "docx", "render_bilingual",
               languages=BILINGUAL_LANGUAGES),
    )
}


def checked_settings(settings: dict) -> dict:
    """The `--set` settings, each checked and typed now, when the build is planned: a mistake
    is one line before any work starts, never an error inside a worker."""
    from ..errors import LeafletError

    checked = {}
    for name, values in settings.items():
        if name not in SETTINGS:
            raise LeafletError(f"format '{name}' has no settings; settings are for "
                               f"{' and '.join(SETTINGS)} (e.g. braille.cells=32, audio.rate=130)")
        module, function = SETTINGS[name].split(":")
        checked[name] = getattr(import_module(f"{__name__}.{module}"), function)(values)
    return checked


# The formats that take settings (the narration's apply to both editions' audio).
SETTINGS = {"braille": "braille:braille_settings", "audio": "audio:audio_settings"}
