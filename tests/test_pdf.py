"""The PDFs opened with real readers: pdftotext, pdffonts, pikepdf and pdfplumber."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from conftest import assert_in_order, pdf_body_text, pdf_text, seed_paragraphs
from leaflet.errors import RenderError

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
    for url in ("file:///etc/passwd", "https://example.org/x.css", "file:///tmp/../etc/hosts"):
        with pytest.raises(FatalURLFetchingError) as caught:
            fetcher.fetch(url)
        assert isinstance(caught.value.args[0], RenderError)
    from leaflet.paths import STYLES
    assert b"font-family" in fetcher.fetch((STYLES / "print.css").as_uri()).read()


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
