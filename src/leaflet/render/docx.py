"""The Word writer: any edition's blocks in Word's own styles, by rules keyed by block type."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from ..edition import (Bullets, Contact, Credit, Definitions, Links, Masthead, Notice, Paragraph,
                       Point, References, ReviewDates, Section)
from . import word

PICTURE_MM = 32
PICTURE_PX = 384  # rasterised width: about 300 dpi at 32 mm
ROW_MM = 50  # 4 rows and the heading fill an A4 page; a 5th goes over
COLUMNS_MM = (PICTURE_MM + 8, word.TEXT_WIDTH_MM - PICTURE_MM - 8)  # picture, text


@dataclass(frozen=True)
class Look:
    """A Word format's own type: sizes and spacing (pt by style), the text style, new pages."""

    sizes: dict[str, int]  # Normal first
    space_after: dict[str, int]
    text_style: str = "Normal"  # points, definitions and the small print at the end
    new_page: tuple[type, ...] = ()  # blocks that start on a new page
    bookmark_ids: Callable[[int], range] = range  # of n term bookmarks: any distinct numbers


def _after_the_count(count: int) -> range:
    return range(count, 2 * count)


STANDARD = Look(
    sizes={"Normal": 12, "Title": 28, "Subtitle": 14, "Heading 1": 18, "Heading 2": 14,
           "Intense Quote": 12, "Footer": 12},
    space_after={"Normal": 8},
    bookmark_ids=_after_the_count,
)
LARGE = Look(  # large type and space: Normal 18 pt at 1.5 lines, large headings
    sizes={"Normal": 18, "Title": 36, "Subtitle": 18, "Heading 1": 26, "Heading 2": 20,
           "Intense Quote": 12, "Footer": 16},
    space_after={"Normal": 12, "Heading 1": 18},
    text_style="Easy Read Point",
    new_page=(Definitions, ReviewDates),
)


def render(edition, options=None) -> bytes:
    """The edition in Word's standard type."""
    return write(edition, STANDARD)


def render_large_print(edition, options=None) -> bytes:
    """The edition in large type (its own look to come: for now the standard one)."""
    return write(edition, STANDARD)


def render_easy_read(edition, options=None) -> bytes:
    """The edition in large type, its glossary and review dates each on a new page."""
    return write(edition, LARGE)


def write(edition, look: Look) -> bytes:
    import docx

    document = docx.Document()
    word.set_up(document, edition.leaflet, edition.title, look.sizes, look.space_after)
    if look.text_style != "Normal":
        word.add_paragraph_style(document, look.text_style, space=6)
    writer = _Writer(document, edition, look)
    for block in edition.blocks:
        writer.new_page = isinstance(block, look.new_page)
        RULES[type(block)](writer, block)
    # One line, the page numbers after it: the title and the last review, in every edition.
    review = edition.find(ReviewDates)
    word.add_footer(document, f"{edition.leaflet.title.plain} · {review.lines[0]} · ",
                    edition.page_number)
    return word.save(document)


class _Writer:
    """The document being written, its look, and where the writing is."""

    def __init__(self, document, edition, look: Look):
        self.document, self.look = document, look
        self.title = edition.leaflet.title  # the heading of a picture table with none of its own
        self.rtl = edition.direction == "rtl"
        self.add = word.Paragraphs(document)
        self.new_page = False  # the next paragraph starts a page
        self.table = None  # the picture table that points go into
        self.tables = self.pictures = 0

    def paragraph(self, style: str = "Normal", text: str = ""):
        paragraph = self.add(style, text)
        if self.new_page:
            paragraph.paragraph_format.page_break_before = True
            self.new_page = False
        return paragraph


# -- the rules ------------------------------------------------------------------------------
def _masthead(writer: _Writer, masthead: Masthead) -> None:
    writer.paragraph("Subtitle", masthead.publisher.plain)
    writer.paragraph("Title", masthead.title.plain)
    if masthead.subtitle:
        writer.paragraph("Subtitle", masthead.subtitle)


def _notice(writer: _Writer, notice: Notice) -> None:
    paragraph = writer.paragraph("Intense Quote")
    paragraph.add_run(notice.label + " ").bold = True
    paragraph.add_run(notice.text)


def _section(writer: _Writer, section: Section) -> None:
    if any(isinstance(block, Point) for block in section.blocks):
        _open_picture_table(writer, section)
    elif section.heading:
        word.add_text(writer.paragraph("Heading 1"), section.heading)
    for block in section.blocks:
        RULES[type(block)](writer, block)
    writer.table = None


