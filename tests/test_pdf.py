"""The PDFs opened with real readers: pdftotext, pdffonts, pikepdf and pdfplumber."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from conftest import ROOT, assert_in_order, pdf_body_text, pdf_text, seed_paragraphs
from leaflet.audit.pdf import audit_pdf
from leaflet.edition import FULL, Versions, edition
from leaflet.errors import RenderError
from leaflet.source import load

PDFS = ["cytokines.pdf", "cytokines-large-print.pdf"]
BOTTOM_MARGIN_MM = {"cytokines.pdf": 28, "cytokines-large-print.pdf": 32}  # from styles/
A4 = (595.28, 841.89)


@pytest.mark.parametrize("name", PDFS)
def test_every_seed_paragraph_verbatim_and_in_order(built: Path, name: str):
    assert "Open a glossary item" not in pdf_text(built / name)
    assert_in_order(seed_paragraphs(), pdf_body_text(built / name, BOTTOM_MARGIN_MM[name]))


@pytest.mark.parametrize("name", PDFS)
def test_tagged_pdf_ua_with_language_and_title(built: Path, name: str):
    with pikepdf.open(built / name) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == "en-GB"
        assert root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo["/Title"]) == "Cytokines"
        assert "pdfuaid" in str(pdf.open_metadata())
        roles = _structure_roles(root.StructTreeRoot)
        for role in ("H1", "H2", "P", "L", "LI", "Lbl", "LBody", "Link"):
            assert role in roles, role
        assert roles.count("H1") == 1


@pytest.mark.parametrize("name", PDFS)
def test_fonts_are_embedded(built: Path, name: str):
    lines = subprocess.run(["pdffonts", str(built / name)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert lines, "no fonts listed"
    for line in lines:
        embedded, subset, unicode_map = line.split()[-5:-2]
        assert (embedded, unicode_map) == ("yes", "yes"), line


@pytest.mark.parametrize("name", PDFS)
def test_a4_pages_with_page_x_of_y_footer(built: Path, name: str):
    with pdfplumber.open(built / name) as pdf:
        pages = len(pdf.pages)
        for page in pdf.pages:
            assert (round(page.width, 2), round(page.height, 2)) == A4
    assert pages >= 2
    for number in range(1, pages + 1):
        footer = " ".join(pdf_text(built / name, number).split())
        assert f"Page {number} of {pages}" in footer
        assert "Last reviewed: 21 Oct 2024" in footer and "Next review due: 21 Oct 2027" in footer


@pytest.mark.parametrize("name, body_size", [("cytokines.pdf", 12), ("cytokines-large-print.pdf", 18)])
def test_body_type_size_and_left_alignment(built: Path, name: str, body_size: int):
    body_bottom = A4[1] - BOTTOM_MARGIN_MM[name] * 72 / 25.4
    with pdfplumber.open(built / name) as pdf:
        chars = [c for page in pdf.pages for c in page.chars
                 if c["text"].strip() and c["bottom"] <= body_bottom]
        smallest = min(round(Decimal(c["size"]), 1) for c in chars)
        assert smallest >= body_size
        paragraph_sizes = [round(c["size"]) for c in chars]
        assert paragraph_sizes.count(body_size) > len(chars) / 2
        left_edges = {round(line["x0"]) for page in pdf.pages for line in page.extract_text_lines()
                      if not line["text"].startswith(("•", "Page"))}
        assert min(left_edges) >= 50  # text starts at the margin, lines are not centred
        heading = max(round(c["size"]) for c in chars)
        assert heading > body_size * 1.4


def test_large_print_has_bigger_headings_than_standard(built: Path):
    def sizes(name):
        with pdfplumber.open(built / name) as pdf:
            return sorted({round(c["size"]) for page in pdf.pages for c in page.chars})
    assert sizes("cytokines-large-print.pdf")[-1] > sizes("cytokines.pdf")[-1]


def test_fetcher_refuses_anything_outside_the_project():
    from weasyprint.urls import FatalURLFetchingError

    from leaflet.render.pdf import project_fetcher

    fetcher = project_fetcher()
    for url in ("file:///etc/passwd", "https://example.org/x.css", "file:///tmp/../etc/hosts",
                "file:///usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"):
        with pytest.raises(FatalURLFetchingError) as caught:
            fetcher.fetch(url)
        assert isinstance(caught.value.args[0], RenderError)
    from leaflet.paths import STYLES
    assert b"font-family" in fetcher.fetch((STYLES / "print.css").as_uri()).read()
    from leaflet.render.pdf import FONT_DIR, FONT_FILES
    for name in FONT_FILES.values():  # the body font, from the package
        assert fetcher.fetch((FONT_DIR / name).as_uri()).read()[:4] == b"\x00\x01\x00\x00"


def _structure_roles(node, roles=None) -> list[str]:
    roles = [] if roles is None else roles
    if isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            roles.append(str(node.S).lstrip("/"))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                _structure_roles(kid, roles)
    return roles


# -- the blocks of tests/roots/blocks.yaml, as the build makes them ----------------------------
BLOCKS_VERSIONS = Versions(("html", "pdf", "large-print", "audio"), ("en", "cy", "ar"))


@pytest.fixture(scope="module")
def blocks_edition():
    return edition(load(ROOT / "tests" / "roots" / "blocks.yaml"), FULL, BLOCKS_VERSIONS)


@pytest.fixture(scope="module")
def blocks_pdfs(blocks_edition, tmp_path_factory) -> dict[str, Path]:
    from leaflet.render import pdf

    folder = tmp_path_factory.mktemp("blocks")
    made = {}
    for name, render in (("blocks.pdf", pdf.render),
                         ("blocks-large-print.pdf", pdf.render_large_print)):
        made[name] = folder / name
        made[name].write_bytes(render(blocks_edition))
    return made


BLOCK_PDFS = ["blocks.pdf", "blocks-large-print.pdf"]


@pytest.mark.parametrize("name", BLOCK_PDFS)
def test_blocks_pass_the_pdf_ua_audit(blocks_pdfs, name):
    result = audit_pdf(blocks_pdfs[name])
    assert [str(failure) for failure in result.failures] == []
    assert result.run == result.passed > 20


@pytest.mark.parametrize("name", BLOCK_PDFS)
def test_the_logo_is_a_figure_with_its_alt_text_on_page_1(blocks_pdfs, name):
    with pikepdf.open(blocks_pdfs[name]) as pdf:
        first = pdf.pages[0].obj.objgen
        figures = [(str(figure.Alt), figure.Pg.objgen) for figure in _elements(pdf, "/Figure")]
    assert ("Riverside Health", first) in figures


@pytest.mark.parametrize("name", BLOCK_PDFS)
def test_the_table_is_table_rows_headers_and_cells(blocks_pdfs, name):
    with pikepdf.open(blocks_pdfs[name]) as pdf:
        (table,) = _elements(pdf, "/Table")
        assert [_role(kid) for kid in table.K] == ["Caption", "THead", "TBody"]
        head, body = table.K[1], table.K[2]
        headers = [cell for row in head.K for cell in row.K]
        assert [_role(row) for row in head.K] == ["TR"]
        assert [_role(cell) for cell in headers] == ["TH"] * 3
        # WeasyPrint gives the cells /Headers; the writer adds each header's /Scope.
        assert {str(cell.A.Scope) for cell in headers} == {"/Column"}
        ids = [str(cell.ID) for cell in headers]
        rows = list(body.K)
        assert len(rows) == 2 and all(_role(row) == "TR" for row in rows)
        for row in rows:
            assert [_role(cell) for cell in row.K] == ["TD"] * 3
            assert [[str(header) for header in cell.A.Headers] for cell in row.K] == \
                [[identifier] for identifier in ids]


@pytest.mark.parametrize("name", BLOCK_PDFS)
def test_sublist_markers_are_in_the_body_font(blocks_pdfs, name):
    """The default ◦ of a nested list is in no Latin family the page names but Noto Sans."""
    from leaflet.render.pdf import FONT_FAMILY

    with pdfplumber.open(blocks_pdfs[name]) as pdf:
        markers = {(char["text"], char["fontname"].split("+")[-1]) for page in pdf.pages
                   for char in page.chars if char["text"] in "•–◦▪"}
    family = FONT_FAMILY.replace(" ", "-")
    assert {text for text, _ in markers} == {"•", "–"}
    assert {font for _, font in markers} == {family}
    lines = subprocess.run(["pdffonts", str(blocks_pdfs[name])], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert {line.split()[0].split("+")[-1] for line in lines} <= {
        family, f"{family}-Bold", "Noto-Naskh-Arabic"}  # the Arabic phrase's own face


@pytest.mark.parametrize("name", BLOCK_PDFS)
def test_a_sublist_is_in_the_body_of_its_item(blocks_pdfs, name):
    with pikepdf.open(blocks_pdfs[name]) as pdf:
        lists = _elements(pdf, "/L")
        nested = [kid for element in lists for kid in element.K if _role(kid) == "L"]
        assert nested == []  # no L > L: WeasyPrint's own tree has two
        inside = [element for element in lists if _role(element.P) == "LBody"]
        assert len(inside) == 2
        for sublist in inside:
            assert _role(sublist.P.P) == "LI" and _role(sublist.P.P.P) == "L"
            assert [_role(item) for item in sublist.K] == ["LI", "LI"]


@pytest.mark.parametrize("name", BLOCK_PDFS)
def test_box_headings_start_with_their_label(blocks_pdfs, name):
    headings = [text for role, text in _tagged_text(blocks_pdfs[name])
                if role in ("H2", "H3")]
    assert "Important: Keep your injections in the fridge" in headings
    assert "Urgent:" in headings
    assert headings.index("Important: Keep your injections in the fridge") < \
        headings.index("How to give the injection") < headings.index("Urgent:")


@pytest.mark.parametrize("name", BLOCK_PDFS)
def test_the_qr_code_reads_as_the_web_address(blocks_pdfs, blocks_edition, name, tmp_path):
    from leaflet.edition import Alternatives

    other = blocks_edition.find(Alternatives)
    with pikepdf.open(blocks_pdfs[name]) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}
        (qr,) = [figure for figure in _elements(pdf, "/Figure") if str(figure.Alt) == other.qr_alt]
        page = pages[qr.Pg.objgen]
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(page), "-l", str(page),
                    str(blocks_pdfs[name]), str(tmp_path / "page")], check=True)
    (picture,) = tmp_path.glob("page*.png")
    read = subprocess.run(["zbarimg", "-q", "--raw", str(picture)], capture_output=True,
                          text=True, check=True).stdout.split()
    assert read == [other.address] == ["https://leaflets.example.org/blocks/en/blocks.html"]
    assert 25 <= round(_qr_width_mm(blocks_pdfs[name], page, other.address), 1) <= 30


def _qr_width_mm(path: Path, page: int, address: str) -> float:
    """The printed code's width, quiet zone included, from the modules drawn in its Figure."""
    import segno

    from leaflet.render.qr import QUIET_ZONE

    with pdfplumber.open(path) as pdf:
        drawn = [line for line in pdf.pages[page - 1].lines if line.get("tag") == "Figure"]
    modules = segno.make_qr(address, error="m", boost_error=False).symbol_size(border=0)[0]
    width_pt = max(line["x1"] for line in drawn) - min(line["x0"] for line in drawn)
    return width_pt * (modules + 2 * QUIET_ZONE) / modules * 25.4 / 72


