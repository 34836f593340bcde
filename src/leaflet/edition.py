"""The edition stage: a leaflet in one language as one reading order of blocks, labels resolved.

An edition is what a reader of one kind gets (the full leaflet, the easy read): its blocks in
reading order, each label already translated and each date already written in the language.
Writers (HTML, Word, braille, narration) turn blocks into their medium by block type and never
decide what comes first or what a label says.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from . import model
from .model import Leaflet, Link, ListItem, Text, hard_word_entries

from .versions import BILINGUAL, BILINGUAL_LANGUAGES, EASY_READ, FULL, KINDS, Versions  # noqa: F401 (part of this stage)


# -- blocks ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Masthead:
    """The cover: the organisation's logo and name, the title, the edition's name, the summary,
    and the leaflet's facts (code, version, review dates)."""

    publisher: Text
    title: Text
    subtitle: str | None = None  # "Easy read version"
    logo: Path | None = None  # an SVG or PNG inside the project
    logo_alt: str = ""
    summary: Text | None = None
    facts: tuple[str, ...] = ()  # "Leaflet code: RH-0042", "Version: 2", "Last reviewed: …"
    helper_note: str | None = None  # easy read: "You may want someone to help you read this."


@dataclass(frozen=True, slots=True)
class Notice:
    """A note the reader must see first (a draft translation, an overdue review)."""

    label: str  # "Please note:"
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: Text


@dataclass(frozen=True, slots=True)
class ItemList:
    """Bullets, or numbered steps; an item may have one level of sub-points (bullets)."""

    items: tuple[ListItem, ...]
    ordered: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A simple table: a header row, then rows with one cell for each heading."""

    caption: Text | None
    header: tuple[Text, ...]
    rows: tuple[tuple[Text, ...], ...]


@dataclass(frozen=True, slots=True)
class Callout:
    """A boxed note: `urgent` or `important`. Its label ("Urgent:") is always shown in words,
    before its title when it has one, so that no reader depends on the box's colour."""

    kind: str
    label: str  # "Urgent:" / "Important:"
    title: Text | None
    blocks: tuple  # Paragraph, ItemList, Point


