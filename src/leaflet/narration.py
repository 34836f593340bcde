"""What the narration says, in order: chapters of sentences with the pause after each."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import BulletList, Leaflet, Text, hard_word_entries

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


def script(leaflet: Leaflet) -> tuple[Chapter, ...]:
    """Intro, one chapter per section, "Words to know" and an outro, in the leaflet's language."""
    _, intro, outro = _frame(leaflet)
    chapters: list[Chapter] = []
    for index, section in enumerate(leaflet.sections):
        said = [*intro] if index == 0 else []
        blocks = _blocks(section.blocks)
        if index == 0 and section.title is None:
            chapters.append(_chapter(section.id, leaflet.title.plain, [said, *blocks]))
            continue
        if index == 0:
            chapters.append(_chapter("introduction", leaflet.title.plain, [said]))
        chapters.append(_chapter(section.id, section.title.plain, blocks))
    if leaflet.glossary:
        words = [[entry.term.plain, *sentences(entry.definition)] for entry in leaflet.glossary]
        chapters.append(_chapter("words-to-know", _("Words to know"), words, first_pause=TERM))
    chapters.append(outro)
    return tuple(chapters)


def easy_read_script(leaflet: Leaflet) -> tuple[Chapter, ...]:
    """The easy-read version spoken: each section's points, then its hard words explained."""
    _, intro, outro = _frame(leaflet)
    title = f"{leaflet.title.plain}: {_('Easy read version')}"
    chapters = [_chapter("introduction", title, [intro])]
    for section in leaflet.sections:
        heading = section.easy_read_title or section.title or leaflet.title
        points = [sentences(point.text) for point in section.easy_read]
        chapters.append(_chapter(section.id, heading.plain, points))
    entries = hard_word_entries(leaflet)
    if entries:
        words = [[entry.term.plain, *sentences(entry.easy_read)] for entry in entries]
        chapters.append(_chapter("hard-words", _("Hard words"), words, first_pause=TERM))
    chapters.append(outro)
    return tuple(chapters)


def _frame(leaflet: Leaflet):
    """The labels' gettext, what is said first (who, when) and the closing chapter."""
    from babel.dates import format_date

    from .i18n.labels import translations

    _ = translations(leaflet.language).gettext
    locale = leaflet.language.replace("-", "_")

    def spoken_date(day) -> str:  # the month spelt out: "Oct" would be read as a word
        return format_date(day, "long", locale=locale)

    publisher = leaflet.publisher.name.plain
    intro = [_("From %(publisher)s.") % {"publisher": publisher},
             _("Last reviewed %(date)s.") % {"date": spoken_date(leaflet.reviewed)},
             *leaflet.notices]
    outro = _chapter("about", _("About this leaflet"), [[
        _("This information is from %(publisher)s.") % {"publisher": publisher},
        _("Next review due %(date)s.") % {"date": spoken_date(leaflet.next_review)},
        _("To ask about this leaflet, email %(contact)s.") % {"contact": leaflet.publisher.contact},
    ]])
    return _, intro, outro


def _blocks(blocks) -> list[list[str]]:
    """Each paragraph's or list item's sentences; links that stand alone are for screens."""
    said = []
    for block in blocks:
        texts = block.items if isinstance(block, BulletList) else (block.text,)
        for text in texts:
            if not _link_only(text):
                said.append(sentences(text))
    return [group for group in said if group]


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
