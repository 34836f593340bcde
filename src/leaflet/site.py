"""The site pages of a build folder: an index and an accessibility statement in each of its
languages, and the sitemap, made from the leaflet pages on disk (never from the sources)."""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from markupsafe import Markup, escape

from . import markup, project, review
from .addresses import EMAIL
from .files import write_atomically
from .i18n.labels import format_date, translations
from .languages import is_known, own_name, primary, sorted_by
from .render.html import direction, stylesheet, with_fonts

LEAFLET_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # as a source's id: its file name
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
HEAD_BYTES = 1 << 20  # a page's head is its metadata and styles: a few kilobytes
SITEMAP = "sitemap.xml"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# Labels the leaflet pages write already (page.html, edition.py): looked up by their English
# text rather than written again, so that each label has one place and one translation.
SHARED_LABELS = {"easy_read": "Easy read version",
                 "last_reviewed": "Last reviewed:", "published_by": "Published by %(organisation)s.",
                 "comments": "Send your comments to:", "email": "E-mail:", "phone": "Phone:"}
# The formats the statement can name, each by the files that show it is built.
FORMAT_FILES = {
    "web": ("{id}.html",),
    "pdf": ("{id}.pdf",),
    "large-print": ("{id}-large-print.pdf",),
    "docx": ("{id}.docx",),
    "easy-read": ("{id}-easy-read.html", "{id}-easy-read.pdf", "{id}-easy-read.docx"),
    "audio": ("{id}.mp3", "{id}-easy-read.mp3"),
    "braille": ("{id}.brf",),
    "epub": ("{id}.epub", "{id}-easy-read.epub"),
}


@dataclass(frozen=True)
class Page:
    """What the head of a built page says about it."""

    href: str  # relative to the build folder: cytokines/cy/cytokines.html
    lang: str
    dir: str
    title: str
    description: str
    modified: date | None


@dataclass
class Leaflet:
    id: str
    pages: dict[str, Page] = field(default_factory=dict)  # the full version, by language folder
    easy_read: dict[str, Page] = field(default_factory=dict)
    formats: set[str] = field(default_factory=set)  # of FORMAT_FILES
    file_types: set[str] = field(default_factory=set)  # .html, .pdf, .docx...: what is checked


def publish(out: Path) -> list[Path]:
    """Write the site pages of the build folder `out`; return the files whose bytes changed
    (an unchanged build writes nothing). The sitemap is made only with a base_url."""
    leaflets = read_leaflets(out)
    languages = site_languages(leaflets)
    pages = {}
    for stem, make in (("index", _index), ("accessibility", _statement)):
        for language, name in _names(stem, languages).items():
            page = make(leaflets, languages, language)
            pages[name] = with_fonts(page, out / ".cache").encode("utf-8")
    base_url = project.current().base_url
    if base_url:
        pages[SITEMAP] = sitemap(leaflets, languages, base_url)
    _remove_stale(out, set(pages))
    written = []
    for name, data in sorted(pages.items()):
        path = out / name
        if not path.is_file() or path.read_bytes() != data:
            write_atomically(path, data)
            written.append(path)
    return written


# -- What is built ----------------------------------------------------------------------------
def read_leaflets(out: Path) -> list[Leaflet]:
    """Every leaflet in `out`: a folder <id> with at least one <lang>/<id>.html."""
    leaflets = []
    for folder in sorted(out.iterdir()) if out.is_dir() else ():
        if not (folder.is_dir() and LEAFLET_ID.match(folder.name)):
            continue
        leaflet = Leaflet(folder.name)
        for language_folder in sorted(folder.iterdir()):
            language = language_folder.name
            full = language_folder / f"{leaflet.id}.html"
            if not (LANGUAGE.match(language) and full.is_file()):
                continue
            leaflet.pages[language] = read_head(full, out, language)
            easy_read = language_folder / f"{leaflet.id}-easy-read.html"
            if easy_read.is_file():
                leaflet.easy_read[language] = read_head(easy_read, out, language)
            leaflet.formats |= {name for name, patterns in FORMAT_FILES.items()
                                if any((language_folder / pattern.format(id=leaflet.id)).is_file()
                                       for pattern in patterns)}
            leaflet.file_types |= {path.suffix for path in language_folder.glob(f"{leaflet.id}*")}
        if leaflet.pages:
            leaflets.append(leaflet)
    return leaflets


