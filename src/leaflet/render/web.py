"""What a leaflet's web page links to: itself in other languages, the build's other files, and
the chapters of its narration."""

from __future__ import annotations

from dataclasses import dataclass

from ..languages import own_name, primary


@dataclass(frozen=True)
class Language:
    lang: str
    name: str  # in itself: Cymraeg
    href: str
    current: bool


@dataclass(frozen=True)
class Download:
    label: str
    href: str
    kind: str  # PDF, Word, MP3, ...
    size: str | None  # "37 kB", as readers of the page's language write it


@dataclass(frozen=True)
class ChapterLink:
    id: str
    title: str
    start: float  # seconds into the recording
    time: str  # "1:23"
    href: str  # the chapter in the transcript page: where the link goes without a script


@dataclass(frozen=True)
class Links:
    index: str  # the site's list of leaflets in the page's language
    languages: tuple[Language, ...]
    downloads: tuple[Download, ...]
    chapters: tuple[ChapterLink, ...]
    transcript: str | None


def links(edition, options, suffix: str, narration: str | None) -> Links:
    """The links of the page `<id><suffix>.html` of `edition`; `narration` is the file name of
    its recording without .mp3, if the page offers it."""
    from ..i18n.labels import translations

    _ = translations(edition.language).gettext
    leaflet_id, here = edition.leaflet.id, primary(edition.language)
    languages = tuple(Language(code, own_name(code), f"../{code}/{leaflet_id}{suffix}.html",
                               code == here) for code in options.versions.languages)
    page = f"{leaflet_id}{suffix}.html"
    order = list(_labels(_))
    entries = sorted((output for output in options.outputs if output.name != page
                      and output.name.removeprefix(leaflet_id) in order),
                     key=lambda output: order.index(output.name.removeprefix(leaflet_id)))
    downloads = tuple(_download(output, leaflet_id, edition.language, _) for output in entries)
    chapters, transcript = (), None
    if narration:
        transcript = f"{narration}-transcript.html"
        if any(output.name == transcript for output in options.outputs):
            chapters = _chapters(edition, options.chapters, transcript)
        else:
            transcript = f"{narration}.vtt"
    return Links(f"../../{index_page(here)}", languages, downloads, chapters, transcript)


def index_page(code: str) -> str:
    """The file of the site's list of leaflets in a language (site.py writes it)."""
    from ..site import page_name

    return page_name("index", code)


def _labels(_) -> dict[str, tuple[str, str]]:
    """Each downloadable file, by the end of its name: what it is and its file type."""
    from ..edition import format_names

    web_page, text, names = _("web page"), _("text"), format_names(_)
    return {
        ".html": (_("Full version"), web_page),
        ".pdf": (_("Print version"), "PDF"),
        "-large-print.pdf": (names["large-print"], "PDF"),
        ".docx": (_("Word document you can change"), "Word"),
        "-large-print.docx": (_("Large print Word document"), "Word"),
        "-easy-read.html": (names["easy-read"], web_page),
        "-easy-read.pdf": (_("Easy read print version"), "PDF"),
        "-easy-read.docx": (_("Easy read Word document"), "Word"),
        ".mp3": (_("Audio recording"), "MP3"),
        "-easy-read.mp3": (_("Easy read audio recording"), "MP3"),
        ".epub": (names["epub"], "EPUB"),
        "-easy-read.epub": (_("Easy read e-book"), "EPUB"),
        ".brf": (_("Braille file for embossers and braille displays"), "BRF"),
        "-braille.txt": (_("Braille to read on screen"), text),
        "-bilingual.pdf": (_("Welsh and English version"), "PDF"),
        "-bilingual.html": (_("Welsh and English version"), web_page),
        "-bilingual.docx": (_("Welsh and English version"), "Word"),
    }


def _download(output, leaflet_id: str, language: str, _) -> Download:
    """The entry of one of the build's files (the transcripts are beside the player)."""
    label, kind = _labels(_)[output.name.removeprefix(leaflet_id)]
    return Download(label, output.name, kind, file_size(output.size, language)
                    if output.size is not None else None)


def file_size(size: int, language: str) -> str:
    """37 kB, 3.5 MB: in the units and numbers of `language`."""
    from babel.units import format_unit

    locale = language.replace("-", "_")
    if size < 1_000_000:
        return format_unit(max(1, round(size / 1000)), "digital-kilobyte", "short",
                           locale=locale)
    return format_unit(round(size / 1_000_000, 1), "digital-megabyte", "short", locale=locale)


def _chapters(edition, starts, transcript: str) -> tuple[ChapterLink, ...]:
    """The recording's chapters, titled as the narration says them, with their start times."""
    from ..narration import script

    titles = {chapter.id: chapter.title for chapter in script(edition)}
    return tuple(ChapterLink(identifier, titles[identifier], round(start, 3), clock(start),
                             f"{transcript}#{identifier}")
                 for identifier, start in starts if identifier in titles)


def clock(seconds: float) -> str:
    """1:23 or 1:02:03."""
    minutes, second = divmod(int(seconds), 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02d}:{second:02d}" if hours else f"{minute}:{second:02d}"
