"""The accessible HTML page of any edition: one self-contained file, also the input of the PDFs."""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from itertools import groupby
from pathlib import Path

from markupsafe import Markup, escape

from .. import project
from ..i18n.labels import translations
from ..languages import own_name, primary
from ..model import RTL_LANGUAGES, Text
from ..paths import STYLES, TEMPLATES
from ..pictures import Picture, library
from . import qr

PICTURE_PX = 160  # an easy-read picture's size on screen (CSS px); print sizes it in mm


def render(edition, options=None) -> bytes:
    """The web page, printable with the print stylesheet; it offers the narration `<id>.mp3`
    if it is built. It links the web version rather than showing its QR code: a screen is
    already there."""
    return web_page(edition, options, "", "print")


def render_easy_read(edition, options=None) -> bytes:
    """The page with the easy-read stylesheet and its pictures inside it."""
    return web_page(edition, options, "-easy-read", None, screen_style="easy-read",
                    body_class="easy-read")


def render_bilingual(edition, options=None) -> bytes:
    """The Welsh page with the English after it, each in its own language."""
    text = bilingual_page(edition, "print")
    return with_fonts(text, options.cache if options else None).encode("utf-8")


def bilingual_page(edition, print_style: str | None, **style) -> str:
    """The page of a bilingual edition: the translation's page, a link to the second language
    at its top, and the second language's header, main part and footer after it, in a part of
    its own (`lang`, `dir`, its ids prefixed so that none is used twice)."""
    first = page(edition, print_style, **style)
    second = page(edition.other, print_style, **style)
    other = edition.other.language
    prefix = f"{primary(other)}-"
    body = second[second.index("<header>"):second.rindex("</footer>") + len("</footer>")]
    body = _ID_REFERENCE.sub(lambda found: _prefixed(found[1], found[2], prefix), body)
    part = (f'<div class="second-language" id="{prefix}part" lang="{other}" '
            f'dir="{direction(other)}">\n{body}\n</div>\n')
    link = str(Markup('<p class="second-language-link"><a href="#%spart" lang="%s">%s</a></p>\n')
               % (prefix, other, own_name(primary(other))))
    header = first.index("<header>") + len("<header>\n")
    first = first[:header] + link + first[header:]
    end = first.rindex("</footer>") + len("</footer>\n")
    return first[:end] + part + first[end:]


# The attributes that hold or point at ids, in the page's own markup (their values escaped).
_ID_REFERENCE = re.compile(r'(?<=\s)(id|for|headers|aria-labelledby|aria-describedby|'
                           r'aria-controls|href)="([^"]*)"')


def _prefixed(attribute: str, value: str, prefix: str) -> str:
    if attribute == "href":
        return f'href="#{prefix}{value[1:]}"' if value.startswith("#") else f'href="{value}"'
    return f'{attribute}="{" ".join(prefix + name for name in value.split())}"'


def web_page(edition, options, suffix: str, print_style: str | None, **style) -> bytes:
    """The page `<id><suffix>.html` for the web: with the links to its other languages and to
    the build's other files, its narration's chapters, and its fonts inside it."""
    from . import Options, web

    listen = f"{edition.leaflet.id}{suffix}" if options and options.listen else None
    links = web.links(edition, options or Options(), suffix, listen)
    text = page(edition, print_style, listen=listen, web=links, **style)
    return with_fonts(text, options.cache if options else None).encode("utf-8")


def with_fonts(text: str, cache: Path | None) -> str:
    """A page with its fonts inside it, as WOFF2 subsets of the characters it uses."""
    from .webfont import font_faces

    faces = font_faces(text, cache)
    head = text.index("</head>")  # the template's: every text before it is escaped
    return f"{text[:head]}<style>\n{faces}\n</style>\n{text[head:]}" if faces else text


def page(edition, print_style: str | None, listen: str | None = None, *,
         screen_style: str = "screen", body_class: str | None = None,
         embed_pictures: bool = True, picture_size: int = PICTURE_PX,
         show_qr: bool = False, web=None) -> str:
    """The page of `edition`, styled by `screen_style` and `print_style` (print, large-print or
    None) and the body's class that the styles select; `embed_pictures` puts the pictures
    inside it, else links them by file; `listen` names the narration beside it (without .mp3 /
    .vtt), if there is one; `show_qr` adds the QR code of the web version (for paper); `web`
    (web.Links) are the links of a page on the web."""
    return environment().get_template("page.html").render(
        edition=edition,
        _=translations(edition.language).gettext,
        body_class=body_class,
        styles=Markup(stylesheet("base") + stylesheet(screen_style)),
        print_styles=Markup(stylesheet(print_style) if print_style else ""),
        page_footer=Markup(css_string(edition.page_footer)),
        page_number=Markup(page_counter(edition.page_number)),
        listen=listen,
        picture_src=_picture_source(embed_pictures),
        picture_size=picture_size,
        logo_src=file_data_uri,
        qr_src=qr_data_uri,
        show_qr=show_qr,
        isolated=isolator(edition.direction),
        web=web,
        enhance=Markup(enhancement()) if web else "",
    )


@lru_cache(maxsize=None)
def enhancement() -> str:
    """The script of a web page: chapter links that move the recording, glossary links that
    show the definition where the reader is. Without it the page works the same, by links."""
    return (TEMPLATES / "enhance.js").read_text(encoding="utf-8")


