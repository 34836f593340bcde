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
from leaflet.edition import Versions

from conftest import ROOT, assert_in_order, leaflet, normalise, seed_paragraphs

TABLES = Path("/usr/share/liblouis/tables")
ENGLISH = "en-ueb-g2.ctb"
CELLS, LINES = 40, 25
CONTINUATION = '"'  # dot 5 in Braille ASCII: UEB's line continuation indicator
# Box lines as BANA's Braille Formats (2016, section 7) draws them: a full line of dots 2-3-5-6
# above the box and of dots 1-2-4-5 below it, "7" and "G" in Braille ASCII.
TOP_BOX_LINE, BOTTOM_BOX_LINE = "7", "G"


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
    """The text of the pages, without their numbers and box lines."""
    lines = reading_lines([line for line in text_lines(brf_pages(brf), number_line, table)
                           if not is_box_line(line)])
    return " ".join(lou("backward", f"en-us-brf.dis,{table}", lines))


def is_box_line(line: str) -> bool:
    """A top or bottom box line (see TOP_BOX_LINE): no line of text is 12 cells of one sign."""
    return len(line) >= 12 and set(line) in ({TOP_BOX_LINE}, {BOTTOM_BOX_LINE})


def fold(text: str) -> str:
    """UEB has one apostrophe and one pair of double quotes: fold print's variants onto them."""
    return normalise(text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})))


def html_words(page) -> tuple[list[str], list[str]]:
    """The web page's visible words, and the addresses of its web links."""
    body = page.find("body")
    for web_only in body.xpath(".//a[@class='skip-link'] | .//section[@class='listen'] | "
                               ".//nav[@class='site-nav'] | .//section[@class='get-it'] | "
                               ".//script"):
        web_only.drop_tree()  # the skip link, the site's links, the player exist only on the page
    for names in body.xpath(".//ul[@class='languages']"):
        names.drop_tree()  # each in its own language: braille names them in the leaflet's
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


def render(leaflet_model, versions=None, **settings) -> dict[str, bytes]:
    from leaflet.render import FORMATS, Options

    return FORMATS["braille"].render(leaflet_model, Options(settings={"braille": settings},
                                                            versions=versions or Versions()))


def as_built(*languages: str) -> Versions:
    """What a build of every format in `languages` makes: the other versions braille names."""
    from leaflet.render import FORMATS

    return Versions(tuple(FORMATS), languages)


# -- the English leaflet ------------------------------------------------------------------
def is_address(word: str) -> bool:
    """A web address, as a page or braille shows it: a host, then a path."""
    host, slash, _ = word.removeprefix("https://").partition("/")
    return bool(slash) and "." in host


def test_back_translation_gives_the_leaflet_text(brf: bytes, page):
    expected, addresses = html_words(page)
    words = fold(back_translation(brf)).split()
    shown = [word for word in words if is_address(word)]
    assert shown == addresses, "the addresses of web links, once each, in order"
    count, changes = differing_words([w for w in expected if not is_address(w)],
                                     [w for w in words if not is_address(w)])
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
    (items,) = [block.items for block in cytokines.sections[-1].blocks if hasattr(block, "items")]
    first_words = lou("forward", f"en-us-brf.dis,{ENGLISH}",
                      [" ".join(paragraph.split()[:3])] + [item.text.plain for item in items[:3]])
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
    assert "at the clinic." in words and "example.org/?a=1" not in words


def test_page_size_grade_and_number_position_are_settings(cytokines, page):
    files = render(cytokines, as_built("en"), cells=32, lines=20, grade=1, page_numbers="bottom")
    pages = brf_pages(files[".brf"])
    assert max(len(line) for p in pages for line in p) <= 32
    assert {len(p) for p in pages} == {20}, "every page padded so its number is on line 20"
    words = fold(back_translation(files[".brf"], "en-ueb-g1.ctb", number_line=19)).split()
    expected, addresses = html_words(page)
    count, changes = differing_words([w for w in expected if not is_address(w)],
                                     [w for w in words if not is_address(w)])
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


