"""The Word toolkit: python-docx set-up, inline text, links, tables, pictures and a stable zip."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from datetime import datetime, time, timezone
from functools import lru_cache
from itertools import groupby

from ..model import Leaflet, Text
from ..pictures import Picture

FONT = "Arial"  # present on every machine that runs Word; the PDFs use Atkinson Hyperlegible
TEXT_COLOUR = "1A1A1A"
LINK_COLOUR = "0B4A80"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
HYPERLINK_STYLE = "Hyperlink"  # a character style added to the document; its id is its name
PAGE_MM, MARGIN_MM = (210, 297), 20  # A4
TEXT_WIDTH_MM = PAGE_MM[0] - 2 * MARGIN_MM
ACCENTED = ("Title", "Heading 1", "Heading 2")  # in the project's accent colour, as on the page


class Paragraphs:
    """Adds paragraphs by style name; python-docx looks a style up anew on every call."""

    def __init__(self, document):
        self.document = document
        self.style_ids: dict[str, str] = {}

    def __call__(self, style: str = "Normal", text: str = ""):
        paragraph = self.document.add_paragraph(text)
        if style != "Normal":
            if style not in self.style_ids:
                self.style_ids[style] = self.document.styles[style].style_id
            paragraph._p.get_or_add_pPr().style = self.style_ids[style]
        return paragraph


# -- document set-up ------------------------------------------------------------------
def accent_colour() -> str | None:
    """The project's accent (RRGGBB) for links, the title and main headings, as on the page."""
    from .. import project

    accent = project.current().accent
    return accent[1:].upper() if accent else None


def set_up(document, leaflet: Leaflet, title: str, sizes: Mapping[str, int],
           space_after: Mapping[str, int]) -> None:
    """A4, Arial in `sizes` (pt by style name, Normal first), the language, the properties."""
    _set_page(document)
    _set_styles(document, sizes, space_after)
    _set_language(document, leaflet.language, leaflet.direction == "rtl")
    if leaflet.direction == "rtl":
        _set_right_to_left(document)
    _set_properties(document, leaflet, title)


def add_paragraph_style(document, name: str, space: int) -> None:
    """A quick style on Normal with `space` pt before and after."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    style.paragraph_format.space_before = Pt(space)
    style.paragraph_format.space_after = Pt(space)


def _set_page(document) -> None:
    from docx.shared import Mm

    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.left_margin = section.right_margin = Mm(MARGIN_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_MM), Mm(MARGIN_MM)


def _set_styles(document, sizes: Mapping[str, int], space_after: Mapping[str, int]) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt, RGBColor

    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(sizes["Normal"])
    normal.font.color.rgb = RGBColor.from_string(TEXT_COLOUR)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    normal.paragraph_format.line_spacing = 1.5
    accent = accent_colour()
    for name, size in sizes.items():
        style = styles[name]
        if name != "Normal":
            style.font.name = FONT
            style.font.size = Pt(size)
            style.font.italic = False
            coloured = accent and name in ACCENTED
            style.font.color.rgb = RGBColor.from_string(accent if coloured else TEXT_COLOUR)
            _set_theme_free(style)
        if name in space_after:
            style.paragraph_format.space_after = Pt(space_after[name])
    hyperlink = styles.add_style(HYPERLINK_STYLE, 2)  # WD_STYLE_TYPE.CHARACTER
    hyperlink.font.underline = True
    hyperlink.font.color.rgb = RGBColor.from_string(accent or LINK_COLOUR)


def _set_properties(document, leaflet: Leaflet, title: str) -> None:
    core = document.core_properties
    stamp = datetime.combine(leaflet.reviewed, time(), tzinfo=timezone.utc)
    core.title = title
    core.subject = leaflet.summary.plain if leaflet.summary else leaflet.title.plain
    core.keywords = ", ".join(leaflet.keywords)
    core.author = core.last_modified_by = leaflet.publisher.name.plain
    core.language = leaflet.language
    core.created = core.modified = stamp
    core.last_printed = stamp
    core.revision = 1
    core.comments = ""


def _set_theme_free(style) -> None:
    """Drop theme fonts and colours so the style's own font and colour apply."""
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
    colour = rpr.find(qn("w:color"))
    if colour is not None:
        colour.attrib.pop(qn("w:themeColor"), None)
        colour.attrib.pop(qn("w:themeShade"), None)


def _set_language(document, language: str, rtl: bool) -> None:
    """Document language in docDefaults (python-docx has no API for it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:bidi"), language if rtl else "ar-SA")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _set_right_to_left(document) -> None:
    """Right-to-left paragraphs, runs and page (python-docx has no API for them). A w:bidi
    paragraph starts at the right margin by itself: no jc=right, which would mean left."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    # Word wants children in schema order: each goes before the elements that follow it.
    normal = document.styles["Normal"].element
    normal.get_or_add_pPr().insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
    rpr = normal.get_or_add_rPr()
    rpr.insert_element_before(OxmlElement("w:rtl"),
                              *_after("cs em lang eastAsianLayout specVanish oMath"))
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        fonts.set(qn("w:cs"), FONT)
    document.sections[0]._sectPr.insert_element_before(
        OxmlElement("w:bidi"), *_after("rtlGutter docGrid printerSettings sectPrChange"))


def _after(names: str) -> tuple[str, ...]:
    return tuple(f"w:{name}" for name in names.split())


