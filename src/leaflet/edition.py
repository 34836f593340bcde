"""The edition stage: a leaflet in one language as one reading order of blocks, labels resolved.

An edition is what a reader of one kind gets (the full leaflet, the easy read): its blocks in
reading order, each label already translated and each date already written in the language.
Writers (HTML, Word, braille, narration) turn blocks into their medium by block type and never
decide what comes first or what a label says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import BulletList, Leaflet, Link, Text, hard_word_entries

FULL, EASY_READ = "full", "easy-read"
KINDS = (FULL, EASY_READ)


# -- blocks ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Masthead:
    """The top of the first page: who publishes it, the title, and the edition's name."""

    publisher: Text
    title: Text
    subtitle: str | None = None  # "Easy read version"


@dataclass(frozen=True, slots=True)
class Notice:
    """A note the reader must see first (a draft translation, an overdue review)."""

    label: str  # "Please note:"
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: Text


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[Text, ...]


@dataclass(frozen=True, slots=True)
class Point:
    """An easy-read point: a picture (by library name) beside a short text."""

    picture: str
    text: Text
    alt: Text


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the leaflet under its heading (None: the opening part, under the title)."""

    id: str
    heading: Text | None
    blocks: tuple  # Paragraph, Bullets, Point


@dataclass(frozen=True, slots=True)
class Definition:
    id: str  # the glossary id: term links point at it
    term: Text
    text: Text


@dataclass(frozen=True, slots=True)
class Definitions:
    """The glossary, or the easy read's hard words."""

    id: str  # "glossary" or "hard-words"
    title: str
    entries: tuple[Definition, ...]


@dataclass(frozen=True, slots=True)
class References:
    title: str | None  # None: a note about references with no list before it
    items: tuple[Text, ...]
    note: Text | None = None


@dataclass(frozen=True, slots=True)
class ReviewDates:
    """"Last reviewed: 21 Oct 2024" and "Next review due: 21 Oct 2027"."""

    last_label: str
    last: date
    last_written: str
    next_label: str
    next: date
    next_written: str

    @property
    def lines(self) -> tuple[str, str]:
        return f"{self.last_label} {self.last_written}", f"{self.next_label} {self.next_written}"


@dataclass(frozen=True, slots=True)
class Links:
    items: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Credit:
    """The picture credit a licence asks for, with its link."""

    text: str
    link_text: str
    url: str


@dataclass(frozen=True, slots=True)
class Contact:
    """"Published by <name>. Contact: <e-mail>"."""

    published_by: str
    name: Text
    contact_label: str
    email: str


# -- the edition ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Edition:
    kind: str  # FULL or EASY_READ
    leaflet: Leaflet  # the language, direction, dates and metadata
    title: str  # the document's title: "Cytokines", "Cytokines – Easy read"
    description: str | None  # what the document is, for screen readers and search
    header: tuple  # Masthead, Notice
    main: tuple  # Section, Definitions
    footer: tuple  # References, ReviewDates, Links, Credit, Contact
    page_footer: str  # the running footer of print: title and review dates
    page_number: str  # "Page %(page)s of %(pages)s": each medium fills in its numbers

    @property
    def language(self) -> str:
        return self.leaflet.language

    @property
    def direction(self) -> str:
        return self.leaflet.direction

    @property
    def blocks(self) -> tuple:
        return (*self.header, *self.main, *self.footer)

    def find(self, kind: type):
        """The first block of `kind` in reading order, or None."""
        return next((block for block in self.blocks if isinstance(block, kind)), None)


def edition(leaflet: Leaflet, kind: str) -> Edition:
    """`leaflet` (already in its language) as the edition `kind`."""
    return {FULL: full, EASY_READ: easy_read}[kind](leaflet)


