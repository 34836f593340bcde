"""The Word document read back with python-docx and converted by LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from conftest import assert_in_order, pdf_text, seed_paragraphs, without_page_footers


@pytest.fixture(scope="module")
def document(built: Path):
    return docx.Document(str(built / "cytokines.docx"))


def test_headings_use_word_heading_styles(document):
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["Cytokines"] == "Title"
    for heading in ("How do cytokine drugs work?", "Peginterferon to treat blood cancers",
                    "How do you have peginterferon alpha 2a?",
                    "What are the side effects of peginterferon alpha 2a?",
                    "Glossary", "References"):
        assert styles[heading] == "Heading 1", heading


def test_side_effects_use_list_bullet(document):
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "tiredness (fatigue)" in bullets and "headaches" in bullets
    assert len([b for b in bullets if "Compendium" not in b and "\n" not in b]) >= 9


def test_a4_language_and_properties(document, built: Path):
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    core = document.core_properties
    assert core.title == "Cytokines" and core.language == "en-GB"
    assert "peginterferon" in core.subject and "immunotherapy" in core.keywords
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "en-GB"


def test_footer_has_page_and_numpages_fields(document):
    footer_xml = document.sections[0].footer._element.xml
    assert " PAGE " in footer_xml and " NUMPAGES " in footer_xml
    assert "Last reviewed: 21 Oct 2024" in footer_xml


def test_glossary_terms_link_to_bookmarks(document):
    body = document.element.body
    anchors = {link.get(qn("w:anchor")) for link in body.iter(qn("w:hyperlink"))} - {None}
    bookmarks = {mark.get(qn("w:name")) for mark in body.iter(qn("w:bookmarkStart"))}
    assert len(anchors) == 7 and anchors <= bookmarks


def test_package_is_reproducible_zip(built: Path):
    with zipfile.ZipFile(built / "cytokines.docx") as package:
        infos = package.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.slow
def test_libreoffice_opens_it_with_every_paragraph(built: Path, tmp_path: Path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed: make test installs libreoffice-writer-nogui"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(built / "cytokines.docx")],
                   check=True, capture_output=True, timeout=180)
    text = pdf_text(tmp_path / "cytokines.pdf")
    assert_in_order(seed_paragraphs(), without_page_footers(text))
