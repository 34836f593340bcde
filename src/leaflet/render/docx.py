"""The Word writer: any edition's blocks in Word's own styles, by rules keyed by block type."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from ..edition import (EASY_READ, Alternatives, Callout, Contact, ContactLine, Credit, Definitions,
                       Feedback, HelpLine, ItemList, Links, Masthead, Notice, Paragraph, Point,
                       References, ReviewDates, Section, Table)
from . import word

PICTURE_MM = 32
PICTURE_PX = 384  # rasterised width: about 300 dpi at 32 mm
COLUMNS_MM = (PICTURE_MM + 8, word.TEXT_WIDTH_MM - PICTURE_MM - 8)  # picture, text
LOGO_PX = 600  # about 300 dpi at 50 mm
HEADER_LOGO_MM = 6  # tall: small beside the organisation's name
HEADER_MM = 10  # from the paper's edge to the header and to the footer
QR_PX = 600
# The boxes' borders and light fills; text on every fill is #1A1A1A or the accent (>= 4.5:1).
HELP_LINE = ("0B4A80", "EAF1F8")
CALLOUTS = {"urgent": ("Urgent", "B3261E", "FDECEA"),  # style, border, fill
            "important": ("Important", "7A5900", "FFF5D6")}
TABLE_HEADER_FILL = "DCE6F0"
HARD_WORD_RULE = "4C6272"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


@dataclass(frozen=True)
class Look:
    """A Word format's own type: sizes and spacing (pt by style), the text style, new pages."""

    sizes: dict[str, int]  # Normal first
    space_after: dict[str, int]
    text_style: str = "Normal"  # points, definitions and the small print at the end
    new_page: tuple[type, ...] = ()  # blocks that start on a new page
    bookmark_ids: Callable[[int], range] = range  # of n term bookmarks: any distinct numbers
    logo_mm: int = 50
    qr_mm: int = 30
    phone_pt: tuple[int | None, int | None] = (None, None)  # in the help line, in the contact


def _after_the_count(count: int) -> range:
    return range(count, 2 * count)


STANDARD = Look(
    sizes={"Normal": 12, "Title": 28, "Subtitle": 14, "Heading 1": 18, "Heading 2": 14,
           "Intense Quote": 12, "Caption": 12, "Header": 11, "Footer": 11},
    space_after={"Normal": 8},
    bookmark_ids=_after_the_count,
)
LARGE_PRINT = Look(  # large type (Normal 18 pt) at 1.5 lines, larger headings, same styles
    sizes={"Normal": 18, "Title": 40, "Subtitle": 22, "Heading 1": 28, "Heading 2": 22,
           "Intense Quote": 18, "Caption": 18, "Header": 16, "Footer": 16},
    space_after={"Normal": 12, "Heading 1": 18},
    bookmark_ids=_after_the_count,
    logo_mm=60, qr_mm=40,
)
EASY = Look(  # large type and space, a page for the cover, who can help and the hard words
    sizes={"Normal": 18, "Title": 36, "Subtitle": 22, "Heading 1": 26, "Heading 2": 20,
           "Intense Quote": 18, "Caption": 18, "Header": 16, "Footer": 16},
    space_after={"Normal": 12, "Heading 1": 18},
    text_style="Easy Read Point",
    new_page=(Contact, Definitions, ReviewDates),
    logo_mm=60, qr_mm=40, phone_pt=(24, 30),  # whom to call: the number large
)


def render(edition, options=None) -> bytes:
    """The edition in Word's standard type."""
    return write(edition, STANDARD)


def render_large_print(edition, options=None) -> bytes:
    """The edition in large type: the standard file's styles, larger."""
    return write(edition, LARGE_PRINT)


def render_easy_read(edition, options=None) -> bytes:
    """The easy read: a cover page, pictures beside the points, a page for who can help and
    for the hard words."""
    return write(edition, EASY)


def render_bilingual(edition, options=None) -> bytes:
    """The Welsh leaflet, then the English one from a new page, each run in its language."""
    return write(edition, STANDARD)


def write(edition, look: Look) -> bytes:
    import docx

    document = docx.Document()
    word.set_up(document, edition.leaflet, edition.title, look.sizes, look.space_after)
    _add_styles(document, look)
    writer = _Writer(document, edition, look)
    _write_blocks(writer, edition, look)
    if edition.other:
        _write_second_language(document, edition.other, look)
    _page_header(writer, edition.find(Masthead))
    first, second = edition.page_footer.split("\n")  # two lines, as the edition writes it
    word.add_footer(document, [*_with_fields(writer, first), "\n", *_with_fields(writer, second),
                               " · ", *word.page_fields(edition.page_number)])
    word.set_custom_properties(document, writer.properties)
    word.set_app_properties(document, edition.leaflet.publisher.name.plain)
    return word.save(document)


