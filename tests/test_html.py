"""The HTML page parsed as a browser would: language, landmarks, headings, lists, links, escaping."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from conftest import ROOT, assert_in_order, leaflet, seed_paragraphs
from leaflet.edition import FULL, Versions, edition
from leaflet.i18n.catalog import translate
from leaflet.render import html
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
    assert not page.xpath("//link[@rel='stylesheet'] | //script[@src]")
    # its one script is inline
    assert len(page.xpath("//script")) == 1
    # its fonts inside it: WOFF2 subsets
    faces = " ".join(page.xpath("//style/text()"))
    assert faces.count("@font-face") >= 2 and "data:font/woff2;base64," in faces
    # the logo inside it; the narration beside it, which the browser loads on play
    assert [img.get("class") for img in page.iter("img")] == ["logo"]
    assert page.find(".//img").get("src").startswith("data:image/svg+xml;base64,")
    assert {src for src in page.xpath("//@src") if not src.startswith("data:")} == {
        "cytokines.mp3", "cytokines.vtt"}
    assert page.find(".//audio").get("preload") == "metadata"  # its length, not its sound


def test_text_is_escaped(tmp_path: Path):
    result = leaflet("build", "tests/roots/escaping.yaml", "--format", "html", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    raw = (tmp_path / "escaping" / "en" / "escaping.html").read_text()
    assert "<script>" not in raw and "&lt;script&gt;" in raw
    parsed = lxml.html.fromstring(raw)
    assert parsed.findtext(".//title") == 'Risks & "benefits" < 5 mg'
    assert parsed.find(".//a[@href='https://example.org/?a=1&b=2']") is not None
    assert parsed.find(".//strong").text == "dose"


# -- the blocks of tests/roots/blocks.yaml ---------------------------------------------------
BLOCKS_VERSIONS = Versions(("html", "pdf", "large-print", "audio"), ("en", "cy", "ar"))


@pytest.fixture(scope="module")
def blocks():
    full = edition(load(ROOT / "tests" / "roots" / "blocks.yaml"), FULL, BLOCKS_VERSIONS)
    return lxml.html.fromstring(html.render(full))


def _text(element) -> str:
    return " ".join(element.text_content().split())


def test_the_cover_has_the_logo_title_and_facts(blocks):
    import base64

    (cover,) = blocks.find_class("masthead")
    assert cover.getparent().tag == "header"
    logo = cover.find(".//img")
    assert logo.get("alt") == "Riverside Health" and logo.get("class") == "logo"
    kind, data = logo.get("src").split(",", 1)
    assert kind == "data:image/svg+xml;base64"
    assert base64.b64decode(data) == (ROOT / "branding" / "logo.svg").read_bytes()
    assert _text(cover.find_class("publisher")[0]) == "Riverside Health"
    assert _text(cover.find("h1")) == "Giving your injection at home"
    assert [_text(li) for li in cover.find_class("facts")[0]] == [
        "Leaflet code: TEST-0001", "Version: 1.2", "Last reviewed: 1 Mar 2025",
        "Next review due: 1 Mar 2028"]
    assert [span.text for span in cover.find_class("label")] == [
        "Leaflet code:", "Version:", "Last reviewed:", "Next review due:"]


def test_the_help_line_follows_the_cover_with_the_phone_first(blocks):
    header = blocks.find(".//header")
    assert [child.get("class") for child in header][:3] == ["site-nav", "masthead", "help-line"]
    (help_line,) = header.find_class("help-line")
    phone, hours = help_line.findall(".//li")
    assert phone.find("a").get("href") == "tel:03001234567"
    assert _text(phone) == "Phone: 0300 123 4567"
    assert _text(hours) == "Open: Monday to Friday, 9am to 5pm"


def test_bullets_and_steps_nest_one_list_of_sub_points(blocks):
    first = blocks.get_element_by_id("before-you-start")
    (bullets,) = first.findall("ul")
    items = bullets.findall("li")
    assert len(items) == 2 and [len(item.findall("ul/li")) for item in items] == [2, 0]
    assert [_text(li) for li in items[0].findall("ul/li")] == [
        "a temperature of 37.5°C or above", "shivering"]
    (steps,) = blocks.get_element_by_id("how-to-inject").findall("ol")
    assert [len(item.findall("ul/li")) for item in steps.findall("li")] == [0, 2, 0]
    assert steps.find("li").text.strip() == "Wash your hands."


def test_the_table_has_a_caption_and_column_headers(blocks):
    (table,) = blocks.iter("table")
    assert _text(table.find("caption")) == "How often you have it"
    headers = table.findall("thead/tr/th")
    assert [(th.get("scope"), _text(th)) for th in headers] == [
        ("col", "Weeks"), ("col", "Dose"), ("col", "How often")]
    assert [[_text(td) for td in tr.findall("td")] for tr in table.findall("tbody/tr")] == [
        ["1 to 4", "180 micrograms", "Once a week"], ["5 onwards", "90 micrograms", "Every 2 weeks"]]


def test_boxes_are_labelled_notes_with_a_heading_at_the_right_level(blocks):
    boxes = blocks.findall(".//aside")
    assert [box.get("class") for box in boxes] == ["callout important", "callout urgent"]
    levels = []
    for box in boxes:
        assert box.get("role") == "note"
        heading = blocks.get_element_by_id(box.get("aria-labelledby"))
        assert heading.getparent() is box and heading is box[0]
        levels.append(heading.tag)
        assert heading[0].tag == "strong"
    assert levels == ["h2", "h3"]  # the first box is in the part with no heading, under h1
    assert [_text(box[0]) for box in boxes] == [
        "Important: Keep your injections in the fridge", "Urgent:"]
    assert [_text(box[0][0]) for box in boxes] == ["Important:", "Urgent:"]


def test_other_versions_name_each_language_in_itself_and_link_the_web_page(blocks):
    (other,) = blocks.find_class("alternatives")
    assert [_text(li) for li in other.find_class("formats")[0]] == ["Large print", "Audio"]
    assert [(li.get("lang"), li.get("dir"), _text(li)) for li in other.find_class("languages")[0]] \
        == [("en", "ltr", "English"), ("cy", "ltr", "Cymraeg"), ("ar", "rtl", "العربية")]
    link = other.find_class("web-address")[0].find("a")
    assert link.get("href") == "https://leaflets.example.org/blocks/en/blocks.html"
    assert link.text == "leaflets.example.org/blocks/en/blocks.html"
    assert not other.findall(".//img")  # the QR code is for paper


def test_feedback_then_contact_us_with_the_phone_first(blocks):
    footer = blocks.find(".//footer")
    feedback, contact = footer.findall("section")
    assert _text(feedback.find("h2")) == "Tell us what you think of this leaflet"
    assert feedback.find(".//a").get("href") == "https://www.example.org/leaflet-feedback"
    assert contact.get("id") == "contact" and _text(contact.find("h2")) == "Contact us"
    lines = contact.findall(".//li")
    assert [li.get("class") for li in lines] == ["phone", "hours", "email", "address", "website"]
    assert [li.find("a").get("href") for li in lines if li.find("a") is not None] == [
        "tel:03001234567", "mailto:leaflets@example.org", "https://www.example.org/"]
    assert _text(lines[3]) == "Address: Riverside Hospital, 1 River Road, Exampleton EX1 2AB"
    assert _text(contact[-1]) == "Published by Riverside Health."


def test_right_to_left_keeps_numbers_and_addresses_left_to_right():
    """WeasyPrint ignores unicode-bidi: first-strong isolates keep "0300 123 4567" in order."""
    arabic = translate(load(ROOT / "source" / "cytokines.yaml"), "ar").leaflet
    page = lxml.html.fromstring(html.render(edition(arabic, FULL, BLOCKS_VERSIONS)))
    assert page.get("dir") == "rtl"
    phone = page.find(".//header//li[@class='phone']/a")
    assert phone.text == "\u20680300 123 4567\u2069"
    contact = page.get_element_by_id("contact")
    address = contact.find(".//li[@class='address']")
    assert address.text_content().endswith("\u2068Riverside Hospital, 1 River Road, Exampleton "
                                           "EX1 2AB\u2069")
    english = lxml.html.fromstring(html.render(edition(load(ROOT / "source" / "cytokines.yaml"),
                                                       FULL, BLOCKS_VERSIONS)))
    assert english.find(".//header//li[@class='phone']/a").text == "0300 123 4567"
