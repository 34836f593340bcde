"""Read a leaflet source (YAML) into the model, validating it with line numbers."""

from __future__ import annotations

import difflib
import re
from datetime import date
from pathlib import Path
from typing import NamedTuple

import yaml

from . import characters, limits, markup
from .errors import LeafletErrors, MarkupError, Origin, SourceError
from .addresses import EMAIL as _EMAIL
from .addresses import PHONE as _PHONE
from .addresses import url_problem
from .model import (
    AudioSettings,
    texts,
    BulletList,
    EasyReadPoint,
    GlossaryEntry,
    Leaflet,
    Link,
    Paragraph,
    Pronunciation,
    Publisher,
    Section,
    Text,
)

REQUIRED, OPTIONAL = True, False
LEAFLET_KEYS = {
    "id": REQUIRED,
    "language": REQUIRED,
    "title": REQUIRED,
    "summary": OPTIONAL,
    "keywords": OPTIONAL,
    "reviewed": REQUIRED,
    "next_review": OPTIONAL,  # default: reviewed + the project's review_interval
    "publisher": OPTIONAL,  # default: the organisation of leaflet.toml
    "sections": REQUIRED,
    "glossary": OPTIONAL,
    "references": OPTIONAL,
    "references_note": OPTIONAL,
    "related_links": OPTIONAL,
    "pronunciations": OPTIONAL,
    "audio": OPTIONAL,
}
SECTION_KEYS = {"id": REQUIRED, "title": OPTIONAL, "body": REQUIRED,
                "easy_read_title": OPTIONAL, "easy_read": OPTIONAL}
# Each overrides the organisation of leaflet.toml for this leaflet; contact is the e-mail.
PUBLISHER_KEYS = {"name": OPTIONAL, "contact": OPTIONAL, "phone": OPTIONAL,
                  "address": OPTIONAL, "website": OPTIONAL}
GLOSSARY_KEYS = {"term": REQUIRED, "definition": REQUIRED, "easy_read": OPTIONAL}
POINT_KEYS = {"picture": REQUIRED, "text": REQUIRED, "alt": REQUIRED}
LINK_KEYS = {"text": REQUIRED, "url": REQUIRED}
LIST_KEYS = {"bullets": REQUIRED}
PRONUNCIATION_KEYS = {"phonemes": OPTIONAL, "sub": OPTIONAL, "say-as": OPTIONAL}
AUDIO_KEYS = {"engine": OPTIONAL, "rate": OPTIONAL, "voices": OPTIONAL}
RATES = range(80, 451)  # words a minute that espeak-ng can speak

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
# Ids the outputs give their own parts (HTML ids, narration chapters): a section may not take
# one, nor end in "-title" (its heading's id) or start with "term-" (glossary entries' ids).
RESERVED_IDS = ("about", "glossary", "hard-words", "introduction", "listen", "main",
                "references", "words-to-know")
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_NODE_KIND = {
    yaml.MappingNode: "a mapping (key: value)",
    yaml.SequenceNode: "a list",
    yaml.ScalarNode: "a single value",
}


def load(path: str | Path, content: bytes | None = None) -> Leaflet:
    """Load and validate the leaflet at `path` (or `content` read from it already);
    raise LeafletErrors listing every mistake."""
    return _Reader(str(path), content).leaflet()