@pytest.mark.parametrize("language", ["cy", "pl", "ar", "bn"])
@pytest.mark.parametrize("kind", ["full", "easy-read"])
def test_every_language_with_a_table_builds_with_its_table(cytokines, language, kind):
    from leaflet.braille.tables import CODES

    from leaflet.i18n.catalog import translate

    table = CODES[language].table(2)[1]
    model = translate(cytokines, language).leaflet  # the shipped catalogue
    title = model.title.plain
    assert title != cytokines.title.plain
    files = braille_of(model, kind)  # its other versions named in it, its box and contact
    pages = brf_pages(files[".brf"])
    assert max(len(line) for p in pages for line in p) <= CELLS
    assert max(len(p) for p in pages) <= LINES
    text_lines(pages, table=table)
    expected = lou("forward", f"unicode.dis,{table}", [title])[0]
    text = files["-braille.txt"].decode().replace(" ", "⠀")
    # A box's top line at the top of a page leaves room for the page number.
    assert expected in text and "⠶" * (CELLS - 5) in text and "⠛" * CELLS in text


# Somali as a leaflet's own language; Urdu as its shipped translation, whose liblouis table
# ur-pk-g1.utb has no Latin letters or full stop (see braille/tables.py).
@pytest.mark.parametrize(("tag", "name", "written_in"),
                         [("so", "Somali", "so"), ("ur", "Urdu", "en-GB")])
def test_a_language_without_a_table_is_skipped_with_one_line(tmp_path: Path, tag, name,
                                                             written_in):
    from leaflet import build

    source = tmp_path / "cytokines.yaml"
    source.write_text((ROOT / "source" / "cytokines.yaml").read_text()
                      .replace("language: en-GB", f"language: {written_in}"))
    statuses = build.run(build.plan([source], ["braille"], tmp_path / "out", [tag]).jobs)
    assert list(statuses.values()) == [f"skipped: no braille table for {name}"]
    asked = leaflet("build", str(source), "--lang", tag, "--format", "braille", "--out",
                    str(tmp_path / "out"))
    assert asked.returncode == 1
    assert asked.stderr == f"leaflet: no braille table for {name}\n"


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


# -- the cover, boxes, lists, tables and contact details: tests/roots/blocks.yaml ----------
VERSIONS = ("html", "pdf", "docx", "braille", "audio", "easy-read"), ("en", "cy", "pl", "ar")


@pytest.fixture(scope="module")
def blocks():
    from leaflet.source import load

    return load(ROOT / "tests" / "roots" / "blocks.yaml")


def braille_of(leaflet_model, kind: str = "full", **settings) -> dict[str, bytes]:
    """The braille files of an edition of the leaflet, as a build of every format makes them."""
    from leaflet.edition import Versions, edition
    from leaflet.render import Options
    from leaflet.render import braille

    return braille.render(edition(leaflet_model, kind, Versions(*VERSIONS)),
                          Options(settings={"braille": settings}))


def page_lines(brf: bytes, table: str = ENGLISH) -> list[str]:
    """Every line of every page, blank ones too, indents kept, page numbers taken off."""
    pages = brf_pages(brf)
    lines = []
    for page, number in zip(pages, page_numbers(len(pages), table)):
        assert page[0].endswith(number), (page[0], number)
        lines += [page[0][:-len(number)].rstrip(), *page[1:]]
    return lines


def read_back(lines: list[str]) -> list[str]:
    """Each line back-translated, its indent kept; box lines and blank lines as they are."""
    texts = [line.strip() for line in lines]
    wanted = [i for i, text in enumerate(texts) if text and not is_box_line(text)]
    back = lou("backward", f"en-us-brf.dis,{ENGLISH}", [texts[i] for i in wanted])
    read = list(lines)
    for i, text in zip(wanted, back):
        read[i] = " " * (len(lines[i]) - len(lines[i].lstrip())) + text
    return read


