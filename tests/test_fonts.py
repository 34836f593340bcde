"""The body font has every letter of every Latin-script text, and the PDFs use it alone."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from functools import lru_cache
from pathlib import Path

import icu
import pytest
from fontTools.ttLib import TTFont

from conftest import ROOT, leaflet
from leaflet.paths import LABELS
from leaflet.render.pdf import FONT_DIR, FONT_FAMILY, FONT_FILES

CATALOGUES = sorted((ROOT / "locales").glob("*/LC_MESSAGES/*.po")) + \
    sorted(LABELS.glob("*/LC_MESSAGES/*.po"))
ENGLISH = sorted((ROOT / "source").glob("*.yaml")) + [ROOT / "leaflet.toml", LABELS / "leaflet.pot"]


def latin_script(catalogue: Path) -> bool:
    """Whether the catalogue's language (its locales/<lang>/ folder) is written in Latin letters."""
    locale = icu.Locale(catalogue.parents[1].name)
    locale.addLikelySubtags()
    return locale.getScript() == "Latn"


LATIN_CATALOGUES = [path for path in CATALOGUES if latin_script(path)]


@lru_cache(maxsize=None)
def characters(path: Path) -> frozenset[str]:
    with TTFont(path, lazy=True) as font:
        return frozenset(chr(code) for code in font.getBestCmap())


def printed_lines(path: Path):
    """(line number, text) of each line of `path` a reader may see: a catalogue's translations
    (a template's English), without its header; a source's or leaflet.toml's non-comment lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if path.suffix not in (".po", ".pot"):
        yield from ((number, line) for number, line in enumerate(lines, 1)
                    if not line.lstrip().startswith("#"))
        return
    wanted = "msgid" if path.suffix == ".pot" else "msgstr"
    keyword, msgid = None, ""
    for number, line in enumerate(lines, 1):
        found = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line)
        if found:
            keyword = found[1].split("[")[0].removesuffix("_plural")
            msgid = found[2] if found[1] == "msgid" else msgid
            quoted = found[2]
        elif line.startswith('"') and keyword:
            quoted = line[1:-1]
            msgid += quoted if keyword == "msgid" else ""
        else:
            keyword = None
            continue
        if keyword == wanted and msgid:  # the header (msgid "") is never printed
            yield number, quoted


def missing_characters(path: Path, font: Path) -> list[str]:
    """`path:line: 'x' (U+0000 NAME)` for each character of `path` a reader sees that `font`
    does not have."""
    have = characters(font)
    return [f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{number}: "
            f"{character!r} (U+{ord(character):04X} {unicodedata.name(character, '?')})"
            for number, line in printed_lines(path)
            for character in dict.fromkeys(line) if character not in have]


FONTS = [FONT_DIR / name for name in FONT_FILES.values()]


@pytest.mark.parametrize("text", ENGLISH + LATIN_CATALOGUES,
                         ids=lambda path: str(path.relative_to(ROOT)))
@pytest.mark.parametrize("font", FONTS, ids=lambda path: path.stem)
def test_the_body_font_has_every_character_of_each_latin_script_text(text: Path, font: Path):
    assert not missing_characters(text, font), "\n".join(missing_characters(text, font))


def test_every_shipped_latin_script_language_is_checked():
    languages = {path.parents[1].name for path in LATIN_CATALOGUES}
    assert {"cy", "pl"} <= languages and "ar" not in languages


def test_a_missing_character_names_the_catalogue_and_its_line(tmp_path):
    catalogue = tmp_path / "locales" / "cy" / "LC_MESSAGES" / "cytokines.po"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_text('msgid ""\nmsgstr ""\n"Last-Translator: Jiří ☃\\n"\n\n'
                         '#. a dose\nmsgid "100 mcg"\nmsgstr ""\n"100 µg ☃"\n\n'
                         'msgid "☃ snow"\nmsgstr "eira"\n', encoding="utf-8")
    # The header's ☃ and the English ☃ are not printed; the translation's µ and ☃ are.
    assert missing_characters(catalogue, FONTS[0]) == [
        f"{catalogue}:8: 'µ' (U+00B5 MICRO SIGN)", f"{catalogue}:8: '☃' (U+2603 SNOWMAN)"]


def test_the_shipped_fonts_are_the_body_family_regular_and_bold():
    with TTFont(FONTS[0]) as regular, TTFont(FONTS[1]) as bold:
        assert regular["name"].getDebugName(1) == bold["name"].getDebugName(1) == FONT_FAMILY
        assert (regular["OS/2"].usWeightClass, bold["OS/2"].usWeightClass) == (400, 700)
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONT_DIR / "OFL.txt").read_text()


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("fonts")
    result = leaflet("build", "source/cytokines.yaml", "--lang", "en,cy,pl", "--format",
                     "pdf,easy-read", "--out", str(out))  # large print: the same faces
    assert result.returncode == 0, result.stderr
    found = sorted(out.glob("cytokines/*/*.pdf"))
    assert len(found) == 6, found
    return found


def test_each_pdf_uses_the_body_family_alone_all_embedded(pdfs):
    family = FONT_FAMILY.replace(" ", "-")
    for pdf in pdfs:
        lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        names = {line.split()[0].split("+")[-1] for line in lines}
        assert names == {family, f"{family}-Bold"}, f"{pdf}: {names}"
        for line in lines:
            assert line.split()[-5] == "yes", f"{pdf}: not embedded: {line}"


def test_the_welsh_w_circumflex_is_printed_in_the_body_font(pdfs):
    import pdfplumber

    welsh = next(pdf for pdf in pdfs if pdf.parent.name == "cy" and pdf.name == "cytokines.pdf")
    with pdfplumber.open(welsh) as document:
        fonts = {char["fontname"].split("+")[-1] for char in document.pages[0].chars
                 if char["text"] == "ŵ"}
    assert fonts == {FONT_FAMILY.replace(" ", "-")}
