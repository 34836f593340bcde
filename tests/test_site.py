"""The site pages of a build folder: the index and accessibility statement in each language and
the sitemap, read back with lxml and checked in Chromium with axe-core."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree, html

from conftest import ROOT, leaflet
from leaflet import project, site

BASE_URL = "https://leaflets.example.org/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
              "x": "http://www.w3.org/1999/xhtml"}
LOCAL = ("mailto:", "tel:", "https:")


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """cytokines in English, Welsh and Arabic, as web page, easy read and PDF, with its site."""
    folder = tmp_path_factory.mktemp("site")
    result = leaflet("build", "source/cytokines.yaml", "--lang", "en,cy,ar", "--format",
                     "html,easy-read-html,pdf", "--out", str(folder))
    assert result.returncode == 0, result.stderr
    site.publish(folder)
    return folder


@pytest.fixture
def copy(out, tmp_path) -> Path:
    """A build folder of one's own to add pages to."""
    return Path(shutil.copytree(out, tmp_path / "out"))


def site_pages(out: Path) -> list[Path]:
    return sorted([*out.glob("index*.html"), *out.glob("accessibility*.html")])


def parse(path: Path):
    return html.fromstring(path.read_bytes())


def test_the_index_lists_the_leaflet_linked_to_its_page(out):
    index = parse(out / "index.html")
    assert index.get("lang") == "en" and index.get("dir") == "ltr"
    (link,) = index.xpath("//main//h2/a")
    assert link.text_content() == "Cytokines"
    assert (out / link.get("href")).is_file()
    assert link.get("href") == "cytokines/en/cytokines.html"
    assert index.xpath("//main//p[@class='summary']")[0].text_content().startswith(
        "What cytokine drugs are")
    (reviewed,) = index.xpath("//main//time")
    assert reviewed.get("datetime") == "2024-10-21" and reviewed.text == "21 Oct 2024"
    easy_read = index.xpath("//main//a[. = 'Easy read version']")
    assert [a.get("href") for a in easy_read] == ["cytokines/en/cytokines-easy-read.html"]
    assert [page.name for page in site_pages(out)] == [
        "accessibility-ar.html", "accessibility-cy.html", "accessibility.html",
        "index-ar.html", "index-cy.html", "index.html"]


def test_every_link_of_every_site_page_leads_to_a_file(out):
    checked = 0
    for page in site_pages(out):
        document = parse(page)
        for element in document.xpath("//a[@href] | //link[@href]"):
            href = element.get("href")
            if href.startswith(LOCAL):
                continue
            target, _, fragment = href.partition("#")
            if target:
                assert (out / target).is_file(), f"{page.name}: {href}"
            else:
                assert document.xpath("//*[@id=$id]", id=fragment), f"{page.name}: {href}"
            checked += 1
    assert checked > 50


def alternates(page: Path) -> dict[str, str]:
    return {link.get("hreflang"): link.get("href")
            for link in parse(page).xpath("//head/link[@rel='alternate']")}


@pytest.mark.parametrize("stem", ["index", "accessibility"])
def test_language_versions_name_each_other(out, stem):
    pages = sorted(out.glob(f"{stem}*.html"))
    expected = {"x-default": f"{stem}.html", "en": f"{stem}.html", "cy": f"{stem}-cy.html",
                "ar": f"{stem}-ar.html"}
    for page in pages:
        assert alternates(page) == expected, page.name
        assert expected[parse(page).get("lang")] == page.name  # itself among them
    assert len(pages) == 3


def test_the_welsh_index_names_each_language_in_itself(out):
    index = parse(out / "index-cy.html")
    assert index.get("lang") == "cy"
    switcher = index.xpath("//nav//a")
    assert [(a.text, a.get("lang"), a.get("hreflang"), a.get("href")) for a in switcher] == [
        ("English", "en", "en", "index.html"), ("Cymraeg", "cy", "cy", "index-cy.html"),
        ("العربية", "ar", "ar", "index-ar.html")]
    assert [a.get("aria-current") for a in switcher] == [None, "page", None]
    (title,) = index.xpath("//main//h2/a")
    assert title.text == "Cytocinau" and title.get("lang") is None
    assert title.get("href") == "cytokines/cy/cytokines.html"
    available = index.xpath("//main//ul[@class='languages']/li/a")
    assert [(a.text, a.get("lang")) for a in available] == [
        ("English", "en"), ("Cymraeg", "cy"), ("العربية", "ar")]
    assert index.xpath("//main//time")[0].text == "21 Hydref 2024"
    assert parse(out / "index-ar.html").get("dir") == "rtl"


def test_a_leaflet_not_in_the_index_language_shows_in_its_own(copy):
    fake_page(copy, "solo", "en", "Only in English", "English only.")
    site.publish(copy)
    index = parse(copy / "index-cy.html")
    (title,) = index.xpath("//main//h2/a[@href='solo/en/solo.html']")
    assert (title.text, title.get("lang"), title.get("dir")) == ("Only in English", "en", "ltr")
    (summary,) = title.xpath("../following-sibling::p[@class='summary']")
    assert summary.get("lang") == "en" and summary.text == "English only."


