"""The braille files read back: liblouis back-translation, cells per line, lines per page, numbers."""

from __future__ import annotations

import dataclasses
import difflib
import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from conftest import ROOT, assert_in_order, leaflet, normalise, seed_paragraphs

TABLES = Path("/usr/share/liblouis/tables")
ENGLISH = "en-ueb-g2.ctb"
CELLS, LINES = 40, 25
CONTINUATION = '"'  # dot 5 in Braille ASCII: UEB's line continuation indicator


# -- readers ----------------------------------------------------------------------------
def lou(direction: str, tables: str, lines: list[str]) -> list[str]:
    """Each line translated by liblouis's own `lou_translate` program."""
    assert shutil.which("lou_translate"), "make test installs liblouis-bin"
    text = "".join(line.replace("\\", "\\\\") + "\n" for line in lines)  # it reads \ as escape
    result = subprocess.run(["lou_translate", f"--{direction}", tables], input=text,
                            capture_output=True, text=True, check=True, timeout=60)
    out = result.stdout.splitlines()
    assert len(out) == len(lines), result.stderr
    return out


def brf_pages(data: bytes, separator: str = "\r\n") -> list[list[str]]:
    """Pages of lines: every line ends with `separator`, every page with a form feed."""
    text = data.decode("ascii" if separator == "\r\n" else "utf-8")
    assert text.endswith(separator + "\f")
    return [page.removesuffix(separator).split(separator) for page in text.split("\f")[:-1]]


def page_numbers(count: int, table: str = ENGLISH) -> list[str]:
    return lou("forward", f"en-us-brf.dis,{table}", [str(n) for n in range(1, count + 1)])


def text_lines(pages: list[list[str]], line: int = 0, table: str = ENGLISH) -> list[str]:
    """The non-blank lines without page numbers; asserts page n has its number at the right of
    `line`, at least three blank cells after any text."""
    found = []
    for page, number in zip(pages, page_numbers(len(pages), table)):
        numbered = page[line]
        assert numbered.endswith(number), (numbered, number)
        rest = numbered[:-len(number)]
        assert not rest.strip() or rest.endswith("   "), numbered
        page = [*page[:line], rest, *page[line + 1:]]
        found += [text.strip() for text in page if text.strip()]
    return found


def reading_lines(lines: list[str]) -> list[str]:
    """Lines with an address divided across them joined again at the continuation indicator."""
    joined: list[str] = []
    carry = ""
    for line in lines:
        if line.endswith(CONTINUATION) and len(line) > 1 and line[-2] != " ":
            carry += line[:-1]
        else:
            joined.append(carry + line)
            carry = ""
    return joined


def back_translation(brf: bytes, table: str = ENGLISH, number_line: int = 0) -> str:
    lines = reading_lines(text_lines(brf_pages(brf), number_line, table))
    return " ".join(lou("backward", f"en-us-brf.dis,{table}", lines))


def fold(text: str) -> str:
    """UEB has one apostrophe and one pair of double quotes: fold print's variants onto them."""
    return normalise(text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})))


def html_words(page) -> tuple[list[str], list[str]]:
    """The web page's visible words, and the addresses of its web links."""
    body = page.find("body")
    for web_only in body.xpath(".//a[@class='skip-link'] | .//section[@class='listen']"):
        web_only.drop_tree()  # the skip link and the audio player exist only on the page
    for br in body.iter("br"):
        br.tail = "\n" + (br.tail or "")
    addresses = [a.get("href").removeprefix("https://") for a in body.iter("a")
                 if a.get("href", "").startswith("https://")]
    return fold(body.text_content()).split(), addresses


