"""The leaflet pages on the web: links to every language and file, chapters, glossary in place,
transcript pages and fonts, read in Chromium, lxml, ffprobe, webvtt-py and fontTools."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import html as lxml_html

from conftest import leaflet, pdf_text

LANGUAGES = ["en", "cy", "ar"]
FORMATS = "html,easy-read-html,pdf,docx,audio,easy-read-audio,braille"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = leaflet("build", "source/cytokines.yaml", "--lang", ",".join(LANGUAGES),
                     "--format", FORMATS, "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def parse(path: Path):
    return lxml_html.fromstring(path.read_bytes())


def pages(site: Path) -> list[Path]:
    return sorted(path for path in site.rglob("*.html") if ".cache" not in path.parts)


def local_links(page):
    """(attribute value) of every link and source of a page that points into the site."""
    for element, attribute, link, _ in page.iterlinks():
        scheme = urlsplit(link).scheme
        if scheme in ("http", "https", "mailto", "tel", "data") or element.tag == "img":
            continue
        yield element, link


def test_every_link_of_every_page_resolves_to_a_file_and_fragment_that_exist(site):
    checked = 0
    for path in pages(site):
        page = parse(path)
        for element, link in local_links(page):
            parts = urlsplit(link)
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert target.is_file(), f"{path.relative_to(site)}: {link} does not exist"
            assert site.resolve() in target.parents, f"{link} leaves the site"
            if parts.fragment and target.suffix == ".html":
                assert parse(target).get_element_by_id(parts.fragment, None) is not None, \
                    f"{path.relative_to(site)}: {link} has no target"
            checked += 1
    assert checked > 100


@pytest.mark.parametrize("suffix", ["", "-easy-read"])
def test_every_language_version_links_every_other_with_hreflang(site, suffix):
    folder = site / "cytokines"
    alternates = {}
    for code in LANGUAGES:
        page = parse(folder / code / f"cytokines{suffix}.html")
        assert page.get("lang").split("-")[0] == code
        links = {link.get("hreflang"): (folder / code / link.get("href")).resolve()
                 for link in page.xpath("//head/link[@rel='alternate']")}
        alternates[code] = links
        switcher = page.xpath("//nav[@class='site-nav']//a[@hreflang]")
        names = {link.get("hreflang"): link.text_content() for link in switcher}
        assert names == {"en": "English", "cy": "Cymraeg", "ar": "العربية"}
        assert all(link.get("lang") == link.get("hreflang") for link in switcher)
        current = [link.get("hreflang") for link in switcher if link.get("aria-current")]
        assert current == [code]
    for code, links in alternates.items():
        assert set(links) == set(LANGUAGES)  # itself too
        for other, target in links.items():
            assert target == (folder / other / f"cytokines{suffix}.html").resolve()
            assert alternates[other][code] == (folder / code / f"cytokines{suffix}.html").resolve()


def test_the_download_panel_lists_every_other_file_with_its_type_and_size(site):
    from leaflet.render.web import file_size

    folder = site / "cytokines" / "en"
    page = parse(folder / "cytokines.html")
    entries = {link.get("href"): link.text_content()
               for link in page.xpath("//ul[@class='downloads']//a")}
    assert list(entries) == ["cytokines.pdf", "cytokines.docx", "cytokines-easy-read.html",
                             "cytokines.mp3", "cytokines-easy-read.mp3", "cytokines.brf",
                             "cytokines-braille.txt"]  # what this build made, in one order
    kinds = {".pdf": "PDF", ".docx": "Word", ".mp3": "MP3", ".brf": "BRF", ".txt": "text"}
    for name, text in entries.items():
        path = folder / name
        if path.suffix == ".html":
            assert text.endswith("(web page)")
        else:
            assert text.endswith(f"({kinds[path.suffix]}, {file_size(path.stat().st_size, 'en')})")
    assert entries["cytokines.mp3"].startswith("Audio recording (MP3, ")
    assert re.search(r"\(MP3, \d+(\.\d)? MB\)$", entries["cytokines.mp3"])
    # The easy-read page lists the full version, and not itself.
    easy = parse(folder / "cytokines-easy-read.html")
    hrefs = easy.xpath("//ul[@class='downloads']//a/@href")
    assert "cytokines.html" in hrefs and "cytokines-easy-read.html" not in hrefs
    # Welsh numbers and units where CLDR has them.
    welsh = parse(site / "cytokines" / "cy" / "cytokines.html")
    assert welsh.xpath("//ul[@class='downloads']//a[@href='cytokines.pdf']")


def test_paper_has_none_of_the_web_page_links(site):
    text = pdf_text(site / "cytokines" / "en" / "cytokines.pdf")
    assert "Download or listen" not in text and "All leaflets" not in text


def ffprobe_chapters(path: Path) -> list[tuple[str, float]]:
    result = subprocess.run(["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(path)],
                            capture_output=True, text=True, check=True)
    return [(chapter["tags"]["title"], float(chapter["start_time"]))
            for chapter in json.loads(result.stdout)["chapters"]]


@pytest.mark.parametrize("suffix", ["", "-easy-read"])
def test_the_chapter_links_are_the_recordings_chapters(site, suffix):
    folder = site / "cytokines" / "en"
    chapters = ffprobe_chapters(folder / f"cytokines{suffix}.mp3")
    links = parse(folder / f"cytokines{suffix}.html").xpath("//nav[@class='chapters']//a")
    assert [link.text_content() for link in links] == [title for title, _ in chapters]
    for link, (_, start) in zip(links, chapters):
        assert abs(float(link.get("data-start")) - start) < 0.1
        assert link.get("href").startswith(f"cytokines{suffix}-transcript.html#")


@pytest.fixture(scope="module")
def chromium():
    from leaflet.audit.html import browser

    with browser() as running:
        yield running


def test_chapter_links_move_the_recording_without_leaving_the_page(site, chromium):
    page = chromium.new_page()
    url = (site / "cytokines" / "en" / "cytokines.html").as_uri()
    page.goto(url)
    links = page.locator("nav.chapters a")
    assert links.count() >= 5
    for index in (3, 1, 4):
        link = links.nth(index)
        link.focus()
        page.keyboard.press("Enter")
        start = float(link.get_attribute("data-start"))
        moved = page.evaluate("() => { const p = document.getElementById('recording');"
                              " p.pause(); return p.currentTime; }")
        assert abs(moved - start) < 0.5 and page.url == url
    page.close()


def test_a_glossary_definition_opens_in_place_and_escape_returns_focus(site, chromium):
    page = chromium.new_page(viewport={"width": 375, "height": 700})
    page.goto((site / "cytokines" / "en" / "cytokines.html").as_uri())
    link = page.locator("main a.term").first
    term = link.text_content()
    link.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name=term)
    assert dialog.is_visible() and link.get_attribute("aria-expanded") == "true"
    box = dialog.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 700  # on screen where the reader is
    definition = page.locator(f"dt[id='{link.get_attribute('href')[1:]}'] + dd").text_content()
    assert definition.strip() in dialog.text_content()
    assert page.evaluate("() => document.activeElement.closest('[role=dialog]') !== null")
    assert page.evaluate("() => location.hash") == ""  # the page did not jump to the glossary
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("() => document.activeElement.classList.contains('term')")
    assert page.evaluate("() => document.activeElement.textContent") == term
    assert link.get_attribute("aria-expanded") == "false"
    # Its button closes it too, and the link to the list of words goes there.
    page.keyboard.press("Enter")
    dialog.get_by_role("link").click()
    assert not dialog.is_visible()
    assert page.evaluate("() => location.hash") == link.get_attribute("href")
    page.close()


def test_without_a_script_every_link_still_leads_somewhere(site, chromium):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site / "cytokines" / "en" / "cytokines.html").as_uri())
    page.locator("nav.chapters a").nth(2).click()
    assert page.url.endswith("cytokines-transcript.html#peginterferon-for-blood-cancers")
    context.close()


def test_the_transcript_page_has_the_chapters_as_headings_and_every_cue_as_text(site):
    import webvtt

    folder = site / "cytokines" / "cy"
    page = parse(folder / "cytokines-transcript.html")
    assert page.get("lang") == "cy" and page.get("dir") == "ltr"
    headings = [heading.text_content() for heading in page.xpath("//main//h2")]
    assert headings == [title for title, _ in ffprobe_chapters(folder / "cytokines.mp3")]
    assert len(page.xpath("//h1")) == 1
    said = [" ".join(p.text_content().split()) for p in page.xpath("//main//section/p")
            if "chapter-time" not in (p.get("class") or "")]
    cues = list(webvtt.read(str(folder / "cytokines.vtt")))
    assert said == [" ".join(cue.text.split()) for cue in cues if "." in cue.identifier]
    assert page.xpath("//nav//a/@href") == ["cytokines.html"]
    arabic = parse(site / "cytokines" / "ar" / "cytokines-transcript.html")
    assert arabic.get("dir") == "rtl"


def test_the_font_is_inside_the_page_cut_down_to_its_characters(site):
    from fontTools.ttLib import TTFont

    from leaflet.render.pdf import FONT_DIR, FONT_FAMILY

    path = site / "cytokines" / "cy" / "cytokines.html"
    text = path.read_text(encoding="utf-8")
    faces = re.findall(r'font-family: "([^"]+)"; font-weight: (\w+);[^}]*'
                       r'base64,([A-Za-z0-9+/=]+)', text)
    assert {(family, weight) for family, weight, _ in faces} >= {
        (FONT_FAMILY, "normal"), (FONT_FAMILY, "bold")}
    # The language switcher's العربية: the Arabic face too, with only those letters.
    arabic = [data for family, weight, data in faces
              if family == "Noto Naskh Arabic" and weight == "normal"]
    assert len(arabic) == 1
    letters = {chr(code) for code in TTFont(io.BytesIO(base64.b64decode(arabic[0]))).getBestCmap()}
    assert {letter for letter in letters if "\u0600" <= letter <= "\u06ff"} == set("العربية")
    full = TTFont(FONT_DIR / "AtkinsonHyperlegibleNext-Regular.ttf")
    data = next(data for family, weight, data in faces
                if family == FONT_FAMILY and weight == "normal")
    subset = TTFont(io.BytesIO(base64.b64decode(data)))
    assert subset.flavor == "woff2"
    assert subset["name"].getDebugName(1) == FONT_FAMILY
    page_text = parse(path).text_content()
    latin = {character for character in page_text
             if character.isprintable() and not "\u0600" <= character <= "\u06ff"}
    have = {chr(code) for code in subset.getBestCmap()}
    assert latin - have == set() and "ŵ" in have  # every Welsh letter from the one family
    assert len(subset.getGlyphOrder()) < len(full.getGlyphOrder()) / 2


def test_a_right_to_left_page_carries_its_arabic_font_too(site):
    text = (site / "cytokines" / "ar" / "cytokines.html").read_text(encoding="utf-8")
    assert 'font-family: "Noto Naskh Arabic"' in text


def test_every_page_of_the_site_passes_the_browser_checks(site, chromium):
    """axe-core, the keyboard (the language switcher, the panel, the chapter links and the
    glossary popovers among them), zoom, reflow and text spacing, on every page."""
    from leaflet.audit.html import audit_page

    every = pages(site)
    assert len(every) == 4 * 3 + 2 * 3  # 4 pages of the leaflet and 2 of the site, 3 languages
    # Left to right and right to left; test_audit_cli runs the same checks on the Welsh pages.
    audited = [path for path in every if path.parent.name in ("en", "ar")
               or path.stem in ("index", "accessibility", "index-ar", "accessibility-ar")]
    assert len(audited) == 4 * 2 + 2 * 2
    results = [audit_page(chromium, path, review=False) for path in audited]
    for result in results:
        assert result.ok, [str(failure) for failure in result.failures]
    checked = {Path(result.output).name: set(result.checks) for result in results}
    assert "glossary links work from the keyboard" in checked["cytokines.html"]
    assert "chapter links move the recording" in checked["cytokines-transcript.html"]
    assert "every link and control is reachable by keyboard" in checked["index.html"]
