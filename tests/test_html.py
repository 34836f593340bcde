"""The HTML page parsed as a browser would: language, landmarks, headings, lists, links, escaping."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from conftest import ROOT, assert_in_order, leaflet, seed_paragraphs
from leaflet.source import load


@pytest.fixture(scope="module")
def page(built: Path):
    return lxml.html.parse(str(built / "cytokines.html")).getroot()


def test_language_title_and_landmarks(page):
    assert page.get("lang") == "en-GB" and page.get("dir") == "ltr"
    assert page.findtext("head/title") == "Cytokines"
    for landmark in ("header", "main", "footer"):
        assert len(page.findall(f".//{landmark}")) == 1, landmark
    skip = page.find(".//a[@class='skip-link']")
    assert skip.get("href") == "#main" and page.get_element_by_id("main").tag == "main"


def test_one_h1_and_no_skipped_heading_levels(page):
    levels = [int(h.tag[1]) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


def test_side_effects_are_a_list(page):
    lists = [ul for ul in page.iter("ul") if "tiredness (fatigue)" in ul.text_content()]
    assert len(lists) == 1 and len(lists[0].findall("li")) == 9


def test_glossary_is_a_definition_list_and_every_term_link_resolves(page):
    glossary = load(ROOT / "source" / "cytokines.yaml").glossary  # easy read added entries
    terms = {dt.get("id") for dt in page.iter("dt")}
    assert terms == {f"term-{entry.id}" for entry in glossary}
    assert len(page.findall(".//dl/dd")) == len(glossary)
    links = [a.get("href") for a in page.iter("a") if a.get("class") == "term"]
    assert len(links) == 7
    for href in links:
        assert href.startswith("#term-") and href[1:] in terms


def test_references_and_review_dates_are_in_the_footer(page):
    footer = page.find(".//footer")
    text = " ".join(footer.text_content().split())
    assert "Last reviewed: 21 Oct 2024" in text and "Next review due: 21 Oct 2027" in text
    assert "Electronic Medicines Compendium" in text
    assert [t.get("datetime") for t in footer.iter("time")] == ["2024-10-21", "2027-10-21"]


def test_every_seed_paragraph_is_on_the_page_in_order(page):
    body = page.find("body")
    for skip in body.find_class("skip-link"):
        skip.drop_tree()
    for line_break in body.iter("br"):
        line_break.tail = "\n" + (line_break.tail or "")
    assert_in_order(seed_paragraphs(), body.text_content())


def test_page_is_self_contained(page):
    assert not page.xpath("//link[@rel='stylesheet'] | //script | //img")
    # only the narration beside it, which the browser loads when the reader presses play
    assert set(page.xpath("//@src")) == {"cytokines.mp3", "cytokines.vtt"}
    assert page.find(".//audio").get("preload") == "none"


def test_text_is_escaped(tmp_path: Path):
    result = leaflet("build", "tests/roots/escaping.yaml", "--format", "html", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    raw = (tmp_path / "escaping" / "en" / "escaping.html").read_text()
    assert "<script>" not in raw and "&lt;script&gt;" in raw
    parsed = lxml.html.fromstring(raw)
    assert parsed.findtext(".//title") == 'Risks & "benefits" < 5 mg'
    assert parsed.find(".//a[@href='https://example.org/?a=1&b=2']") is not None
    assert parsed.find(".//strong").text == "dose"
