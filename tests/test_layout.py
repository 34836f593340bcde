"""Pages and lines of the print and large-print PDFs in every shipped language, measured with
pdfplumber: no page ends with a heading or a glossary term, a list never leaves one item alone
on a page, the last page is more than a stub, a standard-print line holds 60 to 70 characters,
the glossary is in the edition's order, and each passes the PDF/UA audit."""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest

from conftest import ROOT, without_bidi_controls
from leaflet.audit.pdf import audit_pdf
from leaflet.edition import FULL, Definitions, References, Versions, edition
from leaflet.i18n.catalog import translate
from leaflet.render import FORMATS, html, pdf
from leaflet.source import load

LANGUAGES = ("en", "cy", "pl", "ar")
BOTTOM_MARGIN_MM = {"print": 28, "large-print": 32}  # from styles/
BODY_PT = {"print": 12, "large-print": 18}
RENDER = {"print": pdf.render, "large-print": pdf.render_large_print}
CASES = [(language, style) for language in LANGUAGES for style in RENDER]


@dataclass(frozen=True)
class Line:
    page: int
    text: str  # as pdfplumber reads it: right-to-left text comes in visual order
    size: float  # the size of most of its characters
    bold: bool  # every character bold
    top: float
    x0: float


@pytest.fixture(scope="module")
def editions():
    source = load(ROOT / "source" / "cytokines.yaml")
    versions = Versions(tuple(FORMATS), LANGUAGES)
    return {language: edition(source if language == "en" else
                              translate(source, language).leaflet, FULL, versions)
            for language in LANGUAGES}


