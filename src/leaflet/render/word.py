"""The Word toolkit: python-docx set-up, inline text, links, tables, pictures and a stable zip."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timezone
from functools import lru_cache
from itertools import groupby

from ..model import Leaflet, Text
from ..pictures import Picture

# On every machine that runs Word, with every letter of Welsh and Polish; the PDFs and pages use
# Atkinson Hyperlegible Next, which a reader's Word may not have.
FONT = "Arial"
# Word draws right-to-left and Indic letters with the complex-script (w:cs) font, in the
# complex-script language: Arial for right-to-left text, and these for scripts Arial lacks
# (Nirmala UI has come with Windows since 8; elsewhere the system's fallback draws the text).
COMPLEX_SCRIPT_FONTS = {"bn": "Nirmala UI"}
TEXT_COLOUR = "1A1A1A"
LINK_COLOUR = "0B4A80"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
HYPERLINK_STYLE = "Hyperlink"  # a character style added to the document; its id is its name
PAGE_MM, MARGIN_MM = (210, 297), 20  # A4
TEXT_WIDTH_MM = PAGE_MM[0] - 2 * MARGIN_MM
ACCENTED = ("Title", "Heading 1", "Heading 2")  # in the project's accent colour, as on the page
HEADINGS = ("Title", "Subtitle", "Heading 1", "Heading 2")


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
    complex_font = _complex_script_font(leaflet.language, leaflet.direction == "rtl")
    _set_language(document, leaflet.language, complex_font is not None)
    if complex_font:
        _set_complex_script_font(document, complex_font)
    if leaflet.direction == "rtl":
        _set_right_to_left(document)
    _set_properties(document, leaflet, title)


def add_paragraph_style(document, name: str, space: int | None = None, *, base: str = "Normal",
                        space_after: int | None = None, bold: bool = False,
                        keep_with_next: bool = False):
    """A quick style on `base` with `space` pt before and after (or `space_after` after)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles[base]
    style.quick_style = True
    if space is not None:
        style.paragraph_format.space_before = Pt(space)
        style.paragraph_format.space_after = Pt(space)
    if space_after is not None:
        style.paragraph_format.space_after = Pt(space_after)
    if bold:
        style.font.bold = style.font.cs_bold = True
    if keep_with_next:
        style.paragraph_format.keep_with_next = True
    return style


def set_size(font, points: float) -> None:
    """The font size of Latin and of complex scripts (Arabic takes w:szCs, not w:sz)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font.size = Pt(points)
    rpr = font.element.get_or_add_rPr()  # of the style or the run
    size = rpr.find(qn("w:szCs"))
    if size is None:
        size = OxmlElement("w:szCs")
        rpr.insert_element_before(size, *_after(
            "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
            "specVanish oMath"))
    size.set(qn("w:val"), str(round(points * 2)))


def set_bold(run, bold: bool = True) -> None:
    """Bold in every script: w:b for Latin, w:bCs for Arabic and other complex scripts."""
    run.bold = run.font.cs_bold = bold or None


def box(element, border: str, fill: str | None, width_eighths: int = 12, space_pt: int = 6,
        sides: tuple[str, ...] = ("top", "left", "bottom", "right"),
        start_eighths: int | None = None) -> None:
    """A border on `sides` (`start_eighths` wide on the left, the start of a right-to-left
    paragraph) and a shading (`fill`) on a paragraph's or a style's pPr, indented so that the
    box lines up with the text around it; adjacent paragraphs with the same box share it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in sides:
        line = OxmlElement(f"w:{side}")
        width = start_eighths if side == "left" and start_eighths else width_eighths
        for name, value in (("val", "single"), ("sz", str(width)),
                            ("space", str(space_pt)), ("color", border)):
            line.set(qn(f"w:{name}"), value)
        borders.append(line)
    ppr.insert_element_before(borders, *_AFTER_PBDR)
    if fill:
        ppr.insert_element_before(_shading(fill), *_AFTER_PBDR[1:])
    if "left" in sides:
        inset = box_inset(space_pt)
        indent = ppr.get_or_add_ind()
        indent.set(qn("w:left"), str(inset))
        indent.set(qn("w:right"), str(inset))


