"""The braille edition: contracted braille laid out for an embosser (BRF), and in Unicode braille."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields

from ..edition import (Alternatives, Callout, Contact, Credit, Definitions, Feedback, HelpLine,
                       ItemList, Links, Masthead, Notice, Paragraph, Point, References,
                       ReviewDates, Section, Table)
from ..errors import RenderError
from ..model import Span, Text

# Box lines, as BANA's Braille Formats (2016, section 7, Boxed Material) draws a box: a full
# line of dots 2-3-5-6 (Braille ASCII "7") above it, and of dots 1-2-4-5 ("g") below it.
TOP_BOX_LINE, BOTTOM_BOX_LINE = "\u2836", "\u281b"

LIMITS = {"cells": (12, 100), "lines": (4, 100), "grade": (1, 2)}


@dataclass(frozen=True)
class BrailleSettings:
    """The page size in cells and lines, the grade, and where page numbers go."""

    cells: int = 40
    lines: int = 25
    grade: int = 2
    page_numbers: str = "top"  # or "bottom"


def braille_settings(raw: dict | None) -> BrailleSettings:
    """The `braille` settings ({"cells": 32}) over the defaults; RenderError if one is wrong."""
    if isinstance(raw, BrailleSettings):
        return raw
    given = dict(raw or {})
    names = [field.name for field in fields(BrailleSettings)]
    unknown = sorted(set(given) - set(names))
    if unknown:
        raise RenderError(f"unknown braille setting '{unknown[0]}'; use {', '.join(names)}")
    settings = BrailleSettings(**given)
    for name, (low, high) in LIMITS.items():
        value = getattr(settings, name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise RenderError(f"braille setting {name} must be a whole number from {low} to "
                              f"{high}, not {value!r}")
    if settings.page_numbers not in ("top", "bottom"):
        raise RenderError(f"braille setting page_numbers must be 'top' or 'bottom', "
                          f"not {settings.page_numbers!r}")
    return settings


def render(edition, options=None) -> dict[str, bytes]:
    """`<id>.brf` (Braille ASCII, CR LF lines, a form feed after each page) and
    `<id>-braille.txt` (the same pages in Unicode braille, for checking on screen)."""
    from ..braille import louis
    from ..braille.brf import encode
    from ..braille.layout import PageSetup, paginate
    from ..braille.tables import code_for

    settings = braille_settings((getattr(options, "settings", None) or {}).get("braille"))
    code = code_for(edition.language)
    _, table = code.table(settings.grade)
    setup = PageSetup(settings.cells, settings.lines, settings.page_numbers)
    writer = _Writer(table, edition.language, settings.grade, code.spelt)
    pages = paginate(list(_blocks(edition, writer)), setup,
                     number=lambda n: louis.translate(table, str(n)).cells,
                     hyphen=louis.translate(table, "-").cells, continuation=code.continuation)
    unicode_pages = ("".join(line.replace(louis.BLANK, " ") + "\n" for line in page) + "\f"
                     for page in pages)
    ascii_pages = ("".join(encode(line) + "\r\n" for line in page) + "\f" for page in pages)
    return {".brf": "".join(ascii_pages).encode("ascii"),
            "-braille.txt": "".join(unicode_pages).encode("utf-8")}


class _Writer:
    """Texts to braille layout blocks with one table; strong text in the table's bold emphasis.

    The usual formatting conventions: centred headings with a blank line before, paragraphs in
    cell 3 with runovers in cell 1, list items in cell 1 with runovers in cell 3.
    """

    def __init__(self, table: str, language: str, grade: int = 2, spelt=lambda text: text):
        from ..braille import louis
        from ..braille.layout import Block

        self.table = table
        self.language = language
        self.grade = grade
        self.spelt = spelt  # text as the table reads it
        classes = louis.emphasis_classes(table)
        self.bold = 1 << classes.index("bold") if "bold" in classes else 0
        self._block = Block

    def block(self, *pieces: Text | Span | str, **layout):
        """A layout block of the pieces' lines: `layout` is its indents, centring and spacing."""
        return self._block(self.lines(*pieces), **layout)

    def heading(self, text, blank_before=True):
        return self.block(text, centred=True, blank_before=blank_before, keep_with_next=True)

    def paragraph(self, *pieces, blank_before=False):
        return self.block(*pieces, first=2, runover=0, blank_before=blank_before)

    def item(self, *pieces, blank_before=False, level=0):
        """A list item in cell 1, runovers in cell 3; each level of sub-points two cells in."""
        return self.block(*pieces, first=2 * level, runover=2 * level + 2,
                          blank_before=blank_before)

    def box_line(self, cell: str, blank_before=False):
        return self._block((), rule=cell, blank_before=blank_before,
                           keep_with_next=cell == TOP_BOX_LINE,
                           keep_with_previous=cell == BOTTOM_BOX_LINE)

    def lines(self, *pieces: Text | Span | str) -> tuple:
        """The hard lines of the pieces written one after another, each in braille; a run in
        another language (an English drug name in Arabic) in that language's braille code."""
        from ..braille.brf import six_dot

        lines, line = [], []  # each line: [table, text, typeforms] pieces
        origin = next((piece.origin for piece in pieces if isinstance(piece, Text)), None)
        for piece in pieces:
            runs = piece.runs if isinstance(piece, Text) else (
                piece if isinstance(piece, Span) else Span(piece),)
            for run in runs:
                if run.line_break:
                    lines.append(line)
                    line = []
                    continue
                table = self._table_for(run.language)
                spelt = self.spelt(run.text) if table == self.table else run.text
                if not line or line[-1][0] != table:
                    line.append([table, "", []])
                line[-1][1] += spelt
                line[-1][2] += [self.bold if run.strong else 0] * len(spelt)
        lines.append(line)
        try:
            return tuple(six_dot(_joined(line)) for line in lines
                         if "".join(text for _, text, _ in line).strip())
        except RenderError as error:
            raise RenderError(error.message, origin) from None

    def _table_for(self, language: str | None) -> str:
        from ..braille.tables import CODES
        from ..languages import primary

        if not language or primary(language) == primary(self.language):
            return self.table
        code = CODES.get(primary(language))  # uncontracted: its reader may not know the
        return code.table(1)[1] if code else self.table  # other code's contractions


