"""The easy-read version read back: pdfplumber and pikepdf on the PDF, python-docx and LibreOffice
on the Word file, lxml and Chromium with axe-core on the HTML."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import docx
import lxml.etree
import lxml.html
import pdfplumber
import pikepdf
import pytest
from docx.oxml.ns import qn

from conftest import ROOT, leaflet, normalise, pdf_text, without_bidi_controls
from leaflet.edition import EASY_READ, Callout, Point, Section, edition
from leaflet.model import hard_word_entries
from leaflet.source import load

PDF, DOCX, HTML = "cytokines-easy-read.pdf", "cytokines-easy-read.docx", "cytokines-easy-read.html"
MIN_BODY_PT = 16
MM = 72 / 25.4
PAGE_BODY_TOP, PAGE_BODY_END = 20 * MM, 841.89 - 36 * MM  # A4 less the margins of easy-read.css
POINT_GAP = 10 * MM  # the margin between two points, or a point and the heading after it
INK_SLACK = 8 * MM  # how far inside its box a picture may draw (boxes here are of what is drawn)
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


@pytest.fixture(scope="module")
def cytokines():
    return load(ROOT / "source" / "cytokines.yaml")


def points_of(leaflet):
    return [point for section in leaflet.sections for point in section.easy_read]


@pytest.fixture(scope="module")
def arabic(cytokines):
    """The cytokines leaflet in Arabic, from its catalogue: right to left, with its notices
    (what the catalogue does not translate yet stays in English, marked as English)."""
    from leaflet.i18n.catalog import translate

    return translate(cytokines, "ar", allow_incomplete=True).leaflet


@pytest.fixture(scope="module")
def easy_read(tmp_path_factory) -> Path:
    """The English easy read as PDF and HTML, built as a user would."""
    out = tmp_path_factory.mktemp("easy-read")
    result = leaflet("build", "source/cytokines.yaml", "--lang", "en", "--format",
                     "easy-read,easy-read-html", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "cytokines" / "en"


@pytest.fixture(scope="module")
def arabic_pdf(arabic) -> bytes:
    from leaflet.render.pdf import render_easy_read

    return render_easy_read(edition(arabic, EASY_READ))


# -- PDF ----------------------------------------------------------------------------------
class Row(NamedTuple):
    page: int
    picture: tuple  # the picture's box (x0, top, x1, bottom)
    text: tuple  # its sentence's box
    alt: str | None
    whole: tuple  # the point's box: picture, sentence and word box
    explained: int  # the entries of its word box drawn on its page (a term and its meaning: 2)


def pdf_rows(data: bytes | Path):
    """A Row for each point, from what is drawn on the page.

    A point is a Div of a section (Sect) of the structure tree holding a Figure and, beside
    it, a Div of its sentence (a P) and its word box (an L); the boxes are the union of the page's drawn objects (paths, images) and characters marked
    with their content ids. (The cover's logo and name are a Div of no section.)
    """
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    with pdfplumber.open(source) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            drawn = defaultdict(list)
            for kind in ("chars", "curves", "rects", "lines", "images"):
                for item in getattr(page, kind):
                    if item.get("mcid") is not None:
                        drawn[item["mcid"]].append(item)
            for section in _elements(page.structure_tree, "Sect"):
                for div in _elements(section["children"], "Div"):
                    figure = [kid for kid in div["children"] if kid["type"] == "Figure"]
                    paragraph = list(_elements(div["children"], "P"))  # the sentence first
                    if figure and paragraph:
                        entries = [item for box in _elements(div["children"], "L")
                                   for item in box["children"] if item["type"] == "LI"
                                   and any(drawn[mcid] for mcid in _mcids(item))]
                        yield Row(number, _box(drawn, _mcids(figure[0])),
                                  _box(drawn, _mcids(paragraph[0])), figure[0].get("alt_text"),
                                  _box(drawn, _mcids(div)), len(entries))


def _elements(nodes, kind):
    for node in nodes:
        if node["type"] == kind:
            yield node
        yield from _elements(node.get("children", []), kind)


def _mcids(node) -> list[int]:
    return [*node.get("mcids", []), *(m for kid in node.get("children", []) for m in _mcids(kid))]


def _box(drawn, mcids):
    items = [item for mcid in mcids for item in drawn[mcid]]
    assert items, f"nothing drawn for content {mcids}"
    return (min(i["x0"] for i in items), min(i["top"] for i in items),
            max(i["x1"] for i in items), max(i["bottom"] for i in items))


def sections_of_points(easy) -> list[tuple[str, int, int]]:
    """(section id, position in its section, points in its section) of each point of an
    easy-read edition in reading order, the points in a box included."""
    found = []
    for block in easy.main:
        if isinstance(block, Section):
            points = [point for child in block.blocks
                      for point in (child.blocks if isinstance(child, Callout) else (child,))
                      if isinstance(point, Point)]
            found += [(block.id, position, len(points)) for position in range(len(points))]
    return found


def body_extent(page) -> tuple[float, float]:
    """The top and bottom of what a page shows above its footer."""
    items = [item for kind in ("chars", "curves", "rects", "images") for item in getattr(page, kind)
             if item["bottom"] < PAGE_BODY_END and item.get("tag") != "Artifact"]
    return min(item["top"] for item in items), max(item["bottom"] for item in items)


def test_every_point_is_a_row_with_its_picture_left_of_its_text(easy_read, cytokines):
    rows = list(pdf_rows(easy_read / PDF))
    points = points_of(cytokines)
    assert [row.alt for row in rows] == [point.alt.plain for point in points]
    for page, picture, text, alt, *_ in rows:
        assert picture[2] < text[0], f"page {page}: picture '{alt}' is not left of its text"
        assert picture[1] < text[3] and text[1] < picture[3], f"page {page}: '{alt}' not on its row"


def test_right_to_left_puts_the_picture_on_the_right(arabic_pdf, arabic):
    rows = list(pdf_rows(arabic_pdf))
    assert len(rows) == len(points_of(arabic))
    for page, picture, text, alt, *_ in rows:
        assert picture[0] > text[2], f"page {page}: picture '{alt}' is not right of its text"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_points_fill_their_pages_and_none_is_alone_on_one(request, language, cytokines, arabic):
    """Pages end by space, not by count: a page ends where its next point does not fit (with
    the heading before it), the first two and the last two points of a section stay together,
    and no page holds a single point unless its section has only one."""
    data = (request.getfixturevalue("easy_read") / PDF).read_bytes() if language == "en" else \
        request.getfixturevalue("arabic_pdf")
    source = cytokines if language == "en" else arabic
    rows = list(pdf_rows(data))
    places = sections_of_points(edition(source, EASY_READ))
    assert len(rows) == len(places)
    by_page = defaultdict(list)
    for row, place in zip(rows, places):
        by_page[row.page].append((row, place))
    pages = sorted(by_page)
    assert len(pages) >= 6
    for page in pages:
        if len(by_page[page]) == 1:
            (section, _, count), = [place for _, place in by_page[page]]
            assert count == 1, f"page {page} holds one point of the {count} of '{section}'"
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page, following in zip(pages, pages[1:]):
            if following != page + 1:
                continue
            free = PAGE_BODY_END - body_extent(pdf.pages[page - 1])[1]
            # What the next page starts with: its heading if any, and its first point, with
            # the next ones while they are the first two or the last two of their section.
            starting = by_page[following]
            kept = 0
            while kept + 1 < len(starting) and starting[kept][1][1] in (
                    0, starting[kept][1][2] - 2) and starting[kept + 1][1][1] > 0:
                kept += 1
            needed = starting[kept][0].whole[3] - PAGE_BODY_TOP
            assert free < needed + POINT_GAP + INK_SLACK, (
                f"page {page}: {free / MM:.0f} mm left, enough for the next "
                f"{needed / MM:.0f} mm from page {following}")


def test_page_one_is_the_cover(easy_read, cytokines):
    easy = edition(cytokines, EASY_READ)
    masthead = easy.header[0]
    assert masthead.logo and masthead.logo_alt
    with pdfplumber.open(easy_read / PDF) as pdf:
        cover = normalise(pdf.pages[0].extract_text())
        figures = list(_elements(pdf.pages[0].structure_tree, "Figure"))
        second = normalise(pdf.pages[1].extract_text())
    assert [figure.get("alt_text") for figure in figures] == [masthead.logo_alt]  # the logo
    for words in ("Cytokines", "Easy read version", "You may want someone to help you read this.",
                  "Leaflet code: RH-HAEM-0042"):
        assert words in cover
    assert "contact your team" not in cover and "What are cytokines?" not in cover
    assert second.startswith("If you have questions or feel unwell, contact your team:")
    assert {row.page for row in pdf_rows(easy_read / PDF)}.isdisjoint({1})


def test_who_can_help_is_a_page_of_its_own_with_the_phone_number_large(easy_read):
    with pdfplumber.open(easy_read / PDF) as pdf:
        texts = [normalise(page.extract_text()) for page in pdf.pages]
        (number,) = [n for n, text in enumerate(texts, 1) if text.startswith("Who can help")]
        page = pdf.pages[number - 1]
        sizes = [round(char["size"]) for each in pdf.pages for char in each.chars]
        body = max(set(sizes), key=sizes.count)
        digits = [char for char in page.chars if char["text"].isdigit()]
        phone = [char for char in digits if char["size"] == max(c["size"] for c in digits)]
    assert "Phone: 0300 123 4567" in texts[number - 1] and "Open:" in texts[number - 1]
    assert "Published by Riverside Health." in texts[number - 1]
    assert number not in {row.page for row in pdf_rows(easy_read / PDF)}  # no point
    assert texts[number].startswith("Hard words")  # and nothing else after it on the page
    assert "".join(char["text"] for char in phone) == "03001234567"
    assert min(char["size"] for char in phone) >= 1.5 * body


def edition_points(leaflet) -> list[Point]:
    """The points of the easy-read edition in reading order, those in a box included."""
    return [point for block in edition(leaflet, EASY_READ).main if isinstance(block, Section)
            for child in block.blocks
            for point in (child.blocks if isinstance(child, Callout) else (child,))]


def test_each_hard_word_is_explained_on_the_page_of_the_first_point_using_it(easy_read,
                                                                             cytokines):
    points = edition_points(cytokines)
    rows = list(pdf_rows(easy_read / PDF))
    assert [row.explained for row in rows] == [2 * len(point.explains) for point in points]
    explained = [(row.page, word) for row, point in zip(rows, points) for word in point.explains]
    assert len(explained) == len(hard_word_entries(cytokines))  # each word once, somewhere
    with pdfplumber.open(easy_read / PDF) as pdf:
        texts = [normalise(page.extract_text()) for page in pdf.pages]
    for page, word in explained:
        words = normalise(f"{word.term.plain} {word.text.plain}")
        assert words in texts[page - 1], f"'{word.term.plain}' not explained on page {page}"
    hard_words = next(n for n, text in enumerate(texts) if text.startswith("Hard words"))
    assert all(page - 1 < hard_words for page, _ in explained)


def test_right_to_left_each_hard_word_is_explained_beside_its_point_too(arabic_pdf, arabic):
    """The word box's entries (a term, its meaning) are drawn on the page of their point."""
    rows = list(pdf_rows(arabic_pdf))
    points = edition_points(arabic)
    assert sum(1 for point in points if point.explains) >= 8
    assert [row.explained for row in rows] == [2 * len(point.explains) for point in points]


def test_an_urgent_point_is_boxed_under_its_label_word(easy_read, cytokines):
    urgent = next(point for point in points_of(cytokines) if point.callout == "urgent")
    row = next(row for row in pdf_rows(easy_read / PDF) if row.alt == urgent.alt.plain)
    with pdfplumber.open(easy_read / PDF) as pdf:
        page = pdf.pages[row.page - 1]
        label = [word for word in page.extract_words() if word["text"] == "Urgent:"]
        boxes = [rect for rect in page.rects if rect["x1"] - rect["x0"] < page.width - 100 * MM
                 or rect["top"] > 30 * MM]
    assert len(label) == 1 and label[0]["bottom"] < row.whole[1]  # the label above the point
    around = [rect for rect in boxes if rect["x0"] < row.whole[0] and rect["x1"] > row.whole[2]
              and rect["top"] < label[0]["top"] and rect["bottom"] > row.whole[3]]
    assert around, "no box drawn around the urgent point and its label"


def test_every_picture_is_a_tagged_figure_with_alt(easy_read, cytokines):
    logo_alt = edition(cytokines, EASY_READ).header[0].logo_alt
    with pikepdf.open(easy_read / PDF) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert "pdfuaid" in str(pdf.open_metadata())
        assert str(pdf.Root.Lang) == "en-GB"
        figures = _structure(pdf.Root.StructTreeRoot, "/Figure")
        assert [str(figure.Alt) for figure in figures] == [
            logo_alt, *(p.alt.plain for p in points_of(cytokines))]
        headings = _structure(pdf.Root.StructTreeRoot, "/H1")
        assert len(headings) == 1


def test_pictures_are_vectors_and_health_icons_dark_on_white(easy_read, cytokines):
    """No picture is a bitmap in the PDF; each Health Icons glyph is filled in a colour with
    4.5:1 on white, and drawn as big as the OpenMoji pictures beside it."""
    from statistics import median

    from leaflet.audit.contrast import contrast
    from leaflet.pictures import library

    source = {point.alt.plain: library()[point.picture].source for point in points_of(cytokines)}
    assert set(source.values()) == {"healthicons", "openmoji"}
    sizes = defaultdict(list)
    with pdfplumber.open(easy_read / PDF) as pdf:
        assert not [page.page_number for page in pdf.pages if page.images]
        for page in pdf.pages:
            curves = defaultdict(list)
            for curve in page.curves + page.rects:
                curves[curve.get("mcid")].append(curve)
            for figure in _elements(page.structure_tree, "Figure"):
                drawn = [curve for mcid in figure.get("mcids", []) for curve in curves[mcid]]
                kind = source.get(figure.get("alt_text"))
                if kind is None:
                    continue  # the logo
                box = _box({0: drawn}, [0])
                sizes[kind].append(max(box[2] - box[0], box[3] - box[1]))
                if kind == "healthicons":
                    fills = {tuple(curve["non_stroking_color"]) for curve in drawn
                             if curve.get("fill")}
                    assert fills and all(contrast((*fill, 1.0)[:3], (1.0, 1.0, 1.0)) >= 4.5
                                         for fill in fills), figure.get("alt_text")
    ratio = median(sizes["healthicons"]) / median(sizes["openmoji"])
    assert 0.9 <= ratio <= 1.1, f"Health Icons drawn {ratio:.2f} times as big as OpenMoji"


def _structure(node, role, found=None):
    found = [] if found is None else found
    if isinstance(node, pikepdf.Dictionary):
        if node.get("/S") == pikepdf.Name(role):
            found.append(node)
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                _structure(kid, role, found)
    return found


def test_type_is_large_upright_and_start_aligned_with_space_between_lines(easy_read):
    with pdfplumber.open(easy_read / PDF) as pdf:
        chars = [c for page in pdf.pages for c in page.chars if c["text"].strip()]
        assert min(round(Decimal(c["size"]), 1) for c in chars) >= MIN_BODY_PT  # footers too
        assert not [c["fontname"] for c in chars if re.search("italic|oblique", c["fontname"], re.I)]
        sizes = sorted(round(c["size"]) for c in chars)
        body = max(set(sizes), key=sizes.count)
        assert body >= 18 and sizes[-1] >= body * 2  # large headings
        flush, ragged, pitches = 0, 0, []
        for page in pdf.pages:
            column_end = max((c["x1"] for c in page.chars), default=0)
            by_mcid = defaultdict(list)
            for char in page.chars:
                by_mcid[char.get("mcid")].append(char)
            for paragraph in _elements(page.structure_tree, "P"):
                lines = defaultdict(list)
                for char in (c for m in _mcids(paragraph) for c in by_mcid[m] if c["text"].strip()):
                    lines[round(char["bottom"])].append(char)
                bottoms = sorted(lines)
                if len(bottoms) < 2:
                    continue
                starts = {round(min(c["x0"] for c in lines[b])) for b in bottoms}
                assert len(starts) == 1, f"page {page.page_number}: lines do not share a start"
                for bottom in bottoms[:-1]:  # justified lines all end at the column's end
                    if max(c["x1"] for c in lines[bottom]) > column_end - 2:
                        flush += 1
                    else:
                        ragged += 1
                size = max(c["size"] for b in bottoms for c in lines[b])
                pitches.extend((b - a) / size for a, b in zip(bottoms, bottoms[1:]))
        assert min(pitches) >= 1.5 - 0.02, "line spacing below 1.5"
        assert ragged > flush, "lines end at one edge: the text is justified"
        text = " ".join(page.extract_text() for page in pdf.pages)
        words = re.findall(r"\b[A-Z]{4,}\b", text.replace("RH-HAEM-0042", ""))  # but the code
        assert words == [], "blocks of capitals"


def test_hard_words_page_credit_and_review_dates_at_the_end(easy_read, cytokines):
    built = easy_read
    with pdfplumber.open(built / PDF) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
        figures_on = {page.page_number for page in pdf.pages for c in page.curves
                      if c.get("tag") == "Figure"}
    start = next(number for number, text in enumerate(texts, 1) if "Hard words" in text)
    assert start > max(figures_on)  # after every point
    after = " ".join(" ".join(texts[start - 1:]).split())
    entries = hard_word_entries(cytokines)
    assert len(entries) >= 10
    for entry in entries:
        assert " ".join(entry.term.plain.split()) in after
        assert " ".join(entry.easy_read.plain.split()) in after
    assert "Pictures: Health Icons" in after and "licence: MIT" in after
    assert "OpenMoji" in after and "CC BY-SA 4.0" in after
    assert "Last reviewed: 21 Oct 2024" in after and "Next review due: 21 Oct 2027" in after
    for number in range(1, len(texts) + 1):
        footer = " ".join(pdf_text(built / PDF, number).split())
        assert f"Page {number} of {len(texts)}" in footer and "Last reviewed: 21 Oct 2024" in footer


def test_every_point_text_is_in_the_pdf_in_order(easy_read, cytokines):
    text = " ".join(pdf_text(easy_read / PDF).split())
    position = 0
    for point in points_of(cytokines):
        words = " ".join(point.text.plain.split())
        found = text.find(words, position)
        assert found >= 0, words
        position = found + len(words)


# -- Word ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def document(built: Path):
    return docx.Document(str(built / DOCX))


def test_word_pictures_have_alt_text_beside_their_point(document, cytokines):
    points = points_of(cytokines)
    rows = [row for table in document.tables for row in table.rows  # not a box's label row
            if row._tr.find(f".//{{{WP}}}docPr") is not None]
    assert len(rows) == len(points)
    for row, point in zip(rows, points):
        picture_cell, text_cell = row.cells
        doc_prs = picture_cell._tc.findall(f".//{{{WP}}}docPr")
        assert len(doc_prs) == 1 and doc_prs[0].get("descr") == point.alt.plain
        # then the hard words it is the first to use, each in a paragraph of its own; on
        # paper, a web link's address follows its words
        text = re.sub(r" \(www\.[^ ()]+\)", "", text_cell.paragraphs[0].text)
        assert text == point.text.plain.replace("\n", " ")
        assert text_cell.paragraphs[0].style.name == "Easy Read Point"
        assert picture_cell._tc.getparent().index(picture_cell._tc) < \
            text_cell._tc.getparent().index(text_cell._tc)


def test_word_pictures_are_png(built: Path, cytokines):
    with zipfile.ZipFile(built / DOCX) as package:
        media = [name for name in package.namelist() if name.startswith("word/media/")]
        assert media and all(package.read(name).startswith(b"\x89PNG") for name in media)
    pictures = {point.picture for point in points_of(cytokines)}
    # one part per picture, shared by its rows; and the logo (cover and header), the QR code
    assert len(media) == len(pictures) + 2


def test_word_styles_large_upright_start_aligned(document):
    styles = document.styles
    assert styles["Normal"].font.size.pt >= 18
    assert styles["Normal"].paragraph_format.line_spacing >= 1.5
    assert styles["Easy Read Point"].base_style.name == "Normal"
    for name in ("Title", "Heading 1", "Heading 2"):
        assert styles[name].font.size.pt > styles["Normal"].font.size.pt
    assert styles["Footer"].font.size.pt >= MIN_BODY_PT
    body = document.element.body
    assert not body.findall(f".//{qn('w:i')}") and not body.findall(f".//{qn('w:caps')}")
    assert all(jc.get(qn("w:val")) != "both" for jc in body.iter(qn("w:jc")))
    hard_word_links = [link for table in document.tables for link in table._tbl.iter(qn("w:hyperlink"))
                       if link.get(qn("w:anchor"))]
    assert hard_word_links and all(link.find(f".//{qn('w:b')}") is not None
                                   for link in hard_word_links)
    for style in styles:
        if style.type == 1 and style.font.italic:  # paragraph styles in use
            assert not any(p.style.name == style.name for p in document.paragraphs), style.name


def test_word_headings_hard_words_credit_and_dates(document, cytokines):
    by_style = defaultdict(list)
    for paragraph in document.paragraphs:
        by_style[paragraph.style.name].append(paragraph.text)
    assert by_style["Title"] == ["Cytokines"]
    titles = [(s.easy_read_title or s.title).plain for s in cytokines.sections]
    # Each section's heading comes before its table of pictures, a layout table without a
    # header row; the page header repeats the heading on the pages the section runs onto.
    assert len(document.tables) == len(titles)
    assert by_style["Heading 1"] == [*titles, "Who can help", "Hard words",
                                     "Tell us what you think of this leaflet"]
    from leaflet.languages import sorted_by

    in_order = sorted_by(hard_word_entries(cytokines), "en-GB", lambda entry: entry.term.plain)
    assert by_style["Glossary Term"] == [entry.term.plain for entry in in_order]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Pictures: Health Icons" in text and "OpenMoji" in text
    assert "Last reviewed: 21 Oct 2024" in text
    assert "Next review due: 21 Oct 2027" in text


def test_word_right_to_left_tables(arabic, tmp_path):
    from leaflet.render.docx import render_easy_read

    document = docx.Document(io.BytesIO(render_easy_read(edition(arabic, EASY_READ))))
    assert document.tables
    for table in document.tables:
        assert table._tbl.tblPr.find(qn("w:bidiVisual")) is not None


@pytest.mark.slow
def test_libreoffice_opens_the_word_file_with_alt_text_on_every_picture(built: Path, tmp_path,
                                                                         cytokines):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed: make test installs libreoffice-writer-nogui"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "odt", "--outdir", str(tmp_path), str(built / DOCX)],
                   check=True, capture_output=True, timeout=180)
    with zipfile.ZipFile(tmp_path / "cytokines-easy-read.odt") as package:
        content = lxml.etree.fromstring(package.read("content.xml"))
    ns = {"draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
          "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"}
    frames = content.findall(".//draw:frame", ns)
    assert [frame.findtext("svg:desc", namespaces=ns) for frame in frames] == [
        "Riverside Health", *(point.alt.plain for point in points_of(cytokines)),
        "QR code: the web version of this leaflet"]  # the logo, the pictures, the QR code


