"""The easy-read version in Word: one point per row, its picture at the line's start, its text
beside it (pictures rasterised to PNG, alt text in docPr/@descr, real styles)."""

from __future__ import annotations

import io
from functools import lru_cache

from ..i18n.labels import review_dates, translations
from ..model import Leaflet, hard_word_entries
from ..pictures import Picture, library
from . import docx as word

POINTS_PER_PAGE = 4  # at most this many rows on a page, in every format
WORD_PICTURE_MM = 32
WORD_ROW_MM = 50  # 4 rows and the heading fill an A4 page; a 5th goes over
WORD_PICTURE_PX = 384  # rasterised width: about 300 dpi at 32 mm
WORD_BODY_PT = 18
WORD_HEADING_PT = (36, 26)  # Title, Heading 1


def credit(leaflet: Leaflet) -> str | None:
    """The picture credit that CC BY-SA asks for, when any OpenMoji picture is used."""
    pictures = library()
    used = {point.picture for section in leaflet.sections for point in section.easy_read}
    if not any(pictures[name].source == "openmoji" for name in used):
        return None
    _ = translations(leaflet.language).gettext
    return _("Pictures: OpenMoji, the open-source emoji and icon project. Licence: CC BY-SA 4.0.")


@lru_cache(maxsize=None)
def png(picture: Picture) -> bytes:
    """The picture as a PNG for Word (which does not read SVG without a PNG fallback)."""
    if picture.media_type == "image/png":
        return picture.path.read_bytes()
    import resvg_py

    return bytes(resvg_py.svg_to_bytes(svg_path=str(picture.path), width=WORD_PICTURE_PX,
                                       height=WORD_PICTURE_PX, skip_system_fonts=True))


# -- Word ---------------------------------------------------------------------------------
def render_docx(edition, options=None) -> bytes:
    leaflet = edition.leaflet
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    _ = translations(leaflet.language).gettext
    word._set_up(document, leaflet)
    _set_up_easy_read(document)
    document.core_properties.title = f"{leaflet.title.plain} – {_('Easy read')}"
    add = word._Paragraphs(document)
    rtl = leaflet.direction == "rtl"
    pictures = library()

    add("Subtitle", leaflet.publisher.name.plain)
    add("Title", leaflet.title.plain)
    add("Subtitle", _("Easy read version"))
    for notice in leaflet.notices:
        paragraph = add("Intense Quote")
        paragraph.add_run(_("Please note:") + " ").bold = True
        paragraph.add_run(notice)
    picture_number = 0
    for index, section in enumerate(leaflet.sections):
        if index:
            add().add_run().add_break(WD_BREAK.PAGE)  # each section on a new page
        # One table a section, its heading in the header row, which Word repeats on every page
        # the section runs onto; rows are tall enough that at most POINTS_PER_PAGE fit a page.
        table = document.add_table(rows=0, cols=2)
        _layout_table(table, rtl)
        heading_row = table.add_row()
        _repeat_as_header(heading_row)
        heading_cell = heading_row.cells[0].merge(heading_row.cells[1])
        heading = heading_cell.paragraphs[0]
        heading.style = document.styles["Heading 1"]
        word._add_text(heading, section.easy_read_title or section.title or leaflet.title)
        _set_bidi(heading, rtl)
        for point in section.easy_read:
            picture_number += 1
            row = table.add_row()
            _keep_row_together(row)
            picture_cell, text_cell = row.cells
            picture_cell.width, text_cell.width = _column_widths()
            run = picture_cell.paragraphs[0].add_run()
            shape = run.add_picture(io.BytesIO(png(pictures[point.picture])),
                                    width=docx.shared.Mm(WORD_PICTURE_MM))
            _describe(shape, point.alt.plain, f"Picture {picture_number}")
            text = text_cell.paragraphs[0]
            text.style = document.styles["Easy Read Point"]
            word._add_text(text, point.text)
            _bold_hard_words(text)
            for paragraph in (picture_cell.paragraphs[0], text):
                _set_bidi(paragraph, rtl)
    entries = hard_word_entries(leaflet)
    if entries:
        title = add("Heading 1", _("Hard words"))
        title.paragraph_format.page_break_before = True
        for number, entry in enumerate(entries):
            term = add("Heading 2")
            word._bookmark(term, word._anchor(entry.id), number)
            word._add_text(term, entry.term)
            word._add_text(add("Easy Read Point"), entry.easy_read)

    review = add("Easy Read Point")
    review.paragraph_format.page_break_before = True
    last_reviewed, next_review_due = review_dates(leaflet)
    review.add_run(last_reviewed)
    review.add_run().add_break()
    review.add_run(next_review_due)
    picture_credit = credit(leaflet)
    if picture_credit:
        word._add_hyperlink(add("Easy Read Point", f"{picture_credit} "), "openmoji.org",
                            url="https://openmoji.org/")
    contact = add("Easy Read Point", f"{_('Published by')} {leaflet.publisher.name.plain}. "
                                     f"{_('Contact:')} ")
    word._add_hyperlink(contact, leaflet.publisher.contact,
                        url=f"mailto:{leaflet.publisher.contact}")
    word._add_footer(document, leaflet, _)
    buffer = io.BytesIO()
    document.save(buffer)
    return word._reproducible_zip(buffer.getvalue())