def differing_words(expected: list[str], got: list[str]) -> tuple[int, list]:
    matcher = difflib.SequenceMatcher(None, expected, got, autojunk=False)
    changes = [(tag, expected[i1:i2], got[j1:j2])
               for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    return sum(max(len(a), len(b)) for _, a, b in changes), changes


def cells_of(table_line: str) -> str:
    """A liblouis dot pattern such as 45-2 as Unicode braille."""
    return "".join(chr(0x2800 + sum(1 << (int(dot) - 1) for dot in cell))
                   for cell in table_line.split("-"))


def braille_ascii() -> dict[str, str]:
    """Unicode braille cell -> Braille ASCII character, from liblouis's en-us-brf.dis."""
    mapping = {"⠀": " "}
    for line in (TABLES / "en-us-brf.dis").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "display" and parts[2] != "0":
            mapping.setdefault(cells_of(parts[2]), parts[1].replace("\\\\", "\\"))
    return mapping


# -- fixtures ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def brf(built: Path) -> bytes:
    return (built / "cytokines.brf").read_bytes()


@pytest.fixture(scope="module")
def page(built: Path):
    return lxml.html.parse(str(built / "cytokines.html")).getroot()


@pytest.fixture(scope="module")
def cytokines():
    from leaflet.source import load

    return load(ROOT / "source" / "cytokines.yaml")


def render(leaflet_model, **settings) -> dict[str, bytes]:
    from leaflet.render import FORMATS, Options

    return FORMATS["braille"].render(leaflet_model, Options(settings={"braille": settings}))


# -- the English leaflet ------------------------------------------------------------------
def test_back_translation_gives_the_leaflet_text(brf: bytes, page):
    expected, addresses = html_words(page)
    words = fold(back_translation(brf)).split()
    shown = [word for word in words if word.startswith("www.")]
    assert shown == addresses, "the addresses of stand-alone links, once each, in order"
    count, changes = differing_words(expected, [w for w in words if w not in shown])
    assert count == 0, f"{count} differing words: {changes}"


def test_clinical_wording_is_kept_word_for_word(brf: bytes):
    assert_in_order([fold(p) for p in seed_paragraphs()], fold(back_translation(brf)))


def test_lines_pages_and_page_numbers(brf: bytes):
    pages = brf_pages(brf)
    assert len(pages) >= 2
    assert max(len(line) for page in pages for line in page) <= CELLS
    assert max(len(page) for page in pages) <= LINES
    text_lines(pages)  # asserts page n's number at the right of its first line
    allowed = set(braille_ascii().values())
    assert {c for page in pages for line in page for c in line} <= allowed


def test_unicode_file_is_the_same_pages(built: Path, brf: bytes):
    unicode_pages = brf_pages((built / "cytokines-braille.txt").read_bytes(), "\n")
    ascii_pages = brf_pages(brf)
    to_ascii = braille_ascii()
    assert [["".join(to_ascii["⠀" if c == " " else c] for c in line) for line in page]
            for page in unicode_pages] == ascii_pages


def test_headings_centred_after_a_blank_line_and_never_last_on_a_page(brf: bytes, page):
    titles = [normalise(h.text_content()) for h in page.iter("h2")]
    headings = lou("forward", f"en-us-brf.dis,{ENGLISH}", titles)
    pages = brf_pages(brf)
    lines = [line for p in pages for line in p]
    checked = 0
    for heading in headings:
        if len(heading) > CELLS - 6:
            continue  # wraps over two lines
        index = next(i for i, line in enumerate(lines) if line.strip() == heading)
        left, right = len(lines[index]) - len(lines[index].lstrip()), CELLS - len(lines[index])
        assert abs(left - right) <= 1 and left >= 3, lines[index]
        assert not lines[index - 1].strip() or index in _first_lines(pages), heading
        checked += 1
    assert checked >= 4
    for p in pages:
        last = [line.strip() for line in p if line.strip()][-1]
        assert last not in headings


def _first_lines(pages: list[list[str]]) -> set[int]:
    """Indexes (in all lines) of the first two lines of each page: line 1 holds the number."""
    starts, position = set(), 0
    for p in pages:
        starts |= {position, position + 1}
        position += len(p)
    return starts


def test_paragraphs_in_cell_3_and_list_items_in_cell_1(brf: bytes, cytokines):
    lines = [line for p in brf_pages(brf) for line in p]
    paragraph = cytokines.sections[0].blocks[0].text.plain
    items = cytokines.sections[-1].blocks[-1].items
    first_words = lou("forward", f"en-us-brf.dis,{ENGLISH}",
                      [" ".join(paragraph.split()[:3])] + [item.plain for item in items[:3]])
    assert any(line.startswith("  " + first_words[0] + " ") for line in lines)
    for item in first_words[1:]:
        index = lines.index(item)  # short items fill one line, from cell 1
        assert lines[index].startswith(item)
    assert not lines[lines.index(first_words[1]) - 1].strip(), "a blank line before a list"


# -- other leaflets, settings and languages ------------------------------------------------
def test_strong_text_in_ueb_bold_and_links_as_their_words():
    from leaflet.source import load

    files = render(load(ROOT / "tests" / "roots" / "escaping.yaml"))
    rules = dict(re.findall(r"^(begemphword|endemphword) bold (\S+)",
                            (TABLES / "en-ueb-g1.ctb").read_text(), re.MULTILINE))
    dose = lou("forward", f"unicode.dis,{ENGLISH}", ["dose"])[0]
    text = files["-braille.txt"].decode()
    assert cells_of(rules["begemphword"]) + dose + cells_of(rules["endemphword"]) in text
    words = back_translation(files[".brf"])
    assert "at the clinic." in words and "example.org/" not in words


def test_page_size_grade_and_number_position_are_settings(cytokines, page):
    files = render(cytokines, cells=32, lines=20, grade=1, page_numbers="bottom")
    pages = brf_pages(files[".brf"])
    assert max(len(line) for p in pages for line in p) <= 32
    assert {len(p) for p in pages} == {20}, "every page padded so its number is on line 20"
    words = fold(back_translation(files[".brf"], "en-ueb-g1.ctb", number_line=19)).split()
    expected, addresses = html_words(page)
    count, changes = differing_words(expected, [w for w in words if w not in addresses])
    assert count == 0, changes
    assert files[".brf"] != render(cytokines)[".brf"]
    assert b"CANCER" in files[".brf"] and b"C.ER" not in files[".brf"], "grade 1 is uncontracted"


@pytest.mark.parametrize("settings, message", [
    ({"cells": 8}, "braille setting cells must be a whole number from 12 to 100, not 8"),
    ({"grade": 3}, "braille setting grade must be a whole number from 1 to 2, not 3"),
    ({"page_numbers": "left"}, "braille setting page_numbers must be 'top' or 'bottom'"),
    ({"colour": 1}, "unknown braille setting 'colour'"),
])
def test_bad_settings_are_one_clear_line(cytokines, settings, message):
    from leaflet.errors import RenderError

    with pytest.raises(RenderError, match=re.escape(message)):
        render(cytokines, **settings)


def test_settings_are_checked_without_rendering_anything():
    from leaflet.errors import RenderError
    from leaflet.render.braille import BrailleSettings, braille_settings

    assert braille_settings(None) == BrailleSettings(40, 25, 2, "top")
    assert braille_settings({"cells": 32, "page_numbers": "bottom"}) == BrailleSettings(
        cells=32, page_numbers="bottom")
    with pytest.raises(RenderError, match="use cells, lines, grade, page_numbers$"):
        braille_settings({"colour": 1})


@pytest.mark.parametrize("language", ["cy", "pl", "ar"])
def test_every_language_with_a_table_builds_with_its_table(cytokines, language):
    from leaflet.braille.tables import CODES

    from leaflet.i18n.catalog import translate

    table = CODES[language].table(2)[1]
    model = translate(cytokines, language).leaflet  # the shipped catalogue
    title = model.title.plain
    assert title != cytokines.title.plain
    files = render(model)
    pages = brf_pages(files[".brf"])
    assert max(len(line) for p in pages for line in p) <= CELLS
    assert max(len(p) for p in pages) <= LINES
    text_lines(pages, table=table)
    expected = lou("forward", f"unicode.dis,{table}", [title])[0]
    assert expected in files["-braille.txt"].decode().replace(" ", "⠀")


def test_a_language_without_a_table_is_skipped_with_one_line(tmp_path: Path):
    from leaflet import build

    source = tmp_path / "cytokines.yaml"
    source.write_text((ROOT / "source" / "cytokines.yaml").read_text()
                      .replace("language: en-GB", "language: so"))
    statuses = build.run(build.plan([source], ["braille"], tmp_path / "out", ["so"]).jobs)
    assert list(statuses.values()) == ["skipped: no braille table for Somali"]
    asked = leaflet("build", str(source), "--lang", "so", "--format", "braille", "--out",
                    str(tmp_path / "out"))
    assert asked.returncode == 1
    assert asked.stderr == "leaflet: no braille table for Somali\n"


def test_missing_liblouis_names_the_debian_packages(cytokines, monkeypatch):
    from leaflet.braille import louis
    from leaflet.errors import MissingTool

    monkeypatch.setattr(louis.ctypes.util, "find_library", lambda name: "liblouis-absent.so.0")
    caches = (louis._library, louis._check_table, louis.emphasis_classes)
    for cache in caches:
        cache.cache_clear()
    try:
        with pytest.raises(MissingTool, match="liblouis20 liblouis-data"):
            render(cytokines)
    finally:
        for cache in caches:
            cache.cache_clear()


@pytest.mark.parametrize("text, sign", [
    ("supercalifragilisticexpialidocious antidisestablishmentarianism", "-"),
    ("www.example.org/a-very-long-path/to/a/page/about/peginterferon", "continuation"),
])
def test_only_a_word_longer_than_a_line_is_divided(text, sign):
    from leaflet.braille import louis
    from leaflet.braille.layout import Block, PageSetup, paginate
    from leaflet.braille.tables import CODES

    braille = louis.translate(ENGLISH, text)
    hyphen = lou("forward", f"unicode.dis,{ENGLISH}", ["-"])[0]
    mark = CODES["en"].continuation if sign == "continuation" else hyphen
    pages = paginate([Block((braille,))], PageSetup(cells=16, lines=25), lambda n: "⠼⠁",
                     hyphen=hyphen, continuation=CODES["en"].continuation)
    lines = [line for line in pages[0][1:] if line]
    assert max(len(line) for line in lines) <= 16 and len(lines) >= 3
    divided = [line for line in lines if line.endswith(mark)]
    assert divided, lines
    joined = "⠀".join(lines).replace(mark + "⠀", "")
    assert joined == braille.cells.replace(mark + "⠀", "")


def test_a_paragraph_is_liblouis_translation_of_its_text_wrapped(brf: bytes, cytokines):
    text = cytokines.sections[1].blocks[1].text.plain
    expected = lou("forward", f"en-us-brf.dis,{ENGLISH}", [text])[0]
    lines = [line for p in brf_pages(brf) for line in p]
    start = next(i for i, line in enumerate(lines) if line.startswith("  " + expected[:20]))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(" ") or not lines[i])
    assert " ".join(line.strip() for line in lines[start:end]) == expected
    assert all(len(lines[i]) + 1 + len(lines[i + 1].split()[0]) > CELLS
               for i in range(start, end - 1)), "each line as full as whole words allow"