def box_inset(space_pt: int = 6) -> int:
    """Twips from a box's border to its text: the border's space and its width."""
    return (space_pt + 2) * 20


def indent(paragraph, left: int, right: int, hanging: int = 0, first_line: int = 0) -> None:
    """A paragraph's own indents, in twips (left and right are start and end in right-to-left
    paragraphs)."""
    from docx.oxml.ns import qn

    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:left"), str(left))
    ind.set(qn("w:right"), str(right))
    if hanging:
        ind.set(qn("w:hanging"), str(hanging))
    if first_line:
        ind.set(qn("w:firstLine"), str(first_line))


def copy_box(source_style, paragraph) -> None:
    """The box (border and shading) of `source_style` on a paragraph of another style."""
    import copy

    from docx.oxml.ns import qn

    source = source_style.element.pPr
    ppr = paragraph._p.get_or_add_pPr()
    for tag, successors in (("w:pBdr", _AFTER_PBDR), ("w:shd", _AFTER_PBDR[1:])):
        element = source.find(qn(tag))
        if element is not None:
            ppr.insert_element_before(copy.deepcopy(element), *successors)


def _shading(fill: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    return shading


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
    set_size(normal.font, sizes["Normal"])
    normal.font.color.rgb = RGBColor.from_string(TEXT_COLOUR)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    normal.paragraph_format.line_spacing = 1.5
    accent = accent_colour()
    for name, size in sizes.items():
        style = styles[name]
        if name != "Normal":
            style.font.name = FONT
            set_size(style.font, size)
            style.font.italic = style.font.cs_italic = False
            coloured = accent and name in ACCENTED
            style.font.color.rgb = RGBColor.from_string(accent if coloured else TEXT_COLOUR)
            _set_theme_free(style)
            _set_letters_unspaced(style)
            _set_rule_colour(style)
            if name in HEADINGS:  # large type on 1.5 lines leaves gaps inside a heading
                style.paragraph_format.line_spacing = 1.15
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
    core.keywords = ", ".join(keyword.plain for keyword in leaflet.keywords)
    core.author = core.last_modified_by = leaflet.publisher.name.plain
    core.language = leaflet.language
    core.created = core.modified = stamp
    core.last_printed = stamp
    core.revision = 1
    core.comments = ""


def _set_letters_unspaced(style) -> None:
    """No extra space between letters (the template's Title and Subtitle have it), which
    would pull apart the joined letters of Arabic."""
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    for tag in ("w:spacing", "w:kern"):
        for element in rpr.findall(qn(tag)):
            rpr.remove(element)


def _set_rule_colour(style) -> None:
    """The rule under the template's Title in the accent colour, not the theme's blue."""
    from docx.oxml.ns import qn

    rule = style.element.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    if rule is not None:
        rule.set(qn("w:color"), accent_colour() or TEXT_COLOUR)
        rule.attrib.pop(qn("w:themeColor"), None)


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


def _complex_script_font(language: str, rtl: bool) -> str | None:
    from ..languages import primary

    return COMPLEX_SCRIPT_FONTS.get(primary(language), FONT if rtl else None)


def _set_complex_script_font(document, font: str) -> None:
    from docx.oxml.ns import qn

    fonts = document.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:cs"), font)


def _set_language(document, language: str, complex_script: bool) -> None:
    """Document language in docDefaults (python-docx has no API for it); w:bidi is the
    language of complex-script text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:bidi"), language if complex_script else "ar-SA")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _set_right_to_left(document) -> None:
    """Right-to-left paragraphs, runs and page (python-docx has no API for them). A w:bidi
    paragraph starts at the right margin by itself: no jc=right, which would mean left."""
    from docx.oxml import OxmlElement

    # Word wants children in schema order: each goes before the elements that follow it.
    normal = document.styles["Normal"].element
    normal.get_or_add_pPr().insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
    rpr = normal.get_or_add_rPr()
    rpr.insert_element_before(OxmlElement("w:rtl"),
                              *_after("cs em lang eastAsianLayout specVanish oMath"))
    document.sections[0]._sectPr.insert_element_before(
        OxmlElement("w:bidi"), *_after("rtlGutter docGrid printerSettings sectPrChange"))


def _after(names: str) -> tuple[str, ...]:
    return tuple(f"w:{name}" for name in names.split())


_AFTER_BIDI = _after("adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
                     "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl "
                     "divId cnfStyle rPr sectPr pPrChange")
_AFTER_PBDR = _after("shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct "
                     "autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
                     "contextualSpacing mirrorIndents suppressOverlap jc textDirection "
                     "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr "
                     "pPrChange")
_AFTER_BIDI_VISUAL = _after("tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
                            "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
                            "tblDescription")


def set_bidi(paragraph, rtl: bool) -> None:
    """A right-to-left paragraph, when `rtl`."""
    if rtl:
        from docx.oxml import OxmlElement

        paragraph._p.get_or_add_pPr().insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)


# -- inline text ----------------------------------------------------------------------
def add_text(paragraph, text: Text, rtl: bool = False) -> None:
    """Text with its bold words and links; `rtl`: the paragraph is right to left."""
    first = len(paragraph._p.xpath(".//w:r"))
    _add_runs(paragraph, text, rtl)
    if text.language:  # an untranslated part: Word's proofing and read-aloud use its language
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        for run in paragraph._p.xpath(".//w:r")[first:]:
            lang = OxmlElement("w:lang")
            lang.set(qn("w:val"), text.language)
            run.get_or_add_rPr().append(lang)


def _add_runs(paragraph, text: Text, rtl: bool) -> None:
    for (term, href), runs in groupby(text.runs, key=lambda run: (run.term, run.href)):
        runs = list(runs)
        if term or href:
            link = add_hyperlink(paragraph, "".join(run.text for run in runs),
                                 anchor=anchor(term) if term else None, url=href,
                                 strong=any(run.strong for run in runs), rtl=rtl)
            if all(run.language for run in runs):
                _mark_run_language(link, runs[0].language, rtl)
            continue
        for run in runs:
            if run.line_break:
                paragraph.add_run().add_break()
                continue
            added = paragraph.add_run(_isolated_run(run, rtl))
            set_bold(added, run.strong)
            if run.language:
                _mark_run_language(added, run.language, rtl)


def _isolated_run(run, rtl_paragraph: bool) -> str:
    """A run in a language of the other direction, between isolates (U+2066 or U+2067 ...
    U+2069): its neighbours' brackets and spaces keep the paragraph's direction."""
    from .html import ISOLATE, direction

    way = direction(run.language) if run.language else None
    if way and (way == "rtl") != rtl_paragraph:
        return f"{ISOLATE[way]}{run.text}\u2069"
    return run.text


def _mark_run_language(run, tag: str, rtl_paragraph: bool) -> None:
    from .html import direction

    mark_language(run, tag, direction(tag) == "rtl", rtl_paragraph=rtl_paragraph)


def add_hyperlink(paragraph, text: str, anchor: str | None = None, url: str | None = None,
                  strong: bool = False, rtl: bool = False):
    """A w:hyperlink to a bookmark (anchor) or an address (url). On paper a link cannot be
    followed: a web address the words do not show is printed after them, in brackets."""
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
    set_bold(run, strong)
    link.append(run._r)
    paragraph._p.append(link)
    if url and url.startswith(("https:", "http:")) and not shows_address(text, url):
        paragraph.add_run(" " + isolated(f"({printed_address(url)})", rtl))
    return run


LRM = "\u200e"  # LEFT-TO-RIGHT MARK: an invisible letter of left-to-right direction


def isolated(text: str, rtl: bool) -> str:
    """Left-to-right text (an address, a phone number) kept whole and in order inside
    right-to-left text: between two left-to-right marks, its digits, spaces, slashes and
    brackets take its direction (every reader knows these marks; not all draw isolates)."""
    return f"{LRM}{text}{LRM}" if rtl else text


def printed_address(url: str) -> str:
    """A web address as a reader types it: no https://, no lone slash at the end."""
    address = url.split("://", 1)[-1]
    host, _, path = address.partition("/")
    return host if not path else address


def shows_address(text: str, url: str) -> bool:
    """The words of a link are its address already (with or without https:// or www.)."""
    def bare(value: str) -> str:
        value = value.replace(LRM, "").strip()
        return printed_address(value).removeprefix("www.").rstrip("/").lower()

    return bare(text) == bare(url)


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


def data_table(table, caption: str | None, rtl: bool) -> None:
    """A table of data: its first row is its header (tblLook), its caption its title for
    assistive technology (tblCaption); right to left, its first column on the right."""
    from docx.oxml.ns import qn

    properties = table._tbl.tblPr
    if rtl:
        properties.insert_element_before(_element("w:bidiVisual"), *_AFTER_BIDI_VISUAL)
    look = properties.find(qn("w:tblLook"))
    if look is not None:
        look.set(qn("w:firstRow"), "1")
    margins = _element("w:tblCellMar")
    for side, twips in (("top", 80), ("left", 108), ("bottom", 80), ("right", 108)):
        margin = _element(f"w:{side}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription",
                                     "w:tblPrChange")
    if caption:
        title = _element("w:tblCaption")
        title.set(qn("w:val"), caption)
        properties.insert_element_before(title, "w:tblDescription", "w:tblPrChange")


def mark_as_layout(table) -> None:
    """The table lays things out and has no header row: its look says so (tblLook firstRow
    off), which the audit reads as a layout table."""
    from docx.oxml.ns import qn

    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        from docx.oxml import OxmlElement

        look = OxmlElement("w:tblLook")
        table._tbl.tblPr.append(look)
    for name, value in (("firstRow", "0"), ("lastRow", "0"), ("firstColumn", "0"),
                        ("lastColumn", "0"), ("noHBand", "1"), ("noVBand", "1"),
                        ("val", "0600")):
        look.set(qn(f"w:{name}"), value)


def repeat_as_header(row) -> None:
    """The row is the table's header: Word repeats it on every page the table runs onto."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def keep_row_together(row) -> None:
    """The row on one page: it moves to the next page whole rather than split."""
    row._tr.get_or_add_trPr().append(_element("w:cantSplit"))


def centre_vertically(row) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    for cell in row.cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def shade_cell(cell, fill: str, border: str, sides: tuple[str, ...], eighths: int = 18) -> None:
    """A cell's shading and its borders on `sides` (top, left, bottom, right): a box drawn
    round a run of rows."""
    from docx.oxml.ns import qn

    properties = cell._tc.get_or_add_tcPr()
    borders = _element("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        if side in sides:
            line = _element(f"w:{side}")
            for name, value in (("val", "single"), ("sz", str(eighths)), ("space", "0"),
                                ("color", border)):
                line.set(qn(f"w:{name}"), value)
            borders.append(line)
    properties.insert_element_before(borders, *_after("shd noWrap tcMar textDirection "
                                                      "tcFitText vAlign hideMark"))
    properties.insert_element_before(_shading(fill), *_after("noWrap tcMar textDirection "
                                                             "tcFitText vAlign hideMark"))


def _element(tag: str):
    from docx.oxml import OxmlElement

    return OxmlElement(tag)


def describe(shape, alt: str, name: str) -> None:
    """Alt text of a picture: docPr/@descr (python-docx has no API for it)."""
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", alt)
    doc_pr.set("name", name)


DECORATIVE = "http://schemas.microsoft.com/office/drawing/2017/decorative"
DECORATIVE_EXTENSION = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"


def mark_decorative(shape, name: str, number: int) -> None:
    """A picture that says nothing the words beside it do not (Word's "Mark as decorative");
    `number` keeps its id apart from the body's pictures, which a header's part cannot see."""
    from docx.oxml.ns import qn
    from lxml import etree

    doc_pr = shape._inline.docPr
    doc_pr.set("id", str(number))
    doc_pr.set("name", name)
    doc_pr.set("descr", "")
    extensions = etree.SubElement(doc_pr, qn("a:extLst"))
    extension = etree.SubElement(extensions, qn("a:ext"), uri=DECORATIVE_EXTENSION)
    etree.SubElement(extension, f"{{{DECORATIVE}}}decorative", nsmap={"adec": DECORATIVE},
                     val="1")


@lru_cache(maxsize=None)
def file_png(path, width_px: int) -> bytes:
    """An SVG or PNG file (a logo) as a PNG `width_px` wide, in its own proportions."""
    if str(path).lower().endswith(".png"):
        return path.read_bytes()
    import resvg_py

    return bytes(resvg_py.svg_to_bytes(svg_path=str(path), width=width_px,
                                       skip_system_fonts=True))


@lru_cache(maxsize=None)
def png(picture: Picture, size_px: int) -> bytes:
    """The picture as a PNG (Word does not read SVG without a PNG fallback), `size_px` square."""
    if picture.media_type == "image/png":
        return picture.path.read_bytes()
    import resvg_py

    return bytes(resvg_py.svg_to_bytes(svg_path=str(picture.path), width=size_px,
                                       height=size_px, skip_system_fonts=True))


# -- lists ------------------------------------------------------------------------------
class Numbering:
    """Word's own lists: bullets (a second level for sub-points) and numbered steps, whose
    numbers start again at 1 in every list (a new w:num with a start override)."""

    def __init__(self, document, indent_twips: int):
        self.document, self.indent = document, indent_twips
        self.root = document.part.numbering_part.element
        self.bullets = self._abstract(("bullet", "\u2022"), ("bullet", "\u2013"), indent_twips)
        self.steps = self._abstract(("decimal", "%1."), ("bullet", "\u2022"), indent_twips)
        for style, abstract, level in (("List Bullet", self.bullets, 0),
                                       ("List Bullet 2", self.bullets, 1),
                                       ("List Number", self.steps, 0)):
            self._link(document.styles[style], self._num(abstract), level)

    def new_list(self) -> int:
        """A numbered list of its own: its first step is number 1 (apply it to each step)."""
        return self._num(self.steps, restart=True)

    @staticmethod
    def apply(paragraph, number: int) -> None:
        numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numbering.get_or_add_ilvl().val = 0
        numbering.get_or_add_numId().val = number

    def _abstract(self, first: tuple[str, str], second: tuple[str, str], indent: int) -> str:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls, qn

        ids = [int(node.get(qn("w:abstractNumId"))) for node in self.root.iter(qn("w:abstractNum"))]
        number = str(max(ids, default=-1) + 1)
        levels = "".join(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{kind}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{indent * (level + 1)}" w:hanging="{indent}"/></w:pPr>'
            f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/></w:rPr></w:lvl>'
            for level, (kind, text) in enumerate((first, second)))
        abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{number}">'
                             f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>')
        first_num = self.root.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.root.append(abstract)
        return number

    def _num(self, abstract: str, restart: bool = False) -> int:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        number = self.root._next_numId
        override = ('<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
                    if restart else "")
        self.root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{number}">'
                                   f'<w:abstractNumId w:val="{abstract}"/>{override}</w:num>'))
        return number

    @staticmethod
    def _link(style, number: int, level: int) -> None:
        numbering = style.element.get_or_add_pPr().get_or_add_numPr()
        numbering.get_or_add_ilvl().val = level
        numbering.get_or_add_numId().val = number


# -- languages of runs -------------------------------------------------------------------
def mark_language(run, tag: str, rtl: bool, rtl_paragraph: bool = False) -> None:
    """The run is in language `tag` (right to left: its complex-script language, and w:rtl;
    left to right in a right-to-left paragraph: w:rtl off, so that it keeps its order)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = run._r.get_or_add_rPr()
    if rtl or rtl_paragraph:
        direction = OxmlElement("w:rtl")
        if not rtl:
            direction.set(qn("w:val"), "0")
        rpr.insert_element_before(direction,
                                  *_after("cs em lang eastAsianLayout specVanish oMath"))
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), tag)
    if rtl:
        lang.set(qn("w:bidi"), tag)
    rpr.insert_element_before(lang, *_after("eastAsianLayout specVanish oMath"))


