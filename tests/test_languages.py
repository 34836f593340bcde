"""The shipped translations: valid catalogues, complete, and every format in each language."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import lxml.html
import pdfplumber
import pikepdf
import pytest
from docx.oxml.ns import qn

from conftest import ROOT, leaflet, normalise, pdf_text, without_bidi_controls
from leaflet.i18n import pofile
from leaflet.paths import LABELS
from leaflet.source import load

CATALOGUES = sorted([*(ROOT / "locales").glob("*/LC_MESSAGES/*.po"),
                     *LABELS.glob("*/LC_MESSAGES/*.po")])
SHIPPED = ["cy", "pl", "ar", "ur", "bn"]
RIGHT_TO_LEFT = {"ar", "ur"}
# The face each script is drawn in, as pdffonts and pdfplumber name it, and its letters.
SCRIPT_FONTS = {"ar": ("Noto-Naskh-Arabic", "[\u0600-\u06ff]"),
                "ur": ("Noto-Naskh-Arabic", "[\u0600-\u06ff]"),
                "bn": ("Noto-Sans-Bengali", "[\u0980-\u09ff]")}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_msgfmt_check_passes(path: Path):
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_shipped_language_is_complete_and_marked_draft():
    result = leaflet("translations", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    assert {(row[1], row[-2], row[-1]) for row in rows} == {
        (language, "100%", "draft") for language in SHIPPED}
    assert len(rows) == 2 * len(SHIPPED)


@pytest.mark.parametrize("language", SHIPPED)
def test_document_language_is_set_in_every_format(shipped: Path, language: str):
    folder = shipped / language
    page = lxml.html.parse(str(folder / "cytokines.html")).getroot()
    assert page.get("lang") == language
    assert page.get("dir") == ("rtl" if language in RIGHT_TO_LEFT else "ltr")
    with pikepdf.open(folder / "cytokines.pdf") as pdf:
        assert str(pdf.Root.Lang) == language
    document = docx.Document(str(folder / "cytokines.docx"))
    assert document.core_properties.language == language
    lang = document.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:lang')}")
    assert lang.get(qn("w:val")) == language


@pytest.mark.parametrize("language", SHIPPED)
def test_translated_headings_and_labels_are_in_the_pdf(shipped: Path, language: str):
    catalog = pofile.read(ROOT / "locales" / language / "LC_MESSAGES" / "cytokines.po")
    labels = pofile.read(LABELS / language / "LC_MESSAGES" / "leaflet.po")
    text = normalise(without_bidi_controls(pdf_text(shipped / language / "cytokines.pdf")))
    leaflet_texts = load(ROOT / "source" / "cytokines.yaml")
    originals = [s.title.markup for s in leaflet_texts.sections if s.title]
    originals += [entry.term.markup for entry in leaflet_texts.glossary]
    translations = [normalise(catalog.get(original).string) for original in originals]
    # Where Latin letters or digits sit inside Arabic script, pdftotext orders the runs its own
    # way.
    checked = [t for t in translations
               if language not in RIGHT_TO_LEFT or not re.search("[A-Za-z0-9]", t)]
    assert len(checked) >= 8
    for translation in checked:
        assert translation in text  # whole, in reading (logical) order
    assert normalise(labels.get("Glossary").string) in text
    assert "How do cytokine drugs work?" not in text


def test_welsh_dates_are_written_the_welsh_way(shipped: Path):
    text = normalise(pdf_text(shipped / "cy" / "cytokines.pdf"))
    assert "21 Hydref 2024" in text and "21 Hydref 2027" in text


@pytest.mark.parametrize("language", sorted(RIGHT_TO_LEFT))
def test_arabic_script_pdfs_are_laid_out_right_to_left(shipped: Path, language: str):
    with pdfplumber.open(shipped / language / "cytokines.pdf") as pdf:
        page = pdf.pages[1]  # body text: the cover's boxes are inset
        lines = [line for line in page.extract_text_lines() if line["bottom"] < page.height - 80]
    margin = 20 * 72 / 25.4
    at_right = sum(abs(line["x1"] - (page.width - margin)) < 3 for line in lines)
    at_left = sum(abs(line["x0"] - margin) < 3 for line in lines)
    # Lines start at the right margin; only full lines also reach the left one.
    assert at_right > 0.6 * len(lines) and at_left < 0.2 * len(lines)


def test_welsh_pdf_is_laid_out_left_to_right(shipped: Path):
    with pdfplumber.open(shipped / "cy" / "cytokines.pdf") as pdf:
        page = pdf.pages[1]  # body text: the cover's boxes are inset
        lines = [line for line in page.extract_text_lines() if line["bottom"] < page.height - 80]
    margin = 20 * 72 / 25.4
    assert sum(abs(line["x0"] - margin) < 3 for line in lines) > 0.6 * len(lines)


@pytest.mark.parametrize("language", sorted(RIGHT_TO_LEFT))
def test_arabic_script_word_documents_are_right_to_left(shipped: Path, language: str):
    document = docx.Document(str(shipped / language / "cytokines.docx"))
    normal = document.styles["Normal"].element
    assert normal.pPr.find(qn("w:bidi")) is not None
    assert normal.rPr.find(qn("w:rtl")) is not None
    assert document.sections[0]._sectPr.find(qn("w:bidi")) is not None
    assert all(p.paragraph_format.alignment is None for p in document.paragraphs)


def test_translated_outputs_are_reproducible(shipped: Path, tmp_path: Path):
    result = leaflet("build", "source/cytokines.yaml", "--lang", ",".join(SHIPPED), "--format",
                     "html,pdf,docx", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for output in sorted(shipped.glob("*/cytokines.*")):
        again = tmp_path / "cytokines" / output.parent.name / output.name
        assert again.read_bytes() == output.read_bytes(), output


@pytest.mark.parametrize("language", sorted(SCRIPT_FONTS))
def test_each_script_is_drawn_in_its_noto_face(shipped: Path, language: str):
    face, letters = SCRIPT_FONTS[language]
    path = shipped / language / "cytokines.pdf"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout
    names = {line.split()[0].split("+", 1)[-1] for line in fonts.splitlines()[2:]}
    assert face in names
    # Nothing from a fallback face (Noto Nastaliq's text layer does not extract).
    assert names <= {"Atkinson-Hyperlegible-Next", "Atkinson-Hyperlegible-Next-Bold", "Noto-Sans",
                     "Noto-Sans-Bold", "Noto-Naskh-Arabic", "Noto-Naskh-Arabic-Bold",
                     "Noto-Sans-Bengali", "Noto-Sans-Bengali-Bold"}, fonts
    with pdfplumber.open(path) as pdf:
        drawn = {char["fontname"].split("+", 1)[-1] for page in pdf.pages[:2]
                 for char in page.chars if re.fullmatch(letters, char["text"])}
    assert drawn and drawn <= {face, f"{face}-Bold"}


def test_bengali_conjuncts_and_vowel_signs_extract_whole(shipped: Path):
    """Every word of the Bengali headings, terms and definitions, conjuncts (with ্) and the
    vowel signs drawn before or around their consonant (ি ে ৈ ো ৌ) in the PDF's text."""
    catalog = pofile.read(ROOT / "locales" / "bn" / "LC_MESSAGES" / "cytokines.po")
    original = load(ROOT / "source" / "cytokines.yaml")
    texts = [s.title.markup for s in original.sections if s.title]
    texts += [t.markup for entry in original.glossary for t in (entry.term, entry.definition)]
    words = {word.strip("(),.:;?।") for text in texts
             for word in catalog.get(text).string.split()}
    hard = {word for word in words if re.search("[\u09cd\u09bf\u09c7\u09c8\u09cb\u09cc]", word)}
    extracted = set(pdf_text(shipped / "bn" / "cytokines.pdf").replace("।", " ").split())
    assert len(hard) >= 40
    assert sorted(hard - {word.strip("(),.:;?") for word in extracted}) == []


def test_bengali_word_document_names_its_complex_script_font(shipped: Path):
    document = docx.Document(str(shipped / "bn" / "cytokines.docx"))
    lang = document.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:lang')}")
    assert lang.get(qn("w:bidi")) == "bn"  # the language of complex-script text
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:cs")) == "Nirmala UI"
    assert document.styles["Normal"].element.pPr.find(qn("w:bidi")) is None
