"""The Word documents read back with python-docx and lxml, converted by LibreOffice, their QR code
read by zbarimg."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import lxml.etree
import pytest
from docx.oxml.ns import qn

from conftest import (ROOT, assert_in_order, normalise, pdf_text, seed_paragraphs,
                      without_bidi_controls, without_page_footers)

WORD = ("docx", "large-print-docx", "easy-read-docx")
# The build the Word files are part of: the web page is made too, so the other-versions note
# has the page's address and its QR code.
BUILT_WITH = ("html", *WORD)
ADDRESS = "https://leaflets.example.org/cytokines/{}/cytokines.html"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def render_word(source: Path, languages: list[str], out: Path) -> Path:
    """Each Word format of `source` in `languages`, written as a build would: `out`/id/lang/."""
    from leaflet.build import plan

    jobs = plan([source], list(BUILT_WITH), out, languages, allow_incomplete=True).jobs
    for job in jobs:
        if job.format.name in WORD:
            job.folder.mkdir(parents=True, exist_ok=True)
            for suffix, data in job.format.render(job.leaflet, job.options).items():
                (job.folder / f"{job.leaflet.id}{suffix}").write_bytes(data)
    return out


@pytest.fixture(scope="session")
def word_files(tmp_path_factory) -> Path:
    """cytokines in English and Arabic, and the blocks fixture in English, in every Word format."""
    out = tmp_path_factory.mktemp("word")
    render_word(ROOT / "source" / "cytokines.yaml", ["en", "ar"], out)
    render_word(ROOT / "tests" / "roots" / "blocks.yaml", ["en"], out)
    return out


@pytest.fixture(scope="module")
def built(word_files: Path) -> Path:
    return word_files / "cytokines" / "en"


@pytest.fixture(scope="module")
def document(built: Path):
    return docx.Document(str(built / "cytokines.docx"))


@pytest.fixture(scope="module")
def blocks(word_files: Path):
    return docx.Document(str(word_files / "blocks" / "en" / "blocks.docx"))


def styled(document, *styles: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name in styles]


def libreoffice_pdf(docx_path: Path, folder: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed: make test installs libreoffice-writer-nogui"
    subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(docx_path)],
                   check=True, capture_output=True, timeout=180)
    return folder / f"{docx_path.stem}.pdf"


# -- the standard file ----------------------------------------------------------------------
def test_headings_use_word_heading_styles(document):
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["Cytokines"] == "Title"
    for heading in ("How do cytokine drugs work?", "Peginterferon to treat blood cancers",
                    "How do you have peginterferon alpha 2a?",
                    "What are the side effects of peginterferon alpha 2a?",
                    "Glossary", "References", "Tell us what you think of this leaflet",
                    "Contact us"):
        assert styles[heading] == "Heading 1", heading
    assert styled(document, "Heading 2") == []


def test_side_effects_use_list_bullet(document):
    bullets = styled(document, "List Bullet")
    assert "tiredness (fatigue)" in bullets and "headaches" in bullets
    assert len([b for b in bullets if "Compendium" not in b and "\n" not in b]) >= 9


def test_a4_language_and_properties(document):
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    core = document.core_properties
    assert core.title == "Cytokines" and core.language == "en-GB"
    assert "peginterferon" in core.subject and "immunotherapy" in core.keywords
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "en-GB"


def test_the_cover_logo_organisation_title_summary_and_facts(document):
    first, organisation, title, summary, facts = document.paragraphs[:5]
    (picture,) = first._p.iter(f"{{{WP}}}docPr")
    assert picture.get("descr") == "Riverside Health"  # logo_alt of leaflet.toml
    assert first._p.find(f".//{{{WP}}}inline") is not None
    assert (organisation.style.name, organisation.text) == ("Organisation", "Riverside Health")
    assert (title.style.name, title.text) == ("Title", "Cytokines")
    assert summary.text.startswith("What cytokine drugs are")
    assert facts.text.split("\n") == ["Leaflet code: RH-HAEM-0042", "Version: 2",
                                      "Last reviewed: 21 Oct 2024",
                                      "Next review due: 21 Oct 2027"]


def test_help_line_box_near_the_start_phone_first(document):
    texts = [p.text for p in document.paragraphs]
    box = styled(document, "Help Line")
    assert box == ["If you have questions or feel unwell, contact your team:",
                   "Phone: 0300 123 4567\nOpen: Monday to Friday, 9am to 5pm"]
    assert texts.index(box[0]) < texts.index("How do cytokine drugs work?")
    style = document.styles["Help Line"].element.pPr
    assert style.find(qn("w:pBdr")) is not None and style.find(qn("w:shd")) is not None


def test_the_urgent_box_has_its_label_in_words_in_bold(document):
    urgent = [p for p in document.paragraphs if p.style.name == "Urgent"]
    assert [p.text for p in urgent] == [
        "Urgent: Contact your team straight away",
        "Contact your team straight away if you have a temperature of 37.5°C or above, or if you "
        "feel unwell. An infection can become serious very quickly."]
    label = urgent[0].runs[0]
    assert label.text == "Urgent:" and label.bold and label.font.cs_bold
    assert all(run.bold for run in urgent[0].runs if run.text.strip())
    assert urgent[0].paragraph_format.keep_with_next
    box = document.styles["Urgent"].element.pPr
    borders = box.find(qn("w:pBdr"))
    assert {side.tag.split("}")[1] for side in borders} == {"top", "left", "bottom", "right"}
    assert box.find(qn("w:shd")).get(qn("w:fill")) == "FDECEA"


def test_glossary_terms_in_their_own_style_with_bookmarks(document):
    body = document.element.body
    anchors = {link.get(qn("w:anchor")) for link in body.iter(qn("w:hyperlink"))} - {None}
    bookmarks = {mark.get(qn("w:name")) for mark in body.iter(qn("w:bookmarkStart"))}
    assert len(anchors) == 7 and anchors <= bookmarks
    terms = [p for p in document.paragraphs if p.style.name == "Glossary Term"]
    assert [p.text for p in terms][:3] == ["blood cells", "blood clots", "bone marrow"]
    assert all(p._p.find(qn("w:bookmarkStart")) is not None for p in terms)
    style = document.styles["Glossary Term"]
    assert style.font.bold and style.paragraph_format.keep_with_next
    assert style.base_style.name == "Normal"  # not a heading: no outline level
    assert style.element.find(f".//{qn('w:outlineLvl')}") is None


def test_web_links_print_their_address_after_their_words(document):
    texts = [p.text for p in document.paragraphs]
    assert ("More about peginterferon alpha 2 (www.cancerresearchuk.org/about-cancer/treatment/"
            "drugs/peginterferon-alfa-2a)") in texts
    # Where the words are the address already (e-mail, the website, the feedback page), no
    # second copy.
    contact = "\n".join(texts[texts.index("Contact us"):])
    assert "E-mail: leaflets@example.org\n" in contact and "(leaflets@" not in contact
    assert "Website: https://www.example.org/\n" in contact
    assert "Send your comments to: https://www.example.org/leaflet-feedback" in texts


def test_other_versions_languages_marked_and_the_address(document):
    paragraphs = document.paragraphs
    label = next(n for n, p in enumerate(paragraphs)
                 if p.text == "This leaflet is also available in:")
    formats, languages, address = (p.text for p in paragraphs[label + 1:label + 4])
    assert formats == "Large print · Word · Easy read"
    assert languages == "English · العربية"
    marks = [(run.text, run._r.find(f"{qn('w:rPr')}/{qn('w:lang')}"))
             for run in paragraphs[label + 2].runs if run.text != " · "]
    assert [(text, lang.get(qn("w:val")), lang.get(qn("w:bidi"))) for text, lang in marks] == [
        ("English", "en", None), ("العربية", "ar", "ar")]
    assert paragraphs[label + 2].runs[-1]._r.rPr.find(qn("w:rtl")) is not None
    assert address == "Read and listen online: leaflets.example.org/cytokines/en/cytokines.html"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_qr_code_reads_as_the_web_address(word_files: Path, tmp_path: Path, language: str):
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "zbarimg is needed: make test installs zbar-tools"
    path = word_files / "cytokines" / language / "cytokines.docx"
    document = docx.Document(str(path))
    (picture,) = [pr for pr in document.element.body.iter(f"{{{WP}}}docPr")
                  if pr.get("name") == "QR code"]
    assert picture.get("descr")  # qr_alt, in the language
    inline = picture.getparent()
    blip = next(inline.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"))
    image = document.part.related_parts[blip.get(f"{{{R}}}embed")]
    (tmp_path / "qr.png").write_bytes(image.blob)
    read = subprocess.run([zbarimg, "-q", "--raw", str(tmp_path / "qr.png")],
                          capture_output=True, text=True, check=True, timeout=60)
    assert read.stdout.strip() == ADDRESS.format(language)


def test_header_names_the_organisation_on_every_page_but_the_cover(document):
    section = document.sections[0]
    assert section.different_first_page_header_footer
    header = section.header
    assert [p.text for p in header.paragraphs] == [" Riverside Health"]
    (logo,) = header._element.iter(f"{{{WP}}}docPr")  # decoration beside the name
    assert logo.get("descr") == "" and any(node.tag.endswith("}decorative")
                                           and node.get("val") == "1" for node in logo.iter())
    assert "".join(p.text for p in section.first_page_header.paragraphs) == ""
    for footer in (section.footer, section.first_page_footer):
        assert " PAGE " in footer._element.xml and " NUMPAGES " in footer._element.xml


def test_review_dates_are_document_properties_shown_by_fields(built: Path, document):
    with zipfile.ZipFile(built / "cytokines.docx") as package:
        custom = lxml.etree.fromstring(package.read("docProps/custom.xml"))
        types = package.read("[Content_Types].xml").decode()
        relations = package.read("_rels/.rels").decode()
    properties = {entry.get("name"): entry[0].text for entry in custom}
    assert properties == {"Leaflet code": "RH-HAEM-0042", "Version": "2",
                          "Last reviewed": "21 Oct 2024", "Next review due": "21 Oct 2027"}
    assert "custom-properties+xml" in types and "relationships/custom-properties" in relations
    parts = [document.element.body, document.sections[0].footer._element]
    fields = [_fields(part) for part in parts]
    assert {name: value for name, value in fields[0]} == properties  # the cover's facts
    assert ("Last reviewed", "21 Oct 2024") in fields[1]  # in the page footer


def _fields(root) -> list[tuple[str, str]]:
    """(property, shown result) of each DOCPROPERTY field: the runs between its separate and
    end marks."""
    found, name, result, inside = [], None, [], False
    for run in root.iter(f"{{{W}}}r"):
        mark = run.find(f"{{{W}}}fldChar")
        code = run.find(f"{{{W}}}instrText")
        if code is not None and "DOCPROPERTY" in code.text:
            name = re.search(r'DOCPROPERTY "([^"]+)"', code.text)[1]
        elif mark is not None and mark.get(f"{{{W}}}fldCharType") == "separate" and name:
            inside, result = True, []
        elif mark is not None and mark.get(f"{{{W}}}fldCharType") == "end" and name:
            found.append((name, "".join(result)))
            name, inside = None, False
        elif inside:
            result += [t.text for t in run.iter(f"{{{W}}}t")]
    return found


def test_app_properties_name_this_tool_and_no_false_counts(built: Path):
    with zipfile.ZipFile(built / "cytokines.docx") as package:
        app = package.read("docProps/app.xml").decode()
        names = package.namelist()
    assert "<Application>leaflet</Application>" in app and "Microsoft" not in app
    assert not re.search(r"<(Pages|Words|Characters|Lines|Paragraphs|Template|TotalTime)>", app)
    assert "<Company>Riverside Health</Company>" in app
    assert "docProps/thumbnail.jpeg" not in names


def test_package_is_reproducible_zip(built: Path, word_files: Path, tmp_path: Path):
    with zipfile.ZipFile(built / "cytokines.docx") as package:
        infos = package.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    again = render_word(ROOT / "source" / "cytokines.yaml", ["en", "ar"], tmp_path)
    for name in ("cytokines.docx", "cytokines-large-print.docx", "cytokines-easy-read.docx"):
        assert (again / "cytokines" / "en" / name).read_bytes() == (built / name).read_bytes()


# -- the blocks: lists, a table, boxes ---------------------------------------------------------
def test_lists_use_words_list_styles_with_sub_points(blocks):
    pairs = [(p.style.name, p.text) for p in blocks.paragraphs if p.style.name.startswith("List")]
    assert pairs == [
        ("List Bullet", "you have signs of an infection, such as"),
        ("List Bullet 2", "a temperature of 37.5°C or above"), ("List Bullet 2", "shivering"),
        ("List Bullet", "the skin around the injection is red"),
        ("List Number", "Wash your hands."),
        ("List Number", "Choose a place to inject, such as"),
        ("List Bullet 2", "your tummy"), ("List Bullet 2", "your thigh"),
        ("List Number", "Push the needle in and press the plunger slowly.")]
    numbering = blocks.part.numbering_part.element
    for name, kind, level in (("List Bullet", "bullet", 0), ("List Bullet 2", "bullet", 1),
                              ("List Number", "decimal", 0)):
        number, ilvl = _numbering_of(blocks.styles[name].element)
        assert ilvl == level and _format(numbering, number, level) == kind, name


def _numbering_of(element) -> tuple[str, int]:
    numbering = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    return (numbering.find(qn("w:numId")).get(qn("w:val")),
            int(numbering.find(qn("w:ilvl")).get(qn("w:val"))))


def _format(numbering, number: str, level: int) -> str:
    num = numbering.find(f"{qn('w:num')}[@{qn('w:numId')}='{number}']")
    abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    definition = numbering.find(f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='{abstract}']")
    lvl = definition.find(f"{qn('w:lvl')}[@{qn('w:ilvl')}='{level}']")
    return lvl.find(qn("w:numFmt")).get(qn("w:val"))


def test_every_numbered_list_starts_at_1(tmp_path: Path):
    """Two lists of steps: LibreOffice numbers each from 1 (a new w:num restarts Word's count)."""
    from leaflet.edition import FULL, ItemList, Section, edition
    from leaflet.model import ListItem
    from leaflet.render.docx import render
    from leaflet.source import load

    leaflet = load(ROOT / "tests" / "roots" / "blocks.yaml")
    full = edition(leaflet, FULL)
    steps = next(block for section in full.main for block in section.blocks
                 if isinstance(block, ItemList) and block.ordered)
    twice = replace(steps, items=steps.items[:1] + (ListItem(steps.items[2].text),))
    full = replace(full, main=(Section("one", None, (twice, twice)),))
    (tmp_path / "steps.docx").write_bytes(render(full))
    text = pdf_text(libreoffice_pdf(tmp_path / "steps.docx", tmp_path))
    numbers = re.findall(r"^\s*(\d+)\.\s+(Wash|Push)", text, re.MULTILINE)
    assert numbers == [("1", "Wash"), ("2", "Push"), ("1", "Wash"), ("2", "Push")]


def test_the_table_is_a_data_table_with_a_repeated_header(blocks):
    (table,) = blocks.tables
    header, *rows = table.rows
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert [cell.text for cell in header.cells] == ["Weeks", "Dose", "How often"]
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert [[cell.text for cell in row.cells] for row in rows] == [
        ["1 to 4", "180 micrograms", "Once a week"],
        ["5 onwards", "90 micrograms", "Every 2 weeks"]]
    assert table.style.name == "Table Grid"
    properties = table._tbl.tblPr
    assert properties.find(qn("w:tblCaption")).get(qn("w:val")) == "How often you have it"
    caption = table._tbl.getprevious()
    assert caption.xpath("string(.)") == "How often you have it"
    assert caption.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == "Caption"


def test_important_and_urgent_boxes(blocks):
    assert styled(blocks, "Important") == ["Important: Keep your injections in the fridge",
                                           "Store them between 2°C and 8°C. Do not freeze them."]
    assert styled(blocks, "Urgent") == [
        "Urgent:", "Call 999 if you have chest pain or find it hard to breathe."]


def test_a_box_that_holds_a_list_is_one_box():
    """Word and LibreOffice join bordered paragraphs into one box when they start at the same
    place: every paragraph of the box has its border and the same start."""
    from leaflet.edition import FULL, Callout, ItemList, Paragraph, Section, edition
    from leaflet.render.docx import render
    from leaflet.source import load

    full = edition(load(ROOT / "tests" / "roots" / "blocks.yaml"), FULL)
    paragraph, bullets = full.main[0].blocks[:2]
    assert isinstance(paragraph, Paragraph) and isinstance(bullets, ItemList)
    box = Callout("urgent", "Urgent:", None, (paragraph, bullets, paragraph))
    full = replace(full, main=(Section("one", None, (paragraph, box, paragraph)),))
    document = docx.Document(io.BytesIO(render(full)))
    texts = [p.text for p in document.paragraphs]
    first = texts.index("Urgent:")
    inside = document.paragraphs[first:first + 7]
    assert [p.text for p in inside][-1] == paragraph.text.plain
    assert texts[first + 7] == paragraph.text.plain  # after the box
    style = document.styles["Urgent"].element.pPr
    starts = set()
    for p in inside:
        own = p._p.pPr
        borders = own.find(qn("w:pBdr")) if own.find(qn("w:pBdr")) is not None \
            else style.find(qn("w:pBdr"))
        assert borders is not None and borders.find(qn("w:left")).get(qn("w:color")) == "B3261E"
        ind = _indent(document, p)
        starts.add(int(ind.get(qn("w:left"))) - int(ind.get(qn("w:hanging")) or 0))
    assert len(starts) == 1


def _indent(document, paragraph):
    """The w:ind that applies: the paragraph's own, its list level's, or its style's."""
    own = paragraph._p.pPr.find(qn("w:ind"))
    if own is not None:
        return own
    style = paragraph.style.element
    numbering = paragraph._p.pPr.find(qn("w:numPr"))
    if numbering is None:
        numbering = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    if numbering is not None:
        number = numbering.find(qn("w:numId")).get(qn("w:val"))
        level = numbering.find(qn("w:ilvl")).get(qn("w:val"))
        root = document.part.numbering_part.element
        num = root.find(f"{qn('w:num')}[@{qn('w:numId')}='{number}']")
        abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        definition = root.find(f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='{abstract}']")
        return definition.find(f"{qn('w:lvl')}[@{qn('w:ilvl')}='{level}']/{qn('w:pPr')}/"
                               f"{qn('w:ind')}")
    return style.find(f"{qn('w:pPr')}/{qn('w:ind')}")


@pytest.mark.slow
def test_libreoffice_reads_the_blocks_in_order(word_files: Path, tmp_path: Path):
    text = normalise(pdf_text(libreoffice_pdf(word_files / "blocks" / "en" / "blocks.docx",
                                              tmp_path)))
    assert_in_order([
        "Giving your injection at home", "Phone: 0300 123 4567",
        "you have signs of an infection, such as", "– a temperature of 37.5°C or above",
        "Important: Keep your injections in the fridge", "1. Wash your hands.",
        "2. Choose a place to inject, such as", "– your tummy", "3. Push the needle in",
        "How often you have it", "Weeks Dose How often", "1 to 4 180 micrograms Once a week",
        "Urgent: Call 999 if you have chest pain", "Contact us", "Phone: 0300 123 4567",
        "Published by Riverside Health."], text)


# -- large print ------------------------------------------------------------------------------
def test_large_print_is_18_pt_with_the_standard_styles(built: Path, document):
    large = docx.Document(str(built / "cytokines-large-print.docx"))
    normal = large.styles["Normal"]
    assert normal.font.size.pt == 18 and normal.paragraph_format.line_spacing == 1.5
    size_cs = normal.element.rPr.find(qn("w:szCs")).get(qn("w:val"))
    assert size_cs == "36"  # Arabic and other complex scripts: 18 pt too
    assert {p.style.name for p in large.paragraphs} == {p.style.name for p in document.paragraphs}
    for name in ("Title", "Heading 1", "Caption", "Footer", "Header"):
        assert large.styles[name].font.size.pt >= 16, name
        assert large.styles[name].font.size.pt >= document.styles[name].font.size.pt, name
    assert large.styles["Heading 1"].font.size.pt > document.styles["Heading 1"].font.size.pt
    assert [p.text for p in large.paragraphs] == [p.text for p in document.paragraphs]


# -- easy read --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def easy(built: Path):
    return docx.Document(str(built / "cytokines-easy-read.docx"))


def test_easy_read_cover_is_a_page_of_its_own(easy):
    texts = [p.text for p in easy.paragraphs]
    note = texts.index("You may want someone to help you read this.")
    assert texts[1:4] == ["Riverside Health", "Cytokines", "Easy read version"]
    after = easy.paragraphs[note + 1]  # a notice (none here) or whom to call opens page 2
    assert after.style.name == "Help Line" and after.paragraph_format.page_break_before


def test_easy_read_points_keep_in_twos_at_the_ends_of_a_section(easy):
    """The first two points keep together (with the heading), and so do the last two."""
    for table in easy.tables:
        keeps = [all(p.paragraph_format.keep_with_next for cell in row.cells
                     for p in cell.paragraphs) for row in table.rows]
        points = [number for number, row in enumerate(table.rows)
                  if row._tr.find(f".//{{{WP}}}docPr") is not None]
        if len(points) < 2:
            continue
        kept = set(range(points[1])) | set(range(points[-2], len(keeps) - 1))
        assert {number for number, keep in enumerate(keeps) if keep} == kept


def test_easy_read_points_explain_their_hard_words_beside_them(easy):
    cells = [row.cells[1] for table in easy.tables for row in table.rows
             if row._tr.find(f".//{{{WP}}}docPr") is not None]
    first = cells[0]
    assert first.paragraphs[0].text == "Cytokines are proteins that your body makes naturally."
    (explained,) = first.paragraphs[1:]
    assert explained.style.name == "Hard Word"
    assert explained.text.startswith("cytokines\n")
    assert explained.runs[0].text == "cytokines" and explained.runs[0].bold
    assert all(len(cell.paragraphs) == 1 for cell in cells[3:5])  # no new hard word there


def test_easy_read_rows_paginate_by_space_in_a_layout_table(easy):
    for table in easy.tables:
        look = table._tbl.tblPr.find(qn("w:tblLook"))
        assert look.get(qn("w:firstRow")) == "0"  # no header row: it lays pictures out
        for row in table.rows:
            assert row._tr.trPr.find(qn("w:tblHeader")) is None
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
            assert row._tr.trPr.find(qn("w:trHeight")) is None  # no fixed number a page
        heading = table._tbl.getprevious()
        assert heading.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == "Heading1"
    # The heading of the part a page is in, at the top of every page (Word fills it in).
    assert 'STYLEREF "Heading 1"' in easy.sections[0].header._element.xml


def test_easy_read_urgent_point_is_boxed_with_its_label(easy):
    rows = [row for table in easy.tables for row in table.rows]
    label = next(n for n, row in enumerate(rows) if row.cells[0].text == "Urgent:")
    boxed = rows[label + 1]
    assert boxed.cells[1].text.startswith("Call your team straight away")
    for row in rows[label:label + 2]:
        fills = {shading.get(qn("w:fill")) for shading in row._tr.iter(qn("w:shd"))}
        assert fills == {"FDECEA"}


def test_easy_read_who_can_help_starts_a_page(easy):
    heading = next(p for p in easy.paragraphs if p.text == "Who can help")
    assert heading.style.name == "Heading 1" and heading.paragraph_format.page_break_before
    after = easy.paragraphs[[p.text for p in easy.paragraphs].index("Who can help") + 1]
    assert after.text.startswith("Phone:\n0300 123 4567\nOpen: ")  # the number large
    from docx.text.run import Run

    number = next(Run(r, after) for r in after._p.iter(qn("w:r")) if r.text == "0300 123 4567")
    assert number.font.size.pt == 30 and number.bold


# -- through LibreOffice -----------------------------------------------------------------------
@pytest.mark.slow
def test_libreoffice_opens_it_with_every_paragraph(built: Path, tmp_path: Path):
    text = pdf_text(libreoffice_pdf(built / "cytokines.docx", tmp_path))
    assert_in_order(seed_paragraphs(), without_page_footers(text))
    assert "Phone: 0300 123 4567" in text
    assert "Urgent: Contact your team straight away" in text


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("name", ["cytokines", "cytokines-large-print", "cytokines-easy-read"])
def test_libreoffice_reads_each_file_in_order(word_files: Path, tmp_path: Path, language: str,
                                             name: str):
    """The headings, the help line and the boxes, in the order of the document."""
    path = word_files / "cytokines" / language / f"{name}.docx"
    document = docx.Document(str(path))
    wanted = ["Title", "Heading 1", "Help Line", "Urgent", "Glossary Term"]
    texts = [normalise(line) for p in document.paragraphs if p.style.name in wanted
             for line in p.text.split("\n")]
    text = without_bidi_controls(pdf_text(libreoffice_pdf(path, tmp_path)))
    if language == "ar":
        # pdftotext breaks a lam-alef ligature apart in the wrong order, orders the runs of
        # Latin letters or digits inside Arabic its own way (those lines are compared
        # elsewhere) and moves punctuation next to them: the words are compared.
        texts = [_words(text) for text in texts
                 if not re.search("ل[اآأإ]|[A-Za-z0-9]", text)]
        text = _words(text)
    assert len(texts) >= 8
    assert_in_order(texts, text.replace("\u200e", ""))


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\u064b-\u0652]+", " ", text).split())


