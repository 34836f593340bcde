"""What the narration says, in order: chapters of sentences with the pause after each."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .edition import (Bullets, Contact, Credit, Definitions, Edition, Links, Masthead, Notice,
                      Paragraph, Point, References, ReviewDates, Section)
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
class Chapter:
    id: str
    title: str
    utterances: tuple[Utterance, ...]  # the first is the title, spoken


def script(edition: Edition) -> tuple[Chapter, ...]:
    """The edition spoken in its language: an introduction (who, when, the notices), a chapter
    for each section and for the definitions, and "About this leaflet"."""
    speech = _Speech(edition)
    drafts: list[_Draft] = []
    for block in edition.blocks:
        RULES[type(block)](block, drafts, speech)
    return tuple(_chapter(draft.id, draft.title, draft.groups, draft.first_pause)
                 for draft in drafts)


@dataclass
class _Draft:
    """A chapter being written: its groups of sentences so far."""

    id: str
    title: str
    groups: list[list[str]]
    first_pause: float = SENTENCE


class _Speech:
    """The edition's labels and dates as they are said."""

    def __init__(self, edition: Edition):
        from .i18n.labels import translations

        self.gettext = translations(edition.language).gettext
        self.locale = edition.language.replace("-", "_")
        self.review = edition.find(ReviewDates)
        self.title = edition.find(Masthead).title.plain

    def date(self, day) -> str:
        """The month spelt out: "Oct" would be read as a word."""
        from babel.dates import format_date

        return format_date(day, "long", locale=self.locale)


def N_(label: str) -> str:
    """Marks a label for the catalogues; it is translated where it is said."""
    return label


INTRODUCTION = "introduction"
# Definitions spoken under a chapter id and title of their own (others keep the block's).
SPOKEN_DEFINITIONS = {"glossary": ("words-to-know", N_("Words to know"))}


def _masthead(block: Masthead, drafts: list[_Draft], speech: _Speech) -> None:
    """The introduction: who the leaflet is from and when it was last reviewed."""
    _ = speech.gettext
    title = f"{block.title.plain}: {block.subtitle}" if block.subtitle else block.title.plain
    drafts.append(_Draft(INTRODUCTION, title, [[
        _("From %(publisher)s.") % {"publisher": block.publisher.plain},
        _("Last reviewed %(date)s.") % {"date": speech.date(speech.review.last)}]]))


def _notice(block: Notice, drafts: list[_Draft], speech: _Speech) -> None:
    drafts[-1].groups[-1].append(block.text)


def _section(block: Section, drafts: list[_Draft], speech: _Speech) -> None:
    groups = [group for part in block.blocks for group in PARTS[type(part)](part)]
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
    words = [[entry.term.plain, *sentences(entry.text)] for entry in block.entries]
    drafts.append(_Draft(chapter_id, title, words, first_pause=TERM))


def _contact(block: Contact, drafts: list[_Draft], speech: _Speech) -> None:
    """The closing chapter: who the leaflet is from, its next review, whom to ask."""
    _ = speech.gettext
    drafts.append(_Draft("about", _("About this leaflet"), [[
        _("This information is from %(publisher)s.") % {"publisher": block.name.plain},
        _("Next review due %(date)s.") % {"date": speech.date(speech.review.next)},
        _("To ask about this leaflet, email %(contact)s.") % {"contact": block.email},
    ]]))


def _unsaid(block, drafts: list[_Draft], speech: _Speech) -> None:
    """References, links and the picture credit are for screens and paper; the review dates are
    said in the introduction and the closing chapter."""


# Each block type spoken: rule(block, the chapters so far, speech) adds to the chapters.
RULES = {Masthead: _masthead, Notice: _notice, Section: _section, Definitions: _definitions,
         References: _unsaid, ReviewDates: _unsaid, Links: _unsaid, Credit: _unsaid,
         Contact: _contact}


def _read(texts) -> list[list[str]]:
    """Each text's sentences; links that stand alone are for screens."""
    return [sentences(text) for text in texts if not _link_only(text)]


# The groups of sentences of each part of a section: a paragraph, each list item, a point.
PARTS = {Paragraph: lambda part: _read([part.text]), Bullets: lambda part: _read(part.items),
         Point: lambda part: [sentences(part.text)]}


def _link_only(text: Text) -> bool:
    return all(run.href or not run.text.strip() for run in text.runs)


def _chapter(chapter_id: str, title: str, groups: list[list[str]],
             first_pause: float = SENTENCE) -> Chapter:
    """The title, then each group (paragraph, item, glossary entry) with a longer pause after it."""
    utterances = [Utterance(title, HEADING)]
    groups = [group for group in groups if group]
    for number, group in enumerate(groups):
        for position, sentence in enumerate(group):
            last = position == len(group) - 1
            pause = (BLOCK if last else first_pause if position == 0 else SENTENCE)
            utterances.append(Utterance(sentence, pause))
    utterances[-1] = Utterance(utterances[-1].text, CHAPTER)
    return Chapter(chapter_id, title, tuple(utterances))


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