class _HeadReader(HTMLParser):
    """The language, direction, title, description and review date in a page's head."""

    def __init__(self):
        super().__init__()  # entities decoded once, here; the templates escape again
        self.html: dict[str, str] = {}
        self.meta: dict[str, str] = {}
        self.title: list[str] = []
        self.in_title = self.done = False

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.html = attrs
        elif tag == "title":
            self.in_title = True
        elif tag == "meta" and attrs.get("name") in ("description", "dcterms.modified"):
            self.meta.setdefault(attrs["name"], attrs.get("content", ""))
        elif tag == "body":
            self.done = True

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag == "head":
            self.done = True

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)


def read_head(path: Path, out: Path, folder_language: str) -> Page:
    reader = _HeadReader()
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    with path.open("rb") as file:
        read = 0
        while not reader.done and read < HEAD_BYTES:
            chunk = file.read(65_536)
            if not chunk:
                break
            read += len(chunk)
            reader.feed(decoder.decode(chunk))
    lang = reader.html.get("lang", "").strip()
    lang = lang if LANGUAGE.match(lang) else folder_language
    stated = reader.html.get("dir", "").strip().lower()
    return Page(
        href=path.relative_to(out).as_posix(),
        lang=lang,
        dir=stated if stated in ("ltr", "rtl") else direction(lang),
        title=" ".join("".join(reader.title).split()) or path.stem,
        description=" ".join(reader.meta.get("description", "").split()),
        modified=_day(reader.meta.get("dcterms.modified", "")),
    )


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def site_languages(leaflets: list[Leaflet]) -> list[str]:
    """The site's own language first (index.html), then leaflet.toml's other languages that
    some leaflet is built in, in its order, then any other."""
    found = {language for leaflet in leaflets for language in leaflet.pages}
    first = own_language()
    configured = project.current().languages or ()
    ordered = [first, *(language for language in dict.fromkeys(configured)
                        if language in found and language != first)]
    return ordered + sorted(found - set(ordered))


def own_language() -> str:
    """The language of the site's index.html: leaflet.toml's first, else English."""
    configured = project.current().languages
    return configured[0] if configured else "en"


def page_name(stem: str, language: str) -> str:
    """index.html in the site's own language, index-<lang>.html in each other."""
    return f"{stem}.html" if language == own_language() else f"{stem}-{language}.html"


def _names(stem: str, languages: list[str]) -> dict[str, str]:
    return {language: page_name(stem, language) for language in languages}


def _remove_stale(out: Path, current: set[str]) -> None:
    """Site pages of a language no longer built, and the sitemap once there is no base_url."""
    for path in [*out.glob("index-*.html"), *out.glob("accessibility-*.html"), out / SITEMAP]:
        if path.name not in current:
            path.unlink(missing_ok=True)


# -- The pages --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Link:
    lang: str
    name: str  # the language named in itself
    href: str
    current: bool = False


@dataclass(frozen=True)
class Entry:
    """A leaflet in the index of one language."""

    page: Page
    foreign: bool  # the page is in another language than the index
    languages: list[Link]
    easy_read: Page | None
    reviewed: str  # the date written for the index's readers


def _index(leaflets: list[Leaflet], languages: list[str], language: str) -> str:
    entries = [_entry(leaflet, languages, language) for leaflet in leaflets]
    entries = sorted_by(entries, language, lambda entry: entry.page.title.casefold())
    return _render("index.html", languages, language, "index", entries=entries)


def _entry(leaflet: Leaflet, languages: list[str], language: str) -> Entry:
    own = [code for code in languages if code in leaflet.pages]
    shown = language if language in leaflet.pages else own[0]
    page = leaflet.pages[shown]
    return Entry(
        page=page,
        foreign=shown != language,
        languages=[Link(code, own_name(code), leaflet.pages[code].href) for code in own],
        easy_read=leaflet.easy_read.get(shown),
        reviewed=date_for(page.modified, language) if page.modified else "",
    )