@pytest.fixture(scope="module")
def pdfs(editions, tmp_path_factory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("layout")
    made = {}
    for language, style in CASES:
        made[language, style] = path = folder / f"cytokines-{language}-{style}.pdf"
        path.write_bytes(RENDER[style](editions[language]))
    return made


def pages_of_lines(path: Path, style: str) -> list[list[Line]]:
    """Each page's lines above its running footer, top to bottom."""
    with pdfplumber.open(path) as document:
        return [_lines(number, page, page.height - BOTTOM_MARGIN_MM[style] * 72 / 25.4)
                for number, page in enumerate(document.pages, 1)]


def _lines(number: int, page, bottom: float) -> list[Line]:
    """The characters above `bottom` in lines: those whose middles lie within half a size of
    each other (pdfplumber's own lines split an Arabic line at its Latin part, whose font sits
    a little higher)."""
    chars = sorted((c for c in page.chars if c["text"].strip() and c["bottom"] <= bottom),
                   key=lambda c: (c["top"] + c["bottom"]) / 2)
    groups: list[list[dict]] = []
    for char in chars:
        middle = (char["top"] + char["bottom"]) / 2
        if groups and middle - groups[-1][0]["middle"] < 0.5 * char["size"]:
            groups[-1].append({**char, "middle": groups[-1][0]["middle"]})
        else:
            groups.append([{**char, "middle": middle}])
    lines = []
    for group in groups:
        group.sort(key=lambda c: c["x0"])
        text = ""
        for before, char in zip([None, *group], group):
            if before is not None and char["x0"] - before["x1"] > 0.15 * char["size"]:
                text += " "
            text += char["text"]
        sizes = [round(c["size"]) for c in group]
        lines.append(Line(number, text, max(set(sizes), key=sizes.count),
                          all("Bold" in c["fontname"] for c in group),
                          min(c["top"] for c in group), group[0]["x0"]))
    return lines


@pytest.mark.parametrize("language, style", CASES)
def test_every_language_passes_the_pdf_ua_audit(pdfs, language, style):
    result = audit_pdf(pdfs[language, style])
    assert [str(failure) for failure in result.failures] == []


@pytest.mark.parametrize("language, style", CASES)
def test_no_page_ends_with_a_heading_or_a_term(pdfs, language, style):
    """Headings, glossary terms, box titles, captions are bold; a page's last line is not."""
    pages = pages_of_lines(pdfs[language, style], style)
    assert len(pages) >= 3
    stranded = [(lines[-1].page, lines[-1].text) for lines in pages[:-1] if lines[-1].bold]
    assert stranded == []


@pytest.mark.parametrize("language, style", CASES)
def test_the_last_page_has_at_least_five_lines(pdfs, language, style):
    assert len(pages_of_lines(pdfs[language, style], style)[-1]) >= 5


def test_a_line_of_standard_print_holds_60_to_70_characters(pdfs):
    lines = [line for page in pages_of_lines(pdfs["en", "print"], "print") for line in page
             if line.size == BODY_PT["print"]]
    longest = max(lines, key=lambda line: len(line.text))
    assert len(longest.text) <= 70, longest
    # A line that wraps onto the next one (same start, one line-height below) is a full line.
    wrapped = [len(line.text) for line, after in zip(lines, lines[1:])
               if after.page == line.page and abs(after.x0 - line.x0) < 1
               and abs(after.top - line.top - 1.5 * line.size) < 1]
    assert len(wrapped) > 40 and statistics.median(wrapped) >= 55, sorted(wrapped)


def test_large_print_lines_are_shorter(pdfs):
    def longest(style):
        return max(len(line.text) for page in pages_of_lines(pdfs["en", style], style)
                   for line in page if line.size == BODY_PT[style])
    assert longest("large-print") < longest("print")


@pytest.mark.parametrize("language, style", CASES)
def test_glossary_is_in_the_editions_order(pdfs, editions, language, style):
    """The bold lines between the glossary's heading and the next are its terms, in order."""
    full = editions[language]
    glossary, references = full.find(Definitions), full.find(References)
    bold = [_letters(line.text) for page in pages_of_lines(pdfs[language, style], style)
            for line in page if line.bold]
    start = bold.index(_letters(glossary.title))
    terms = bold[start + 1:bold.index(_letters(references.title), start)]
    assert terms == [_letters(entry.term.plain) for entry in glossary.entries]


def _letters(text: str) -> str:
    """A line's letters in a fixed order, without spaces or marks: pdfplumber reads Arabic in
    the order it is drawn, right to left, and draws a vowel mark where it falls."""
    return "".join(sorted(character for character in without_bidi_controls(text)
                          if not character.isspace() and not unicodedata.combining(character)))


# -- the rules, where a page break falls at every place in turn ------------------------------
def _pdf_of(body: str, style: str, tmp_path: Path) -> Path:
    """A page of `body` with the leaflet's styles for `style`, as the writer makes it."""
    from weasyprint import HTML

    styles = html.stylesheet("base") + html.stylesheet(style)
    page = (f'<!DOCTYPE html><html lang="en-GB"><head><title>Breaks</title><style>{styles}'
            f'{pdf.font_faces()}</style></head><body><main>{body}</main></body></html>')
    path = tmp_path / "breaks.pdf"
    path.write_bytes(HTML(string=page).write_pdf())
    return path


def _page_of_each(path: Path, words: list[str]) -> dict[str, int]:
    with pdfplumber.open(path) as document:
        texts = [page.extract_text() for page in document.pages]
    return {word: next(number for number, text in enumerate(texts, 1) if word in text)
            for word in words}


FILLER = "<p>A line of text that is short.</p>"


def _sweep(style: str, tmp_path: Path) -> range:
    """Numbers of fillers before the block tested that bring it to the foot of page 1."""
    pages = _page_of_each(_pdf_of("".join(f"<p>Filler{n}.</p>" for n in range(80)), style,
                                  tmp_path), [f"Filler{n}." for n in range(80)])
    on_first_page = sum(1 for page in pages.values() if page == 1)
    return range(on_first_page - 7, on_first_page + 1)


@pytest.mark.parametrize("style", RENDER)
def test_a_list_keeps_its_first_two_and_last_two_items_together(style, tmp_path):
    items = [f"Item{number}" for number in range(1, 6)]
    breaks = set()
    for fillers in _sweep(style, tmp_path):
        body = FILLER * fillers + "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
        pages = _page_of_each(_pdf_of(body, style, tmp_path), items)
        assert pages["Item1"] == pages["Item2"] and pages["Item4"] == pages["Item5"], pages
        breaks.add(pages["Item1"] != pages["Item5"])
    assert breaks == {True, False}  # the sweep did put a page break inside the list


@pytest.mark.parametrize("style", RENDER)
def test_an_item_keeps_its_last_line_with_its_first_sub_points(style, tmp_path):
    words = ["Before", "ItemEnd", "Sub1", "Sub2", "Sub3", "Last"]
    item = "An item " + "with words enough to fill several lines of the page " * 4 + "ItemEnd"
    ends = set()
    for fillers in _sweep(style, tmp_path):
        body = (FILLER * fillers + f"<ul><li>Before</li><li>{item}<ul>"
                + "".join(f"<li>{word}</li>" for word in words[2:5]) + "</ul></li>"
                + "<li>Last</li></ul>")
        pages = _page_of_each(_pdf_of(body, style, tmp_path), words)
        assert pages["ItemEnd"] == pages["Sub1"] == pages["Sub2"], pages
        ends.add(pages["ItemEnd"])
    assert ends == {1, 2}  # the sweep moved the page break past the item's last line


@pytest.mark.parametrize("style", RENDER)
def test_a_heading_and_a_term_stay_with_what_follows(style, tmp_path):
    headings, terms = set(), set()
    for fillers in _sweep(style, tmp_path):
        body = (FILLER * fillers + "<h2>Heading</h2><p>Its first paragraph.</p>"
                + "<dl><dt>Term</dt><dd>Its definition.</dd></dl>")
        pages = _page_of_each(_pdf_of(body, style, tmp_path),
                              ["Heading", "Its first", "Term", "Its definition"])
        assert pages["Heading"] == pages["Its first"] and \
            pages["Term"] == pages["Its definition"], (fillers, pages)
        headings.add(pages["Heading"])
        terms.add(pages["Term"])
    assert headings == terms == {1, 2}  # the sweep moved the page break past each of them


@pytest.mark.parametrize("style", RENDER)
def test_the_last_page_is_never_a_stub_even_with_the_shortest_contact_details(style, tmp_path):
    """An organisation with only an e-mail address: its contact details are three lines,
    so they end the leaflet together with the feedback before them."""
    ending = ('<section class="feedback"><h2>Tell us what you think</h2><p>Send your comments '
              'to: leaflets@example.org</p></section><section class="contact"><h2>Contact us'
              '</h2><ul class="contact-lines"><li>E-mail: leaflets@example.org</li></ul>'
              '<p class="published-by">Published by Riverside Health.</p></section>')
    last_pages = set()
    for fillers in _sweep(style, tmp_path):
        with pdfplumber.open(_pdf_of(FILLER * fillers + ending, style, tmp_path)) as document:
            last = document.pages[-1].extract_text_lines()
            last_pages.add(len(document.pages))
        assert len(last) >= 5, [line["text"] for line in last]
    assert last_pages == {1, 2}  # the sweep moved the ending onto a page of its own
