"""What the narration says, in order: chapters of sentences with the pause after each."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .edition import (Alternatives, Callout, Contact, ContactLine, Credit, Definitions, Edition,
                      Feedback, HelpLine, ItemList, Links, Masthead, Notice, Paragraph, Point,
                      References, ReviewDates, Section, Table)
from .languages import listed, name_in, primary
from .model import Text

# Seconds of silence after a sentence, by what follows it.
SENTENCE, BLOCK, TERM, HEADING, CHAPTER = 0.35, 0.8, 0.5, 0.9, 1.6

_END = re.compile(r"[.!?…؟۔。！？][\"'”’)\]]*(?=\s)")
_ABBREVIATION = re.compile(r"(?:\b\w|\be\.g|\bi\.e|\bDr|\bMr|\bMrs|\bMs|\bSt|\bvs)\.$", re.I)


@dataclass(frozen=True, slots=True)
class Utterance:
    text: str  # as the transcript shows it: the sentence as written
    pause: float  # seconds of silence after it


@dataclass(frozen=True, slots=True)
class Group:
    """Sentences said together, and what they are on the page: a paragraph, an item of a list,
    a step, a table row, a word and its meaning, an easy-read point (with its picture) and the
    meaning of a hard word it uses."""

    sentences: tuple[str, ...]
    kind: str = "paragraph"  # KINDS
    box: str | None = None  # the kind of box (Callout) it is in: urgent, important
    picture: str | None = None  # a point's picture, by its library name
    alt: str = ""  # the picture's text alternative


KINDS = ("paragraph", "item", "step", "row", "term", "point", "meaning")


@dataclass(frozen=True, slots=True)
class Chapter:
    id: str
    title: str
    utterances: tuple[Utterance, ...]  # the first is the title, spoken
    groups: tuple[Group, ...] = ()  # what the utterances after the title are, in order


def script(edition: Edition) -> tuple[Chapter, ...]:
    """The edition spoken in its language: an introduction (who, what, when, the notices, whom
    to call), a chapter for each section and for the definitions, and "About this leaflet" (the
    next review, the other versions, feedback and the contact details)."""
    speech = _Speech(edition)
    drafts: list[_Draft] = []
    # The introduction opens with the title, then says the notices (on paper above the cover).
    for block in sorted(edition.blocks, key=lambda block: not isinstance(block, Masthead)):
        RULES[type(block)](block, drafts, speech)
    return tuple(_chapter(draft.id, draft.title, draft.groups, draft.first_pause)
                 for draft in drafts)


def read_as_characters(edition: Edition) -> tuple[str, ...]:
    """What is said character by character: the phone numbers, digit by digit in their groups
    (a voice reads 0300 as "three hundred"), and the leaflet's code."""
    found = [line.value for block in edition.blocks if isinstance(block, (HelpLine, Contact))
             for line in block.lines if line.kind == "phone"]
    if edition.leaflet.code:
        found.append(edition.leaflet.code)
    return tuple(dict.fromkeys(found))


@dataclass
class _Draft:
    """A chapter being written: its groups of sentences so far."""

    id: str
    title: str
    groups: list[Group]
    first_pause: float = SENTENCE


class _Speech:
    """The edition's labels and dates as they are said."""

    def __init__(self, edition: Edition):
        from .i18n.labels import translations

        self.gettext = translations(edition.language).gettext
        self.language = edition.language
        self.locale = edition.language.replace("-", "_")
        self.review = edition.find(ReviewDates)
        masthead = edition.find(Masthead)
        self.title = masthead.title.plain
        self.publisher = masthead.publisher.plain

    def date(self, day) -> str:
        """The month spelt out: "Oct" would be read as a word."""
        from babel.dates import format_date

        return format_date(day, "long", locale=self.locale)


def N_(label: str) -> str:
    """Marks a label for the catalogues; it is translated where it is said."""
    return label


INTRODUCTION, CLOSING = "introduction", "about"
# Definitions spoken under a chapter id and title of their own (others keep the block's).
SPOKEN_DEFINITIONS = {"glossary": ("words-to-know", N_("Words to know"))}


def _masthead(block: Masthead, drafts: list[_Draft], speech: _Speech) -> None:
    """The introduction: who the leaflet is from and what it is about; its code, version and
    last review. The logo's text is the publisher's name, said already; the helper note is
    about reading the paper."""
    _ = speech.gettext
    title = f"{block.title.plain}: {block.subtitle}" if block.subtitle else block.title.plain
    who = [_("From %(publisher)s.") % {"publisher": block.publisher.plain},
           *(sentences(block.summary) if block.summary else ())]
    # The review dates among the facts are said with the month in words, as a sentence.
    facts = [fact for fact in block.facts if fact not in speech.review.lines]
    when = [*facts, _("Last reviewed %(date)s.") % {"date": speech.date(speech.review.last)}]
    drafts.append(_Draft(INTRODUCTION, title, [_group(who), _group(when)]))


def _notice(block: Notice, drafts: list[_Draft], speech: _Speech) -> None:
    drafts[-1].groups.append(_group([block.text]))


