"""The HTML in headless Chromium: the built page passes axe-core's WCAG 2.2 A/AA rules and the
keyboard, zoom and spacing checks; a page broken for each check fails it."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet.audit.html import audit_html, audit_page, browser


@pytest.fixture(scope="module")
def chromium():
    with browser() as instance:
        yield instance


def test_built_page_passes_with_screenshots_for_review(built: Path):
    (result,) = audit_html([built / "cytokines.html"])
    assert [str(failure) for failure in result.failures] == []
    axe = [check for check in result.checks if check.startswith("axe ")]
    assert len(axe) >= 15 and "axe color-contrast" in axe and "axe bypass" in axe
    for check in ("skip link is the first tab stop and leads to the main content",
                  "every link and control is reachable by keyboard",
                  "focus order is reading order", "keyboard focus is visible",
                  "colour is not the only signal", "glossary links work from the keyboard",
                  "works at 200% zoom without loss of content",
                  "reflows at 320 CSS pixels without loss of content",
                  "WCAG text-spacing overrides lose no content"):
        assert check in result.checks
    for width in ("phone", "desktop"):
        screenshot = built / "review" / f"cytokines-{width}.png"
        assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("source, language", [("tests/roots/blocks.yaml", "en"),
                                              ("source/cytokines.yaml", "ar")])
def test_every_kind_of_block_passes(chromium, tmp_path, source, language):
    """Lists, a table, boxes, the cover, the help line, other versions, feedback and contact;
    and a right-to-left page, whose boxes and lists mirror."""
    from conftest import ROOT
    from leaflet.edition import FULL, Versions, edition
    from leaflet.i18n.catalog import translate
    from leaflet.render import html
    from leaflet.source import load

    leaflet = load(ROOT / source)
    if language != "en":
        leaflet = translate(leaflet, language).leaflet
    versions = Versions(("html", "pdf", "large-print", "easy-read"), ("en", "cy", "ar"))
    path = _write(tmp_path, html.render(edition(leaflet, FULL, versions)).decode())
    result = audit_page(chromium, path, review=False)
    assert [str(failure) for failure in result.failures] == []
    assert "axe color-contrast" in result.checks and "axe list" in result.checks
    assert "axe th-has-data-cells" in result.checks or "axe td-has-header" in result.checks \
        or language != "en"


PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Example</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ max-width: 40em; margin: 0 auto; padding: 1em; color: #1a1a1a; background: #fff; }}
a {{ color: #0b4a80; text-decoration: underline; }}
a:focus {{ outline: 0.2em solid #1a1a1a; }}
.skip-link {{ position: absolute; top: -4em; }} .skip-link:focus {{ top: 0.5em; }}
{style}
</style></head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header><h1>Example</h1></header>
<main id="main">
<p>Cytokines play a role in the <a class="term" href="#term-immune">immune system</a>.</p>
{body}
<dl><dt id="term-immune">immune system</dt><dd>The body's defence.</dd></dl>
</main>
</body></html>
"""


def _failed(chromium, tmp_path: Path, style: str = "", body: str = "", page: str = PAGE):
    path = tmp_path / "page.html"
    path.write_text(page.format(style=style, body=body))
    result = audit_page(chromium, path, review=False)
    return {check: [failure.message for failure in failures]
            for check, failures in result.checks.items() if failures}


def test_the_example_passes(chromium, tmp_path):
    assert _failed(chromium, tmp_path) == {}


def test_low_contrast_and_missing_language_fail_axe(chromium, tmp_path):
    page = PAGE.replace('<html lang="en-GB">', "<html>")
    failed = _failed(chromium, tmp_path, style="p { color: #999999; }", page=page)
    assert {"axe html-has-lang", "axe color-contrast"} <= set(failed)


def test_a_page_without_a_skip_link_fails(chromium, tmp_path):
    page = PAGE.replace('<a class="skip-link" href="#main">Skip to main content</a>', "")
    failed = _failed(chromium, tmp_path, page=page)
    assert failed["skip link is the first tab stop and leads to the main content"] == [
        "the first tab stop is not the skip link but a 'immune system'"]


def test_an_invisible_focus_fails(chromium, tmp_path):
    failed = _failed(chromium, tmp_path, style="a:focus, a:focus-visible { outline: none; }")
    assert "no visible focus indicator on 'immune system'" in failed["keyboard focus is visible"]


def test_a_positive_tabindex_fails_focus_order(chromium, tmp_path):
    body = '<p>See the <a href="#term-immune" tabindex="2">glossary</a>.</p>'
    assert "focus order is reading order" in _failed(chromium, tmp_path, body=body)


def test_links_told_apart_by_colour_alone_fail(chromium, tmp_path):
    failed = _failed(chromium, tmp_path, style="a { text-decoration: none; }")
    assert failed["colour is not the only signal"] == [
        "the link 'immune system' is told apart from the text by colour alone"]


def test_content_clipped_under_text_spacing_fails(chromium, tmp_path):
    body = ('<div style="height: 4em; overflow: hidden"><p style="margin: 0; line-height: 1.2">'
            'First line</p><p style="margin: 0; line-height: 1.2">Second line</p></div>')
    failed = _failed(chromium, tmp_path, body=body)
    assert list(failed) == ["WCAG text-spacing overrides lose no content"]


def test_content_wider_than_a_zoomed_screen_fails(chromium, tmp_path):
    body = '<p style="white-space: nowrap">' + "a very long unbreakable line " * 6 + "</p>"
    failed = _failed(chromium, tmp_path, body=body)
    assert "reflows at 320 CSS pixels without loss of content" in failed
    assert "works at 200% zoom without loss of content" in failed


def test_a_glossary_link_without_its_definition_fails(chromium, tmp_path):
    body = '<p>A <a class="term" href="#term-missing">missing term</a>.</p>'
    failed = _failed(chromium, tmp_path, body=body)
    assert failed["glossary links work from the keyboard"] == [
        "the glossary link #term-missing has no target"]


def test_the_audio_player_is_checked_once_there_is_one(chromium, tmp_path):
    assert "audio player is reachable by keyboard" not in audit_page(
        chromium, _write(tmp_path, PAGE.format(style="", body="")), review=False).checks
    _silence(tmp_path / "leaflet.wav")
    good = '<audio controls aria-label="Listen to this leaflet" src="leaflet.wav"></audio>'
    assert _failed(chromium, tmp_path, body=good) == {}
    failed = _failed(chromium, tmp_path, body='<audio src="leaflet.wav" autoplay></audio>')
    assert failed["audio player is reachable by keyboard"] == [
        "audio player 1 has no controls", "audio player 1 plays by itself",
        "audio player 1 has no accessible name", "Tab reaches 0 of 1 audio player(s)"]


def _silence(path: Path) -> None:
    import wave

    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(b"\0\0" * 800)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "page.html"
    path.write_text(text)
    return path
