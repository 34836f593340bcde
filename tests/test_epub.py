"""The EPUB books: EPUBCheck, DAISY Ace, the overlays against the MP3 and the WebVTT, the zip."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import webvtt
from lxml import etree

from conftest import leaflet

from leaflet.audit.epub import audit_epubs

pytestmark = pytest.mark.slow
SMIL = "{http://www.w3.org/ns/SMIL}"
OPF = "{http://www.idpf.org/2007/opf}"


def _ms(clock: str) -> int:
    hours, minutes, seconds = clock.split(":")
    return round((int(hours) * 3600 + int(minutes) * 60 + float(seconds)) * 1000)


def _pars(book: zipfile.ZipFile) -> list[tuple[str, int, int]]:
    found = []
    for name in sorted(n for n in book.namelist() if n.endswith(".smil")):
        for par in etree.fromstring(book.read(name)).iter(f"{SMIL}par"):
            audio = par.find(f"{SMIL}audio")
            found.append((par.find(f"{SMIL}text").get("src"), _ms(audio.get("clipBegin")),
                          _ms(audio.get("clipEnd"))))
    return found


def test_every_book_passes_epubcheck_ace_and_the_overlay_checks(built: Path):
    books = [built / "cytokines.epub", built / "cytokines-easy-read.epub"]
    results = audit_epubs(books)
    for result in results:
        assert result.ok, [str(failure) for failure in result.failures]
        assert "EPUBCheck: no errors or warnings" in result.checks
        assert "DAISY Ace: no violations" in result.checks
        assert "the clips and the text are the transcript's" in result.checks


@pytest.mark.parametrize("suffix", ["", "-easy-read"])
def test_each_clip_starts_at_its_cue_and_the_clips_fill_the_recording(built: Path, suffix):
    """Read with webvtt-py and ffprobe, not with the code that wrote them."""
    book = zipfile.ZipFile(built / f"cytokines{suffix}.epub")
    pars = _pars(book)
    cues = list(webvtt.read(str(built / f"cytokines{suffix}.vtt")))
    assert len(pars) == len(cues)
    for number, ((_, begin, end), cue) in enumerate(zip(pars, cues)):
        start, stop = _ms(cue.start), _ms(cue.end)
        if number:
            assert begin == start, cue.identifier
        assert begin <= start < stop <= end, cue.identifier
    assert all(a[2] == b[1] for a, b in zip(pars, pars[1:]))  # in order, no gap, no overlap
    probed = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                             "-of", "csv=p=0", str(built / f"cytokines{suffix}.mp3")],
                            capture_output=True, text=True, check=True)
    length = round(float(probed.stdout) * 1000)
    assert pars[0][1] == 0 and abs(pars[-1][2] - length) <= 5
    package = etree.fromstring(book.read("EPUB/package.opf"))
    total = [meta.text for meta in package.iter(f"{OPF}meta")
             if meta.get("property") == "media:duration" and not meta.get("refines")]
    assert abs(_ms(total[0]) - length) <= 5
    assert book.read(f"EPUB/audio/cytokines{suffix}.mp3") == \
        (built / f"cytokines{suffix}.mp3").read_bytes()


def test_the_package_declares_language_accessibility_and_the_highlight(built: Path):
    book = zipfile.ZipFile(built / "cytokines-easy-read.epub")
    package = etree.fromstring(book.read("EPUB/package.opf"))
    metas = [(meta.get("property"), meta.text) for meta in package.iter(f"{OPF}meta")]
    assert package.findtext(".//{http://purl.org/dc/elements/1.1/}language") == "en-GB"
    for expected in [("schema:accessMode", "auditory"), ("schema:accessMode", "visual"),
                     ("schema:accessibilityFeature", "synchronizedAudioText"),
                     ("schema:accessibilityFeature", "alternativeText"),
                     ("schema:accessibilityHazard", "none"),
                     ("media:active-class", "-epub-media-overlay-active")]:
        assert expected in metas
    assert any(name == "schema:accessibilitySummary" and text for name, text in metas)
    assert b".-epub-media-overlay-active" in book.read("EPUB/styles/book.css")
    chapters = [etree.fromstring(book.read(n)) for n in book.namelist() if "/text/" in n]
    pictures = [img for chapter in chapters for img in chapter.iter("{*}img")]
    assert pictures and all(img.get("alt", "").strip() for img in pictures)


def test_the_zip_is_reproducible_with_mimetype_first_and_stored(built: Path, tmp_path: Path):
    book = zipfile.ZipFile(built / "cytokines.epub")
    first, *rest = book.infolist()
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert book.read("mimetype") == b"application/epub+zip" and not first.extra
    assert [info.filename for info in rest] == sorted(info.filename for info in rest)
    assert {info.date_time for info in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    # Made twice without the build's narration (so spoken by the book's writer, the second
    # time from the sentence cache): the same bytes.
    books = []
    for name in ("once", "again"):
        out = tmp_path / name
        if books:
            shutil.copytree(tmp_path / "once" / ".cache", out / ".cache")
        result = leaflet("build", "source/cytokines.yaml", "--lang", "en", "--format", "epub",
                         "--out", str(out))
        assert result.returncode == 0, result.stderr
        books.append((out / "cytokines" / "en" / "cytokines.epub").read_bytes())
    assert books[0] == books[1]


def test_chromium_finds_every_fragment_an_overlay_points_to(built: Path, tmp_path: Path):
    from playwright.sync_api import sync_playwright

    from leaflet.audit.html import CHROMIUM, CHROMIUM_ARGS

    book = zipfile.ZipFile(built / "cytokines-easy-read.epub")
    book.extractall(tmp_path)
    by_document: dict[str, list[str]] = {}
    for source, _, _ in _pars(book):
        document, _, fragment = source.partition("#")
        by_document.setdefault(document.removeprefix("../"), []).append(fragment)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                              chromium_sandbox=False)
        page = chromium.new_page()
        for document, fragments in by_document.items():
            page.goto((tmp_path / "EPUB" / document).as_uri())
            missing = page.evaluate("""ids => ids.filter(id => {
                const e = document.getElementById(id);
                return !e || !e.textContent.trim() || e.getClientRects().length === 0; })""",
                                    fragments)
            assert not missing, document
        chromium.close()


def test_a_language_without_a_voice_gets_a_book_without_overlays_and_one_line(tmp_path: Path):
    result = leaflet("build", "tests/roots/somali.yaml", "--format", "epub", "--out",
                     str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("the EPUB is made without its narration") == 1
    book = zipfile.ZipFile(tmp_path / "somali" / "so" / "somali.epub")
    assert not [name for name in book.namelist() if name.endswith((".smil", ".mp3"))]
