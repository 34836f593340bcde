"""The braille edition: contracted braille laid out for an embosser (BRF), and in Unicode braille."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields

from ..edition import (Bullets, Contact, Definitions, Links, Masthead, Notice, References,
                       ReviewDates, Section)
from ..errors import RenderError
from ..model import Span, Text

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
    pages = paginate(list(_blocks(edition, _Writer(table))), setup,
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

    def __init__(self, table: str):
        from ..braille import louis
        from ..braille.layout import Block

        self.table = table
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

    def item(self, *pieces, blank_before=False):
        return self.block(*pieces, first=0, runover=2, blank_before=blank_before)

    def lines(self, *pieces: Text | Span | str) -> tuple:
        """The hard lines of the pieces written one after another, each in braille."""
        from ..braille import louis
        from ..braille.brf import six_dot

        lines, text, forms = [], "", []
        origin = next((piece.origin for piece in pieces if isinstance(piece, Text)), None)
        for piece in pieces:
            runs = piece.runs if isinstance(piece, Text) else (
                piece if isinstance(piece, Span) else Span(piece),)
            for run in runs:
                if run.line_break:
                    lines.append((text, forms))
                    text, forms = "", []
                else:
                    text += run.text
                    forms += [self.bold if run.strong else 0] * len(run.text)
        lines.append((text, forms))
        try:
            return tuple(six_dot(louis.translate(self.table, *_stripped(line, forms)))
                         for line, forms in lines if line.strip())
        except RenderError as error:
            raise RenderError(error.message, origin) from None


def _stripped(text: str, forms: list[int]) -> tuple[str, list[int] | None]:
    """`text` without surrounding spaces, and its typeforms (None when all plain)."""
    start = len(text) - len(text.lstrip())
    stripped = text.strip()
    forms = forms[start:start + len(stripped)]
    return stripped, forms if any(forms) else None


def _blocks(edition, write: _Writer) -> Iterator:
    """The edition's blocks in reading order as braille layout blocks."""
    previous = None
    for block in edition.blocks:
        yield from RULES[type(block)](block, write, previous)
        previous = block


def _masthead(block: Masthead, write: _Writer, previous) -> Iterator:
    yield write.heading(block.publisher, blank_before=False)
    yield write.heading(block.title, blank_before=False)
    if block.subtitle:
        yield write.heading(block.subtitle, blank_before=False)


def _notice(block: Notice, write: _Writer, previous) -> Iterator:
    # A blank line after the title, none between notices.
    yield write.paragraph(Span(block.label + " ", strong=True), block.text,
                          blank_before=not isinstance(previous, Notice))


def _section(block: Section, write: _Writer, previous) -> Iterator:
    if block.heading:
        yield write.heading(block.heading)
    blank = block.heading is None  # a blank line after the title, before and after each list
    for part in block.blocks:
        if isinstance(part, Bullets):
            for index, entry in enumerate(part.items):
                yield write.item(entry, blank_before=index == 0)
            blank = True
        else:
            yield write.paragraph(*_with_address(part.text), blank_before=blank)
            blank = False


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


def _contact(block: Contact, write: _Writer, previous) -> Iterator:
    yield write.paragraph(f"{block.published_by} {block.name.plain}. {block.contact_label} "
                          f"{block.email}", blank_before=True)


# Each block type's braille: rule(block, writer, the block before it) yields layout blocks.
RULES = {Masthead: _masthead, Notice: _notice, Section: _section, Definitions: _definitions,
         References: _references, ReviewDates: _review_dates, Links: _links, Contact: _contact}


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