def _write_blocks(writer: _Writer, edition, look: Look) -> None:
    for block in edition.blocks:
        writer.new_page = writer.new_page or isinstance(block, look.new_page)
        RULES[type(block)](writer, block)


def _write_second_language(document, edition, look: Look) -> None:
    """A bilingual file's second language: from a new page, its glossary bookmarks apart from
    the first's, every run marked with its language (Word's proofing and Read Aloud use it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    body = document.element.body
    start = len(body)
    prefix = f"{edition.language.split('-')[0]}-"
    from dataclasses import replace

    apart = replace(look, bookmark_ids=lambda count: range(SECOND_BOOKMARKS,
                                                           SECOND_BOOKMARKS + count))
    writer = _Writer(document, _with_anchors_apart(edition, prefix), apart)
    writer.new_page = True
    _write_blocks(writer, writer.edition, apart)
    for element in list(body)[start - 1:]:
        for run in element.iter(qn("w:r")):
            rpr = run.get_or_add_rPr()
            if rpr.find(qn("w:lang")) is None:
                lang = OxmlElement("w:lang")
                lang.set(qn("w:val"), edition.language)
                rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")


SECOND_BOOKMARKS = 100_000  # the first bookmark number of a second language's glossary


def _with_anchors_apart(edition, prefix: str):
    """The edition with its glossary ids (and the links to them) prefixed."""
    from dataclasses import replace

    from ..model import map_texts

    def retarget(text, _path):
        if not any(run.term for run in text.runs):
            return text
        return replace(text, runs=tuple(replace(run, term=prefix + run.term) if run.term else run
                                        for run in text.runs))

    def apart(block):
        block = map_texts(block, retarget)
        if isinstance(block, Definitions):
            block = replace(block, entries=tuple(replace(entry, id=prefix + entry.id)
                                                 for entry in block.entries))
        return block

    return replace(edition, header=tuple(map(apart, edition.header)),
                   main=tuple(map(apart, edition.main)), footer=tuple(map(apart, edition.footer)))


def _add_styles(document, look: Look) -> None:
    """The leaflet's own paragraph styles, on Normal: the cover's organisation name, the boxes,
    the glossary's terms and (easy read) the points and their hard words."""
    word.add_paragraph_style(document, "Organisation", bold=True, space_after=2)
    word.box(document.styles["Header"].element, HELP_LINE[0], None, width_eighths=6,
             space_pt=4, sides=("bottom",))
    help_line = word.add_paragraph_style(document, "Help Line", space=4)
    word.box(help_line.element, *HELP_LINE)
    for name, border, fill in CALLOUTS.values():
        word.box(word.add_paragraph_style(document, name, space=4).element, border, fill,
                 width_eighths=18)
    word.add_paragraph_style(document, "Glossary Term", bold=True, keep_with_next=True,
                             space_after=2)
    if look.text_style != "Normal":
        word.add_paragraph_style(document, look.text_style, space=6)
    # The hard words under a point: each in bold, its meaning under it, in a ruled box.
    hard_word = word.add_paragraph_style(document, "Hard Word", base=look.text_style, space=2)
    word.box(hard_word.element, HARD_WORD_RULE, None, width_eighths=8, space_pt=4,
             start_eighths=24)