def _role(element) -> str:
    return str(element.get("/S", "/"))[1:]


def _elements(pdf, role: str) -> list:
    found = []

    def walk(node):
        if isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == pikepdf.Name(role):
                found.append(node)
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                walk(kid)
    walk(pdf.Root.StructTreeRoot)
    return found


def _tagged_text(path: Path) -> list[tuple[str, str]]:
    """(role, text) of every structure element that holds text, in the tree's order."""
    from leaflet.audit.pdf import StructureTree

    with pdfplumber.open(path) as document:
        drawn = {}
        for number, page in enumerate(document.pages, 1):
            for char in page.chars:
                if char.get("mcid") is not None:
                    drawn.setdefault((number, char["mcid"]), []).append(char["text"])
    with pikepdf.open(path) as pdf:
        tree = StructureTree(pdf)
        texts = []
        for element in tree.elements:
            owned = _owned(element)
            if owned:
                texts.append((element.role, " ".join("".join(
                    "".join(drawn.get(key, [])) for key in owned).split())))
    return texts


def _owned(element) -> list[tuple[int, int]]:
    return [*element.mcids, *(key for kid in element.kids for key in _owned(kid))]


def test_a_sublist_split_from_its_item_by_a_page_break_is_still_in_an_item(tmp_path):
    """WeasyPrint starts each page's tree afresh: the rest of an item, its sublist, comes
    as L > L on the next page; it gets an item and a body of its own there."""
    from weasyprint import HTML

    from leaflet.render.pdf import margin_boxes_as_artifacts, with_list_and_table_structure

    page = ('<html lang="en-GB"><head><title>Lists</title></head><body><h1>Lists</h1><ul>'
            '<li>An item<ul style="break-before: page"><li>its first sub-point</li>'
            '<li>its second</li></ul></li><li>Another item</li></ul></body></html>')
    with margin_boxes_as_artifacts():
        written = HTML(string=page).write_pdf(pdf_variant="pdf/ua-1")
    path = tmp_path / "lists.pdf"
    path.write_bytes(with_list_and_table_structure(written))
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == 2
        lists = _elements(pdf, "/L")
        assert [kid for element in lists for kid in element.K if _role(kid) == "L"] == []
        (sublist,) = [element for element in lists if _role(element.P) == "LBody"]
        assert [_role(sublist.P.P), _role(sublist.P.P.P)] == ["LI", "L"]
    assert "lists are L, LI, Lbl and LBody" not in {
        check for check, failures in audit_pdf(path).checks.items() if failures}