# -- fields, header and footer --------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    """A field's instruction (" PAGE ", " DOCPROPERTY ... ") and the result it shows now."""

    instruction: str
    result: str = "1"


def docproperty(name: str, value: str) -> Field:
    """A DOCPROPERTY field of a custom property: its value now, and again after an update."""
    quoted = name.replace('"', "")
    return Field(f' DOCPROPERTY "{quoted}" \\* MERGEFORMAT ', value)


def add_pieces(paragraph, pieces) -> None:
    """Text and fields, in order."""
    for piece in pieces:
        if isinstance(piece, Field):
            add_field(paragraph, piece)
        elif piece == "\n":
            paragraph.add_run().add_break()
        else:
            paragraph.add_run(piece)


def page_fields(page_number: str) -> list:
    """'Page %(page)s of %(pages)s' -> ['Page ', PAGE, ' of ', NUMPAGES] with Word's fields."""
    pieces = page_number.replace("%(pages)s", "\0NUMPAGES\0").replace("%(page)s", "\0PAGE\0")
    return [Field(f" {piece} ") if piece in ("PAGE", "NUMPAGES") else piece
            for piece in pieces.split("\0") if piece]


def add_footer(document, pieces, style: str = "Footer") -> None:
    """The same footer on every page, the first (which has a header of its own) too."""
    section = document.sections[0]
    for footer in (section.footer, section.first_page_footer):
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles[style]
        add_pieces(paragraph, pieces)