class _Writer:
    """The document being written, its look, and where the writing is."""

    def __init__(self, document, edition, look: Look):
        self.document, self.look, self.edition = document, look, edition
        self.title = edition.leaflet.title  # the heading of a picture table with none of its own
        self.rtl = edition.direction == "rtl"
        self.easy = edition.kind == EASY_READ
        self.add = word.Paragraphs(document)
        self.numbering = word.Numbering(document, indent_twips=look.sizes["Normal"] * 30)
        self.properties = _properties(edition)
        self.new_page = False  # the next paragraph starts a page
        self.box: str | None = None  # the callout style the paragraphs go into
        self.box_lists = False  # the box holds a list
        self.last = None  # the paragraph written last
        self.table = None  # the picture table that points go into
        self.picture_sections = self.pictures = 0

    def text(self, paragraph, text) -> None:
        word.add_text(paragraph, text, self.rtl)

    def paragraph(self, style: str = "Normal", text: str = ""):
        if self.box and style in ("Normal", self.look.text_style):
            style = self.box
        paragraph = self.add(style, text)
        if self.box and style != self.box:  # a list item in a box: the box goes round it too
            word.copy_box(self.document.styles[self.box], paragraph)
        if self.box and self.box_lists:
            self._indent_in_box(paragraph, style)
        if self.new_page:
            paragraph.paragraph_format.page_break_before = True
            self.new_page = False
        self.last = paragraph
        return paragraph

    def _indent_in_box(self, paragraph, style: str) -> None:
        """Word and LibreOffice draw one box round paragraphs that start at the same place: in
        a box, a list's bullets and numbers hang at the box's text edge, their words one list
        indent in (a sub-point's two), as outside a box."""
        step, inset = self.numbering.indent, word.box_inset()
        if style in ("List Bullet", "List Number"):
            word.indent(paragraph, inset + step, inset, hanging=step)
        elif style == "List Bullet 2":
            word.indent(paragraph, inset + 2 * step, inset, hanging=2 * step)

    def close_box(self) -> None:
        """Space after the box's last paragraph, outside the box."""
        from docx.shared import Pt

        self.box, self.box_lists = None, False
        self.last.paragraph_format.space_after = Pt(self.look.sizes["Normal"])


def _properties(edition) -> dict[str, str]:
    """The custom document properties: the leaflet's code and version, its review dates."""
    leaflet, review = edition.leaflet, edition.find(ReviewDates)
    found = {"Leaflet code": leaflet.code, "Version": leaflet.version,
             "Last reviewed": review.last_written, "Next review due": review.next_written}
    return {name: value for name, value in found.items() if value}


def _with_fields(writer: _Writer, line: str) -> list:
    """A line that ends with a property's value ("Last reviewed: 21 Oct 2024"), its value as a
    DOCPROPERTY field that shows it now and after any update."""
    for name, value in sorted(writer.properties.items(), key=lambda item: -len(item[1])):
        if line.endswith(value) and len(line) > len(value):
            # LibreOffice draws a field's result in right-to-left text without its spaces
            # ("21أكتوبر"); no-break spaces it keeps, and they hold a date together anyway.
            shown = value.replace(" ", "\u00a0") if writer.rtl else value
            return [line[:-len(value)], word.docproperty(name, shown)]
    return [line]


def _page_header(writer: _Writer, masthead: Masthead) -> None:
    """The organisation (its logo small, as decoration beside its name) on every page but the
    cover, which shows both large; the easy read adds the heading of the page's part, which
    Word fills in (STYLEREF) as it lays the pages out."""
    from docx.shared import Mm

    section = writer.document.sections[0]
    section.different_first_page_header_footer = True
    section.header_distance = section.footer_distance = Mm(HEADER_MM)
    section.top_margin = Mm(word.MARGIN_MM + 5)  # room for the header above the text
    header = section.header
    paragraph = header.paragraphs[0]
    paragraph.style = writer.document.styles["Header"]
    if masthead.logo:
        shape = paragraph.add_run().add_picture(
            io.BytesIO(word.file_png(masthead.logo, LOGO_PX)), height=Mm(HEADER_LOGO_MM))
        word.mark_decorative(shape, "Logo (small)", 9001)
        paragraph.add_run(" ")
    writer.text(paragraph, masthead.publisher)
    if writer.easy:
        heading = header.add_paragraph(style=writer.document.styles["Header"])
        word.add_field(heading, word.Field(' STYLEREF "Heading 1" ', ""))
        for run in heading.runs:
            word.set_bold(run)


# -- the rules ------------------------------------------------------------------------------
def _masthead(writer: _Writer, masthead: Masthead) -> None:
    """The cover: the logo, the organisation, the title and edition, the summary, the facts."""
    from docx.shared import Mm

    if masthead.logo:
        shape = writer.paragraph().add_run().add_picture(
            io.BytesIO(word.file_png(masthead.logo, LOGO_PX)), width=Mm(writer.look.logo_mm))
        word.describe(shape, masthead.logo_alt, "Logo")
    writer.text(writer.paragraph("Organisation"), masthead.publisher)
    writer.text(writer.paragraph("Title"), masthead.title)
    if masthead.subtitle:
        writer.paragraph("Subtitle", masthead.subtitle)
    if masthead.summary:
        writer.text(writer.paragraph("Subtitle"), masthead.summary)
    if masthead.facts:
        facts = writer.paragraph(writer.look.text_style)
        for number, fact in enumerate(masthead.facts):
            word.add_pieces(facts, (["\n"] if number else []) + _with_fields(writer, fact))
    if masthead.helper_note:
        word.set_bold(writer.paragraph(writer.look.text_style).add_run(masthead.helper_note))
    if writer.easy:  # the cover is a page of its own: any notice and whom to call open the next
        writer.new_page = True


