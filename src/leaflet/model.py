"""The document model of a leaflet: frozen, slotted dataclasses, no I/O."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date
from pathlib import Path

from .errors import Origin


@dataclass(frozen=True, slots=True)
class Span:
    """A run of inline text with one set of properties."""

    text: str
    strong: bool = False
    term: str | None = None  # glossary id this run links to
    href: str | None = None  # https: or mailto: address this run links to
    line_break: bool = False  # a hard line break inside the text
    language: str | None = None  # set when not the text's: a drug name in English in Arabic


@dataclass(frozen=True, slots=True)
class Text:
    """A reader-visible string: its markup as written, and the runs parsed from it."""

    markup: str
    runs: tuple[Span, ...]
    origin: Origin
    language: str | None = None  # set when not the leaflet's: an untranslated part, in its own

    @property
    def plain(self) -> str:
        return "".join("\n" if run.line_break else run.text for run in self.runs)

    def __str__(self) -> str:
        return self.plain


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: Text


@dataclass(frozen=True, slots=True)
class ListItem:
    text: Text
    items: tuple[Text, ...] = ()  # its sub-points: one level of nesting only


@dataclass(frozen=True, slots=True)
class ItemList:
    items: tuple[ListItem, ...]
    origin: Origin
    ordered: bool = False  # numbered steps (`steps:` in a source) rather than bullets


@dataclass(frozen=True, slots=True)
class Table:
    """A simple table: one header row, then rows of plain cells, as many as the header."""

    caption: Text | None
    header: tuple[Text, ...]
    rows: tuple[tuple[Text, ...], ...]
    origin: Origin


@dataclass(frozen=True, slots=True)
class Callout:
    """A boxed note a reader must not miss: `urgent` (get help now) or `important`."""

    kind: str
    title: Text | None  # its heading; None: the kind's own label ("Urgent", "Important")
    blocks: tuple[Paragraph | ItemList, ...]
    origin: Origin


Block = Paragraph | ItemList | Table | Callout
CALLOUT_KINDS = ("urgent", "important")


@dataclass(frozen=True, slots=True)
class EasyReadPoint:
    """One row of the easy-read version: a picture (by name) beside a short text."""

    picture: str  # a name from the picture library (pictures.py), never translated
    text: Text
    alt: Text  # what the picture shows, for screen readers
    origin: Origin
    callout: str | None = None  # shown boxed as an urgent or important point


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: Text | None
    blocks: tuple[Block, ...]
    origin: Origin
    easy_read_title: Text | None = None  # the heading in the easy-read version, if not `title`
    easy_read: tuple[EasyReadPoint, ...] = ()


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    id: str
    term: Text
    definition: Text
    origin: Origin
    easy_read: Text | None = None  # the plain explanation on the easy-read "Hard words" page


@dataclass(frozen=True, slots=True)
class Link:
    text: Text
    url: str
    origin: Origin


@dataclass(frozen=True, slots=True)
class Publisher:
    """Who publishes a leaflet: the organisation of leaflet.toml, or the source's own."""

    name: Text
    contact: str  # an e-mail address
    phone: str = ""
    address: str = ""
    website: str = ""
    logo: Path | None = None
    logo_alt: str = ""
    hours: Text | None = None  # when the phone is answered: "Monday to Friday, 9am to 5pm"
    feedback: str = ""  # where to say what you think of a leaflet: an e-mail or https address


@dataclass(frozen=True, slots=True)
class Pronunciation:
    """How a speech engine says one word in one language (the spelling on paper is unchanged)."""

    language: str  # BCP 47 tag or primary subtag the entry applies to, e.g. en
    word: str  # matched as a whole word; case-insensitively when written in lower case
    phonemes: str | None = None  # espeak-ng phoneme mnemonics
    sub: str | None = None  # a respelling any engine can say
    spell: bool = False  # read letter by letter, like PV
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class AudioSettings:
    """The narration choices a source may make; the command line overrides them."""

    engine: str | None = None
    rate: int | None = None  # words a minute
    voices: tuple[tuple[str, str], ...] = ()  # (language, voice name) pairs