class _Reader:
    def __init__(self, path: str, content: bytes | None = None):
        self.path = path
        self.content = content
        self.decoded = ""  # the text of the file, to find a character's own line
        self.errors: list[SourceError] = []

    # -- errors -----------------------------------------------------------------------
    def origin(self, node: yaml.Node) -> Origin:
        return Origin(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def error(self, node: yaml.Node | Origin, message: str) -> None:
        origin = node if isinstance(node, Origin) else self.origin(node)
        self.errors.append(SourceError(message, origin))

    # -- the document -----------------------------------------------------------------
    def leaflet(self) -> Leaflet:
        root = self.parse()
        fields = self.mapping(root, LEAFLET_KEYS, "the leaflet")
        if fields is None:
            raise LeafletErrors(self.errors)
        leaflet_id = self.slug(fields.get("id"), "leaflet id")
        if leaflet_id and leaflet_id != Path(self.path).stem:
            self.error(fields["id"], f"id '{leaflet_id}' does not match the file name "
                       f"'{Path(self.path).name}'; rename the file or change the id")
        language = self.language(fields.get("language"))
        glossary = self.glossary(fields.get("glossary"))
        title = self.text(fields.get("title"), "title")
        summary = self.text(fields.get("summary"), "summary") if "summary" in fields else None
        reviewed = self.date(fields.get("reviewed"), "reviewed")
        next_review = self.next_review(fields, reviewed)
        leaflet = Leaflet(
            id=leaflet_id or "",
            language=language or "",
            title=title,
            summary=summary,
            keywords=tuple(self.strings(fields.get("keywords"), "keywords")),
            reviewed=reviewed,
            next_review=next_review,
            publisher=self.publisher(fields.get("publisher"), root),
            sections=self.sections(fields.get("sections")),
            glossary=glossary,
            references=tuple(self.texts(fields.get("references"), "reference")),
            references_note=(self.text(fields["references_note"], "references_note")
                             if "references_note" in fields else None),
            related_links=self.links(fields.get("related_links")),
            origin=Origin(self.path, 1, 1),
            pronunciations=self.pronunciations(fields.get("pronunciations")),
            audio=self.audio(fields.get("audio")),
            reviewed_origin=self.origin(fields["reviewed"]) if "reviewed" in fields else None,
            next_review_origin=self.origin(fields.get("next_review") or fields["reviewed"])
            if "reviewed" in fields else None,
        )
        self.check_terms(leaflet)
        self.check_pronunciations(leaflet)
        self.check_length(leaflet)
        if self.errors:
            raise LeafletErrors(self.errors)
        return leaflet

    def parse(self) -> yaml.Node:
        try:
            raw = self.content if self.content is not None else _read_at_most(Path(self.path))
        except OSError as exc:
            raise LeafletErrors([SourceError(f"cannot read the file: {exc.strerror}", self.path)])
        if len(raw) > limits.SOURCE_BYTES:
            raise LeafletErrors([SourceError(
                f"the file is over {limits.size(limits.SOURCE_BYTES)}, the most a leaflet source "
                "may be; split it into several leaflets", self.path)])
        try:
            content = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise LeafletErrors([SourceError(
                "the file is not UTF-8 text; save it as UTF-8", Origin(self.path, line))])
        self.decoded = content
        try:
            root = yaml.compose(content, Loader=yaml.CSafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "invalid YAML"
            if exc.context and exc.context_mark and exc.problem_mark:
                problem += (f" {exc.context} that starts at line {exc.context_mark.line + 1}, "
                            f"column {exc.context_mark.column + 1}")
            origin = Origin(self.path, mark.line + 1, mark.column + 1) if mark else Origin(self.path)
            raise LeafletErrors([SourceError(
                f"YAML syntax error: {problem}; check the indentation and quoting here", origin)])
        except yaml.YAMLError as exc:
            raise LeafletErrors([SourceError(f"YAML error: {exc}", self.path)])
        self.refuse_aliases(content)
        if root is None:
            raise LeafletErrors([SourceError("the file is empty; start from an existing leaflet",
                                             Origin(self.path, 1, 1))])
        return root

    def refuse_aliases(self, content: str) -> None:
        """An alias (*name) repeats a part of the file: a few lines could stand for gigabytes."""
        if "*" not in content:
            return
        for event in yaml.parse(content, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                raise LeafletErrors([SourceError(
                    f"alias '*{event.anchor}' repeats another part of the file; write the text "
                    "out where it is used (or quote a text that starts with *)",
                    Origin(self.path, mark.line + 1, mark.column + 1))])

    # -- shapes -----------------------------------------------------------------------
    def expect(self, node: yaml.Node, kind: type, what: str) -> bool:
        if isinstance(node, kind):
            return True
        self.error(node, f"{what} must be {_NODE_KIND[kind]}, not {_NODE_KIND[type(node)]}")
        return False

    def mapping(self, node, keys: dict[str, bool], what: str) -> dict[str, yaml.Node] | None:
        if node is None or not self.expect(node, yaml.MappingNode, what):
            return None
        fields: dict[str, yaml.Node] = {}
        for key_node, value in node.value:
            key = key_node.value
            if key in fields:
                self.error(key_node, f"duplicate key '{key}' in {what}; keep only one")
            elif key not in keys:
                hint = _did_you_mean(key, keys) or f"; allowed keys: {', '.join(keys)}"
                self.error(key_node, f"unknown key '{key}' in {what}{hint}")
            else:
                fields[key] = value
        for key, required in keys.items():
            if required and key not in fields:
                self.error(node, f"missing required key '{key}' in {what}; add it")
        return fields

    def sequence(self, node, what: str, most: int = limits.ITEMS) -> list[yaml.Node]:
        if node is None or not self.expect(node, yaml.SequenceNode, what):
            return []
        if len(node.value) > most:
            self.error(node.value[most], f"{what} has {len(node.value)} entries, more than the "
                       f"{most} a leaflet may have; split the leaflet")
            return node.value[:most]
        return node.value

    def scalar(self, node, what: str) -> str | None:
        if node is None or not self.expect(node, yaml.ScalarNode, what):
            return None
        if node.tag == _NULL:
            self.error(node, f"empty {what}; write the text or remove the entry")
            return None
        complaint = characters.problem(node.value, what)
        if complaint:
            self.error(self.where(node, characters.forbidden(node.value)[1]), complaint)
            return None
        return node.value

    def where(self, node: yaml.Node, character: str) -> Origin:
        """Where `character` is written inside `node` (or the node, if an escape wrote it)."""
        index = self.decoded.find(character, node.start_mark.index, node.end_mark.index)
        if index < 0:
            return self.origin(node)
        line_start = self.decoded.rfind("\n", 0, index) + 1
        return Origin(self.path, self.decoded.count("\n", 0, index) + 1, index - line_start + 1)

    # -- values -----------------------------------------------------------------------
    def text(self, node, what: str) -> Text | None:
        value = self.scalar(node, what)
        if value is None:
            return None
        if node.tag != _STR:
            self.error(node, f"{what} must be text, not '{value}'; put it in quotes")
            return None
        if not value.strip():
            self.error(node, f"empty {what}; write the text or remove the entry")
            return None
        if len(value) > limits.TEXT_CHARACTERS:
            self.error(node, f"{what} is {len(value):,} characters long, more than the "
                       f"{limits.TEXT_CHARACTERS:,} a text may have; split it")
            return None
        try:
            runs = markup.parse(value)
        except MarkupError as exc:
            self.error(node, f"{exc} (in {what})")
            return None
        return Text(value, runs, self.origin(node))

    def texts(self, node, what: str) -> list[Text]:
        texts = [self.text(item, what) for item in self.sequence(node, f"the {what}s")]
        return [text for text in texts if text]

    def strings(self, node, what: str) -> list[str]:
        values = [self.scalar(item, what) for item in self.sequence(node, what)]
        return [value for value in values if value]

    def slug(self, node, what: str) -> str | None:
        value = self.scalar(node, what)
        if value is not None and not _SLUG.match(value):
            self.error(node, f"{what} '{value}' must be lower-case letters, digits and hyphens, "
                       "like 'side-effects'")
            return None
        if value is not None and len(value) > limits.ID_CHARACTERS:
            self.error(node, f"{what} '{value}' is longer than {limits.ID_CHARACTERS} "
                       "characters; shorten it")
            return None
        return value

    def language(self, node, what: str = "language") -> str | None:
        value = self.scalar(node, what)
        if value is None:
            return None
        from babel import Locale, UnknownLocaleError

        try:
            if not _LANGUAGE.match(value):
                raise ValueError
            Locale.parse(value, sep="-")
        except (ValueError, UnknownLocaleError):
            where = "" if what == "language" else f" in {what}"
            self.error(node, f"unknown language '{value}'{where}; use a language tag such as en-GB or cy")
            return None
        return value

    def date(self, node, what: str) -> date | None:
        value = self.scalar(node, what)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.error(node, f"bad date '{value}' in {what}; write it as YYYY-MM-DD, like 2024-10-21")
            return None

    def url(self, node, what: str) -> str | None:
        value = self.scalar(node, what)
        problem = url_problem(value, what) if value is not None else None
        if problem:
            self.error(node, problem)
            return None
        return value

    # -- parts ------------------------------------------------------------------------
    def next_review(self, fields: dict, reviewed: date | None) -> date | None:
        """The next review date: at most the project's review interval after the last review,
        and that interval's end when the source gives none."""
        from .project import current

        years = current().review_years
        latest = years_after(reviewed, years) if reviewed else None
        if "next_review" not in fields:
            return latest
        next_review = self.date(fields["next_review"], "next_review")
        if reviewed and next_review and next_review <= reviewed:
            self.error(fields["next_review"], f"next_review {next_review} is not after reviewed "
                       f"{reviewed}; set the date of the next review")
        elif latest and next_review and next_review > latest:
            self.error(fields["next_review"], f"next_review {next_review} is more than {years} "
                       f"years after reviewed {reviewed}, the review_interval of leaflet.toml; "
                       f"set it on or before {latest}")
        return next_review

    def publisher(self, node, root: yaml.Node) -> Publisher | None:
        """Who publishes the leaflet: the organisation of leaflet.toml, with what the source's
        publisher overrides."""
        from .project import current

        organisation = current().organisation
        fields = self.mapping(node, PUBLISHER_KEYS, "publisher") if node is not None else {}
        if fields is None:
            return None
        name = (self.text(fields["name"], "publisher name") if "name" in fields
                else organisation_name(organisation))
        contact = self.scalar(fields.get("contact"), "publisher contact")
        if contact is not None and not _EMAIL.match(contact):
            self.error(fields["contact"], f"publisher contact '{contact}' is not an e-mail address")
        contact = contact or organisation.email
        if name is None or not contact:
            what = "a name" if name is None else "an e-mail address"
            self.error(node or root, f"the leaflet has no publisher {what}: set it in "
                                     "[organisation] of leaflet.toml, or in the source's publisher")
            return None
        phone = self.scalar(fields.get("phone"), "publisher phone")
        if phone is not None and not _PHONE.match(phone):
            self.error(fields["phone"], f"publisher phone '{phone}' is not a phone number; write "
                                        "digits, spaces and an optional leading +")
        website = self.url(fields.get("website"), "publisher website") if "website" in fields \
            else None
        return Publisher(name, contact, phone=phone or organisation.phone,
                         address=self.scalar(fields.get("address"), "publisher address")
                         or organisation.address,
                         website=website or organisation.website,
                         logo=organisation.logo, logo_alt=organisation.logo_alt)

    def sections(self, node) -> tuple[Section, ...]:
        sections: list[Section] = []
        seen: dict[str, Origin] = {}
        items = self.sequence(node, "sections", limits.SECTIONS)
        if node is not None and isinstance(node, yaml.SequenceNode) and not items:
            self.error(node, "a leaflet needs at least one section")
        for index, item in enumerate(items):
            name = _peek(item, "id")
            fields = self.mapping(item, SECTION_KEYS, f"section '{name}'" if name else f"section {index + 1}")
            if fields is None:
                continue
            section_id = self.slug(fields.get("id"), "section id")
            if section_id and _reserved(section_id):
                self.error(fields["id"], f"section id '{section_id}' is one the outputs use for "
                           f"their own parts ({', '.join(RESERVED_IDS)}, and ids ending in "
                           "'-title' or starting with 'term-'); choose another, like "
                           f"'{section_id.removesuffix('-title')}-section'")
                section_id = None
            if section_id in seen:
                self.error(fields["id"], f"duplicate section id '{section_id}' (first used at "
                           f"line {seen[section_id].line}); give each section its own id")
            elif section_id:
                seen[section_id] = self.origin(fields["id"])
            title = None
            if "title" in fields:
                title = self.text(fields["title"], f"title of section '{section_id}'")
            elif index > 0:
                self.error(item, f"missing required key 'title' in section '{section_id}'; "
                           "only the first section may go without a title")
            blocks = self.blocks(fields.get("body"), section_id)
            easy_title = (self.text(fields["easy_read_title"], f"easy_read_title of section "
                                    f"'{section_id}'") if "easy_read_title" in fields else None)
            points = self.points(fields["easy_read"], section_id) if "easy_read" in fields else ()
            sections.append(Section(section_id or "", title, blocks, self.origin(item),
                                    easy_read_title=easy_title, easy_read=points))
        return tuple(sections)

    def points(self, node, section_id) -> tuple[EasyReadPoint, ...]:
        """The easy-read layer of a section: points, each a picture with alt text and a text."""
        points = []
        items = self.sequence(node, f"easy_read of section '{section_id}'")
        if isinstance(node, yaml.SequenceNode) and not items:
            self.error(node, f"empty easy_read in section '{section_id}'; add points "
                       "(picture, text, alt)")
        for number, item in enumerate(items, 1):
            what = f"easy-read point {number} of section '{section_id}'"
            fields = self.mapping(item, POINT_KEYS, what)
            if fields is None:
                continue
            picture = self.picture(fields.get("picture"), what)
            text = self.text(fields.get("text"), f"text of {what}")
            alt = self.text(fields.get("alt"), f"alt of {what}")
            if picture and text and alt:
                points.append(EasyReadPoint(picture, text, alt, self.origin(item)))
        return tuple(points)

    def picture(self, node, what: str) -> str | None:
        name = self.scalar(node, f"picture of {what}")
        if name is None:
            return None
        from .pictures import library

        pictures = library()
        if name not in pictures:
            near = pictures.near(name)
            hint = f"near names: {', '.join(near)}" if near else "no near names"
            self.error(node, f"unknown picture '{name}' ({hint}); use a name of the picture "
                       f"library (see the README) or add a picture file: pictures/{name}.svg")
            return None
        return name

    def blocks(self, node, section_id) -> tuple:
        blocks = []
        items = self.sequence(node, f"body of section '{section_id}'")
        if isinstance(node, yaml.SequenceNode) and not items:
            self.error(node, f"empty body in section '{section_id}'; add a paragraph")
        for item in items:
            if isinstance(item, yaml.MappingNode):
                fields = self.mapping(item, LIST_KEYS, "a list in the body")
                if fields and "bullets" in fields:
                    bullets = self.texts(fields["bullets"], "list item")
                    if not bullets and isinstance(fields["bullets"], yaml.SequenceNode):
                        self.error(fields["bullets"], "empty list; add items or remove it")
                    blocks.append(BulletList(tuple(bullets), self.origin(item)))
            else:
                text = self.text(item, f"paragraph in section '{section_id}'")
                if text:
                    blocks.append(Paragraph(text))
        return tuple(blocks)

    def glossary(self, node) -> tuple[GlossaryEntry, ...]:
        entries = self.mapping(node, _AnyKey(), "glossary") if node is not None else None
        if entries and len(node.value) > limits.ITEMS:
            self.error(node.value[limits.ITEMS][0], f"the glossary has {len(node.value)} entries, "
                       f"more than the {limits.ITEMS} a leaflet may have; split the leaflet")
            entries = None
        glossary = []
        for key_node, value in (node.value if entries else []):
            term_id = self.slug(key_node, "glossary id")
            fields = self.mapping(value, GLOSSARY_KEYS, f"glossary entry '{key_node.value}'")
            if term_id and fields:
                glossary.append(GlossaryEntry(
                    term_id,
                    self.text(fields.get("term"), f"term of '{term_id}'"),
                    self.text(fields.get("definition"), f"definition of '{term_id}'"),
                    self.origin(key_node),
                    (self.text(fields["easy_read"], f"easy_read of '{term_id}'")
                     if "easy_read" in fields else None),
                ))
        return tuple(glossary)

    def links(self, node) -> tuple[Link, ...]:
        links = []
        for item in self.sequence(node, "related_links"):
            fields = self.mapping(item, LINK_KEYS, "a related link")
            if fields:
                links.append(Link(self.text(fields.get("text"), "link text"),
                                  self.url(fields.get("url"), "link url"), self.origin(item)))
        return tuple(links)

    def check_terms(self, leaflet: Leaflet) -> None:
        defined = [entry.id for entry in leaflet.glossary]
        for text in texts_of(leaflet):
            if text is None:
                continue
            for term_id in dict.fromkeys(markup.term_ids(text.runs)):
                if term_id not in defined:
                    self.error(text.origin, f"link to undefined glossary term '{term_id}'"
                               f"{_did_you_mean(term_id, defined)}; add it under glossary:")


    def check_length(self, leaflet: Leaflet) -> None:
        total = sum(len(text.plain) for text in texts_of(leaflet) if text)
        if total > limits.LEAFLET_CHARACTERS:
            self.error(leaflet.origin, f"the leaflet has {total:,} characters of text, more than "
                       f"the {limits.LEAFLET_CHARACTERS:,} one leaflet may have (about three "
                       "hours of narration); split it into several leaflets")

    # -- narration ------------------------------------------------------------------------
    def pronunciations(self, node) -> tuple[Pronunciation, ...]:
        entries: list[Pronunciation] = []
        if node is None or self.mapping(node, _AnyKey(), "pronunciations") is None:
            return ()
        for language_node, words in node.value:
            language = self.language(language_node, "pronunciations")
            if language is None or self.mapping(words, _AnyKey(), f"pronunciations '{language}'") is None:
                continue
            for word_node, value in words.value:
                word = self.scalar(word_node, "pronounced word")
                if word is None:
                    continue
                entry = self.pronunciation(language, word.strip(), value)
                if entry:
                    entries.append(entry)
        return tuple(entries)

    def pronunciation(self, language: str, word: str, node) -> Pronunciation | None:
        what = f"pronunciation of '{word}'"
        origin = self.origin(node)
        if isinstance(node, yaml.ScalarNode):
            value = self.scalar(node, what)
            if value is None:
                return None
            if value.startswith("[[") and value.endswith("]]"):
                return self.phonemes(node, value[2:-2], language, word, origin)
            return Pronunciation(language, word, sub=value, origin=origin)
        fields = self.mapping(node, PRONUNCIATION_KEYS, what)
        if fields is None:
            return None
        if not fields and not node.value:
            self.error(node, f"empty {what}; give phonemes, sub or say-as")
            return None
        if not fields:
            return None
        say_as = self.scalar(fields.get("say-as"), "say-as") if "say-as" in fields else None
        if say_as is not None and say_as != "characters":
            self.error(fields["say-as"], f"say-as '{say_as}' in {what} is not known; "
                       "use say-as: characters to read it letter by letter")
            return None
        if say_as and len(fields) > 1:
            self.error(node, f"{what} has say-as with phonemes or sub; keep only one")
            return None
        sub = self.scalar(fields.get("sub"), "sub") if "sub" in fields else None
        if "phonemes" in fields:
            phonemes = self.scalar(fields["phonemes"], "phonemes")
            if phonemes is None:
                return None
            entry = self.phonemes(fields["phonemes"], phonemes.removeprefix("[[").removesuffix("]]"),
                                  language, word, origin)
            return entry and Pronunciation(language, word, entry.phonemes, sub, origin=origin)
        return Pronunciation(language, word, sub=sub, spell=bool(say_as), origin=origin)

    def phonemes(self, node, phonemes: str, language: str, word: str,
                 origin: Origin) -> Pronunciation | None:
        bad = sorted(set(phonemes) & set("[]<>&"))
        if not phonemes.strip() or bad:
            self.error(node, f"phonemes of '{word}' must be espeak-ng phoneme mnemonics "
                       f"like [[p,EgInt3f'I@r0n]]" + (f", without {' '.join(bad)}" if bad else ""))
            return None
        return Pronunciation(language, word, phonemes=phonemes, origin=origin)

    def audio(self, node) -> AudioSettings:
        fields = self.mapping(node, AUDIO_KEYS, "audio") if node is not None else None
        if not fields:
            return AudioSettings()
        from .tts import ENGINES

        engine = self.scalar(fields.get("engine"), "audio engine") if "engine" in fields else None
        if engine is not None and engine not in ENGINES:
            self.error(fields["engine"], f"unknown audio engine '{engine}'"
                       f"{_did_you_mean(engine, ENGINES)}; choose from {', '.join(ENGINES)}")
        rate = None
        if "rate" in fields:
            value = self.scalar(fields["rate"], "audio rate")
            if value is not None and (not value.isdigit() or int(value) not in RATES):
                self.error(fields["rate"], f"audio rate '{value}' must be words a minute, "
                           f"from {RATES.start} to {RATES.stop - 1} (150 is calm)")
            elif value is not None:
                rate = int(value)
        voices = []
        if "voices" in fields and self.mapping(fields["voices"], _AnyKey(), "audio voices"):
            for language_node, voice_node in fields["voices"].value:
                language = self.language(language_node, "audio voices")
                voice = self.scalar(voice_node, "voice")
                if language and voice:
                    voices.append((language, voice))
        return AudioSettings(engine, rate, tuple(voices))

    def check_pronunciations(self, leaflet: Leaflet) -> None:
        """An entry in the leaflet's own language must name a word that occurs in it."""
        words = {word for text in texts_of(leaflet) if text
                 for word in re.findall(r"\w[\w'’-]*", text.plain)}
        lowered = {word.lower() for word in words}
        for entry in leaflet.pronunciations_for(leaflet.language):
            found = entry.word in words or (entry.word.islower() and entry.word in lowered) or (
                " " in entry.word and any(entry.word.lower() in text.plain.lower()
                                          for text in texts_of(leaflet) if text))
            if not found:
                self.error(entry.origin, f"pronunciation of '{entry.word}': the word does not occur "
                           f"in the leaflet{_did_you_mean(entry.word, words)}; fix the spelling "
                           "or remove the entry")


class _AnyKey(dict):
    """Keys of the glossary are ids chosen by the author."""

    def __contains__(self, key) -> bool:
        return True


def _reserved(section_id: str) -> bool:
    return (section_id in RESERVED_IDS or section_id.endswith("-title")
            or section_id.startswith("term-"))


def _read_at_most(path: Path) -> bytes:
    """The file's bytes, reading no more than one byte past the limit (a huge file is refused)."""
    with open(path, "rb") as file:
        return file.read(limits.SOURCE_BYTES + 1)


def _peek(node, key: str) -> str | None:
    """The plain value of `key` in a mapping node, for naming it in messages."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if key_node.value == key and isinstance(value, yaml.ScalarNode):
                return value.value
    return None


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def texts_of(leaflet: Leaflet):
    """Every Text of a leaflet, in document order."""
    return (text for text, _ in texts(leaflet))


class PictureEntry(NamedTuple):
    """A name of the picture index: its OpenMoji code, the words it stands for, where it is."""

    code: str
    words: tuple[str, ...]
    origin: Origin  # of the code, for a message about it


PICTURE_KEYS = {"code": REQUIRED, "words": OPTIONAL}
PICTURE_WORDS = 30  # words of one picture: the words patients and nurses use, not a thesaurus
WORD_CHARACTERS = 40


def picture_index(path: Path) -> dict[str, PictureEntry]:
    """The picture library's index: plain name -> its entry, written `name: CODE` or
    `name: {code: CODE, words: [word, ...]}`."""
    reader = _Reader(str(path))
    root = reader.parse()
    index: dict[str, PictureEntry] = {}
    if reader.expect(root, yaml.MappingNode, "the picture index"):
        for key_node, value in root.value:
            name = reader.scalar(key_node, "picture name")
            if name is None:
                continue
            if name in index:
                reader.error(key_node, f"duplicate picture name '{name}'; keep only one")
                continue
            entry = _picture_entry(reader, name, value)
            if entry:
                index[name] = entry
    if reader.errors:
        raise LeafletErrors(reader.errors)
    return index


def _picture_entry(reader: _Reader, name: str, node: yaml.Node) -> PictureEntry | None:
    what = f"picture '{name}'"
    words: tuple[str, ...] = ()
    code_node = node
    if isinstance(node, yaml.MappingNode):
        fields = reader.mapping(node, PICTURE_KEYS, what)
        code_node = fields.get("code")
        if "words" in fields:
            words = _picture_words(reader, name, fields["words"])
    elif isinstance(node, yaml.SequenceNode):
        reader.error(node, f"{what} must be an OpenMoji code, like 1F489, or a mapping such as "
                     "{code: 1F489, words: [needle, jab]}, not a list")
        return None
    code = reader.scalar(code_node, f"OpenMoji code of {what}")
    return PictureEntry(code.upper(), words, reader.origin(code_node)) if code else None


def _picture_words(reader: _Reader, name: str, node: yaml.Node) -> tuple[str, ...]:
    what = f"words of picture '{name}'"
    if isinstance(node, yaml.SequenceNode) and len(node.value) > PICTURE_WORDS:
        reader.error(node.value[PICTURE_WORDS], f"{what}: {len(node.value)} words, more than "
                     f"the {PICTURE_WORDS} a picture may have; keep the words people use most")
        return ()
    words = []
    for item in reader.sequence(node, what):
        word = reader.scalar(item, f"word of picture '{name}'")
        if word is None:
            continue
        if len(word) > WORD_CHARACTERS:
            reader.error(item, f"word of picture '{name}' is longer than {WORD_CHARACTERS} "
                         "characters; write one word")
        elif not _SLUG.match(word):
            reader.error(item, f"word '{word}' of picture '{name}' must be lower-case letters, "
                         "digits and hyphens, like 'blood-test'")
        else:
            words.append(word)
    return tuple(dict.fromkeys(words))


def organisation_name(organisation) -> Text | None:
    """The organisation's name from leaflet.toml as a text of the leaflet (it is translated
    with the leaflet's other texts)."""
    if not organisation.name:
        return None
    origin = organisation.origins.get("name") or Origin("leaflet.toml", 1)
    return Text(organisation.name, markup.parse(organisation.name), origin)


def years_after(day: date, years: int) -> date:
    """The same day `years` later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