def _notice(writer: _Writer, notice: Notice) -> None:
    paragraph = writer.paragraph("Intense Quote")
    word.set_bold(paragraph.add_run(notice.label + " "))
    paragraph.add_run(notice.text)


def _help_line(writer: _Writer, help_line: HelpLine) -> None:
    """A box near the start: whom to call, the phone first."""
    writer.box = "Help Line"
    word.set_bold(writer.paragraph().add_run(help_line.text))
    _contact_lines(writer, writer.paragraph(), help_line.lines, writer.look.phone_pt[0])
    writer.close_box()


def _contact_lines(writer: _Writer, paragraph, lines: tuple[ContactLine, ...],
                   phone_pt: int | None = None, phone_apart: bool = False) -> None:
    """One line each: the label in bold, then the number or address (a link where it is one;
    kept left to right in right-to-left text). The phone number in `phone_pt` type, on a line
    of its own under its label with `phone_apart`."""
    for number, line in enumerate(lines):
        if number:
            paragraph.add_run().add_break()
        phone = line.kind == "phone"
        apart = phone and phone_apart
        word.set_bold(paragraph.add_run(line.label if apart else line.label + " "))
        if apart:
            paragraph.add_run().add_break()
        if line.href:
            value = word.add_hyperlink(paragraph, word.isolated(line.value, writer.rtl),
                                       url=line.href, strong=phone, rtl=writer.rtl)
        else:
            value = paragraph.add_run(line.value)
        if phone and phone_pt:
            word.set_size(value.font, phone_pt)


def _section(writer: _Writer, section: Section) -> None:
    if writer.easy:
        _open_picture_table(writer, section)
    elif section.heading:
        writer.text(writer.paragraph("Heading 1"), section.heading)
    for block in section.blocks:
        RULES[type(block)](writer, block)
    if writer.table is not None:
        _keep_ends_together(writer.table)
    writer.table = None


def _keep_ends_together(table) -> None:
    """No point alone under its heading or alone on the section's last page: the rows up to
    the second point keep with the next, and those from the last but one point (a box's
    label row is not a point)."""
    rows = table.rows
    points = [number for number, row in enumerate(rows)
              if row._tr.find(f".//{{{WP}}}docPr") is not None]
    if len(points) < 2:
        return
    for number in {*range(points[1]), *range(points[-2], len(rows) - 1)}:
        for cell in rows[number].cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _open_picture_table(writer: _Writer, section: Section) -> None:
    """Each picture section starts a page: its heading, then a layout table of pictures beside
    their points. Word moves a row that does not fit to the next page whole; the page header
    repeats the heading there."""
    from docx.shared import Mm

    if writer.picture_sections:
        writer.new_page = True
    writer.picture_sections += 1
    heading = writer.paragraph("Heading 1")
    writer.text(heading, section.heading or writer.title)
    heading.paragraph_format.keep_with_next = True
    table = writer.table = writer.document.add_table(rows=0, cols=2)
    word.layout_table(table, [Mm(width) for width in COLUMNS_MM], writer.rtl)
    word.mark_as_layout(table)


def _paragraph(writer: _Writer, paragraph: Paragraph) -> None:
    writer.text(writer.paragraph(), paragraph.text)


def _item_list(writer: _Writer, items: ItemList) -> None:
    """Word's list styles: List Bullet or List Number (from 1 in every list), sub-points in
    List Bullet 2."""
    style = "List Number" if items.ordered else "List Bullet"
    steps = writer.numbering.new_list() if items.ordered else None
    for item in items.items:
        paragraph = writer.paragraph(style)
        if steps:
            writer.numbering.apply(paragraph, steps)
        writer.text(paragraph, item.text)
        for point in item.items:
            writer.text(writer.paragraph("List Bullet 2"), point)


