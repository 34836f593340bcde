"""The bilingual Welsh edition: the Welsh leaflet, then the English, each in its own language."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import lxml.html
import pikepdf
import pytest

from conftest import leaflet, pdf_text, tagged_languages


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bilingual")
    result = leaflet("build", "source/cytokines.yaml", "--lang", "en,cy", "--format",
                     "bilingual,bilingual-html,bilingual-docx,html", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "cytokines"


def test_it_is_made_of_the_welsh_translation_only(folders: Path):
    assert sorted(path.name for path in (folders / "cy").glob("*bilingual*")) == [
        "cytokines-bilingual.docx", "cytokines-bilingual.html", "cytokines-bilingual.pdf"]
    assert not list((folders / "en").glob("*bilingual*"))


def test_the_page_is_welsh_first_then_english_in_its_own_language(folders: Path):
    page = lxml.html.parse(str(folders / "cy" / "cytokines-bilingual.html")).getroot()
    assert page.get("lang") == "cy"
    (english,) = page.xpath("//div[@class='second-language']")
    assert english.get("lang") == "en-GB" and english.get("dir") == "ltr"
    titles = [h1.text_content() for h1 in page.iter("h1")]
    assert titles == ["Cytocinau", "Cytokines"]
    assert english.xpath(".//h1")[0].text_content() == "Cytokines"
    welsh_main = page.xpath("//main[not(ancestor::div[@class='second-language'])]")[0]
    assert welsh_main.xpath("following::div[@class='second-language']") == [english]
    assert welsh_main.xpath(".//p")[0].get("lang") is None  # Welsh: the page's own language
    (link,) = page.xpath("//p[@class='second-language-link']/a")
    assert link.get("href") == f"#{english.get('id')}" and link.text_content() == "English"
    assert link.get("lang") == "en-GB"


def test_every_id_is_used_once_and_every_link_in_the_page_finds_its_target(folders: Path):
    page = lxml.html.parse(str(folders / "cy" / "cytokines-bilingual.html")).getroot()
    ids = Counter(element.get("id") for element in page.iter() if element.get("id"))
    assert ids and max(ids.values()) == 1, [name for name, count in ids.items() if count > 1]
    targets = [a.get("href")[1:] for a in page.iter("a") if (a.get("href") or "").startswith("#")]
    assert targets and set(targets) <= set(ids), set(targets) - set(ids)
    english = page.xpath("//div[@class='second-language']")[0]
    glossary_links = [a.get("href") for a in english.iter("a") if "term" in (a.get("class") or "")]
    assert glossary_links and all(href.startswith("#en-term-") for href in glossary_links)


def test_the_pdf_tags_the_english_part_with_its_language(folders: Path):
    path = folders / "cy" / "cytokines-bilingual.pdf"
    language, found = tagged_languages(path)
    assert language == "cy"
    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
    assert ("/Div", "en-GB") in found, found
    text = pdf_text(path)
    assert text.index("Cytocinau") < text.index("What cytokine drugs are")
    # The English starts on a page of its own, with its cover.
    first_english = next(number for number in range(1, pages + 1)
                         if "What cytokine drugs are" in pdf_text(path, number))
    assert "Riverside Health" in pdf_text(path, first_english).split("Cytokines")[0]
    assert "Gall cyffuriau cytocin" not in pdf_text(path, first_english)


def test_the_welsh_page_offers_the_bilingual_files(folders: Path):
    page = lxml.html.parse(str(folders / "cy" / "cytokines.html")).getroot()
    offered = {a.get("href"): a.text_content() for a in page.xpath("//ul[@class='downloads']//a")}
    assert "Fersiwn Cymraeg a Saesneg" in offered["cytokines-bilingual.pdf"]
    assert "Fersiwn Cymraeg a Saesneg" in offered["cytokines-bilingual.html"]


def test_the_word_file_marks_every_english_run_and_keeps_its_bookmarks_apart(folders: Path):
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(folders / "cy" / "cytokines-bilingual.docx"))
    assert document.core_properties.language == "cy"
    paragraphs = document.paragraphs
    titles = [index for index, p in enumerate(paragraphs) if p.style.name == "Title"]
    assert [paragraphs[index].text for index in titles] == ["Cytocinau", "Cytokines"]
    english = paragraphs[titles[1]:]
    assert english[0].paragraph_format.page_break_before or any(
        p.paragraph_format.page_break_before for p in paragraphs[titles[1] - 3:titles[1] + 1])

    def languages(paragraph) -> set:
        return {run.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val"))
                if run.find(f"{qn('w:rPr')}/{qn('w:lang')}") is not None else None
                for run in paragraph._p.iter(qn("w:r"))}

    # Every English run says so (a language's own name in the list of languages says its own).
    assert all(None not in languages(p) for p in english)
    assert {"en-GB"} == {language for p in english for language in languages(p)} - {"cy", "en"}
    welsh = [p for p in paragraphs[:titles[1]] if p.text.strip()]
    assert sum(None in languages(p) for p in welsh) > 0.9 * len(welsh)  # the document's own
    body = document.element.body
    names = [mark.get(qn("w:name")) for mark in body.iter(qn("w:bookmarkStart"))]
    numbers = [mark.get(qn("w:id")) for mark in body.iter(qn("w:bookmarkStart"))]
    assert len(names) == len(set(names)) and len(numbers) == len(set(numbers))
    anchors = {link.get(qn("w:anchor")) for link in body.iter(qn("w:hyperlink"))} - {None}
    assert anchors and anchors <= set(names)
    assert any(name.startswith("term_en_") for name in names)