@dataclass(frozen=True, slots=True)
class Point:
    """An easy-read point: a picture (by library name) beside a short text, and the hard words
    it is the first to use, explained beside it."""

    picture: str
    text: Text
    alt: Text
    explains: tuple[Definition, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the leaflet under its heading (None: the opening part, under the title)."""

    id: str
    heading: Text | None
    blocks: tuple  # Paragraph, ItemList, Table, Callout, Point


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
class ContactLine:
    kind: str  # phone, hours, email, address or website
    label: str  # "Phone:"
    value: str
    href: str | None = None  # tel:, mailto: or https:


@dataclass(frozen=True, slots=True)
class HelpLine:
    """Near the start: whom to call with a question or a worry, and when."""

    text: str  # "If you have questions or feel unwell, contact your team:"
    lines: tuple[ContactLine, ...]  # the phone (with its hours), else the e-mail


@dataclass(frozen=True, slots=True)
class Contact:
    """At the end: every way to reach the organisation, the phone first, and who publishes it."""

    id: str  # "contact" or "who-can-help": the part's id in the outputs
    title: str  # "Contact us" / "Who can help"
    lines: tuple[ContactLine, ...]
    published_by: str  # "Published by Riverside Health."


@dataclass(frozen=True, slots=True)
class Alternatives:
    """What else this build makes of the leaflet: its formats, its languages (each named in
    itself), and the web version's address, which print shows as text and as a QR code."""

    label: str  # "This leaflet is also available in:"
    formats: tuple[str, ...]  # "Large print", "Easy read", "Audio", …
    languages: tuple[tuple[str, str], ...]  # (language tag, its own name): ("cy", "Cymraeg")
    address_label: str | None = None  # "Read and listen online:"
    address: str | None = None  # the web version's full address: the QR code's content
    short_address: str | None = None  # the same without https://, for print
    qr_alt: str | None = None  # "QR code for the web version of this leaflet"


@dataclass(frozen=True, slots=True)
class Feedback:
    """"Tell us what you think of this leaflet", and where."""

    title: str
    text: str  # "Send your comments to:"
    address: str  # an e-mail or https address
    href: str


# -- the edition ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Edition:
    kind: str  # FULL or EASY_READ
    leaflet: Leaflet  # the language, direction, dates and metadata
    title: str  # the document's title: "Cytokines", "Cytokines – Easy read"
    description: str | None  # what the document is, for screen readers and search
    header: tuple  # Masthead, Notice, HelpLine
    main: tuple  # Section, Definitions (easy read: Contact, "Who can help", before its words)
    footer: tuple  # References, ReviewDates, Links, Alternatives, Feedback, Contact, Credit
    page_footer: str  # the running footer of print: title and review dates
    page_number: str  # "Page %(page)s of %(pages)s": each medium fills in its numbers
    other: Edition | None = None  # bilingual: the same leaflet in its source language, after it

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


def edition(leaflet: Leaflet, kind: str, versions: Versions | None = None,
            original: Leaflet | None = None) -> Edition:
    """`leaflet` (already in its language) as the edition `kind`; `versions` is what else the
    build makes of it, for the notice of other formats and languages; `original`: the source a
    translation was made from, which a bilingual edition prints after it."""
    if kind == BILINGUAL:
        return bilingual(leaflet, original, versions or Versions())
    return {FULL: full, EASY_READ: easy_read}[kind](leaflet, versions or Versions())



def bilingual(leaflet: Leaflet, original: Leaflet | None, versions: Versions = Versions()) -> Edition:
    """The translation in full, then its source in full, each in its own language: Welsh first
    and English after, as the Welsh Language Standards ask of a health body's leaflets."""
    from .errors import Unsupported
    from .languages import primary

    if original is None or primary(leaflet.language) not in BILINGUAL_LANGUAGES \
            or primary(original.language) == primary(leaflet.language):
        raise Unsupported("a bilingual edition is made of a Welsh translation and its source")
    first, second = full(leaflet, versions), full(original, versions)
    return replace(first, kind=BILINGUAL, title=f"{first.title} – {second.title}", other=second)


def full(leaflet: Leaflet, versions: Versions = Versions()) -> Edition:
    """The whole leaflet: the cover, whom to call, its sections, the glossary, references,
    review dates, links, other versions, feedback and contact."""
    _ = _gettext(leaflet)
    review = review_dates(leaflet)
    main: list = [Section(section.id, section.title, tuple(_body(section.blocks, _)))
                  for section in leaflet.sections]
    if leaflet.glossary:
        main.append(Definitions("glossary", _("Glossary"), tuple(
            Definition(entry.id, entry.term, entry.definition)
            for entry in _in_dictionary_order(leaflet.glossary, leaflet.language))))
    footer: list = []
    if leaflet.references or leaflet.references_note:
        footer.append(References(_("References") if leaflet.references else None,
                                 leaflet.references, leaflet.references_note))
    footer.append(review)
    if leaflet.related_links:
        footer.append(Links(leaflet.related_links))
    footer += _alternatives(leaflet, versions, _)
    footer += [_feedback(leaflet, _), _contact(leaflet, _, "contact", _("Contact us"))]
    last, following = review.lines
    return Edition(
        kind=FULL, leaflet=leaflet, title=leaflet.title.plain,
        description=leaflet.summary.plain if leaflet.summary else None,
        header=(_masthead(leaflet, _, review), *_notices(leaflet, _), _help_line(leaflet, _)),
        main=tuple(main), footer=tuple(footer),
        # Two lines: the review dates of many languages (and large type) do not fit on one.
        page_footer=f"{leaflet.title.plain} · {last}\n{following}",
        page_number=_("Page %(page)s of %(pages)s"),
    )


def easy_read(leaflet: Leaflet, versions: Versions = Versions()) -> Edition:
    """The cover, whom to call, each section's points under its easy-read heading (each hard
    word explained beside the point that first uses it), who can help, the hard words again,
    dates, other versions, feedback and the picture credit."""
    _ = _gettext(leaflet)
    review = review_dates(leaflet)
    entries = hard_word_entries(leaflet)
    first_use = _first_uses(leaflet, {entry.id: entry for entry in entries})
    main: list = [Section(section.id, section.easy_read_title or section.title,
                          tuple(_points(section.easy_read, first_use, _)))
                  for section in leaflet.sections]
    main.append(_contact(leaflet, _, "who-can-help", _("Who can help")))
    if entries:
        main.append(Definitions("hard-words", _("Hard words"), tuple(
            Definition(entry.id, entry.term, entry.easy_read)
            for entry in _in_dictionary_order(entries, leaflet.language))))
    footer: list = [review, *_alternatives(leaflet, versions, _), _feedback(leaflet, _)]
    credit = picture_credit(leaflet, _)
    if credit:
        footer.append(credit)
    # Outside the f-strings below: Babel's extractor does not see _() inside one.
    name, short_name = _("Easy read version"), _("Easy read")
    cover = replace(_masthead(leaflet, _, review), subtitle=name,
                    helper_note=_("You may want someone to help you read this."))
    return Edition(
        kind=EASY_READ, leaflet=leaflet, title=f"{leaflet.title.plain} – {short_name}",
        description=f"{name}: {leaflet.title.plain}",
        # The notices above the cover, which is a page of its own: they are seen first.
        header=(*_notices(leaflet, _), cover, _help_line(leaflet, _)),
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
    """The credit the licences ask for, naming each picture set the easy-read points show:
    OpenMoji (CC BY-SA), Health Icons (MIT)."""
    from .pictures import HEALTHICONS, OPENMOJI, library

    pictures = library()
    used = {pictures[point.picture].source for section in leaflet.sections
            for point in section.easy_read} & {OPENMOJI, HEALTHICONS}
    if not used:
        return None
    _ = _ or _gettext(leaflet)
    if used == {OPENMOJI, HEALTHICONS}:
        return Credit(_("Pictures: Health Icons (healthicons.org, licence: MIT) and OpenMoji, the "
                        "open-source emoji and icon project (licence: CC BY-SA 4.0)."),
                      "openmoji.org", "https://openmoji.org/")
    if OPENMOJI in used:
        return Credit(_("Pictures: OpenMoji, the open-source emoji and icon project. Licence: CC "
                        "BY-SA 4.0."), "openmoji.org", "https://openmoji.org/")
    return Credit(_("Pictures: Health Icons, free icons for health projects. Licence: MIT."),
                  "healthicons.org", "https://healthicons.org/")


def _body(blocks, _) -> list:
    """The source's body blocks as edition blocks, each box with its label."""
    body = []
    for block in blocks:
        if isinstance(block, model.ItemList):
            body.append(ItemList(block.items, block.ordered))
        elif isinstance(block, model.Table):
            body.append(Table(block.caption, block.header, block.rows))
        elif isinstance(block, model.Callout):
            body.append(Callout(block.kind, _callout_label(block.kind, _), block.title,
                                tuple(_body(block.blocks, _))))
        else:
            body.append(Paragraph(block.text))
    return body


def _callout_label(kind: str, _) -> str:
    return {"urgent": _("Urgent:"), "important": _("Important:")}[kind]


def _points(points, first_use: dict, _) -> list:
    """Easy-read points; a run of boxed points (callout: urgent) is one box."""
    blocks: list = []
    for point in points:
        block = Point(point.picture, point.text, point.alt, first_use.get(id(point), ()))
        if point.callout:
            last = blocks[-1] if blocks else None
            if isinstance(last, Callout) and last.kind == point.callout:
                blocks[-1] = replace(last, blocks=(*last.blocks, block))
            else:
                blocks.append(Callout(point.callout, _callout_label(point.callout, _), None,
                                      (block,)))
        else:
            blocks.append(block)
    return blocks


def _first_uses(leaflet: Leaflet, entries: dict) -> dict[int, tuple[Definition, ...]]:
    """For each easy-read point (by id()), the hard words it is the first point to use."""
    seen: set[str] = set()
    uses: dict[int, tuple[Definition, ...]] = {}
    for section in leaflet.sections:
        for point in section.easy_read:
            new = [term for text in (point.text,) for run in text.runs
                   if (term := run.term) in entries and term not in seen]
            new = list(dict.fromkeys(new))
            seen.update(new)
            if new:
                uses[id(point)] = tuple(Definition(term, entries[term].term,
                                                   entries[term].easy_read) for term in new)
    return uses


def _in_dictionary_order(entries, language: str) -> list:
    from .languages import sorted_by

    return sorted_by(entries, language, lambda entry: entry.term.plain)


def _masthead(leaflet: Leaflet, _, review: ReviewDates) -> Masthead:
    publisher = leaflet.publisher
    labelled = ((_("Leaflet code:"), leaflet.code), (_("Version:"), leaflet.version))
    facts = [f"{label} {value}" for label, value in labelled if value]
    facts += review.lines
    return Masthead(publisher.name, leaflet.title, logo=publisher.logo,
                    logo_alt=publisher.logo_alt, summary=leaflet.summary, facts=tuple(facts))


def _contact_lines(leaflet: Leaflet, _, every: bool) -> tuple[ContactLine, ...]:
    """The phone and its hours first; then the e-mail, and with `every` the address and
    website."""
    publisher = leaflet.publisher
    lines = []
    if publisher.phone:
        lines.append(ContactLine("phone", _("Phone:"), publisher.phone,
                                 "tel:" + publisher.phone.replace(" ", "")))
        if publisher.hours:
            lines.append(ContactLine("hours", _("Open:"), publisher.hours.plain))
    if every or not publisher.phone:
        lines.append(ContactLine("email", _("E-mail:"), publisher.contact,
                                 f"mailto:{publisher.contact}"))
    if every and publisher.address:
        lines.append(ContactLine("address", _("Address:"), publisher.address))
    if every and publisher.website:
        lines.append(ContactLine("website", _("Website:"), publisher.website, publisher.website))
    return tuple(lines)


def _help_line(leaflet: Leaflet, _) -> HelpLine:
    return HelpLine(_("If you have questions or feel unwell, contact your team:"),
                    _contact_lines(leaflet, _, every=False))


def _contact(leaflet: Leaflet, _, part_id: str, title: str) -> Contact:
    published = _("Published by %(organisation)s.") % {"organisation":
                                                         leaflet.publisher.name.plain}
    return Contact(part_id, title, _contact_lines(leaflet, _, every=True), published)


def _feedback(leaflet: Leaflet, _) -> Feedback:
    address = leaflet.publisher.feedback or leaflet.publisher.contact
    href = address if address.startswith("https:") else f"mailto:{address}"
    return Feedback(_("Tell us what you think of this leaflet"),
                    _("Send your comments to:"), address, href)


# The formats the notice of other versions names, by the formats (render.FORMATS) that make
# them: the HTML page is the web address, and the PDF is what a reader of print holds.
NOTICE_NAMES = {
    "large-print": "large-print", "large-print-docx": "large-print", "docx": "docx",
    "braille": "braille", "easy-read": "easy-read", "easy-read-html": "easy-read",
    "easy-read-docx": "easy-read", "audio": "audio", "easy-read-audio": "audio",
    "epub": "epub", "easy-read-epub": "epub",
}


def format_names(_) -> dict[str, str]:
    """The short names of the other versions, by their NOTICE_NAMES, in the order shown."""
    return {"large-print": _("Large print"), "docx": _("Word"), "braille": _("Braille"),
            "easy-read": _("Easy read"), "audio": _("Audio"), "epub": _("E-book")}


def _alternatives(leaflet: Leaflet, versions: Versions, _) -> list[Alternatives]:
    from . import project
    from .languages import own_name

    names = format_names(_)
    built = {NOTICE_NAMES.get(name) for name in versions.formats}
    formats = tuple(label for name, label in names.items() if name in built)
    languages = tuple((code, own_name(code)) for code in versions.languages)
    if not formats and len(languages) < 2:
        return []
    address = web_address(leaflet, project.current().base_url) if "html" in versions.formats \
        else None
    return [Alternatives(
        _("This leaflet is also available in:"), formats, languages,
        _("Read and listen online:") if address else None, address,
        address.removeprefix("https://") if address else None,
        _("QR code: the web version of this leaflet") if address else None)]


def web_address(leaflet: Leaflet, base_url: str) -> str | None:
    """Where the project's website shows the leaflet's page in its language, or None."""
    from .languages import primary

    if not base_url:
        return None
    return f"{base_url.rstrip('/')}/{leaflet.id}/{primary(leaflet.language)}/{leaflet.id}.html"


def _notices(leaflet: Leaflet, _) -> list[Notice]:
    return [Notice(_("Please note:"), notice) for notice in leaflet.notices]


def _gettext(leaflet: Leaflet):
    from .i18n.labels import translations

    return translations(leaflet.language).gettext
