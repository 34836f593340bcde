"""Runs of another language: marked in the markup or found by their script, isolated in every medium."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import lxml.html
import pdfplumber
import pytest
from lxml import etree

from leaflet.errors import MarkupError
from leaflet.markup import parse
from leaflet.scripts import mark_latin_runs, script

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PHRASE = "peginterferon alfa-2a"


def runs_of(markup: str, language: str = "ar") -> list[tuple[str, str | None]]:
    return [(run.text, run.language) for run in mark_latin_runs(parse(markup), language, "en-GB")]


def test_a_span_gives_its_words_a_language():
    runs = parse("Ask about [Pegasys]{lang=en} and **[Roferon]{lang=de}**.")
    assert [(run.text, run.language, run.strong) for run in runs] == [
        ("Ask about ", None, False), ("Pegasys", "en", False), (" and ", None, False),
        ("Roferon", "de", True), (".", None, False)]


@pytest.mark.parametrize("markup, complaint", [
    ("[x]{lang=xx}", "'xx' in {lang=xx} is not a language code"),
    ("[x]{.note}", "a span takes one attribute, its language"),
    ("[x]{lang=en dir=rtl}", "a span takes one attribute, its language"),
    ('[x]{lang="en" onclick=alert(1)}', "a language span must read [text]{lang=en}"),
    ("[x] {lang=en}", "a language span must read [text]{lang=en}"),
    ("[x]{lang=" + "x" * 5000 + "}", "'xxxxxxxxxxxxxxxxxxxx…' in {lang=xxxxxxxxxxxxxxxxxxxx…}"),
])
def test_a_span_takes_a_known_language_only(markup: str, complaint: str):
    with pytest.raises(MarkupError, match=re.escape(complaint)):
        parse(markup)


def test_scripts_of_languages():
    assert [script(tag) for tag in ("en-GB", "cy", "pl", "ar", "ur", "bn")] == [
        "Latn", "Latn", "Latn", "Arab", "Arab", "Beng"]


def test_latin_words_in_arabic_take_the_source_language():
    assert runs_of("بيغ إنترفيرون ألفا-2a (peginterferon alfa-2a)، و IL-2 بجرعة 10 ملغ") == [
        ("بيغ إنترفيرون ألفا-", None), ("2a", "en-GB"), (" (", None), (PHRASE, "en-GB"),
        ("), و ".replace(",", "،"), None), ("IL-2", "en-GB"), (" بجرعة 10 ملغ", None)]


def test_a_latin_phrase_stays_whole_across_bold_and_keeps_its_links():
    runs = mark_latin_runs(parse("دواء peginterferon **alfa**-2a و [Pegasys](term:pegasys)"),
                           "ar", "en-GB")
    assert [(run.text, run.language, run.strong, run.term) for run in runs] == [
        ("دواء ", None, False, None), ("peginterferon ", "en-GB", False, None),
        ("alfa", "en-GB", True, None), ("-2a", "en-GB", False, None),
        (" و ", None, False, None), ("Pegasys", "en-GB", False, "pegasys")]


def test_latin_script_languages_and_marked_runs_are_left_as_they_are():
    assert runs_of("Mae peginterferon alfa-2a yn feddyginiaeth.", "cy") == [
        ("Mae peginterferon alfa-2a yn feddyginiaeth.", None)]
    assert runs_of("دواء [Pegasys]{lang=de}") == [("دواء ", None), ("Pegasys", "de")]


def test_the_arabic_page_isolates_every_latin_run(shipped: Path):
    page = lxml.html.parse(str(shipped / "ar" / "cytokines.html")).getroot()
    marked = page.xpath("//main//span[@lang='en-GB']")
    assert marked and all(span.get("dir") == "ltr" for span in marked)
    texts = [span.text_content() for span in marked]
    assert all(text.startswith("\u2066") and text.endswith("\u2069") for text in texts)
    assert f"\u2066{PHRASE}\u2069" in texts
    # No Latin letter is left outside a marked run in the leaflet's own text.
    for paragraph in page.xpath("//main//p[not(ancestor::*[@lang='en-GB'])]"):
        unmarked = "".join(paragraph.xpath(
            ".//text()[not(ancestor::span[@lang]) and not(ancestor::a[@class='address'])]"))
        assert not re.search(r"[A-Za-z]{3}", unmarked), unmarked


def visual_lines(path: Path) -> list[str]:
    """Each line of a PDF as the eye sees it, left to right, without spaces; every character as
    written (a bracket drawn mirrored in right-to-left text is still its own character)."""
    found = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            lines: list[tuple[float, list]] = []  # middle of the line, its characters
            for char in sorted(page.chars, key=lambda c: c["top"]):
                middle = (char["top"] + char["bottom"]) / 2
                if lines and abs(lines[-1][0] - middle) < char["size"] / 2:
                    lines[-1][1].append(char)
                else:
                    lines.append((middle, [char]))
            found += ["".join(char["text"] for char in sorted(chars, key=lambda c: c["x0"])
                              if not char["text"].isspace()
                              and not "\u2066" <= char["text"] <= "\u2069")
                      for _, chars in lines]
    return found


def assert_bracketed_phrase_reads_right_to_left(lines: list[str]) -> None:
    """In right-to-left lines, "(peginterferon alfa-2a)" has its opening bracket to the right of
    the phrase and its closing one to the left: ")peginterferon alfa-2a(" from left to right.
    Without isolation the bracket and the "2a" before it join the Latin phrase, which then
    reads "2a (peginterferon alfa-2a" from left to right."""
    phrase = PHRASE.replace(" ", "")
    assert any(f"){phrase}" in line or f"{phrase}(" in line for line in lines), lines
    wrong = [line for line in lines if f"({phrase}" in line or f"{phrase})" in line]
    assert not wrong, wrong


def test_weasyprint_draws_an_isolated_run_in_its_place(tmp_path: Path):
    from weasyprint import HTML

    from leaflet.errors import Origin
    from leaflet.model import Text
    from leaflet.render.html import inline

    text = "واسمه بيغ إنترفيرون ألفا-2a (peginterferon alfa-2a) ويعطى بالحقن."
    marked = inline(Text(text, mark_latin_runs(parse(text), "ar", "en-GB"), Origin("x", 1)))
    pdfs = {}
    for name, body in (("plain", text), ("marked", marked)):
        pdfs[name] = tmp_path / f"{name}.pdf"
        HTML(string=f'<html lang="ar" dir="rtl"><body style="font-family: Noto Naskh Arabic">'
                    f"<p>{body}</p></body></html>").write_pdf(pdfs[name])
    assert_bracketed_phrase_reads_right_to_left(visual_lines(pdfs["marked"]))
    with pytest.raises(AssertionError):  # the check sees the fault it is for
        assert_bracketed_phrase_reads_right_to_left(visual_lines(pdfs["plain"]))


def test_the_arabic_pdf_keeps_brackets_around_latin_words(shipped: Path):
    assert_bracketed_phrase_reads_right_to_left(visual_lines(shipped / "ar" / "cytokines.pdf"))


def test_the_arabic_word_file_marks_latin_runs(shipped: Path):
    with zipfile.ZipFile(shipped / "ar" / "cytokines.docx") as package:
        body = etree.fromstring(package.read("word/document.xml"))
    latin = [run for run in body.iter(f"{W}r")
             if run.find(f"{W}rPr/{W}lang") is not None
             and run.find(f"{W}rPr/{W}lang").get(f"{W}val") == "en-GB"]
    texts = ["".join(run.itertext()) for run in latin]
    assert f"\u2066{PHRASE}\u2069" in texts
    for run in latin:
        direction = run.find(f"{W}rPr/{W}rtl")
        assert direction is not None and direction.get(f"{W}val") == "0"


@pytest.mark.slow
def test_the_arabic_word_file_keeps_brackets_in_libreoffice(shipped: Path, tmp_path: Path):
    import subprocess

    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(shipped / "ar" / "cytokines.docx")], capture_output=True, timeout=240,
                   check=True)
    assert_bracketed_phrase_reads_right_to_left(visual_lines(tmp_path / "cytokines.pdf"))


@pytest.fixture(scope="module")
def arabic_book(tmp_path_factory) -> Path:
    from conftest import leaflet

    out = tmp_path_factory.mktemp("arabic-book")
    result = leaflet("build", "source/cytokines.yaml", "--lang", "ar", "--format", "epub",
                     "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "cytokines" / "ar" / "cytokines.epub"


def test_the_arabic_book_reads_right_to_left_and_marks_latin_words(arabic_book: Path):
    with zipfile.ZipFile(arabic_book) as book:
        package = etree.fromstring(book.read("EPUB/package.opf"))
        chapters = [etree.fromstring(book.read(name)) for name in sorted(book.namelist())
                    if name.startswith("EPUB/text/")]
    assert package.find("{http://www.idpf.org/2007/opf}spine").get(
        "page-progression-direction") == "rtl"
    xhtml = "{http://www.w3.org/1999/xhtml}"
    marked = [span for chapter in chapters for span in chapter.iter(f"{xhtml}span")
              if span.get("lang") == "en-GB"]
    assert PHRASE in {span.text for span in marked}
    for span in marked:
        assert span.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"
        assert span.get("dir") == "ltr"
        assert span.getparent().get("id", "").startswith("s")  # inside its sentence


def test_latin_words_in_arabic_braille_are_in_english_braille(tmp_path: Path):
    """Arabic braille gives Latin letters the cells of Arabic ones; the drug names are written
    in Unified English Braille instead (capitals, numbers and hyphens as English braille
    writes them), which English back-translation reads back."""
    import subprocess

    from conftest import leaflet

    result = leaflet("build", "source/cytokines.yaml", "--lang", "ar", "--format", "braille",
                     "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    cells = (tmp_path / "cytokines" / "ar" / "cytokines-braille.txt").read_text(encoding="utf-8")
    back = subprocess.run(["lou_translate", "--backward", "en-ueb-g1.ctb"], input=cells,
                          capture_output=True, text=True, check=True).stdout
    assert "Pegasys" in back and "Riverside Health" in back
    assert PHRASE in " ".join(back.split())


def test_the_arabic_pdf_tags_latin_runs_with_their_language(shipped: Path):
    from conftest import tagged_languages

    language, found = tagged_languages(shipped / "ar" / "cytokines.pdf")
    assert language == "ar"
    spans = [language for role, language in found if role == "/Span"]
    assert len(spans) > 10 and set(spans) == {"en-GB"}, found
    assert {"cy", "pl"} <= {language for _role, language in found}  # the other languages' names