def assert_entry(read: list[str], expected: str, first: int, runover: int) -> int:
    """`expected` is on lines of `read` from one starting in cell `first` + 1, its runovers in
    cell `runover` + 1; the index of its first line."""
    starts = [i for i, line in enumerate(read)
              if line.startswith(" " * first + expected.split()[0]) and line[first] != " "]
    for start in starts:
        end, joined = start + 1, read[start].strip()
        while len(joined) < len(expected) and end < len(read) and \
                read[end].startswith(" " * runover) and read[end][runover:runover + 1] != " ":
            joined += " " + read[end].strip()
            end += 1
        if joined == expected:
            return start
    raise AssertionError(f"not in cells {first + 1}-{runover + 1}: {expected!r}")


@pytest.mark.parametrize("source, kind, boxes", [
    ("blocks", "full", [("Important: Keep your injections in the fridge",
                         "Store them between 2°C and 8°C. Do not freeze them."),
                        ("Urgent:", "Call 999 if you have chest pain or find it hard to breathe.")]),
    ("blocks", "easy-read", [("Urgent:", "Call straight away if your temperature is 37.5°C or "
                                         "more.")]),
    ("cytokines", "full", [("Urgent: Contact your team straight away",
                            "Contact your team straight away if you have a temperature of "
                            "37.5°C or above, or if you feel unwell.")]),
    ("cytokines", "easy-read", [("Urgent:", "Call your team straight away if your temperature "
                                            "is 37.5°C or more. Or if you feel ill.")]),
])
def test_a_box_is_its_label_and_text_between_full_box_lines(request, source, kind, boxes):
    files = braille_of(request.getfixturevalue(source), kind)
    lines = page_lines(files[".brf"])
    tops = [i for i, line in enumerate(lines) if is_box_line(line) and TOP_BOX_LINE in line]
    bottoms = [i for i, line in enumerate(lines) if is_box_line(line) and BOTTOM_BOX_LINE in line]
    assert len(tops) == len(bottoms) == len(boxes)
    read = read_back(lines)
    for top, bottom, (label, text) in zip(tops, bottoms, boxes):
        assert top < bottom
        assert len(lines[top]) == CELLS or len(lines[top]) == CELLS - 3 - 2  # clear of "#B"
        assert len(lines[bottom]) in (CELLS, CELLS - 5)
        inside = [line.strip() for line in read[top + 1:bottom] if line.strip()]
        assert read[top + 1].strip() and read[bottom - 1].strip(), "no blank line inside"
        assert fold(inside[0]).startswith(label), inside  # the label's word first
        assert fold(text) in fold(" ".join(inside))
        assert not read[bottom + 1].strip() and (not read[top - 1].strip() or top <= 1)
    unicode_text = files["-braille.txt"].decode()
    assert "⠶" * CELLS in unicode_text and "⠛" * CELLS in unicode_text


def test_a_table_is_in_linear_form_each_cell_after_its_heading(blocks):
    read = read_back(page_lines(braille_of(blocks)[".brf"]))
    caption = next(i for i, line in enumerate(read) if line == "How often you have it")
    assert not read[caption - 1].strip(), "a blank line before the table"
    first = assert_entry(read, "Weeks: 1 to 4; Dose: 180 micrograms; How often: Once a week",
                         0, 2)
    assert first == caption + 1
    assert_entry(read, "Weeks: 5 onwards; Dose: 90 micrograms; How often: Every 2 weeks", 0, 2)
    assert read[first + 1].startswith("  "), "a row on more than one line: runovers in cell 3"


def test_list_items_in_cell_1_sub_points_in_cell_3_and_steps_numbered(blocks):
    read = read_back(page_lines(braille_of(blocks)[".brf"]))
    start = read.index("you have signs of an infection, such as")
    assert read[start:start + 4] == ["you have signs of an infection, such as",
                                     "  a temperature of 37.5°C or above", "  shivering",
                                     "the skin around the injection is red"]
    steps = read.index("1. Wash your hands.")
    assert read[steps:steps + 4] == ["1. Wash your hands.", "2. Choose a place to inject, such as",
                                     "  your tummy", "  your thigh"]
    assert_entry(read, "3. Push the needle in and press the plunger slowly.", 0, 2)
    brf_line = page_lines(braille_of(blocks)[".brf"])[steps]
    assert brf_line.startswith("#A4 "), "the step's number in braille, with its numeric sign"