def _help_line(block: HelpLine, drafts: list[_Draft], speech: _Speech) -> None:
    drafts[-1].groups.append(_group([block.text, *map(_contact_line, block.lines)]))


def _section(block: Section, drafts: list[_Draft], speech: _Speech) -> None:
    groups = _parts(block.blocks)
    opening = drafts[-1] if drafts else None
    if block.heading is None and opening and opening.id == INTRODUCTION \
            and opening.title == speech.title:
        # A section without a heading is the opening part, under the leaflet's title: an
        # introduction under that same title goes on into it.
        drafts[-1] = _Draft(block.id, opening.title, [*opening.groups, *groups])
    else:
        title = block.heading.plain if block.heading else speech.title
        drafts.append(_Draft(block.id, title, groups))


def _definitions(block: Definitions, drafts: list[_Draft], speech: _Speech) -> None:
    chapter_id, label = SPOKEN_DEFINITIONS.get(block.id, (block.id, None))
    title = speech.gettext(label) if label else block.title
    words = [_group([entry.term.plain, *sentences(entry.text)], "term")
             for entry in block.entries]
    drafts.append(_Draft(chapter_id, title, words, first_pause=TERM))


def _review_dates(block: ReviewDates, drafts: list[_Draft], speech: _Speech) -> None:
    """The closing chapter starts: who the leaflet is from, and its next review."""
    _closing(drafts, speech)


def _alternatives(block: Alternatives, drafts: list[_Draft], speech: _Speech) -> None:
    """The other versions, the other languages named in this one (a voice reads another
    script's name letter by letter), and the web address as print shows it."""
    own = primary(speech.language)
    names = [*block.formats, *(name_in(tag, speech.language) for tag, _name in block.languages
                               if primary(tag) != own)]
    said = [f"{block.label} {listed(names, speech.language)}"] if names else []
    if block.address_label and block.short_address:
        said.append(f"{block.address_label} {_spoken_address(block.short_address)}")
    _closing(drafts, speech).groups.append(_group(said))


def _feedback(block: Feedback, drafts: list[_Draft], speech: _Speech) -> None:
    _closing(drafts, speech).groups.append(
        _group([block.title, f"{block.text} {_spoken_address(block.address)}"]))


def _contact(block: Contact, drafts: list[_Draft], speech: _Speech) -> None:
    """Every way to reach the organisation, the phone first: in the closing chapter after the
    full leaflet, a chapter of its own in the easy read. Who publishes it is said as the
    closing chapter starts."""
    lines = [_contact_line(line) for line in block.lines]
    if drafts and drafts[-1].id == CLOSING:
        drafts[-1].groups.append(_group([block.title, *lines]))
    else:
        drafts.append(_Draft(block.id, block.title, [_group(lines)]))


def _unsaid(block, drafts: list[_Draft], speech: _Speech) -> None:
    """References, links and the picture credit are for screens and paper."""


# Each block type spoken: rule(block, the chapters so far, speech) adds to the chapters.
RULES = {Masthead: _masthead, Notice: _notice, HelpLine: _help_line, Section: _section,
         Definitions: _definitions, References: _unsaid, ReviewDates: _review_dates,
         Links: _unsaid, Alternatives: _alternatives, Feedback: _feedback, Contact: _contact,
         Credit: _unsaid}


def _closing(drafts: list[_Draft], speech: _Speech) -> _Draft:
    """The closing chapter, "About this leaflet", started if it is not the last one yet."""
    if not drafts or drafts[-1].id != CLOSING:
        _ = speech.gettext
        drafts.append(_Draft(CLOSING, _("About this leaflet"), [_group([
            _("This information is from %(publisher)s.") % {"publisher": speech.publisher},
            _("Next review due %(date)s.") % {"date": speech.date(speech.review.next)}])]))
    return drafts[-1]


def _contact_line(line: ContactLine) -> str:
    """"Phone: 0300 123 4567"; an address as it is said."""
    value = _spoken_address(line.value) if line.kind in ("email", "website") else line.value
    return f"{line.label} {value}"


def _spoken_address(address: str) -> str:
    """A web or e-mail address as it is said: without the scheme that a browser adds, or a
    slash at its end."""
    for scheme in ("https://", "http://", "mailto:"):
        address = address.removeprefix(scheme)
    return address.rstrip("/")


def _group(said, kind: str = "paragraph", **shown) -> Group:
    return Group(tuple(said), kind, **shown)


def _parts(blocks) -> list[Group]:
    """The groups of sentences of a section's or a box's parts, in order."""
    return [group for part in blocks for group in PARTS[type(part)](part)]


def _read(texts, kind: str = "paragraph") -> list[Group]:
    """Each text's sentences; links that stand alone are for screens."""
    return [_group(sentences(text), kind) for text in texts if not _link_only(text)]