def _table(writer: _Writer, table: Table) -> None:
    """A data table: its caption before it, a header row that Word repeats on every page the
    table runs onto, rows kept whole, borders from Table Grid."""
    if table.caption:
        caption = writer.paragraph("Caption")
        writer.text(caption, table.caption)
        caption.paragraph_format.keep_with_next = True
    grid = writer.document.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.style = writer.document.styles["Table Grid"]
    word.data_table(grid, table.caption.plain if table.caption else None, writer.rtl)
    header, *rows = grid.rows
    word.repeat_as_header(header)
    for row, texts in ((header, table.header), *zip(rows, table.rows)):
        word.keep_row_together(row)
        for cell, text in zip(row.cells, texts):
            writer.text(cell.paragraphs[0], text)
            cell.paragraphs[0].paragraph_format.space_after = 0  # the cell's margins space it
    for cell in header.cells:
        word.shade_cell(cell, TABLE_HEADER_FILL, "auto", ())
        for run in cell.paragraphs[0].runs:
            word.set_bold(run)


def _callout(writer: _Writer, callout: Callout) -> None:
    """A box: its label in words, in bold, before its title; then its paragraphs and lists."""
    if writer.table is not None:
        _boxed_points(writer, callout)
        return
    from docx.shared import Pt

    writer.box = CALLOUTS[callout.kind][0]
    writer.box_lists = any(isinstance(block, ItemList) for block in callout.blocks)
    heading = writer.paragraph()
    heading.paragraph_format.keep_with_next = True
    heading.paragraph_format.space_before = Pt(writer.look.sizes["Normal"])  # apart from a table
    word.set_bold(heading.add_run(callout.label))
    if callout.title:
        heading.add_run(" ")
        first = len(heading.runs)
        writer.text(heading, callout.title)
        for run in heading.runs[first:]:
            word.set_bold(run)
    for block in callout.blocks:
        RULES[type(block)](writer, block)
    writer.close_box()


def _boxed_points(writer: _Writer, callout: Callout) -> None:
    """Easy-read points in a box: a row with the label, then the points' rows, shaded, with a
    border round them all."""
    _name, border, fill = CALLOUTS[callout.kind]
    label_row = writer.table.add_row()
    word.keep_row_together(label_row)
    cell = label_row.cells[0].merge(label_row.cells[1])
    label = cell.paragraphs[0]
    label.style = writer.document.styles[writer.look.text_style]
    label.paragraph_format.keep_with_next = True
    word.set_bold(label.add_run(callout.label))
    if callout.title:
        label.add_run(" ")
        writer.text(label, callout.title)
    word.set_bidi(label, writer.rtl)
    word.shade_cell(cell, fill, border, ("top", "left", "right"))
    rows = [_point_row(writer, point) for point in callout.blocks]
    for number, row in enumerate(rows, 1):
        last = number == len(rows)
        first_cell, second_cell = row.cells
        word.shade_cell(first_cell, fill, border, ("left", "bottom") if last else ("left",))
        word.shade_cell(second_cell, fill, border, ("right", "bottom") if last else ("right",))


def _point(writer: _Writer, point: Point) -> None:
    _point_row(writer, point)


def _point_row(writer: _Writer, point: Point):
    """A row of the picture table: the picture, with its alt text, beside the point's text and
    then each hard word it is the first to use, in bold, with what it means."""
    from docx.shared import Mm

    from ..pictures import library

    writer.pictures += 1
    row = writer.table.add_row()
    word.keep_row_together(row)
    if not point.explains:  # else at the top: the picture beside its sentence, not its notes
        word.centre_vertically(row)
    picture_cell, text_cell = row.cells
    picture_cell.width, text_cell.width = (Mm(width) for width in COLUMNS_MM)
    picture = picture_cell.paragraphs[0]
    shape = picture.add_run().add_picture(
        io.BytesIO(word.png(library()[point.picture], PICTURE_PX)), width=Mm(PICTURE_MM))
    word.describe(shape, point.alt.plain, f"Picture {writer.pictures}")
    text = text_cell.paragraphs[0]
    text.style = writer.document.styles[writer.look.text_style]
    writer.text(text, point.text)
    word.bold_hard_words(text)
    paragraphs = [picture, text]
    for definition in point.explains:
        explained = text_cell.add_paragraph(style=writer.document.styles["Hard Word"])
        first = len(explained.runs)
        writer.text(explained, definition.term)
        for run in explained.runs[first:]:
            word.set_bold(run)
        explained.add_run().add_break()
        writer.text(explained, definition.text)
        paragraphs.append(explained)
    for paragraph in paragraphs:
        word.set_bidi(paragraph, writer.rtl)
    return row