def _statement(leaflets: list[Leaflet], languages: list[str], language: str) -> str:
    formats = set().union(*(leaflet.formats for leaflet in leaflets))
    file_types = set().union(*(leaflet.file_types for leaflet in leaflets))
    organisation = project.current().organisation
    feedback = organisation.feedback
    today = review.today()
    return _render("statement.html", languages, language, "accessibility",
                   formats=formats, file_types=file_types, translated=len(languages) > 1,
                   feedback=feedback,
                   feedback_href=f"mailto:{feedback}" if EMAIL.match(feedback) else feedback,
                   email=organisation.email if organisation.email != feedback else "",
                   phone=organisation.phone,
                   phone_href="tel:" + re.sub(r"[^0-9+]", "", organisation.phone),
                   today=today, today_written=date_for(today, language))


def date_for(day: date, language: str) -> str:
    """A date for the readers of `language`; as YYYY-MM-DD in one CLDR does not know."""
    return format_date(day, language) if is_known(language) else day.isoformat()


def _render(template: str, languages: list[str], language: str, stem: str, **values) -> str:
    """A site page in `language`: its head, header with the language switcher, and footer."""
    names = {kind: _names(kind, languages) for kind in ("index", "accessibility")}
    label = labeller(language)
    return _templates().get_template(template).render(
        lang=language,
        dir=direction(language),
        _=label,
        shared={key: label(message) for key, message in SHARED_LABELS.items()},
        styles=Markup(stylesheet("base") + stylesheet("screen") + stylesheet("site")),
        organisation=_plain(project.current().organisation.name),
        switcher=[Link(code, own_name(code), names[stem][code], code == language)
                  for code in languages],
        alternates=[("x-default", names[stem][languages[0]])]
                   + [(code, names[stem][code]) for code in languages],
        index=names["index"][language],
        statement=names["accessibility"][language],
        **values,
    )


def labeller(language: str):
    """gettext for element content: a label not yet translated shows in English, marked so."""
    gettext = translations(language).gettext

    def label(message: str) -> Markup | str:
        translated = gettext(message)
        if translated == message and primary(language) != "en":
            return Markup('<span lang="en" dir="ltr">%s</span>') % translated
        return translated
    return label


def _plain(text: str) -> str:
    """leaflet.toml's organisation name without its markup (bold): as the leaflets show it."""
    return "".join(run.text for run in markup.parse(text)) if text else ""


@lru_cache(maxsize=None)
def _templates():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("leaflet", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["direction"] = direction
    env.filters["fill"] = fill
    env.filters["text"] = lambda label: Markup(label).striptags()  # for an attribute, a title
    return env


def fill(label: str, **values) -> Markup:
    """A translated label with its placeholders filled; each value is escaped unless it is
    markup made by a template (a <time> element)."""
    return escape(label) % values


# -- The sitemap ------------------------------------------------------------------------------
def sitemap(leaflets: list[Leaflet], languages: list[str], base_url: str) -> bytes:
    """sitemaps.org 0.9: every site page and leaflet page, each with its versions in the other
    languages as xhtml:link alternates (itself included), sorted so the bytes are stable."""
    groups: list[dict[str, tuple[str, date | None]]] = [
        {code: (name, None) for code, name in _names(stem, languages).items()}
        for stem in ("index", "accessibility")]
    for leaflet in leaflets:
        for pages in (leaflet.pages, leaflet.easy_read):
            if pages:
                groups.append({code: (page.href, page.modified) for code, page in pages.items()})
    root = base_url.rstrip("/") + "/"
    urls = []
    for group in groups:
        for href, modified in group.values():
            url = ET.Element(f"{{{SITEMAP_NS}}}url")
            ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = root + href
            if modified:
                ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = modified.isoformat()
            for code, (other, _) in sorted(group.items()):
                ET.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=code,
                              href=root + other)
            urls.append((root + href, url))
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    urlset.extend(url for _, url in sorted(urls, key=lambda pair: pair[0]))
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"