def full(leaflet: Leaflet) -> Edition:
    """The whole leaflet: its sections, the glossary, references, review dates, links, contact."""
    _ = _gettext(leaflet)
    review = review_dates(leaflet)
    main: list = [Section(section.id, section.title, tuple(_body(section.blocks)))
                  for section in leaflet.sections]
    if leaflet.glossary:
        main.append(Definitions("glossary", _("Glossary"), tuple(
            Definition(entry.id, entry.term, entry.definition) for entry in leaflet.glossary)))
    footer: list = []
    if leaflet.references or leaflet.references_note:
        footer.append(References(_("References") if leaflet.references else None,
                                 leaflet.references, leaflet.references_note))
    footer.append(review)
    if leaflet.related_links:
        footer.append(Links(leaflet.related_links))
    footer.append(_contact(leaflet, _))
    last, following = review.lines
    return Edition(
        kind=FULL, leaflet=leaflet, title=leaflet.title.plain,
        description=leaflet.summary.plain if leaflet.summary else None,
        header=(Masthead(leaflet.publisher.name, leaflet.title), *_notices(leaflet, _)),
        main=tuple(main), footer=tuple(footer),
        # Two lines: the review dates of many languages (and large type) do not fit on one.
        page_footer=f"{leaflet.title.plain} · {last}\n{following}",
        page_number=_("Page %(page)s of %(pages)s"),
    )


def easy_read(leaflet: Leaflet) -> Edition:
    """Each section's points under its easy-read heading, the hard words, dates, credit, contact."""
    _ = _gettext(leaflet)
    review = review_dates(leaflet)
    main: list = [Section(section.id, section.easy_read_title or section.title,
                          tuple(Point(point.picture, point.text, point.alt)
                                for point in section.easy_read))
                  for section in leaflet.sections]
    entries = hard_word_entries(leaflet)
    if entries:
        main.append(Definitions("hard-words", _("Hard words"), tuple(
            Definition(entry.id, entry.term, entry.easy_read) for entry in entries)))
    footer: list = [review]
    credit = picture_credit(leaflet, _)
    if credit:
        footer.append(credit)
    footer.append(_contact(leaflet, _))
    # Outside the f-strings below: Babel's extractor does not see _() inside one.
    name, short_name = _("Easy read version"), _("Easy read")
    return Edition(
        kind=EASY_READ, leaflet=leaflet, title=f"{leaflet.title.plain} – {short_name}",
        description=f"{name}: {leaflet.title.plain}",
        header=(Masthead(leaflet.publisher.name, leaflet.title, name),
                *_notices(leaflet, _)),
        main=tuple(main), footer=tuple(footer),
        page_footer=f"{leaflet.title.plain} · {short_name}\n{review.lines[0]}",
        page_number=_("Page %(page)s of %(pages)s"),
    )


def review_dates(leaflet: Leaflet) -> ReviewDates:
    from .i18n.labels import format_date

    _ = _gettext(leaflet)
    return ReviewDates(_("Last reviewed:"), leaflet.reviewed,
                       format_date(leaflet.reviewed, leaflet.language),
                       _("Next review due:"), leaflet.next_review,
                       format_date(leaflet.next_review, leaflet.language))


def picture_credit(leaflet: Leaflet, _=None) -> Credit | None:
    """The credit CC BY-SA asks for, when an easy-read point shows an OpenMoji picture."""
    from .pictures import library

    pictures = library()
    used = {point.picture for section in leaflet.sections for point in section.easy_read}
    if not any(pictures[name].source == "openmoji" for name in used):
        return None
    _ = _ or _gettext(leaflet)
    return Credit(_("Pictures: OpenMoji, the open-source emoji and icon project. Licence: CC "
                    "BY-SA 4.0."), "openmoji.org", "https://openmoji.org/")


def _body(blocks) -> list:
    return [Bullets(block.items) if isinstance(block, BulletList) else Paragraph(block.text)
            for block in blocks]


def _notices(leaflet: Leaflet, _) -> list[Notice]:
    return [Notice(_("Please note:"), notice) for notice in leaflet.notices]


def _contact(leaflet: Leaflet, _) -> Contact:
    return Contact(_("Published by"), leaflet.publisher.name, _("Contact:"),
                   leaflet.publisher.contact)


def _gettext(leaflet: Leaflet):
    from .i18n.labels import translations

    return translations(leaflet.language).gettext