_AFTER_BIDI = _after("adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
                     "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl "
                     "divId cnfStyle rPr sectPr pPrChange")
_AFTER_BIDI_VISUAL = _after("tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
                            "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
                            "tblDescription")


def set_bidi(paragraph, rtl: bool) -> None:
    """A right-to-left paragraph, when `rtl`."""
    if rtl:
        from docx.oxml import OxmlElement

        paragraph._p.get_or_add_pPr().insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)


# -- inline text ----------------------------------------------------------------------
def add_text(paragraph, text: Text) -> None:
    first = len(paragraph._p.xpath(".//w:r"))
    _add_runs(paragraph, text)
    if text.language:  # an untranslated part: Word's proofing and read-aloud use its language
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        for run in paragraph._p.xpath(".//w:r")[first:]:
            lang = OxmlElement("w:lang")
            lang.set(qn("w:val"), text.language)
            run.get_or_add_rPr().append(lang)


def _add_runs(paragraph, text: Text) -> None:
    for (term, href), runs in groupby(text.runs, key=lambda run: (run.term, run.href)):
        runs = list(runs)
        if term or href:
            add_hyperlink(paragraph, "".join(run.text for run in runs),
                          anchor=anchor(term) if term else None, url=href,
                          strong=any(run.strong for run in runs))
            continue
        for run in runs:
            if run.line_break:
                paragraph.add_run().add_break()
            else:
                paragraph.add_run(run.text).bold = run.strong or None


def add_hyperlink(paragraph, text: str, anchor: str | None = None, url: str | None = None,
                  strong: bool = False) -> None:
    """A w:hyperlink to a bookmark (anchor) or an address (url)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    link = OxmlElement("w:hyperlink")
    if anchor:
        link.set(qn("w:anchor"), anchor)
    else:
        link.set(qn("r:id"), paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK,
                                                     is_external=True))
    run = paragraph.add_run(text)
    run._r.get_or_add_rPr().style = HYPERLINK_STYLE  # by id: a lookup by name costs 1 ms a run
    run.bold = strong or None
    link.append(run._r)
    paragraph._p.append(link)


def anchor(term_id: str) -> str:
    """The bookmark name of a glossary term."""
    return "term_" + term_id.replace("-", "_")


def bookmark(paragraph, name: str, number: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.append(start)
    paragraph._p.append(end)


def bold_hard_words(paragraph) -> None:
    """Links to terms (the hard words) in bold."""
    from docx.oxml.ns import qn
    from docx.text.run import Run

    for link in paragraph._p.iter(qn("w:hyperlink")):
        if link.get(qn("w:anchor")):
            for run in link.iter(qn("w:r")):
                Run(run, paragraph).bold = True


# -- tables and pictures ----------------------------------------------------------------
def layout_table(table, widths, rtl: bool) -> None:
    """A borderless layout with columns of `widths`; right to left puts the first on the right."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement

    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    if rtl:
        table._tbl.tblPr.insert_element_before(OxmlElement("w:bidiVisual"), *_AFTER_BIDI_VISUAL)
    for column, width in zip(table.columns, widths):
        column.width = width


def repeat_as_header(row) -> None:
    """The row is the table's header: Word repeats it on every page the table runs onto."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def keep_row_together(row, height) -> None:
    """The row on one page, at least `height` tall, its cells centred vertically."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    row.height, row.height_rule = height, WD_ROW_HEIGHT_RULE.AT_LEAST
    for cell in row.cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def describe(shape, alt: str, name: str) -> None:
    """Alt text of a picture: docPr/@descr (python-docx has no API for it)."""
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", alt)
    doc_pr.set("name", name)


@lru_cache(maxsize=None)
def png(picture: Picture, size_px: int) -> bytes:
    """The picture as a PNG (Word does not read SVG without a PNG fallback), `size_px` square."""
    if picture.media_type == "image/png":
        return picture.path.read_bytes()
    import resvg_py

    return bytes(resvg_py.svg_to_bytes(svg_path=str(picture.path), width=size_px,
                                       height=size_px, skip_system_fonts=True))


# -- footer ---------------------------------------------------------------------------
def add_footer(document, text: str, page_number: str) -> None:
    """`text`, then `page_number` ("Page %(page)s of %(pages)s") with Word's page fields."""
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.style = document.styles["Footer"]
    paragraph.text = text
    for piece in _split_fields(page_number):
        if piece in ("PAGE", "NUMPAGES"):
            _add_field(paragraph, piece)
        else:
            paragraph.add_run(piece)


def _split_fields(label: str) -> list[str]:
    """'Page %(page)s of %(pages)s' -> ['Page ', 'PAGE', ' of ', 'NUMPAGES']."""
    pieces = label.replace("%(pages)s", "\0NUMPAGES\0").replace("%(page)s", "\0PAGE\0")
    return [piece for piece in pieces.split("\0") if piece]


def _add_field(paragraph, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    code = paragraph.add_run()._r
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    code.append(text)
    char("separate")
    paragraph.add_run("1")
    char("end")


# -- same input, same bytes ------------------------------------------------------------
def save(document) -> bytes:
    """The document's package, made reproducible."""
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue())


def reproducible_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed timestamps and a stable entry order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(source.namelist(), key=lambda name: (name != "[Content_Types].xml", name))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return output.getvalue()