def _open_picture_table(writer: _Writer, section: Section) -> None:
    """One table a section, its heading in the header row, which Word repeats on every page the
    section runs onto; rows are tall enough that at most 4 fit a page."""
    from docx.enum.text import WD_BREAK
    from docx.shared import Mm

    if writer.tables:  # each picture section on a page of its own
        writer.paragraph().add_run().add_break(WD_BREAK.PAGE)
    writer.tables += 1
    table = writer.table = writer.document.add_table(rows=0, cols=2)
    word.layout_table(table, [Mm(width) for width in COLUMNS_MM], writer.rtl)
    row = table.add_row()
    word.repeat_as_header(row)
    heading = row.cells[0].merge(row.cells[1]).paragraphs[0]
    heading.style = writer.document.styles["Heading 1"]
    word.add_text(heading, section.heading or writer.title)
    word.set_bidi(heading, writer.rtl)


def _paragraph(writer: _Writer, paragraph: Paragraph) -> None:
    word.add_text(writer.paragraph(), paragraph.text)


def _bullets(writer: _Writer, bullets: Bullets) -> None:
    for item in bullets.items:
        word.add_text(writer.paragraph("List Bullet"), item)


def _point(writer: _Writer, point: Point) -> None:
    """A row of the picture table: the picture, with its alt text, beside the point's text."""
    from docx.shared import Mm

    from ..pictures import library

    writer.pictures += 1
    row = writer.table.add_row()
    word.keep_row_together(row, Mm(ROW_MM))
    picture_cell, text_cell = row.cells
    picture_cell.width, text_cell.width = (Mm(width) for width in COLUMNS_MM)
    picture = picture_cell.paragraphs[0]
    shape = picture.add_run().add_picture(
        io.BytesIO(word.png(library()[point.picture], PICTURE_PX)), width=Mm(PICTURE_MM))
    word.describe(shape, point.alt.plain, f"Picture {writer.pictures}")
    text = text_cell.paragraphs[0]
    text.style = writer.document.styles[writer.look.text_style]
    word.add_text(text, point.text)
    word.bold_hard_words(text)
    for paragraph in (picture, text):
        word.set_bidi(paragraph, writer.rtl)


def _definitions(writer: _Writer, definitions: Definitions) -> None:
    writer.paragraph("Heading 1", definitions.title)
    ids = writer.look.bookmark_ids(len(definitions.entries))
    for entry, number in zip(definitions.entries, ids):
        term = writer.paragraph("Heading 2")
        word.bookmark(term, word.anchor(entry.id), number)
        word.add_text(term, entry.term)
        word.add_text(writer.paragraph(writer.look.text_style), entry.text)


def _references(writer: _Writer, references: References) -> None:
    if references.title:
        writer.paragraph("Heading 1", references.title)
    for reference in references.items:
        word.add_text(writer.paragraph("List Bullet"), reference)
    if references.note:
        word.add_text(writer.paragraph(writer.look.text_style), references.note)


def _review_dates(writer: _Writer, review: ReviewDates) -> None:
    last, following = review.lines
    paragraph = writer.paragraph(writer.look.text_style)
    paragraph.add_run(last)
    paragraph.add_run().add_break()
    paragraph.add_run(following)


def _links(writer: _Writer, links: Links) -> None:
    for link in links.items:
        word.add_hyperlink(writer.paragraph(writer.look.text_style), link.text.plain, url=link.url)


def _credit(writer: _Writer, credit: Credit) -> None:
    paragraph = writer.paragraph(writer.look.text_style, f"{credit.text} ")
    word.add_hyperlink(paragraph, credit.link_text, url=credit.url)


def _contact(writer: _Writer, contact: Contact) -> None:
    paragraph = writer.paragraph(writer.look.text_style, f"{contact.published_by} "
                                 f"{contact.name.plain}. {contact.contact_label} ")
    word.add_hyperlink(paragraph, contact.email, url=f"mailto:{contact.email}")


RULES = {
    Masthead: _masthead, Notice: _notice, Section: _section, Paragraph: _paragraph,
    Bullets: _bullets, Point: _point, Definitions: _definitions, References: _references,
    ReviewDates: _review_dates, Links: _links, Credit: _credit, Contact: _contact,
}
