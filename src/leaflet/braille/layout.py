"""Braille pages: whole words on lines, indents, centred headings, blank lines and page numbers."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .louis import BLANK, Braille

GAP = 3  # blank cells at least between text and the page number on the same line
MARGIN = 3  # blank cells at least on each side of a centred heading
BREAK_AFTER = frozenset("/.-@_?&=#:")  # where a web or e-mail address divides best
ADDRESS = frozenset("/@.")  # a divided word with one of these ends its lines in the continuation
_WORD = re.compile(f"[^{BLANK}]+")  # a run of cells between blank cells


@dataclass(frozen=True)
class PageSetup:
    cells: int = 40  # cells per line
    lines: int = 25  # lines per page, the page number's line included
    numbers: str = "top"  # page number at the right of the first line (UK) or last (US: "bottom")


@dataclass(frozen=True)
class Block:
    """A heading, paragraph or list item: its hard lines, each wrapped on its own."""

    lines: tuple[Braille, ...]
    first: int = 0  # blank cells before its first line (2: starts in cell 3)
    runover: int = 0  # blank cells before every other line
    centred: bool = False
    blank_before: bool = False  # a blank line before it, unless it starts a page
    keep_with_next: bool = False  # never the last thing on a page (headings, glossary terms)
    keep_with_previous: bool = False  # never the first thing on a page (a box's bottom line)
    rule: str | None = None  # a box line: this cell across the whole line, instead of lines


def paginate(blocks: Sequence[Block], setup: PageSetup, number: Callable[[int], str],
             hyphen: str, continuation: str | None = None) -> list[list[str]]:
    """The pages, each a list of lines of cells (U+2800 for a blank cell), numbered in braille.

    `number(n)` is page n's number in braille. A word longer than a whole line is divided, the
    line ending in `hyphen`, or in `continuation` (if the code has one) for an address.
    """
    pages = _Pages(setup, number, _Divider(hyphen, continuation or hyphen))
    for index, block in enumerate(blocks):
        pages.place(block, blocks[index + 1] if index + 1 < len(blocks) else None)
    return pages.finish()


class _Pages:
    def __init__(self, setup: PageSetup, number: Callable[[int], str], divider: _Divider):
        self.setup, self.number, self.divider = setup, number, divider
        self.number_line = 0 if setup.numbers == "top" else setup.lines - 1
        self.done: list[list[str]] = []
        self.lines: list[str] = []
        self.has_text = False

    def place(self, block: Block, following: Block | None) -> None:
        if block.blank_before:
            self._blank()
        if block.keep_with_next and self.has_text:
            # What follows needs a line on this page, or two blocks kept with it (a box's
            # top line and its label) their lines and one more.
            after = self._height(following) + 1 if following and following.keep_with_next else 1
            needed = self._height(block) + after + (
                1 if following and following.blank_before else 0)
            if self._room() < needed:
                self._new_page()
        if block.rule:
            self._rule(block.rule, block.keep_with_previous)
            return
        for index, line in enumerate(block.lines):
            self._flow(line, block.first if index == 0 else block.runover, block.runover,
                       block.centred)

    def finish(self) -> list[list[str]]:
        if self.has_text:
            self._new_page()
        pages = []
        for number, lines in enumerate(self.done, 1):
            lines = [line.rstrip(BLANK) for line in lines]
            while lines and not lines[-1]:
                lines.pop()
            lines += [""] * (self.number_line + 1 - len(lines))
            mark = self.number(number)
            text = lines[self.number_line]
            lines[self.number_line] = text + BLANK * (self.setup.cells - len(text) - len(mark)) + mark
            pages.append(lines)
        return pages

    # -- lines ------------------------------------------------------------------------
    def _flow(self, braille: Braille, first: int, runover: int, centred: bool) -> None:
        words, indent = _Words(braille), first
        cells = self.setup.cells
        while words:
            if len(self.lines) >= self.setup.lines:
                self._new_page()
            on_number_line = len(self.lines) == self.number_line
            if centred:
                if on_number_line:  # a heading never shares the page number's line
                    self._put("")
                    continue
                width = cells - 2 * MARGIN
                line = _fill(words, width, width, self.divider)
                self._put(BLANK * ((cells - len(line)) // 2) + line)
            else:
                width = cells - indent
                if on_number_line:
                    width -= len(self.number(len(self.done) + 1)) + GAP
                line = _fill(words, width, cells - indent, self.divider)
                if line is None:  # the next word fits a whole line, not this shorter one
                    self._put("")
                    continue
                self._put(BLANK * indent + line)
            indent = runover

    def _rule(self, cell: str, keep_with_previous: bool) -> None:
        """A line of `cell` across the page, three blank cells clear of the page number."""
        if len(self.lines) >= self.setup.lines:
            carried = self.lines.pop() if keep_with_previous and self.has_text else None
            self._new_page()
            if carried is not None:
                if len(self.lines) == self.number_line and len(carried) > self._width():
                    self._put("")
                self._put(carried)
        self._put(cell * self._width())

    def _width(self) -> int:
        """Cells for text on the current line: fewer on the page number's."""
        if len(self.lines) == self.number_line:
            return self.setup.cells - len(self.number(len(self.done) + 1)) - GAP
        return self.setup.cells

    def _put(self, line: str) -> None:
        self.lines.append(line)
        self.has_text = self.has_text or bool(line.strip(BLANK))

    def _blank(self) -> None:
        if self.has_text and len(self.lines) < self.setup.lines and self.lines[-1].strip(BLANK):
            self._put("")

    def _new_page(self) -> None:
        self.done.append(self.lines)
        self.lines, self.has_text = [], False

    def _room(self) -> int:
        """Lines left on this page for text, not counting the page number's line."""
        left = self.setup.lines - len(self.lines)
        return left - 1 if len(self.lines) <= self.number_line else left

    def _height(self, block: Block) -> int:
        if block.rule:
            return 1
        width = self.setup.cells - (2 * MARGIN if block.centred else max(block.first, block.runover))
        count = 0
        for line in block.lines:
            words = _Words(line)
            while words:
                _fill(words, width, width, self.divider)
                count += 1
        return count