def _set_up_easy_read(document) -> None:
    """Large type and space: Normal 18 pt at 1.5 lines, a point style, large headings."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    styles = document.styles
    styles["Normal"].font.size = Pt(WORD_BODY_PT)
    styles["Normal"].paragraph_format.space_after = Pt(12)
    styles["Title"].font.size = Pt(WORD_HEADING_PT[0])
    styles["Heading 1"].font.size = Pt(WORD_HEADING_PT[1])
    styles["Heading 1"].paragraph_format.space_after = Pt(18)
    styles["Heading 2"].font.size = Pt(WORD_BODY_PT + 2)
    styles["Subtitle"].font.size = Pt(WORD_BODY_PT)
    styles["Footer"].font.size = Pt(16)
    point = styles.add_style("Easy Read Point", WD_STYLE_TYPE.PARAGRAPH)
    point.base_style = styles["Normal"]
    point.quick_style = True
    point.paragraph_format.space_before = Pt(6)
    point.paragraph_format.space_after = Pt(6)


def _column_widths():
    from docx.shared import Mm

    return Mm(WORD_PICTURE_MM + 8), Mm(170 - WORD_PICTURE_MM - 8)


def _layout_table(table, rtl: bool) -> None:
    """A borderless two-column layout; right to left puts the picture column on the right."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement

    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    if rtl:
        table._tbl.tblPr.insert_element_before(OxmlElement("w:bidiVisual"), *_AFTER_BIDI_VISUAL)
    for column, width in zip(table.columns, _column_widths()):
        column.width = width


_AFTER_BIDI_VISUAL = ("w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW", "w:jc",
                      "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout",
                      "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
_AFTER_BIDI = ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
               "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
               "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
               "w:rPr", "w:sectPr", "w:pPrChange")


def _repeat_as_header(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _keep_row_together(row) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
    from docx.oxml import OxmlElement
    from docx.shared import Mm

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    row.height, row.height_rule = Mm(WORD_ROW_MM), WD_ROW_HEIGHT_RULE.AT_LEAST
    for cell in row.cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _describe(shape, alt: str, name: str) -> None:
    """Alt text of a picture: docPr/@descr (python-docx has no API for it)."""
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", alt)
    doc_pr.set("name", name)


def _bold_hard_words(paragraph) -> None:
    """Hard words (links to the Hard words page) in bold, as on the page and in the PDF."""
    from docx.oxml.ns import qn
    from docx.text.run import Run

    for link in paragraph._p.iter(qn("w:hyperlink")):
        if link.get(qn("w:anchor")):
            for run in link.iter(qn("w:r")):
                Run(run, paragraph).bold = True


def _set_bidi(paragraph, rtl: bool) -> None:
    if rtl:
        from docx.oxml import OxmlElement

        paragraph._p.get_or_add_pPr().insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
