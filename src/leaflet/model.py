"""The document model of a leaflet: frozen, slotted dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .errors import Origin


@dataclass(frozen=True, slots=True)
class Span:
    """A run of inline text with one set of properties."""

    text: str
    strong: bool = False
    term: str | None = None  # glossary id this run links to
    href: str | None = None  # https: or mailto: address this run links to
    line_break: bool = False  # a hard line break inside the text


@dataclass(frozen=True, slots=True)
class Text:
    """A reader-visible string: its markup as written, and the runs parsed from it."""

    markup: str
    runs: tuple[Span, ...]
    origin: Origin

    @property
    def plain(self) -> str:
        return "".join("\n" if run.line_break else run.text for run in self.runs)

    def __str__(self) -> str:
        return self.plain


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: Text


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[Text, ...]
    origin: Origin


Block = Paragraph | BulletList


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: Text | None
    blocks: tuple[Block, ...]
    origin: Origin


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    id: str
    term: Text
    definition: Text
    origin: Origin


@dataclass(frozen=True, slots=True)
class Link:
    text: Text
    url: str
    origin: Origin


@dataclass(frozen=True, slots=True)
class Publisher:
    name: Text
    contact: str  # an e-mail address


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
    keywords: tuple[str, ...]
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

    @property
    def direction(self) -> str:
        return "rtl" if self.language.split("-")[0] in RTL_LANGUAGES else "ltr"

    def pronunciations_for(self, language: str) -> tuple[Pronunciation, ...]:
        """The entries for `language` (en-GB takes those under en-GB and under en)."""
        tag = language.lower()
        return tuple(p for p in self.pronunciations
                     if p.language.lower() in (tag, tag.split("-")[0]))

    def term(self, term_id: str) -> GlossaryEntry:
        return next(entry for entry in self.glossary if entry.id == term_id)


RTL_LANGUAGES = frozenset({"ar", "ur", "fa", "he", "ps", "sd", "yi"})