def add_field(paragraph, field: Field) -> None:
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
    text.text = field.instruction
    code.append(text)
    char("separate")
    if field.result:
        paragraph.add_run(field.result)
    char("end")


# -- document properties ------------------------------------------------------------------
CUSTOM_PROPERTIES = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
PROPERTY_SET = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the user-defined properties' set
APPLICATION = "leaflet"


def set_custom_properties(document, properties: Mapping[str, str]) -> None:
    """docProps/custom.xml: text properties a DOCPROPERTY field can show (python-docx has no
    API for them)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree

    namespace = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    types = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    root = etree.Element(f"{{{namespace}}}Properties", nsmap={None: namespace, "vt": types})
    for number, (name, value) in enumerate(properties.items(), 2):  # pid 2 is the first
        entry = etree.SubElement(root, f"{{{namespace}}}property", fmtid=PROPERTY_SET,
                                 pid=str(number), name=name)
        etree.SubElement(entry, f"{{{types}}}lpwstr").text = value
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_PROPERTIES, blob, package)
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)


def set_app_properties(document, company: str) -> None:
    """docProps/app.xml names this tool, not the template's "Microsoft Macintosh Word", and
    gives no page or word counts (the template's 1 page and 0 words are false); the template's
    thumbnail of an empty page goes too."""
    from lxml import etree

    namespace = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    types = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    root = etree.Element(f"{{{namespace}}}Properties", nsmap={None: namespace, "vt": types})
    for name, value in (("Application", APPLICATION), ("DocSecurity", "0"),
                        ("ScaleCrop", "false"), ("Company", company),
                        ("LinksUpToDate", "false"), ("SharedDoc", "false"),
                        ("HyperlinksChanged", "false")):
        etree.SubElement(root, f"{{{namespace}}}{name}").text = value
    package = document.part.package
    for relationship in list(package.rels.values()):
        partname = relationship.target_part.partname if not relationship.is_external else ""
        if partname == "/docProps/app.xml":
            relationship.target_part._blob = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True)
        elif partname == "/docProps/thumbnail.jpeg":
            package.rels.pop(relationship.rId)


# -- same input, same bytes ------------------------------------------------------------
def save(document) -> bytes:
    """The document's package, made reproducible: the members python-docx writes, zipped once
    (not zipped by python-docx, then unzipped and zipped again) with fixed timestamps and a
    stable entry order."""
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    members = _Members()
    PackageWriter._write_content_types_stream(members, package.parts)
    PackageWriter._write_pkg_rels(members, package.rels)
    PackageWriter._write_parts(members, package.parts)
    names = sorted(members, key=lambda name: (name != "[Content_Types].xml", name))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, members[name])
    return output.getvalue()


class _Members(dict):
    """A package's members by name: what python-docx's PackageWriter writes to a zip file."""

    def write(self, pack_uri, blob: bytes) -> None:
        self[pack_uri.membername] = blob