def test_a_character_without_braille_is_an_error_naming_it_and_where(cytokines):
    from leaflet.errors import RenderError

    title = dataclasses.replace(cytokines.title, runs=(
        dataclasses.replace(cytokines.title.runs[0], text="Cytokines \U0001F600"),))
    with pytest.raises(RenderError) as raised:
        render(dataclasses.replace(cytokines, title=title))
    assert "U+1F600" in str(raised.value) and "en-ueb-g2.ctb" in str(raised.value)
    assert str(raised.value).startswith(str(cytokines.title.origin))


def test_settings_come_from_the_command_line(tmp_path: Path):
    result = leaflet("build", "source/cytokines.yaml", "--lang", "en", "--format", "braille",
                     "--set", "braille.cells=32", "--set", "braille.lines=20", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    pages = brf_pages((tmp_path / "cytokines" / "en" / "cytokines.brf").read_bytes())
    assert max(len(line) for page in pages for line in page) == 32
    assert max(len(page) for page in pages) <= 20
    again = leaflet("build", "source/cytokines.yaml", "--lang", "en", "--format", "braille",
                    "--set", "braille.cells=40", "--out", str(tmp_path))
    assert "built in" in again.stderr  # a changed setting is not "up to date"


class CountedCells(str):
    """Braille cells that count every cell sliced out of them or out of their slices."""

    sliced = 0

    def __getitem__(self, key):
        part = CountedCells(str.__getitem__(self, key))
        CountedCells.sliced += len(part)
        return part


@pytest.mark.parametrize("word, separator", [("dose", " "), ("clinic/", "")],
                         ids=["many words", "one address longer than many lines"])
def test_braille_work_grows_linearly_with_a_paragraph(cytokines, monkeypatch, word, separator):
    from leaflet.braille import louis
    from leaflet.model import Span

    translate, read = louis._translate, []

    def counting(table, text, typeform, mode):
        read.append(len(text))
        cells, sources = translate(table, text, typeform, mode)
        return CountedCells(cells), sources

    monkeypatch.setattr(louis, "_translate", counting)
    section = cytokines.sections[0]
    first = section.blocks[0]

    def work(words: int) -> int:
        """Characters given to liblouis plus cells the layout copies, for the whole leaflet."""
        text = dataclasses.replace(first.text, runs=(Span(separator.join([word] * words)),))
        blocks = (dataclasses.replace(first, text=text), *section.blocks[1:])
        sections = (dataclasses.replace(section, blocks=blocks), *cytokines.sections[1:])
        read.clear()
        CountedCells.sliced = 0
        render(dataclasses.replace(cytokines, sections=sections))
        return sum(read) + CountedCells.sliced

    base = work(0)
    growth = (work(2000) - base) / (work(500) - base)
    assert 3.5 < growth < 4.5, f"4 times the words, {growth:.1f} times the work"