def test_the_statement_names_the_publisher_and_how_to_reach_it(out):
    statement = parse(out / "accessibility.html")
    text = " ".join(statement.text_content().split())
    assert "Riverside Health publishes them" in text
    hrefs = [a.get("href") for a in statement.xpath("//main//a")]
    assert "https://www.example.org/leaflet-feedback" in hrefs
    assert "mailto:leaflets@example.org" in hrefs and "tel:03001234567" in hrefs
    assert "axe-core" in text and "WCAG 2.2" in text and "PDF/UA-1" in text
    assert "easy read" in text and "Word document" not in text  # only the formats built
    headings = [int(heading.tag[1]) for heading in statement.xpath("//h1|//h2|//h3")]
    assert headings[0] == 1 and headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(headings, headings[1:]))
    (prepared,) = statement.xpath("//main//time")
    assert prepared.get("datetime") == "2026-06-01"  # SOURCE_DATE_EPOCH
    assert parse(out / "index.html").xpath("//footer//a/@href") == ["accessibility.html"]
    welsh = parse(out / "accessibility-cy.html")
    assert welsh.get("lang") == "cy" and welsh.xpath("//footer//a/@href") == ["index-cy.html"]


def test_the_sitemap_gives_every_page_with_its_language_versions(out):
    tree = etree.parse(str(out / "sitemap.xml"))
    entries = {}
    for url in tree.xpath("/s:urlset/s:url", namespaces=SITEMAP_NS):
        loc = url.findtext("s:loc", namespaces=SITEMAP_NS)
        assert loc.startswith(BASE_URL) and (out / loc.removeprefix(BASE_URL)).is_file(), loc
        entries[loc] = (url.findtext("s:lastmod", namespaces=SITEMAP_NS),
                        {link.get("hreflang"): link.get("href")
                         for link in url.xpath("x:link[@rel='alternate']", namespaces=SITEMAP_NS)})
    pages = {f"{BASE_URL}{path.relative_to(out).as_posix()}" for path in out.rglob("*.html")
             if path.parent.name != "review"}
    assert set(entries) == pages and len(pages) == 12
    for loc, (_, versions) in entries.items():
        assert loc in versions.values() and len(versions) == 3
        for other in versions.values():
            assert entries[other][1] == versions, (loc, other)
    assert entries[f"{BASE_URL}cytokines/cy/cytokines-easy-read.html"][0] == "2024-10-21"


def test_without_a_base_url_there_is_no_sitemap(copy, tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    settings = (ROOT / "leaflet.toml").read_text(encoding="utf-8")
    without = settings.replace(f'base_url = "{BASE_URL}"', "")
    assert without != settings
    (root / "leaflet.toml").write_text(without, encoding="utf-8")
    shutil.copytree(ROOT / "branding", root / "branding")
    before = project.current()
    project.use(project.load(root))
    try:
        assert copy / "sitemap.xml" in [*copy.iterdir()]
        site.publish(copy)
        assert not (copy / "sitemap.xml").exists()
        assert (copy / "index.html").is_file()
    finally:
        project.use(before)


def test_text_from_a_page_is_escaped(copy):
    fake_page(copy, "evil", "en", "&lt;script&gt;alert(1)&lt;/script&gt;",
              "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")
    site.publish(copy)
    raw = (copy / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw and "<script>" not in raw
    index = parse(copy / "index.html")
    assert not index.xpath("//script | //img")
    (title,) = index.xpath("//main//h2/a[@href='evil/en/evil.html']")
    assert title.text == "<script>alert(1)</script>"
    assert '"><img src=x onerror=alert(1)>' in index.text_content()


def test_only_folders_with_a_leaflet_page_are_leaflets(copy):
    for name in (".cache/en/.cache.html", "lib/leaflet/site.py", "bdist.linux-x86_64/en/x.html",
                 "empty/en/other.html"):
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_text("<html><head><title>Not a leaflet</title></head></html>")
    site.publish(copy)
    assert [a.text for a in parse(copy / "index.html").xpath("//main//h2/a")] == ["Cytokines"]


def test_publishing_again_touches_nothing(copy):
    before = {path: path.stat().st_mtime_ns for path in copy.rglob("*")}
    assert site.publish(copy) == []
    assert {path: path.stat().st_mtime_ns for path in copy.rglob("*")} == before


def test_axe_finds_no_violation_on_the_site_pages(out, tmp_path):
    from leaflet.audit.html import audit_html

    pages = [out / "index.html", out / "index-ar.html", out / "accessibility-cy.html"]
    results = audit_html(pages, review=False)
    assert [str(failure) for result in results for failure in result.failures] == []
    assert all("axe color-contrast" in result.checks and "axe html-has-lang" in result.checks
               for result in results)


def fake_page(out: Path, leaflet_id: str, language: str, title: str, description: str) -> None:
    """A hand-written leaflet page: only its head is read."""
    page = out / leaflet_id / language / f"{leaflet_id}.html"
    page.parent.mkdir(parents=True)
    page.write_text(f'<!DOCTYPE html>\n<html lang="{language}" dir="ltr"><head>'
                    f'<meta charset="utf-8"><title>{title}</title>'
                    f'<meta name="description" content="{description}">'
                    '<meta name="dcterms.modified" content="2025-01-02"></head>'
                    "<body><main><h1>Fake</h1></main></body></html>", encoding="utf-8")
