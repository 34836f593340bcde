"""The leaflet part of a source: its sections, easy-read points, glossary and publisher."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from .. import limits, markup
from ..addresses import EMAIL as _EMAIL
from ..addresses import PHONE as _PHONE
from ..errors import LeafletErrors, Origin
from ..model import (
    CALLOUT_KINDS,
    ItemList,
    Callout,
    EasyReadPoint,
    GlossaryEntry,
    Leaflet,
    Link,
    Paragraph,
    Publisher,
    ListItem,
    Section,
    Table,
    Text,
    texts,
)
from .audio import AudioReader
from .reader import OPTIONAL, REQUIRED, AnyKey, did_you_mean, peek

LEAFLET_KEYS = {
    "id": REQUIRED,
    "language": REQUIRED,
    "title": REQUIRED,
    "summary": OPTIONAL,
    "code": OPTIONAL,  # the organisation's leaflet code, on the cover
    "version": OPTIONAL,
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
PUBLISHER_KEYS = {"name": OPTIONAL, "contact": OPTIONAL, "phone": OPTIONAL, "hours": OPTIONAL,
                  "address": OPTIONAL, "website": OPTIONAL, "feedback": OPTIONAL}
GLOSSARY_KEYS = {"term": REQUIRED, "definition": REQUIRED, "easy_read": OPTIONAL}
POINT_KEYS = {"picture": REQUIRED, "text": REQUIRED, "alt": REQUIRED, "callout": OPTIONAL}
LINK_KEYS = {"text": REQUIRED, "url": REQUIRED}
# A body block other than a paragraph: a mapping of one of these keys.
BLOCK_KEYS = ("bullets", "steps", "table", *CALLOUT_KINDS)
ITEM_KEYS = {"text": REQUIRED, "bullets": REQUIRED}  # a list item with its sub-points
TABLE_KEYS = {"caption": OPTIONAL, "header": REQUIRED, "rows": REQUIRED}
CALLOUT_KEYS = {"title": OPTIONAL, "body": REQUIRED}
TABLE_COLUMNS = 6  # wider tables do not fit a page of large print, nor a braille line
_CODE = __import__("re").compile(r"^[A-Za-z0-9][A-Za-z0-9./-]{0,29}$")
# Ids the outputs give their own parts (HTML ids, narration chapters): a section may not take
# one, nor end in "-title" (its heading's id) or start with "term-" (glossary entries' ids) or
# "box-" (the boxes' headings).
RESERVED_IDS = ("about", "contact", "feedback", "glossary", "hard-words", "introduction",
                "listen", "main", "references", "who-can-help", "words-to-know")
RESERVED_PREFIXES = ("term-", "box-")


class LeafletReader(AudioReader):
    """Reads a leaflet source into the model: a Leaflet, or LeafletErrors naming every mistake."""

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
        code, version = (self.code(fields.get(key), key) for key in ("code", "version"))
        next_review = self.next_review(fields, reviewed)
        leaflet = Leaflet(
            id=leaflet_id or "",
            language=language or "",
            title=title,
            summary=summary,
            keywords=tuple(self.texts(fields.get("keywords"), "keyword")),
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
            code=code or "",
            version=version or "",
            reviewed_origin=self.origin(fields["reviewed"]) if "reviewed" in fields else None,
            next_review_origin=self.origin(fields.get("next_review") or fields["reviewed"])
            if "reviewed" in fields else None,
        )
        self.check_terms(leaflet)
        self.check_pronunciations(leaflet, [text.plain for text in texts_of(leaflet) if text])
        self.check_length(leaflet)
        if self.errors:
            raise LeafletErrors(self.errors)
        return leaflet

    def next_review(self, fields: dict, reviewed: date | None) -> date | None:
        """The next review date: at most the project's review interval after the last review,
        and that interval's end when the source gives none."""
        from ..project import current

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
        from ..project import current

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
        hours = (self.text(fields["hours"], "publisher hours") if "hours" in fields
                 else organisation_text(organisation, "hours"))
        feedback = self.scalar(fields.get("feedback"), "publisher feedback")
        if feedback is not None:
            from ..addresses import feedback_problem

            problem = feedback_problem(feedback, "publisher feedback")
            if problem:
                self.error(fields["feedback"], problem)
        return Publisher(name, contact, phone=phone or organisation.phone,
                         address=self.scalar(fields.get("address"), "publisher address")
                         or organisation.address,
                         website=website or organisation.website,
                         logo=organisation.logo, logo_alt=organisation.logo_alt, hours=hours,
                         feedback=feedback or organisation.feedback or contact)

    def code(self, node, what: str) -> str | None:
        """A leaflet code or version: letters, digits, dots, hyphens and slashes."""
        value = self.scalar(node, what)
        if value is not None and not _CODE.match(value):
            self.error(node, f"{what} '{value[:30]}' must be at most 30 letters, digits, dots, "
                       "hyphens and slashes, starting with a letter or digit, like RH-0042 or 2.1")
            return None
        return value

    def sections(self, node) -> tuple[Section, ...]:
        sections: list[Section] = []
        seen: dict[str, Origin] = {}
        items = self.sequence(node, "sections", limits.SECTIONS)
        if node is not None and isinstance(node, yaml.SequenceNode) and not items:
            self.error(node, "a leaflet needs at least one section")
        for index, item in enumerate(items):
            name = peek(item, "id")
            fields = self.mapping(item, SECTION_KEYS, f"section '{name}'" if name else f"section {index + 1}")
            if fields is None:
                continue
            section_id = self.slug(fields.get("id"), "section id")
            if section_id and _reserved(section_id):
                self.error(fields["id"], f"section id '{section_id}' is one the outputs use for "
                           f"their own parts ({', '.join(RESERVED_IDS)}, and ids ending in "
                           "'-title' or starting with 'term-' or 'box-'); choose another, like "
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
            callout = self.callout_kind(fields.get("callout"), what)
            if picture and text and alt:
                points.append(EasyReadPoint(picture, text, alt, self.origin(item), callout))
        return tuple(points)

    def picture(self, node, what: str) -> str | None:
        name = self.scalar(node, f"picture of {what}")
        if name is None:
            return None
        from ..pictures import NAME_CHARACTERS, is_picture_name, library

        if not is_picture_name(name):
            self.error(node, f"picture name '{name[:NAME_CHARACTERS]}"
                       f"{'…' if len(name) > NAME_CHARACTERS else ''}' must be lower-case "
                       f"letters, digits and hyphens, at most {NAME_CHARACTERS} characters, like "
                       "blood-test")
            return None
        pictures = library()
        if name not in pictures:
            near = pictures.near(name)
            hint = f"near names: {', '.join(near)}" if near else "no near names"
            self.error(node, f"unknown picture '{name}' ({hint}); use a name of the picture "
                       f"library (see the README) or add a picture file: pictures/{name}.svg")
            return None
        return name

    def callout_kind(self, node, what: str) -> str | None:
        kind = self.scalar(node, f"callout of {what}")
        if kind is not None and kind not in CALLOUT_KINDS:
            self.error(node, f"callout '{kind[:30]}' of {what} must be one of "
                       f"{', '.join(CALLOUT_KINDS)}")
            return None
        return kind

    def blocks(self, node, section_id, inside: str | None = None) -> tuple:
        """The body of a section (or of a callout `inside` it): paragraphs, lists, tables and
        callouts."""
        where = f"{inside} in section '{section_id}'" if inside else f"section '{section_id}'"
        blocks = []
        items = self.sequence(node, f"body of {where}")
        if isinstance(node, yaml.SequenceNode) and not items:
            self.error(node, f"empty body in {where}; add a paragraph")
        for item in items:
            if isinstance(item, yaml.MappingNode):
                block = self.block(item, section_id, where, inside)
                if block:
                    blocks.append(block)
            elif isinstance(item, yaml.SequenceNode):
                self.error(item, f"a list with no name in the body of {where}; write "
                           "'- bullets:' (or '- steps:' for numbered steps) and its items below")
            else:
                text = self.text(item, f"paragraph in {where}")
                if text:
                    blocks.append(Paragraph(text))
        return tuple(blocks)

    def block(self, item: yaml.MappingNode, section_id, where: str, inside: str | None):
        """One block written as a mapping: `bullets`, `steps`, `table`, `urgent` or `important`."""
        keys = [key.value for key, _ in item.value if isinstance(key, yaml.ScalarNode)]
        allowed = BLOCK_KEYS[:2] if inside else BLOCK_KEYS
        if len(keys) != 1 or len(item.value) != 1 or keys[0] not in allowed:
            written = ", ".join(repr(key) for key in keys) or "no key"
            unknown = next((key for key in keys if key not in BLOCK_KEYS), None)
            hint = did_you_mean(unknown, list(allowed)) if unknown else ""
            rule = " (a box holds paragraphs and lists only)" if inside else ""
            self.error(item, f"a block in the body of {where} has {written}{hint}; write a "
                       f"paragraph, or a block of one key: {', '.join(allowed)}{rule}")
            return None
        kind, value = keys[0], item.value[0][1]
        if kind in ("bullets", "steps"):
            return self.item_list(value, kind == "steps", self.origin(item))
        if kind == "table":
            return self.table(value, where, self.origin(item))
        return self.callout(kind, value, section_id, self.origin(item))

    def item_list(self, node, ordered: bool, origin: Origin) -> ItemList | None:
        what = "numbered step" if ordered else "list item"
        items = []
        nodes = self.sequence(node, f"the {what}s")
        if not nodes and isinstance(node, yaml.SequenceNode):
            self.error(node, "empty list; add items or remove it")
        for item in nodes:
            if isinstance(item, yaml.MappingNode):
                fields = self.mapping(item, ITEM_KEYS, f"a {what} with sub-points")
                if fields:
                    text = self.text(fields.get("text"), what)
                    subs = self.sub_points(fields.get("bullets"))
                    if text:
                        items.append(ListItem(text, tuple(subs)))
            elif isinstance(item, yaml.SequenceNode):
                self.error(item, f"a list inside a {what} needs the item's own words first: "
                           "write '- text: <the item>' with 'bullets:' and the sub-points below it")
            else:
                text = self.text(item, what)
                if text:
                    items.append(ListItem(text))
        return ItemList(tuple(items), origin, ordered) if items else None

    def sub_points(self, node) -> list[Text]:
        for item in self.sequence(node, "the sub-points"):
            if not isinstance(item, yaml.ScalarNode):
                self.error(item, "a sub-point is text: lists nest one level only; make it a "
                           "sentence, or start a new list after a paragraph")
                return []
        subs = self.texts(node, "sub-point")
        if isinstance(node, yaml.SequenceNode) and not node.value:
            self.error(node, "empty sub-points; add them or remove 'bullets:'")
        return subs

    def table(self, node, where: str, origin: Origin) -> Table | None:
        fields = self.mapping(node, TABLE_KEYS, f"the table in {where}")
        if not fields:
            return None
        caption = self.text(fields["caption"], "table caption") if "caption" in fields else None
        header = self.texts(fields.get("header"), "table heading")
        written = fields.get("header")
        # The columns as written: a heading refused for its text still counts as a column.
        columns = len(written.value) if isinstance(written, yaml.SequenceNode) else len(header)
        if columns > TABLE_COLUMNS:
            self.error(fields["header"], f"the table has {columns} columns, more than the "
                       f"{TABLE_COLUMNS} that fit large print and braille; split it")
            return None
        rows = []
        for row in self.sequence(fields.get("rows"), "the table", limits.ITEMS):
            cells = self.texts(row, "table cell") if isinstance(row, yaml.SequenceNode) else None
            if cells is None:
                self.error(row, "a table row is a list of cells, like [Week 1, 180 micrograms]")
            elif columns and len(row.value) != columns:
                count = len(row.value)
                self.error(row, f"this row has {count} cell{'s' if count != 1 else ''} and the "
                           f"header has {columns}; give every row one cell for each column")
            elif len(cells) == len(row.value):
                rows.append(tuple(cells))
        if "rows" in fields and isinstance(fields["rows"], yaml.SequenceNode) \
                and not fields["rows"].value:
            self.error(fields["rows"], "the table has no rows; add them or remove the table")
        if len(header) != columns or not rows:
            return None
        return Table(caption, tuple(header), tuple(rows), origin)

    def callout(self, kind: str, node, section_id, origin: Origin) -> Callout | None:
        fields = self.mapping(node, CALLOUT_KEYS, f"the {kind} box in section '{section_id}'")
        if not fields:
            return None
        title = self.text(fields["title"], f"title of the {kind} box") if "title" in fields \
            else None
        blocks = self.blocks(fields.get("body"), section_id, inside=f"the {kind} box")
        return Callout(kind, title, blocks, origin) if blocks else None

    def glossary(self, node) -> tuple[GlossaryEntry, ...]:
        entries = self.mapping(node, AnyKey(), "glossary") if node is not None else None
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
                               f"{did_you_mean(term_id, defined)}; add it under glossary:")

    def check_length(self, leaflet: Leaflet) -> None:
        total = sum(len(text.plain) for text in texts_of(leaflet) if text)
        if total > limits.LEAFLET_CHARACTERS:
            self.error(leaflet.origin, f"the leaflet has {total:,} characters of text, more than "
                       f"the {limits.LEAFLET_CHARACTERS:,} one leaflet may have (about three "
                       "hours of narration); split it into several leaflets")


def _reserved(section_id: str) -> bool:
    return (section_id in RESERVED_IDS or section_id.endswith("-title")
            or section_id.startswith(RESERVED_PREFIXES))


def texts_of(leaflet: Leaflet):
    """Every Text of a leaflet, in document order."""
    return (text for text, _ in texts(leaflet))


def organisation_text(organisation, key: str) -> Text | None:
    """A text of the organisation in leaflet.toml (its phone hours) as a text of the leaflet."""
    value = getattr(organisation, key)
    if not value:
        return None
    origin = organisation.origins.get(key) or Origin("leaflet.toml", 1)
    return Text(value, markup.parse(value), origin)


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
