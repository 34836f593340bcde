"""The braille edition: contracted braille laid out for an embosser (BRF), and in Unicode braille."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import RenderError
from ..i18n.labels import review_dates, translations
from ..model import BulletList, Leaflet, Span, Text

DEFAULTS = {"cells": 40, "lines": 25, "grade": 2, "page_numbers": "top"}
LIMITS = {"cells": (12, 100), "lines": (4, 100), "grade": (1, 2)}


def render(edition, options=None) -> dict[str, bytes]:
    """`<id>.brf` (Braille ASCII, CR LF lines, a form feed after each page) and
    `<id>-braille.txt` (the same pages in Unicode braille, for checking on screen)."""
    leaflet = edition.leaflet
    from ..braille import louis
    from ..braille.brf import encode
    from ..braille.layout import PageSetup, paginate
    from ..braille.tables import code_for

    code = code_for(leaflet.language)
    settings = _settings(options)
    _, table = code.table(settings["grade"])
    writer = _Writer(table)
    setup = PageSetup(settings["cells"], settings["lines"], settings["page_numbers"])
    pages = paginate(list(_blocks(leaflet, writer)), setup,
                     number=lambda n: louis.translate(table, str(n)).cells,
                     hyphen=louis.translate(table, "-").cells, continuation=code.continuation)
    unicode_pages = ("".join(line.replace(louis.BLANK, " ") + "\n" for line in page) + "\f"
                     for page in pages)
    ascii_pages = ("".join(encode(line) + "\r\n" for line in page) + "\f" for page in pages)
    return {".brf": "".join(ascii_pages).encode("ascii"),
            "-braille.txt": "".join(unicode_pages).encode("utf-8")}


def _settings(options) -> dict:
    """Page size, grade and page-number position from `options.settings["braille"]`."""
    given = dict(((getattr(options, "settings", None) or {}).get("braille")) or {})
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise RenderError(f"unknown braille setting '{unknown[0]}'; "
                          f"use {', '.join(DEFAULTS)}")
    settings = {**DEFAULTS, **given}
    for name, (low, high) in LIMITS.items():
        value = settings[name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise RenderError(f"braille setting {name} must be a whole number from {low} to "
                              f"{high}, not {value!r}")
    if settings["page_numbers"] not in ("top", "bottom"):
        raise RenderError(f"braille setting page_numbers must be 'top' or 'bottom', "
                          f"not {settings['page_numbers']!r}")
    return settings


class _Writer:
    """Texts to braille lines with one table; strong text in the table's bold emphasis."""

    def __init__(self, table: str):
        from ..braille import louis

        self.table = table
        classes = louis.emphasis_classes(table)
        self.bold = 1 << classes.index("bold") if "bold" in classes else 0

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


def _blocks(leaflet: Leaflet, write: _Writer) -> Iterator:
    """The leaflet in reading order as braille blocks, after the usual formatting conventions:
    centred headings with a blank line before, paragraphs in cell 3 with runovers in cell 1,
    list items in cell 1 with runovers in cell 3."""
    from ..braille.layout import Block

    _ = translations(leaflet.language).gettext
    lines = write.lines

    def heading(text, blank_before=True) -> Block:
        return Block(lines(text), centred=True, blank_before=blank_before, keep_with_next=True)

    def paragraph(*pieces, blank_before=False) -> Block:
        return Block(lines(*pieces), first=2, runover=0, blank_before=blank_before)

    def item(*pieces, blank_before=False) -> Block:
        return Block(lines(*pieces), first=0, runover=2, blank_before=blank_before)

    yield heading(leaflet.publisher.name, blank_before=False)
    yield heading(leaflet.title, blank_before=False)
    blank = True  # a blank line after the title, before and after each list
    for notice in leaflet.notices:
        yield paragraph(Span(_("Please note:") + " ", strong=True), notice, blank_before=blank)
        blank = False
    for section in leaflet.sections:
        if section.title:
            yield heading(section.title)
            blank = False
        else:
            blank = True
        for block in section.blocks:
            if isinstance(block, BulletList):
                for index, entry in enumerate(block.items):
                    yield item(entry, blank_before=index == 0)
                blank = True
            else:
                yield paragraph(*_with_address(block.text), blank_before=blank)
                blank = False

    if leaflet.glossary:
        yield heading(_("Glossary"))
        for entry in leaflet.glossary:
            yield Block(lines(entry.term), keep_with_next=True)
            yield Block(lines(entry.definition), first=2, runover=2)
    if leaflet.references:
        yield heading(_("References"))
        for reference in leaflet.references:
            yield item(reference)
    if leaflet.references_note:
        yield paragraph(leaflet.references_note, blank_before=True)

    last_reviewed, next_review_due = review_dates(leaflet)
    yield item(last_reviewed, blank_before=True)
    yield item(next_review_due)
    for index, link in enumerate(leaflet.related_links):
        yield item(link.text, *_address(link.url), blank_before=index == 0)
    yield paragraph(f"{_('Published by')} {leaflet.publisher.name.plain}. {_('Contact:')} "
                    f"{leaflet.publisher.contact}", blank_before=True)


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