@dataclass(frozen=True)
class _Divider:
    hyphen: str
    continuation: str

    def sign(self, address: bool) -> str:
        return self.continuation if address else self.hyphen


class _Words:
    """The words of one hard line, taken from the front as lines are filled: each word is a span
    of the line's cells, so no word list or long word is copied again for each line."""

    def __init__(self, braille: Braille):
        self.braille = braille
        self.spans = [match.span() for match in _WORD.finditer(braille.cells)]
        self.next = 0
        self._marks: list[int] | None = None  # where the text has / @ or ., found when needed

    def __bool__(self) -> bool:
        return self.next < len(self.spans)

    def length(self) -> int:
        start, end = self.spans[self.next]
        return end - start

    def take(self) -> str:
        start, end = self.spans[self.next]
        self.next += 1
        return self.braille.cells[start:end]

    def is_address(self) -> bool:
        """Whether the print of the next word (or what is left of it) has / @ or ."""
        text, sources = self.braille.text, self.braille.sources
        if self._marks is None:
            self._marks = [i for i, c in enumerate(text) if c in ADDRESS]
        start, end = self.spans[self.next]
        found = bisect_left(self._marks, sources[start])
        return found < len(self._marks) and self._marks[found] <= sources[end - 1]

    def divide(self, limit: int) -> str:
        """The first cells of the next word, up to `limit`; the rest stays the next word."""
        start, end = self.spans[self.next]
        cut = _divide(self.braille, start, end, limit)
        self.spans[self.next] = (start + cut, end)
        return self.braille.cells[start:start + cut]


def _fill(words: _Words, width: int, fresh: int, divider: _Divider) -> str | None:
    """One line of `width` cells, its words taken from `words`: None, taking nothing, if the
    first word should wait for a whole line of `fresh` cells. A word too long for any line is
    divided."""
    line, used = [], -1  # the line's words, and its cells (-1: no blank before the first word)
    while words:
        if used + 1 + words.length() <= width:
            used += 1 + words.length()
            line.append(words.take())
        elif line:
            break
        else:
            sign = divider.sign(words.is_address())
            if width < fresh or width <= len(sign):
                return None
            line.append(words.divide(width - len(sign)) + sign)
            break
    return BLANK.join(line)


def _divide(braille: Braille, start: int, end: int, limit: int) -> int:
    """Where to divide the too-long word in cells `start` to `end` within `limit` cells: after an
    address's punctuation if possible, and never inside the cells of one print character or
    contraction."""
    sources, text = braille.sources, braille.text
    allowed = [k for k in range(1, min(limit, end - start - 1) + 1)
               if sources[start + k] != sources[start + k - 1]]
    preferred = [k for k in allowed if text[sources[start + k] - 1] in BREAK_AFTER]
    return (preferred or allowed or [limit])[-1]
