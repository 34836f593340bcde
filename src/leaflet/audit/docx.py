"""The rules of Word's accessibility checker that can be read from the file itself.

Read with python-docx and lxml: every picture has alt text (or is marked decorative) and sits
inline with the text, headings start at Heading 1 and do not skip a level, every data table has
a header row repeated as such (a layout table declares it has none, and nests no table), the
document has a title and a language, nothing is laid out with blank paragraphs, tabs, runs of
spaces or stacked line breaks instead of styles, and every text colour (in styles or runs)
reaches 4.5:1 on every background (page colour, shading) it can have.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import Failure, Result, known_language

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
}
HEADING_NAME = re.compile(r"^heading ([1-9])$", re.IGNORECASE)
FALSE = {"0", "false", "off"}


def audit_docx(path: Path, name: str | None = None) -> Result:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    result = Result(name or str(path))
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as error:
        result.add("readable Word document", [f"not a readable .docx: {error}"])
        return result
    parts = _story_parts(document)
    result.add("every picture has alt text", _alt_text(parts))
    result.add("pictures are inline with the text", _inline(parts))
    result.add("headings start at Heading 1 and do not skip", _headings(document))
    result.add("tables have a header row", _tables(document))
    result.add("the document has a title", _title(document))
    result.add("the document has a language", _language(document))
    result.add("no blank paragraphs for spacing", _blank_paragraphs(document, parts))
    result.add("no tabs, runs of spaces or stacked breaks for layout", _layout_characters(parts))
    result.add("text colours contrast with their background", _contrast(document, parts))
    return result


def _text(element) -> str:
    """The text of an element's w:t runs (not field codes, not python-docx's own text)."""
    return "".join(node.text or "" for node in element.iter(f"{{{W}}}t"))


def _story_parts(document) -> list[tuple[str, object]]:
    """(label, root element) of the body and of every header and footer."""
    parts = [("body", document.element.body)]
    seen = set()
    for section in document.sections:
        for kind in ("header", "footer", "first_page_header", "first_page_footer",
                     "even_page_header", "even_page_footer"):
            story = getattr(section, kind)
            if story.is_linked_to_previous:
                continue
            element = story._element
            if id(element) not in seen:
                seen.add(id(element))
                parts.append((kind.replace("_", " "), element))
    return parts


def _alt_text(parts) -> list[Failure]:
    check = "every picture has alt text"
    problems = []
    for label, root in parts:
        for properties in root.iterfind(".//wp:docPr", NS):
            decorative = any(node.get("val", "1") not in FALSE for node in properties.iter()
                             if node.tag.endswith("}decorative"))
            if not (properties.get("descr") or "").strip() and not decorative:
                problems.append(Failure(check, f"picture '{properties.get('name', '?')}' in the "
                                               f"{label} has no alt text"))
        for image in root.iterfind(".//v:shape", NS):
            if not (image.get("alt") or "").strip():
                problems.append(Failure(check, f"a VML shape in the {label} has no alt text"))
    return problems


def _inline(parts) -> list[Failure]:
    check = "pictures are inline with the text"
    return [Failure(check, f"picture '{anchor.find('wp:docPr', NS).get('name', '?')}' in the "
                           f"{label} floats; a screen reader may not find it in the text")
            for label, root in parts for anchor in root.iterfind(".//wp:anchor", NS)
            if anchor.find("wp:docPr", NS) is not None]


def _contrast(document, parts) -> list[Failure]:
    """Word's "hard-to-read text contrast", made conservative: every explicit text colour on
    every background the document declares (page colour, paragraph, cell and run shading)."""
    from .contrast import contrast

    check = "text colours contrast with their background"
    roots = [("styles", style) for style in _used_styles(document, parts)] + list(parts)
    defaults = document.styles.element.find("w:docDefaults", NS)
    if defaults is not None:
        roots.append(("styles", defaults))
    colours, backgrounds = {}, {"FFFFFF": "the white page"}
    page = document.element.find("w:background", NS)
    if page is not None and (page.get(f"{{{W}}}color") or "auto") != "auto":
        backgrounds = {page.get(f"{{{W}}}color").upper(): "the page colour"}
    for label, root in roots:
        for colour in root.iter(f"{{{W}}}color"):
            value = (colour.get(f"{{{W}}}val") or "auto").upper()
            if value != "AUTO" and len(value) == 6:
                colours.setdefault(value, label)
        for shading in root.iter(f"{{{W}}}shd"):
            fill = (shading.get(f"{{{W}}}fill") or "auto").upper()
            if fill != "AUTO" and len(fill) == 6:
                backgrounds.setdefault(fill, f"shading in the {label}")
    problems = []
    for colour, where in sorted(colours.items()):
        for background, on in sorted(backgrounds.items()):
            ratio = contrast(_rgb(colour), _rgb(background))
            if ratio < 4.5:
                problems.append(Failure(check, f"text colour #{colour} ({where}) on "
                                               f"#{background} ({on}) is {ratio:.2f}:1, below 4.5:1"))
    return problems


def _used_styles(document, parts) -> list:
    """The style elements the text takes formatting from: those the parts name, the defaults,
    and the styles these are based on."""
    styles = {style.get(f"{{{W}}}styleId"): style
              for style in document.styles.element.iterfind("w:style", NS)}
    wanted = [style_id for style_id, style in styles.items()
              if style.get(f"{{{W}}}default") in ("1", "true", "on")]
    for _label, root in parts:
        for tag in ("pStyle", "rStyle", "tblStyle"):
            wanted += [node.get(f"{{{W}}}val") for node in root.iter(f"{{{W}}}{tag}")]
    used = {}
    while wanted:
        style_id = wanted.pop()
        if style_id in used or style_id not in styles:
            continue
        used[style_id] = styles[style_id]
        for relation in ("basedOn",):
            related = styles[style_id].find(f"w:{relation}", NS)
            if related is not None:
                wanted.append(related.get(f"{{{W}}}val"))
    return list(used.values())


def _rgb(value: str) -> tuple[float, float, float, float]:
    return (*(int(value[index:index + 2], 16) / 255 for index in (0, 2, 4)), 1.0)


def _style_names(document) -> dict[str, str]:
    return {style.style_id: style.name or "" for style in document.styles}


def _outline_level(document, style_id: str | None, names: dict[str, str]) -> int | None:
    if style_id is None:
        return None
    match = HEADING_NAME.match(names.get(style_id, ""))
    return int(match.group(1)) if match else None


def _headings(document) -> list[Failure]:
    check = "headings start at Heading 1 and do not skip"
    names = _style_names(document)
    problems, previous = [], 0
    for paragraph in document.element.body.iter(f"{{{W}}}p"):
        style = paragraph.find("w:pPr/w:pStyle", NS)
        level = _outline_level(document, style.get(f"{{{W}}}val") if style is not None else None,
                               names)
        direct = paragraph.find("w:pPr/w:outlineLvl", NS)
        if level is None and direct is not None:
            level = int(direct.get(f"{{{W}}}val")) + 1
            if level > 9:
                level = None
        if level is None:
            continue
        text = _text(paragraph)[:50]
        if previous == 0 and level != 1:
            problems.append(Failure(check, f"the first heading, {text!r}, is Heading {level}"))
        elif previous and level > previous + 1:
            problems.append(Failure(check, f"Heading {level} {text!r} follows Heading {previous}"))
        previous = level
    return problems


def _tables(document) -> list[Failure]:
    """A data table's first row is its header, repeated on every page. A layout table (the
    easy read's pictures beside their text) says it has no header row (tblLook firstRow off),
    has no caption and no header row, and holds no table: it reads row by row."""
    check = "tables have a header row"
    problems = []
    for number, table in enumerate(document.element.body.iter(f"{{{W}}}tbl"), 1):
        first_row = table.find("w:tr", NS)
        if first_row is None:
            continue
        text = " ".join(_text(first_row).split())[:50]
        if _is_layout(table):
            if table.find(".//w:tc//w:tbl", NS) is not None:
                problems.append(Failure(check, f"layout table {number} (first row {text!r}) "
                                               "holds a table; lay it out in one table"))
            continue
        header = first_row.find("w:trPr/w:tblHeader", NS)
        if header is None or header.get(f"{{{W}}}val", "true") in FALSE:
            problems.append(Failure(check, f"table {number} (first row {text!r}) has no header "
                                           "row marked to repeat as a header"))
    return problems


def _is_layout(table) -> bool:
    look = table.find("w:tblPr/w:tblLook", NS)
    declared = look is not None and look.get(f"{{{W}}}firstRow") in FALSE
    return (declared and table.find("w:tblPr/w:tblCaption", NS) is None
            and table.find("w:tr/w:trPr/w:tblHeader", NS) is None)


def _title(document) -> list[str]:
    return [] if (document.core_properties.title or "").strip() else [
        "the document properties have no title"]


def _language(document) -> list[str]:
    defaults = document.styles.element.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    value = defaults.get(f"{{{W}}}val") if defaults is not None else None
    if not value:
        return ["no language is set for the document's text (w:lang in the default style)"]
    if not known_language(value):
        return [f"the document language {value!r} is not a known language tag"]
    return []


def _paragraph_is_blank(paragraph) -> bool:
    if _text(paragraph).strip():
        return False
    keeps = (".//w:drawing", ".//w:pict", ".//w:object", ".//w:fldChar", ".//w:fldSimple",
             ".//w:br[@w:type='page']", "w:pPr/w:sectPr", ".//w:sym")
    return not any(paragraph.find(path, NS) is not None for path in keeps)


def _blank_paragraphs(document, parts) -> list[Failure]:
    """Empty paragraphs used as space. An empty cell needs its one paragraph, so that is not one;
    nor is the paragraph a header or footer must have when it is empty."""
    check = "no blank paragraphs for spacing"
    problems = []
    for label, root in parts:
        paragraphs = list(root.iter(f"{{{W}}}p"))
        for index, paragraph in enumerate(paragraphs):
            if not _paragraph_is_blank(paragraph):
                continue
            container = paragraph.getparent()
            if container.tag == f"{{{W}}}tc" and len(container.findall("w:p", NS)) == 1:
                continue
            if label != "body" and len(paragraphs) == 1:
                continue
            before = " ".join(_text(paragraphs[index - 1]).split())[:40] \
                if index else "the start"
            problems.append(Failure(check, f"a blank paragraph in the {label}, after {before!r}; "
                                           "use paragraph spacing in a style instead"))
    return problems


def _layout_characters(parts) -> list[Failure]:
    check = "no tabs, runs of spaces or stacked breaks for layout"
    problems = []
    for label, root in parts:
        for paragraph in root.iter(f"{{{W}}}p"):
            text = _text(paragraph)
            short = " ".join(text.split())[:40]
            if paragraph.find(".//w:r/w:tab", NS) is not None or "\t" in text:
                problems.append(Failure(check, f"a tab lays out {short!r} in the {label}"))
            if re.search(r"\S {2,}|^ {2,}", text):
                problems.append(Failure(check, f"repeated spaces lay out {short!r} in the {label}"))
            runs = [child for run in paragraph.iterfind(".//w:r", NS) for child in run
                    if child.tag in (f"{{{W}}}br", f"{{{W}}}t")]
            for first, second in zip(runs, runs[1:]):
                if (first.tag == second.tag == f"{{{W}}}br"
                        and first.get(f"{{{W}}}type") in (None, "textWrapping")
                        and second.get(f"{{{W}}}type") in (None, "textWrapping")):
                    problems.append(Failure(check, f"blank lines made of line breaks in {short!r} "
                                                   f"in the {label}"))
                    break
    return problems