def _definitions(writer: _Writer, definitions: Definitions) -> None:
    """The glossary: each term in the Glossary Term style (not a heading, so the navigation
    pane lists the parts, not every word), with the bookmark its links go to."""
    writer.paragraph("Heading 1", definitions.title)
    ids = writer.look.bookmark_ids(len(definitions.entries))
    for entry, number in zip(definitions.entries, ids):
        term = writer.paragraph("Glossary Term")
        word.bookmark(term, word.anchor(entry.id), number)
        writer.text(term, entry.term)
        writer.text(writer.paragraph(writer.look.text_style), entry.text)


def _references(writer: _Writer, references: References) -> None:
    if references.title:
        writer.paragraph("Heading 1", references.title)
    for reference in references.items:
        writer.text(writer.paragraph("List Bullet"), reference)
    if references.note:
        writer.text(writer.paragraph(writer.look.text_style), references.note)


def _review_dates(writer: _Writer, review: ReviewDates) -> None:
    last, following = review.lines
    paragraph = writer.paragraph(writer.look.text_style)
    word.add_pieces(paragraph, [*_with_fields(writer, last), "\n",
                                *_with_fields(writer, following)])


def _links(writer: _Writer, links: Links) -> None:
    for link in links.items:
        word.add_hyperlink(writer.paragraph(writer.look.text_style), link.text.plain,
                           url=link.url, rtl=writer.rtl)


def _alternatives(writer: _Writer, alternatives: Alternatives) -> None:
    """The other formats and languages (each name marked with its language), the web address
    in words and as a QR code."""
    from docx.shared import Mm

    from ..languages import locale

    word.set_bold(writer.paragraph(writer.look.text_style).add_run(alternatives.label))
    if alternatives.formats:
        writer.paragraph(writer.look.text_style, " · ".join(alternatives.formats))
    if alternatives.languages:
        names = writer.paragraph(writer.look.text_style)
        for number, (tag, name) in enumerate(alternatives.languages):
            if number:
                names.add_run(" · ")
            found = locale(tag)
            rtl = bool(found) and found.character_order == "right-to-left"
            word.mark_language(names.add_run(name), tag, rtl)
    if alternatives.address:
        address = writer.paragraph(writer.look.text_style)
        address.add_run(alternatives.address_label + " ")
        word.add_hyperlink(address, word.isolated(alternatives.short_address, writer.rtl),
                           url=alternatives.address, rtl=writer.rtl)
        address.paragraph_format.keep_with_next = True
        shape = writer.paragraph().add_run().add_picture(
            io.BytesIO(_qr_png(alternatives.address)), width=Mm(writer.look.qr_mm))
        word.describe(shape, alternatives.qr_alt, "QR code")


def _qr_png(address: str) -> bytes:
    from . import qr

    return qr.png(address, QR_PX)


def _feedback(writer: _Writer, feedback: Feedback) -> None:
    writer.paragraph("Heading 1", feedback.title)
    paragraph = writer.paragraph(writer.look.text_style, feedback.text + " ")
    word.add_hyperlink(paragraph, word.isolated(feedback.address, writer.rtl),
                       url=feedback.href, rtl=writer.rtl)


def _credit(writer: _Writer, credit: Credit) -> None:
    paragraph = writer.paragraph(writer.look.text_style, f"{credit.text} ")
    word.add_hyperlink(paragraph, word.isolated(credit.link_text, writer.rtl), url=credit.url,
                       rtl=writer.rtl)


def _contact(writer: _Writer, contact: Contact) -> None:
    """Every way to reach the organisation, the phone first, and who publishes the leaflet."""
    writer.paragraph("Heading 1", contact.title)
    _contact_lines(writer, writer.paragraph(writer.look.text_style), contact.lines,
                   writer.look.phone_pt[1], phone_apart=writer.easy)
    writer.paragraph(writer.look.text_style, contact.published_by)


RULES = {
    Masthead: _masthead, Notice: _notice, HelpLine: _help_line, Section: _section,
    Paragraph: _paragraph, ItemList: _item_list, Table: _table, Callout: _callout, Point: _point,
    Definitions: _definitions, References: _references, ReviewDates: _review_dates,
    Links: _links, Alternatives: _alternatives, Feedback: _feedback, Credit: _credit,
    Contact: _contact,
}