def _joined(line: list) -> "Braille":
    """The pieces of a line, each translated by its own table, as one line of braille (the
    source index of each cell counted from the start of the line)."""
    from ..braille import louis

    whole = "".join(text for _, text, _ in line)
    start = len(whole) - len(whole.lstrip())
    end = len(whole.rstrip())
    cells, sources, position = "", [], 0
    for table, text, forms in line:
        left, right = max(start - position, 0), min(end - position, len(text))
        if left < right:
            piece = text[left:right]
            kept = forms[left:right]
            braille = louis.translate(table, piece, kept if any(kept) else None)
            cells += braille.cells
            sources += [position + left + index for index in braille.sources]
        position += len(text)
    return louis.Braille(whole, cells, tuple(sources))


def _blocks(edition, write: _Writer) -> Iterator:
    """The edition's blocks in reading order as braille layout blocks."""
    previous = None
    for block in edition.blocks:
        yield from RULES[type(block)](block, write, previous)
        previous = block


def _masthead(block: Masthead, write: _Writer, previous) -> Iterator:
    """The cover: the organisation (its logo is not shown: its text is the name), the title,
    the summary, the facts and the easy read's helper note."""
    yield write.heading(block.publisher, blank_before=False)
    yield write.heading(block.title, blank_before=False)
    if block.subtitle:
        yield write.heading(block.subtitle, blank_before=False)
    if block.summary:
        yield write.paragraph(block.summary, blank_before=True)
    for index, fact in enumerate(block.facts):
        yield write.item(fact, blank_before=index == 0)
    if block.helper_note:
        yield write.paragraph(block.helper_note, blank_before=True)


def _notice(block: Notice, write: _Writer, previous) -> Iterator:
    # A blank line after the title, none between notices.
    yield write.paragraph(Span(block.label + " ", strong=True), block.text,
                          blank_before=not isinstance(previous, Notice))


def _help_line(block: HelpLine, write: _Writer, previous) -> Iterator:
    yield write.paragraph(block.text, blank_before=True)
    yield from _contact_lines(block.lines, write)


def _section(block: Section, write: _Writer, previous) -> Iterator:
    if block.heading:
        yield write.heading(block.heading)
    yield from _parts(block.blocks, write, after_title=block.heading is None)


def _parts(parts, write: _Writer, after_title: bool = False, boxed: bool = False) -> Iterator:
    """A section's or a box's parts: a blank line after the title, and before and after each
    list, table and box, but none just inside a box's lines."""
    previous = None
    for part in parts:
        if previous is None:
            blank = not boxed and (after_title or _set_off(part))
        else:
            blank = _set_off(part) or _set_off(previous)
        yield from PARTS[type(part)](part, write, blank)
        previous = part


def _set_off(part) -> bool:
    return isinstance(part, (ItemList, Table, Callout))


def _paragraph(part: Paragraph, write: _Writer, blank: bool) -> Iterator:
    yield write.paragraph(*_with_address(part.text), blank_before=blank)


def _item_list(part: ItemList, write: _Writer, blank: bool) -> Iterator:
    """Items in cell 1 (steps with their numbers), their sub-points in cell 3."""
    for number, item in enumerate(part.items, 1):
        mark = (f"{number}. ",) if part.ordered else ()
        yield write.item(*mark, item.text, blank_before=blank and number == 1)
        for point in item.items:
            yield write.item(point, level=1)