@pytest.mark.parametrize("kind, closing", [("full", "Contact us"), ("easy-read", "Who can help")])
def test_the_cover_and_help_line_come_first_and_the_contact_is_given_in_full(blocks, kind,
                                                                             closing):
    read = [line.strip() for line in read_back(page_lines(braille_of(blocks, kind)[".brf"]))
            if line.strip()]
    cover = ["Riverside Health", "Giving your injection at home",
             *(["Easy read version"] if kind == "easy-read" else []),
             "Leaflet code: TEST-0001", "Version: 1.2", "Last reviewed: 1 Mar 2025",
             "Next review due: 1 Mar 2028",
             *(["You may want someone to help you read this."] if kind == "easy-read" else []),
             "If you have questions or feel unwell, contact your", "team:",
             "Phone: 0300 123 4567", "Open: Monday to Friday, 9am to 5pm"]
    assert read[:len(cover)] == cover
    contact = read.index(closing)
    assert read[contact + 1:contact + 4] == ["Phone: 0300 123 4567",
                                             "Open: Monday to Friday, 9am to 5pm",
                                             "E-mail: leaflets@example.org"]
    assert read.count("Phone: 0300 123 4567") == 2
    assert "Published by Riverside Health." in read[contact:]


def test_other_versions_name_languages_in_the_leaflets_own_and_give_the_address(blocks):
    text = back_translation(braille_of(blocks)[".brf"])
    read = [line.strip() for line in read_back(page_lines(braille_of(blocks)[".brf"]))]
    listed = read.index("This leaflet is also available in:")
    assert read[listed + 1:listed + 9] == ["", "Word", "Braille", "Easy read", "Audio", "Welsh",
                                           "Polish", "Arabic"]
    assert "English" not in text
    assert "Read and listen online: leaflets.example.org/blocks/en/blocks.html" in text
    assert "Send your comments to: www.example.org/leaflet-feedback" in text


def test_an_easy_read_point_has_the_hard_words_it_first_uses_below_it_in_cell_5(cytokines):
    read = read_back(page_lines(braille_of(cytokines, "easy-read")[".brf"]))
    point = assert_entry(read, "Cytokines are proteins that your body makes naturally.", 2, 0)
    explained = assert_entry(read, "cytokines: Proteins your body makes. They carry messages "
                                   "between cells and help your body fight illness.", 4, 4)
    assert explained == point + 2  # the point's two lines, then its hard word


@pytest.mark.parametrize("cells", [40, 32, 21])
@pytest.mark.parametrize("kind", ["full", "easy-read"])
def test_every_line_of_both_editions_fits_the_page(blocks, cytokines, kind, cells):
    for model in (blocks, cytokines):
        pages = brf_pages(braille_of(model, kind, cells=cells)[".brf"])
        assert max(len(line) for page in pages for line in page) <= cells
        assert max(len(page) for page in pages) <= LINES
        lines = page_lines(braille_of(model, kind, cells=cells)[".brf"])
        boxes = [line for line in lines if is_box_line(line)]
        assert boxes and all(len(line) in (cells, cells - 5) for line in boxes)


def test_a_box_line_is_never_alone_at_the_top_or_bottom_of_a_page():
    from leaflet.braille.layout import Block, PageSetup, paginate

    def text(word: str) -> Block:
        return Block((louis_braille(word),))

    top, bottom = (Block((), rule="⠶", keep_with_next=True),
                   Block((), rule="⠛", keep_with_previous=True))
    for before in range(1, 8):  # the box's place on a page of 6 lines
        blocks = [*(text(f"a{n}") for n in range(before)), top, Block(
            (louis_braille("label"),), keep_with_next=True), text("one"), text("two"), bottom,
            text("after")]
        pages = paginate(blocks, PageSetup(cells=20, lines=6), lambda n: "⠼" + "⠁⠃⠉"[n - 1],
                         hyphen="⠤")
        for page in pages:
            texts = [line for line in page if line.strip("⠀")]
            assert not texts[0].startswith("⠛"), (before, pages)
            assert not texts[-1].startswith("⠶"), (before, pages)
            assert max(map(len, page)) <= 20


def louis_braille(word: str):
    from leaflet.braille import louis

    return louis.translate(ENGLISH, word)