# -- HTML ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def page(easy_read):
    return lxml.html.parse(str(easy_read / HTML)).getroot()


def test_html_rows_picture_first_with_alt_and_hard_words_in_a_box(page, cytokines):
    assert page.get("lang") == "en-GB" and page.get("dir") == "ltr"
    rows = page.find_class("point")
    points = edition_points(cytokines)
    assert len(rows) == len(points) == len(points_of(cytokines))
    for row, point in zip(rows, points):
        picture, text = list(row)
        assert picture.tag == "img" and picture.get("alt") == point.alt.plain
        assert picture.get("src").startswith("data:image/svg+xml;base64,")  # self-contained
        sentence, *box = list(text)
        assert sentence.tag == "p"
        assert sentence.text_content() == point.text.plain.replace("\n", " ")
        assert [element.tag for element in box] == (["dl"] if point.explains else [])
        if point.explains:
            assert [dt.text_content() for dt in box[0].iter("dt")] == [
                word.term.plain for word in point.explains]
            assert [dd.text_content() for dd in box[0].iter("dd")] == [
                " ".join(word.text.plain.split()) for word in point.explains]


def test_html_urgent_points_are_a_box_under_their_label(page):
    (box,) = page.find_class("callout")
    assert "urgent" in box.get("class").split()
    heading = box.find("h3")
    assert heading is not None and heading.text_content().strip() == "Urgent:"
    assert len(box.find_class("point")) == 1