def _table(part: Table, write: _Writer, blank: bool) -> Iterator:
    """A table in linear form, after BANA's linear table format (Braille Formats 2011, 11.17):
    its caption, then each row as one entry in cell 1 (runovers in cell 3), its cells apart
    by semicolons. Each cell follows its column's heading and a colon, instead of a key of
    the headings before the rows, so that a row reads without looking back."""
    if part.caption:
        yield write.block(part.caption, blank_before=blank, keep_with_next=True)
        blank = False
    for index, row in enumerate(part.rows):
        pieces: list = []
        for heading, cell in zip(part.header, row):
            if not cell.plain.strip():
                continue
            if pieces:
                pieces.append("; ")
            if heading.plain.strip():
                pieces += [heading, ": "]
            pieces.append(cell)
        yield write.item(*pieces, blank_before=blank and index == 0)


def _callout(part: Callout, write: _Writer, blank: bool) -> Iterator:
    """A box: its label (and title) first, between box lines, with no blank line inside
    them (Braille Formats 2016, 7.2)."""
    yield write.box_line(TOP_BOX_LINE, blank_before=blank)
    title = (" ", part.title) if part.title else ()
    yield write.block(part.label, *title, keep_with_next=True)
    yield from _parts(part.blocks, write, boxed=True)
    yield write.box_line(BOTTOM_BOX_LINE)


def _point(part: Point, write: _Writer, blank: bool) -> Iterator:
    """An easy-read point as a paragraph, each hard word it first uses explained below it,
    in cell 5."""
    yield write.paragraph(*_with_address(part.text), blank_before=blank)
    for entry in part.explains:
        yield write.block(entry.term, ": ", entry.text, first=4, runover=4)


# Each part of a section or box: rule(part, writer, whether a blank line goes before it).
PARTS = {Paragraph: _paragraph, ItemList: _item_list, Table: _table, Callout: _callout,
         Point: _point}


def _definitions(block: Definitions, write: _Writer, previous) -> Iterator:
    yield write.heading(block.title)
    for entry in block.entries:
        yield write.block(entry.term, keep_with_next=True)
        yield write.block(entry.text, first=2, runover=2)


def _references(block: References, write: _Writer, previous) -> Iterator:
    if block.title:
        yield write.heading(block.title)
    for reference in block.items:
        yield write.item(reference)
    if block.note:
        yield write.paragraph(block.note, blank_before=True)


def _review_dates(block: ReviewDates, write: _Writer, previous) -> Iterator:
    last_reviewed, next_review_due = block.lines
    yield write.item(last_reviewed, blank_before=True)
    yield write.item(next_review_due)


def _links(block: Links, write: _Writer, previous) -> Iterator:
    for index, link in enumerate(block.items):
        yield write.item(link.text, *_address(link.url), blank_before=index == 0)


def _alternatives(block: Alternatives, write: _Writer, previous) -> Iterator:
    """The other formats and languages, a list of each, and the web version's address as
    print shows it. Languages are named in the leaflet's: a code such as UEB has no braille
    for another script's name."""
    from ..languages import name_in, primary

    own = primary(write.language)
    names = [*block.formats, *(name_in(tag, write.language) for tag, _name in block.languages
                               if primary(tag) != own)]
    yield write.paragraph(block.label, blank_before=True)
    for index, name in enumerate(names):
        yield write.item(name, blank_before=index == 0)
    if block.address_label and block.short_address:
        yield write.paragraph(block.address_label, *_address(block.short_address),
                              blank_before=True)


def _feedback(block: Feedback, write: _Writer, previous) -> Iterator:
    yield write.heading(block.title)
    yield write.paragraph(block.text, *_address(block.address))


def _contact(block: Contact, write: _Writer, previous) -> Iterator:
    """Every way to reach the organisation, the phone first, and who publishes the leaflet."""
    yield write.heading(block.title)
    yield from _contact_lines(block.lines, write)
    yield write.paragraph(block.published_by, blank_before=True)


def _contact_lines(lines, write: _Writer) -> Iterator:
    for line in lines:
        yield write.item(f"{line.label} {line.value.removeprefix('https://')}")


def _credit(block: Credit, write: _Writer, previous) -> Iterator:
    yield write.paragraph(block.text, *_address(block.url), blank_before=True)


# Each block type's braille: rule(block, writer, the block before it) yields layout blocks.
RULES = {Masthead: _masthead, Notice: _notice, HelpLine: _help_line, Section: _section,
         Definitions: _definitions, References: _references, ReviewDates: _review_dates,
         Links: _links, Alternatives: _alternatives, Feedback: _feedback, Contact: _contact,
         Credit: _credit}


def _with_address(text: Text) -> tuple[Text | Span, ...]:
    """A paragraph that is only a web link points the reader elsewhere: there the address is the
    content, so it follows the words on a line of its own, without the https:// that browsers
    add. Links in running text keep their words only."""
    targets = {run.href for run in text.runs}
    if len(targets) == 1 and None not in targets and next(iter(targets)).startswith("http"):
        return text, *_address(next(iter(targets)))
    return (text,)


def _address(url: str) -> tuple[Span, Span]:
    """A web address on a line of its own."""
    return Span("", line_break=True), Span(url.removeprefix("https://"))