@pytest.mark.slow
def test_libreoffice_starts_who_can_help_on_a_page_of_its_own(built: Path, tmp_path: Path):
    pdf = libreoffice_pdf(built / "cytokines-easy-read.docx", tmp_path)
    pages = pdf_text(pdf).split("\f")
    page = next(page for page in pages if "Who can help" in page)
    lines = [line for line in page.splitlines() if line.strip()]
    assert lines[1] == "Who can help"  # after the header's organisation name
    assert "You may want someone to help you read this." in pages[0]
    assert "If you have questions" not in pages[0]


def test_arabic_text_has_the_size_weight_and_upright_style_of_its_latin(shipped: Path):
    """Word formats complex scripts with their own properties: every style the Arabic document
    uses (and each it is based on) sets w:szCs with w:sz and w:bCs with w:b, and never slants
    Arabic with w:iCs."""
    arabic = docx.Document(str(shipped / "ar" / "cytokines.docx"))
    used = [paragraph.style for paragraph in arabic.paragraphs]
    used += [run.style for paragraph in arabic.paragraphs for run in paragraph.runs]
    chain: dict[str, object] = {}
    for style in used:
        while style is not None and style.style_id not in chain:
            chain[style.style_id] = style
            style = style.base_style
    assert {"Normal", "Title", "Heading 1"} <= {s.name for s in chain.values()}
    for style in chain.values():
        rpr = style.element.rPr
        if rpr is None:
            continue
        size, size_cs = rpr.find(qn("w:sz")), rpr.find(qn("w:szCs"))
        if size is not None:
            assert size_cs is not None and size_cs.get(qn("w:val")) == size.get(qn("w:val")), \
                style.name
        if rpr.find(qn("w:b")) is not None and rpr.find(qn("w:b")).get(qn("w:val")) != "0":
            assert rpr.find(qn("w:bCs")) is not None, style.name
        slant = rpr.find(qn("w:iCs"))
        assert slant is None or slant.get(qn("w:val")) in ("0", "false"), style.name