def test_html_passes_axe_and_the_keyboard_zoom_and_spacing_checks(easy_read, arabic, tmp_path):
    from leaflet.audit.html import audit_html
    from leaflet.render.html import render_easy_read

    right_to_left = tmp_path / "ar" / HTML
    right_to_left.parent.mkdir()
    right_to_left.write_bytes(render_easy_read(edition(arabic, EASY_READ)))
    for result in audit_html([easy_read / HTML, right_to_left]):
        assert [str(failure) for failure in result.failures] == [], result.output
        assert "axe color-contrast" in result.checks and "axe image-alt" in result.checks


def test_html_structure_hard_words_and_credit(page, cytokines):
    levels = [int(h.tag[1]) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels.count(1) == 1 and levels[0] == 1 and set(levels) == {1, 2, 3}
    assert [h.getparent().get("class") for h in page.iter("h3")] == ["callout urgent"]
    assert page.get_element_by_id("hard-words").findtext("h2") == "Hard words"
    ids = {element.get("id") for element in page.iter() if element.get("id")}
    for link in page.find_class("term"):
        assert link.get("href").removeprefix("#") in ids
    terms = [entry.term.plain for entry in hard_word_entries(cytokines)]
    assert [dt.text_content() for dt in page.get_element_by_id("hard-words").iter("dt")] == \
        sorted(terms, key=str.casefold)  # in dictionary order
    footer = " ".join(page.find(".//footer").text_content().split())
    assert "Pictures: Health Icons (healthicons.org, licence: MIT) and OpenMoji" in footer
    assert "CC BY-SA 4.0" in footer
    assert "21 Oct 2024" in footer and "21 Oct 2027" in footer
    assert not page.findall(".//i") and not page.findall(".//em")
    assert not [img for img in page.iter("img") if not img.get("alt")]


# -- source, pictures, speed ---------------------------------------------------------------
@pytest.mark.parametrize("pictures, credited", [
    (["phone"], {"OpenMoji": "CC BY-SA 4.0"}),
    (["flu"], {"Health Icons": "MIT"}),
    (["flu", "phone"], {"Health Icons": "MIT", "OpenMoji": "CC BY-SA 4.0"}),
])
def test_the_picture_credit_names_each_set_the_points_show(tmp_path, pictures, credited):
    from itertools import cycle

    from leaflet.edition import picture_credit

    names = cycle(pictures)
    source = re.sub(r"(?m)^(\s+- picture: )\S+$", lambda match: match[1] + next(names),
                    (ROOT / "source" / "cytokines.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "cytokines.yaml"
    path.write_text(source, encoding="utf-8")
    credit = picture_credit(load(path))
    for name, licence in {"OpenMoji": "CC BY-SA 4.0", "Health Icons": "MIT"}.items():
        assert (name in credit.text) == (name in credited), credit.text
        assert (licence in credit.text) == (name in credited), credit.text
    assert credit.url == ("https://openmoji.org/" if "OpenMoji" in credited
                          else "https://healthicons.org/")


def test_a_leaflet_without_points_credits_no_pictures(cytokines):
    from dataclasses import replace

    from leaflet.edition import picture_credit

    bare = replace(cytokines, sections=tuple(replace(section, easy_read=())
                                             for section in cytokines.sections))
    assert picture_credit(bare) is None


def test_own_pictures_are_named_by_file_and_clash_with_an_index_name(tmp_path):
    from leaflet.errors import LeafletErrors
    from leaflet.paths import PICTURE_INDEX as INDEX
    from leaflet.pictures import Library

    (tmp_path / "clinic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    pictures = Library(INDEX, tmp_path)
    assert pictures["clinic"].source == "project" and pictures["injection"].source == "openmoji"
    (tmp_path / "injection.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    with pytest.raises(LeafletErrors, match="picture 'injection' is both in the picture library"):
        Library(INDEX, tmp_path)


def test_a_broken_picture_index_names_its_line(tmp_path):
    from leaflet.errors import LeafletErrors
    from leaflet.pictures import Library

    index = tmp_path / "names.yaml"
    index.write_text("injection: 1F489\nnothing: 1F4890\n")
    with pytest.raises(LeafletErrors) as caught:
        Library(index, tmp_path)
    assert str(caught.value) == (f"{index}:2:10: no OpenMoji picture '1F4890' for 'nothing'; "
                                 "write its code point in hex, like 1F489 for a syringe")


def test_easy_read_texts_are_extracted_in_reading_order(cytokines):
    from leaflet.model import easy_read_texts
    from leaflet.source.schema import texts_of

    from leaflet.i18n.extract import EASY_READ_NOTE, messages

    easy = list(easy_read_texts(cytokines))
    first = cytokines.sections[0]
    assert easy[:3] == [first.easy_read_title, first.easy_read[0].text, first.easy_read[0].alt]
    # Translators meet each section's easy-read texts right after its full text, marked short.
    extracted = [text for text, comments in messages(cytokines) if EASY_READ_NOTE in comments]
    assert sorted(extracted, key=id) == sorted(easy, key=id)
    in_order = [id(text) for text in texts_of(cytokines)]
    last_paragraph = in_order.index(id(first.blocks[-1].text))
    title, point = in_order.index(id(first.easy_read_title)), in_order.index(id(first.easy_read[0].text))
    assert last_paragraph < title == point - 1 < in_order.index(id(cytokines.sections[1].title))


def test_a_word_build_loads_no_easy_read_library(tmp_path):
    code = ("import sys; from leaflet.cli import main; "
            f"main(['build', 'source/cytokines.yaml', '--format', 'docx', '--out', {str(tmp_path)!r}, '-q']); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'wordfreq', 'textstat', 'resvg_py', 'weasyprint'}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_readme_lists_every_picture_name():
    from leaflet.pictures import library

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n### Pictures\n", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`([a-z0-9-]+)`", section.split("| --- |", 1)[1]))
    assert listed == set(library().pictures)


def test_the_easy_read_page_offers_its_own_narration(built: Path):
    audio = lxml.html.parse(str(built / HTML)).getroot().find(".//audio")
    assert audio is not None and audio.get("src") == "cytokines-easy-read.mp3"
    assert audio.find("track").get("src") == "cytokines-easy-read.vtt"


def test_each_translation_s_cover_holds_its_notice_helper_note_and_dates(tmp_path: Path):
    """A draft translation's notice stands above the cover; the cover still fits its page, so
    the helper note and the review dates are not pushed onto the next."""
    result = leaflet("build", "source/cytokines.yaml", "--lang", "cy,pl,ar", "--format",
                     "easy-read", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for language, helper, next_review in (
            ("cy", "Efallai yr hoffech", "Adolygiad nesaf"),
            ("pl", "Możesz poprosić", "Następna weryfikacja"),
            ("ar", "قد ترغب", "موعد المراجعة القادمة")):
        path = tmp_path / "cytokines" / language / "cytokines-easy-read.pdf"
        cover = without_bidi_controls(pdf_text(path, 1))
        assert helper in cover and next_review in cover, (language, cover)