def _items(block: ItemList) -> list[Group]:
    """Each item, numbered if the list is of steps ("1. Wash your hands."), then its
    sub-points."""
    groups = []
    for number, item in enumerate(block.items, 1):
        said = _read([item.text], "step" if block.ordered else "item")
        if block.ordered and said and said[0].sentences:
            first, *rest = said[0].sentences
            said[0] = _group([f"{number}. {first}", *rest], "step")
        groups += [*said, *_read(item.items, "item")]
    return groups


def _table(block: Table) -> list[Group]:
    """The caption, then row by row each cell after its column's heading ("Dose: 180
    micrograms"); an empty cell is not said."""
    groups = [_group(sentences(block.caption))] if block.caption else []
    for row in block.rows:
        cells = [_paired(heading.plain, cell.plain) for heading, cell in zip(block.header, row)
                 if cell.plain.strip()]
        groups.append(_group([sentence for cell in cells for sentence in sentences(cell)], "row"))
    return groups


def _paired(heading: str, cell: str) -> str:
    return f"{heading}: {cell}" if heading.strip() else cell


def _callout(block: Callout) -> list[Group]:
    """The box's label first, always in words: before its title, or else before its first
    sentence ("Urgent: Call 999 …")."""
    groups = [group for group in _parts(block.blocks) if group.sentences]
    if block.title:
        groups = [_group([f"{block.label} {block.title.plain}"]), *groups]
    elif not groups:
        groups = [_group([block.label])]
    else:
        first, *rest = groups
        said = first.sentences
        groups = [replace(first, sentences=(f"{block.label} {said[0]}", *said[1:])), *rest]
    return [replace(group, box=block.kind) for group in groups]


def _point(block: Point) -> list[Group]:
    """An easy-read point, then each hard word it is the first to use, explained."""
    return [_group(sentences(block.text), "point", picture=block.picture, alt=block.alt.plain),
            *(_group(sentences(_paired(entry.term.plain, entry.text.plain)), "meaning")
              for entry in block.explains)]


# The groups of sentences of each part of a section: a paragraph, each list item, a point.
PARTS = {Paragraph: lambda part: _read([part.text]), ItemList: _items, Table: _table,
         Callout: _callout, Point: _point}


def _link_only(text: Text) -> bool:
    return all(run.href or not run.text.strip() for run in text.runs)


def _chapter(chapter_id: str, title: str, groups: list[Group],
             first_pause: float = SENTENCE) -> Chapter:
    """The title, then each group (paragraph, item, glossary entry) with a longer pause after it."""
    utterances = [Utterance(title, HEADING)]
    groups = [group for group in groups if group.sentences]
    for group in groups:
        for position, sentence in enumerate(group.sentences):
            last = position == len(group.sentences) - 1
            pause = (BLOCK if last else first_pause if position == 0 else SENTENCE)
            utterances.append(Utterance(sentence, pause))
    utterances[-1] = Utterance(utterances[-1].text, CHAPTER)
    return Chapter(chapter_id, title, tuple(utterances), tuple(groups))


def sentences(text: Text | str) -> list[str]:
    """The sentences of a text: split at line breaks and at sentence ends (not after e.g. or J.)."""
    plain = text.plain if isinstance(text, Text) else text
    found = []
    for line in plain.split("\n"):
        start = 0
        for match in _END.finditer(line):
            before = line[start:match.start() + 1]
            following = line[match.end():].lstrip()[:1]
            if _ABBREVIATION.search(before) or following.islower():
                continue
            found.append(line[start:match.end()].strip())
            start = match.end()
        found.append(line[start:].strip())
    return [" ".join(sentence.split()) for sentence in found if sentence.strip()]


def other_languages(edition: Edition) -> tuple[tuple[str, str], ...]:
    """The phrases of the edition in another language than its own, each with its language: a
    drug's name in Latin letters in Arabic, an untranslated part. Said in that language's voice
    and marked with it in the e-book."""
    from itertools import groupby

    from .model import texts

    own = primary(edition.language)
    found: dict[str, str] = {}
    for text, _path in texts(edition.blocks):
        if text.language and primary(text.language) != own:
            for sentence in sentences(text):
                found.setdefault(sentence, text.language)
            continue
        for language, runs in groupby(text.runs, key=lambda run: run.language):
            phrase = " ".join("".join(run.text for run in runs).split())
            if language and phrase and primary(language) != own:
                found.setdefault(phrase, language)
    return tuple(found.items())


def parts(sentence: str, phrases: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str | None], ...]:
    """The sentence cut into its own language's pieces (None) and the phrases of `phrases`."""
    pattern = _phrases_pattern(tuple(phrase for phrase, _language in phrases))
    if pattern is None:
        return ((sentence, None),)
    languages = dict(phrases)
    found, position = [], 0
    for match in pattern.finditer(sentence):
        if match.start() > position:
            found.append((sentence[position:match.start()], None))
        found.append((match[0], languages[match[0]]))
        position = match.end()
    if position < len(sentence) or not found:
        found.append((sentence[position:], None))
    return tuple(found)


@lru_cache(maxsize=16)
def _phrases_pattern(phrases: tuple[str, ...]) -> re.Pattern | None:
    if not phrases:
        return None
    alternatives = "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