@dataclass(frozen=True, slots=True)
class Leaflet:
    id: str
    language: str  # BCP 47 tag of the text, e.g. en-GB
    title: Text
    summary: Text | None
    keywords: tuple[Text, ...]  # search terms in the file properties; translated
    reviewed: date
    next_review: date
    publisher: Publisher
    sections: tuple[Section, ...]
    glossary: tuple[GlossaryEntry, ...]
    references: tuple[Text, ...]
    references_note: Text | None
    related_links: tuple[Link, ...]
    origin: Origin
    notices: tuple[str, ...] = field(default=())  # shown on the first page, e.g. draft translation
    pronunciations: tuple[Pronunciation, ...] = ()
    audio: AudioSettings = AudioSettings()
    code: str = ""  # the organisation's leaflet code, e.g. RH-0042
    version: str = ""  # the leaflet's version, e.g. 2 or 2.1
    reviewed_origin: Origin | None = None  # where the review dates are written, for messages
    next_review_origin: Origin | None = None

    @property
    def direction(self) -> str:
        from .languages import primary

        return "rtl" if primary(self.language) in RTL_LANGUAGES else "ltr"

    def pronunciations_for(self, language: str) -> tuple[Pronunciation, ...]:
        """The entries for `language` (en-GB takes those under en-GB and under en)."""
        from .languages import candidates

        tag = language.lower()
        return tuple(p for p in self.pronunciations
                     if p.language.lower() in candidates(tag))

    def term(self, term_id: str) -> GlossaryEntry:
        return next(entry for entry in self.glossary if entry.id == term_id)


RTL_LANGUAGES = frozenset({"ar", "ur", "fa", "he", "ps", "sd", "yi"})


def easy_read_texts(leaflet: Leaflet) -> Iterator[Text]:
    """Every Text of the easy-read version, in its reading order."""
    for section in leaflet.sections:
        if section.easy_read_title:
            yield section.easy_read_title
        for point in section.easy_read:
            yield point.text
            yield point.alt
    for entry in leaflet.glossary:
        if entry.easy_read:
            yield entry.easy_read


def hard_word_entries(leaflet: Leaflet) -> list[GlossaryEntry]:
    """Glossary entries the easy-read text links to, in the order a reader meets them."""
    linked = [run.term for text in easy_read_texts(leaflet) for run in text.runs if run.term]
    entries = {entry.id: entry for entry in leaflet.glossary if entry.easy_read}
    return [entries[term] for term in dict.fromkeys(linked) if term in entries]


def texts(node) -> Iterator[tuple[Text, tuple[str, ...]]]:
    """Every Text below `node` in document order, with the path of field names that holds it."""
    yield from _walk(node, ())


def _walk(node, path: tuple[str, ...]):
    if isinstance(node, Text):
        yield node, path
    elif isinstance(node, (tuple, list)):
        for item in node:
            yield from _walk(item, path)
    elif is_dataclass(node) and not isinstance(node, type):
        for item in fields(node):
            yield from _walk(getattr(node, item.name), (*path, f"{type(node).__name__}.{item.name}"))


def map_texts(node, change: Callable[[Text, tuple[str, ...]], Text], path: tuple[str, ...] = ()):
    """A copy of `node` with every Text replaced by `change(text, path)`."""
    if isinstance(node, Text):
        return change(node, path)
    if isinstance(node, tuple):
        return tuple(map_texts(item, change, path) for item in node)
    if is_dataclass(node) and not isinstance(node, type):
        changes = {}
        for item in fields(node):
            value = getattr(node, item.name)
            new = map_texts(value, change, (*path, f"{type(node).__name__}.{item.name}"))
            if new is not value:
                changes[item.name] = new
        return replace(node, **changes) if changes else node
    return node