def _picture_source(embed: bool):
    """A picture's `src` by its library name: its data inside the page, or its file."""
    def source(name: str) -> str:
        picture = library()[name]
        return data_uri(picture) if embed else picture.path.as_uri()
    return source


@lru_cache(maxsize=None)
def environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("leaflet", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["inline"] = inline
    env.filters["block_type"] = lambda block: type(block).__name__
    env.filters["direction"] = direction
    return env


@lru_cache(maxsize=None)
def data_uri(picture: Picture) -> str:
    encoded = base64.b64encode(picture.path.read_bytes()).decode("ascii")
    return f"data:{picture.media_type};base64,{encoded}"


MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}


def file_data_uri(path: Path) -> str:
    """A project file (the logo: SVG or PNG) inside the page."""
    encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:{MEDIA_TYPES[path.suffix.lower()]};base64,{encoded}"


def qr_data_uri(address: str) -> str:
    """The QR code of `address` as a vector picture inside the page."""
    encoded = base64.b64encode(qr.svg(address)).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def isolator(direction: str):
    """In a right-to-left page, a phone number, e-mail, postal or web address in first-strong
    isolates (U+2068, U+2069), so that it keeps its own direction: WeasyPrint ignores
    unicode-bidi, and the groups of "0300 123 4567" would otherwise run right to left."""
    if direction != "rtl":
        return lambda text: text
    return lambda text: f"\u2068{text}\u2069"


def direction(language: str) -> str:
    return "rtl" if primary(language) in RTL_LANGUAGES else "ltr"


@lru_cache(maxsize=None)
def stylesheet(name: str) -> str:
    """The stylesheet `name`: the project's own styles/<name>.css if it has one, else the
    package's; the base one ends with the project's accent colour."""
    text = style_path(name).read_text(encoding="utf-8")
    if name == "base":
        text += accent_rules(project.current().accent)
    return text


def style_path(name: str) -> Path:
    own = project.current().styles / f"{name}.css"
    return own if own.is_file() else STYLES / f"{name}.css"


def accent_rules(accent: str | None) -> str:
    """Links and the main headings in the organisation's colour (checked at 4.5:1 on white
    when leaflet.toml is read; every background in the styles is white)."""
    if not accent:
        return ""
    return (f"/* The accent colour of leaflet.toml. */\na, h1, h2 {{ color: {accent}; }}\n"
            f"@media screen {{ .skip-link {{ color: {accent}; border-color: {accent}; }} }}\n")


def inline(text: Text) -> Markup:
    """The runs of a text as HTML: strong, glossary links and web links."""
    html = []
    for (term, href), runs in groupby(text.runs, key=lambda run: (run.term, run.href)):
        inner = Markup("").join(_in_language(language, [_run(run) for run in same])
                                for language, same in groupby(runs, key=lambda run: run.language))
        if term:
            html.append(Markup('<a class="term" href="#term-%s">%s</a>') % (term, inner))
        elif href:
            html.append(Markup('<a href="%s">%s</a>') % (href, inner))
        else:
            html.append(inner)
    marked = Markup("").join(html)
    if text.language:  # an untranslated part: a screen reader must read it in its own language
        return Markup('<span lang="%s">%s</span>') % (text.language, marked)
    return marked


def _run(run) -> Markup:
    if run.line_break:
        return Markup("<br>")
    return Markup("<strong>%s</strong>") % run.text if run.strong else escape(run.text)


def _in_language(language: str | None, html: list[Markup]) -> Markup:
    """Runs in another language than the text's: marked, so that a screen reader takes its
    voice, and isolated, so that "(peginterferon alfa-2a)" keeps its order in Arabic."""
    inner = Markup("").join(html)
    if not language:
        return inner
    way = direction(language)
    return Markup('<span lang="%s" dir="%s">%s%s\u2069</span>') % (language, way, ISOLATE[way],
                                                                   inner)


# Isolates in the text itself, for WeasyPrint, which ignores `dir` and `unicode-bidi`.
ISOLATE = {"ltr": "\u2066", "rtl": "\u2067"}


def css_string(value: str) -> str:
    """`value` as a quoted CSS string that stays text wherever it lands, a <style> included:
    every character but letters, digits and spaces is a hex escape, ended by the space that
    CSS reads as part of the escape (a newline is `\\A `)."""
    return '"' + "".join(character if character.isalnum() or character == " "
                         else f"\\{ord(character):X} " for character in value) + '"'


def page_counter(label: str) -> str:
    """A translated "Page %(page)s of %(pages)s" as a CSS content value with counters."""
    parts = []
    rest = label
    while rest:
        before, marker, rest = _split_at_placeholder(rest)
        if before:
            parts.append(css_string(before))
        if marker:
            parts.append(f"counter({marker})")
    return " ".join(parts)


def _split_at_placeholder(label: str) -> tuple[str, str, str]:
    positions = [(label.find(f"%({name})s"), name) for name in ("page", "pages")]
    found = [(index, name) for index, name in positions if index >= 0]
    if not found:
        return label, "", ""
    index, name = min(found)
    return label[:index], name, label[index + len(f"%({name})s"):]
