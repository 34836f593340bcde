"""The editable Word document: python-docx with Word's own styles, A4, language and fields set."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, time, timezone
from itertools import groupby

from ..i18n.labels import review_dates, translations
from ..model import BulletList, Leaflet, Text

FONT = "Arial"  # present on every machine that runs Word; the PDFs use Atkinson Hyperlegible
TEXT_COLOUR = "1A1A1A"
LINK_COLOUR = "0B4A80"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
HYPERLINK_STYLE = "Hyperlink"  # a character style added to the document; its id is its name


def render(edition, options=None) -> bytes:
    leaflet = edition.leaflet
    import docx

    document = docx.Document()
    _ = translations(leaflet.language).gettext
    _set_up(document, leaflet)
    add = _Paragraphs(document)

    add("Subtitle", leaflet.publisher.name.plain)
    add("Title", leaflet.title.plain)
    for notice in leaflet.notices:
        paragraph = add("Intense Quote")
        paragraph.add_run(_("Please note:") + " ").bold = True
        paragraph.add_run(notice)
    for section in leaflet.sections:
        if section.title:
            _add_text(add("Heading 1"), section.title)
        for block in section.blocks:
            if isinstance(block, BulletList):
                for item in block.items:
                    _add_text(add("List Bullet"), item)
            else:
                _add_text(add(), block.text)

    if leaflet.glossary:
        add("Heading 1", _("Glossary"))
        for entry in leaflet.glossary:
            term = add("Heading 2")
            _bookmark(term, _anchor(entry.id), len(leaflet.glossary) + leaflet.glossary.index(entry))
            _add_text(term, entry.term)
            _add_text(add(), entry.definition)

    if leaflet.references:
        add("Heading 1", _("References"))
        for reference in leaflet.references:
            _add_text(add("List Bullet"), reference)
    if leaflet.references_note:
        _add_text(add(), leaflet.references_note)

    last_reviewed, next_review_due = review_dates(leaflet)
    review = add()
    review.add_run(last_reviewed)
    review.add_run().add_break()
    review.add_run(next_review_due)
    for link in leaflet.related_links:
        _add_hyperlink(add(), link.text.plain, url=link.url)
    published_by, contact_label = _("Published by"), _("Contact:")
    contact = add("Normal", f"{published_by} {leaflet.publisher.name.plain}. {contact_label} ")
    _add_hyperlink(contact, leaflet.publisher.contact, url=f"mailto:{leaflet.publisher.contact}")

    _add_footer(document, leaflet, _)
    buffer = io.BytesIO()
    document.save(buffer)
    return _reproducible_zip(buffer.getvalue())


class _Paragraphs:
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


def _set_up(document, leaflet: Leaflet) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Mm, Pt, RGBColor

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)

    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.font.color.rgb = RGBColor.from_string(TEXT_COLOUR)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    normal.paragraph_format.line_spacing = 1.5
    normal.paragraph_format.space_after = Pt(8)
    accent = accent_colour()
    for name, size in (("Title", 28), ("Subtitle", 14), ("Heading 1", 18), ("Heading 2", 14),
                       ("Intense Quote", 12), ("Footer", 12)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.italic = False
        coloured = accent and name in ("Title", "Heading 1", "Heading 2")
        style.font.color.rgb = RGBColor.from_string(accent if coloured else TEXT_COLOUR)
        _set_theme_free(style)
    hyperlink = styles.add_style(HYPERLINK_STYLE, 2)  # WD_STYLE_TYPE.CHARACTER
    hyperlink.font.underline = True
    hyperlink.font.color.rgb = RGBColor.from_string(accent or LINK_COLOUR)
    _set_language(document, leaflet.language, leaflet.direction == "rtl")
    if leaflet.direction == "rtl":
        _set_right_to_left(document)

    core = document.core_properties
    stamp = datetime.combine(leaflet.reviewed, time(), tzinfo=timezone.utc)
    core.title = leaflet.title.plain
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
    normal.get_or_add_pPr().insert_element_before(
        OxmlElement("w:bidi"), *_after("adjustRightInd snapToGrid spacing ind contextualSpacing "
                                       "mirrorIndents suppressOverlap jc textDirection "
                                       "textAlignment textboxTightWrap outlineLvl divId "
                                       "cnfStyle rPr sectPr pPrChange"))
    rpr = normal.get_or_add_rPr()
    rpr.insert_element_before(OxmlElement("w:rtl"),
                              *_after("cs em lang eastAsianLayout specVanish oMath"))
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        fonts.set(qn("w:cs"), FONT)
    document.sections[0]._sectPr.insert_element_before(
        OxmlElement("w:bidi"), *_after("rtlGutter docGrid printerSettings sectPrChange"))


def _after(names: str) -> list[str]:
    return [f"w:{name}" for name in names.split()]


# -- inline text ----------------------------------------------------------------------
def _add_text(paragraph, text: Text) -> None:
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
            _add_hyperlink(paragraph, "".join(run.text for run in runs),
                           anchor=_anchor(term) if term else None, url=href,
                           strong=any(run.strong for run in runs))
            continue
        for run in runs:
            if run.line_break:
                paragraph.add_run().add_break()
            else:
                paragraph.add_run(run.text).bold = run.strong or None


def _add_hyperlink(paragraph, text: str, anchor: str | None = None, url: str | None = None,
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


def _anchor(term_id: str) -> str:
    return "term_" + term_id.replace("-", "_")


def _bookmark(paragraph, name: str, number: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.append(start)
    paragraph._p.append(end)


# -- footer ---------------------------------------------------------------------------
def _add_footer(document, leaflet: Leaflet, _) -> None:
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.style = document.styles["Footer"]
    paragraph.text = f"{leaflet.title.plain} · {review_dates(leaflet)[0]} · "
    label = _("Page %(page)s of %(pages)s")
    for piece in _split_fields(label):
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
def _reproducible_zip(data: bytes) -> bytes:
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
