"""Untrusted text stays text: escaping in every context, controls refused, ids kept apart, limits."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from conftest import ROOT, leaflet, normalise, pdf_text
from leaflet import characters, limits
from leaflet.edition import EASY_READ, FULL, edition
from leaflet.errors import LeafletError
from leaflet.i18n import pofile
from leaflet.edition import easy_read, full
from leaflet.narration import script
from leaflet.render import html
from leaflet.source import load
from leaflet.source.schema import RESERVED_IDS, RESERVED_PREFIXES

ATTACK = "&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
ATTACK_TEXT = "</style><script>alert(1)</script>"
# Every element and attribute the page templates write; text may add none.
ELEMENTS = {"html", "head", "meta", "title", "style", "body", "a", "header", "p", "h1", "h2",
            "main", "section", "footer", "strong", "br", "ul", "li", "dl", "dt", "dd", "span",
            "time", "div", "img", "nav", "link", "script"}
ATTRIBUTES = {"lang", "dir", "charset", "name", "content", "class", "href", "id", "role",
              "aria-labelledby", "datetime", "src", "alt", "width", "height", "media",
              "aria-label", "rel", "hreflang", "data-close", "data-all-words"}
LINE = re.compile(r"^[^\n:]+\.yaml:\d+(:\d+)?: [^\n]+$")


def minimal(title: str = "A leaflet", paragraph: str = "Some text.", **extra) -> dict:
    return {"id": "safe", "language": "en-GB", "title": title, "reviewed": "2024-10-21",
            "next_review": "2027-10-21",
            "publisher": {"name": "A clinic", "contact": "info@example.org"},
            "sections": [{"id": "dose", "body": [paragraph],
                          "easy_read": [{"picture": "medicine", "text": "Take it.",
                                         "alt": "A tablet"}]}], **extra}


def source(data: dict) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def pages(leaflet, listen: bool = False) -> tuple[str, str]:
    """The full and the easy-read page of `leaflet`, as their HTML formats write them."""
    return (html.page(edition(leaflet, FULL), "print", listen=leaflet.id if listen else None),
            html.page(edition(leaflet, EASY_READ), None, screen_style="easy-read",
                      body_class="easy-read",
                      listen=f"{leaflet.id}-easy-read" if listen else None))


def heading_text(tree) -> str:
    """The page's h1 as a reader hears it: a line break (<br>) is a break between words."""
    heading = tree.xpath("//h1")[0]
    for line_break in heading.iter("br"):
        line_break.tail = "\n" + (line_break.tail or "")
    return normalise(heading.text_content())


def assert_only_template_markup(page: str, web: bool = True) -> etree._Element:
    """`page` holds only the template's elements and attributes; a page for the web (`web`) its
    fonts and its script besides."""
    tree = lxml_html.document_fromstring(page)
    tags = {element.tag for element in tree.iter() if isinstance(element.tag, str)}
    assert tags <= ELEMENTS, tags - ELEMENTS
    names = {name for element in tree.iter() for name in element.attrib}
    assert names <= ATTRIBUTES, names - ATTRIBUTES
    # the page's own two stylesheets, whole, and on the web its fonts and script
    assert len(tree.xpath("//style")) == (3 if web else 2)
    if web:
        assert_only_own_script(tree)
    else:
        assert not tree.xpath("//script")
    return tree


def assert_only_own_script(tree: etree._Element) -> None:
    """The one script of a web page is its own enhancement, whole: no text became a script."""
    assert [script.text.strip() for script in tree.xpath("//script")] == [
        html.enhancement().strip()]


# -- escaping ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def attacked(tmp_path_factory) -> Path:
    """A leaflet titled with entities that spell a closing </style> and a script, built."""
    folder = tmp_path_factory.mktemp("attack")
    (folder / "safe.yaml").write_bytes(source(minimal(title=ATTACK)))
    result = leaflet("build", str(folder / "safe.yaml"), "--format", "html,pdf,easy-read-html",
                     "--out", str(folder / "build"))
    assert result.returncode == 0, result.stderr
    return folder / "build" / "safe" / "en"


def test_a_title_of_entities_stays_text_in_the_page(attacked: Path):
    for name in ("safe.html", "safe-easy-read.html"):
        page = (attacked / name).read_text(encoding="utf-8")
        tree = assert_only_template_markup(page)
        assert normalise(tree.xpath("//h1")[0].text_content()) == ATTACK_TEXT
        assert "<script>" not in page and "</style><script>" not in page


def test_a_title_of_entities_keeps_the_pdf_footer_and_prints_no_css(attacked: Path):
    text = pdf_text(attacked / "safe.pdf")
    assert ATTACK_TEXT in text  # the title, as text, in the footer and the heading
    assert "Page 1 of " in text  # the cover, help line and contact details may take two pages
    assert "@page" not in text and "font-family" not in text and "file://" not in text


def test_a_translated_title_of_entities_stays_text(tmp_path: Path):
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    po = locales / "cy" / "LC_MESSAGES" / "cytokines.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgid "Cytokines"\nmsgstr "Cytocinau"', f'msgid "Cytokines"\nmsgstr "{ATTACK}"'),
        encoding="utf-8")
    out = tmp_path / "build"
    result = leaflet("build", "source/cytokines.yaml", "--lang", "cy", "--format", "html,pdf",
                     "--out", str(out), locales=locales)
    assert result.returncode == 0, result.stderr
    page = (out / "cytokines" / "cy" / "cytokines.html").read_text(encoding="utf-8")
    tree = lxml_html.document_fromstring(page)
    assert_only_own_script(tree)
    assert len(tree.xpath("//style")) == 3
    assert normalise(tree.xpath("//h1")[0].text_content()) == ATTACK_TEXT
    assert "Tudalen 1 o" in pdf_text(out / "cytokines" / "cy" / "cytokines.pdf", page=1)


def test_css_strings_hold_no_character_that_ends_a_string_or_a_style():
    value = html.css_string('a"b\\c\n</style>{;}')
    assert value.startswith('"') and value.endswith('"')
    assert not set(value[1:-1]) & set('"\\\n<>/{};') - {"\\"}
    assert "\\A " in value and "\\3C " in value


# -- property-based: random text is an error line or a page of text ---------------------------
PIECES = st.one_of(
    st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs", "Cc", "Cf", "Mn")),
            min_size=1, max_size=8),
    st.sampled_from(["&lt;", "&lt;/style&gt;", "&amp;", "&#x202E;", "&#0;", "&#x2066;", "<b>", "</style>",
                     "**", "[a](term:x)", "[b](https://e.org/\"x)", "\\", "\n", "`", "*", "_",
                     "<!--", "]]>", "${x}", "{{ x }}", "\u202e", "\u200b", "\u2067", " "]))
TEXT = st.lists(PIECES, min_size=1, max_size=12).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, paragraph=TEXT)
def test_random_text_is_one_line_errors_or_a_page_that_adds_no_markup(title, paragraph, tmp_path_factory):
    path = Path("source/safe.yaml")
    try:
        parsed = load(path, content=source(minimal(title=title, paragraph=paragraph)))
    except LeafletError as error:
        assert all(LINE.match(line) for line in error.lines()), error.lines()
        return
    for page in pages(parsed):
        tree = assert_only_template_markup(page, web=False)
        assert heading_text(tree) == normalise(parsed.title.plain)
    for text in (parsed.title.plain, parsed.sections[0].blocks[0].text.plain):
        assert characters.forbidden(text) is None


@settings(max_examples=80, deadline=None)
@given(translation=TEXT)
def test_random_translations_are_one_line_errors_or_text(translation, tmp_path_factory,
                                                        monkeypatch_module):
    from leaflet.i18n.catalog import translate

    original = load(Path("source/safe.yaml"), content=source(minimal()))
    locales = monkeypatch_module
    catalog = pofile.LeafletCatalog(locale="cy", domain="safe")
    catalog.extra_headers = [("X-Leaflet-Review", "reviewed")]
    catalog.add("A leaflet", translation)
    pofile.write(locales / "cy" / "LC_MESSAGES" / "safe.po", catalog)
    try:
        welsh = translate(original, "cy", allow_incomplete=True).leaflet
    except LeafletError as error:
        assert all(re.match(r"^[^\n]+\.po:\d+: [^\n]+$", line) for line in error.lines())
        return
    tree = assert_only_template_markup(html.page(edition(welsh, FULL), "print"), web=False)
    assert heading_text(tree) == normalise(welsh.title.plain)


@pytest.fixture(scope="module")
def monkeypatch_module(tmp_path_factory):
    """The locales folder of a project of the tests' own (the tool's Welsh labels come from
    the package)."""
    from leaflet import project

    root = tmp_path_factory.mktemp("project")
    folder = root / "locales"
    (folder / "cy" / "LC_MESSAGES").mkdir(parents=True)
    previous = project.current()
    project.use(project.Project(root=root.resolve(), organisation=previous.organisation))
    yield folder.resolve()
    project.use(previous)


def test_text_in_the_pdf_reads_in_logical_order(tmp_path: Path):
    """Words stay in the order written, mixed with Arabic, digits and punctuation."""
    paragraph = "Take 10 mg (ten) then 20 mg; الجرعة 5 ملغ twice daily."
    (tmp_path / "safe.yaml").write_bytes(source(minimal(paragraph=paragraph)))
    result = leaflet("build", str(tmp_path / "safe.yaml"), "--format", "pdf", "--out",
                     str(tmp_path / "build"))
    assert result.returncode == 0, result.stderr
    text = normalise(re.sub("[\u202a-\u202e]", "", pdf_text(tmp_path / "build/safe/en/safe.pdf")))
    assert "Take 10 mg (ten) then 20 mg;" in text and "twice daily." in text
    assert text.index("Take 10 mg") < text.index("twice daily")


# -- ids -----------------------------------------------------------------------------------
def test_every_id_the_outputs_give_their_own_parts_is_reserved():
    cytokines = load(ROOT / "source" / "cytokines.yaml")
    sections = {section.id for section in cytokines.sections}
    terms = {f"term-{entry.id}" for entry in cytokines.glossary}
    own = set()
    for page in pages(cytokines, listen=True):
        ids = set(lxml_html.document_fromstring(page).xpath("//@id"))
        own |= ids - sections - terms - {f"{section}-title" for section in sections}
    own |= {chapter.id for chapter in (*script(full(cytokines)), *script(easy_read(cytokines)))} - sections
    assert own, "the outputs name parts of their own"
    for name in own:
        assert name.removesuffix("-title") in RESERVED_IDS or name.startswith(RESERVED_PREFIXES), \
            name


def test_cue_identifiers_are_unique_even_for_ids_like_x_and_x_1(tmp_path: Path):
    data = minimal()
    data["sections"] = [
        {"id": "step", "body": ["One. Two."]},
        {"id": "step-1", "title": "Step one", "body": ["Three."]}]
    (tmp_path / "safe.yaml").write_bytes(source(data))
    result = leaflet("build", str(tmp_path / "safe.yaml"), "--format", "audio", "--out",
                     str(tmp_path / "build"))
    assert result.returncode == 0, result.stderr
    import webvtt

    cues = webvtt.read(str(tmp_path / "build/safe/en/safe.vtt"))
    identifiers = [cue.identifier for cue in cues]
    assert len(identifiers) == len(set(identifiers)), identifiers


# -- limits --------------------------------------------------------------------------------
def test_a_source_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path: Path):
    path = tmp_path / "safe.yaml"
    path.write_bytes(source(minimal()) + b"#" * limits.SOURCE_BYTES)
    result = leaflet("check", str(path))
    assert result.returncode == 1
    assert result.stderr == (f"leaflet: {path}: the file is over 1.0 MB, the most a leaflet "
                             "source may be; split it into several leaflets\n")


@pytest.mark.parametrize("what, data, message", [
    ("paragraph", minimal(paragraph="word " * 1001),
     "paragraph in section 'dose' is 5,005 characters long, more than the 5,000 a text may have"),
    ("sections", {**minimal(), "sections": [
        {"id": f"s{n}", "title": "T", "body": ["x"]} for n in range(limits.SECTIONS + 1)]},
     f"sections has {limits.SECTIONS + 1} entries, more than the {limits.SECTIONS}"),
    ("list", {**minimal(), "sections": [{"id": "dose", "body": [
        {"bullets": ["x"] * (limits.ITEMS + 1)}]}]}, "the list items has 201 entries"),
    ("leaflet", {**minimal(), "sections": [
        {"id": f"s{n}", "title": "T", "body": ["word " * 990]} for n in range(31)]},
     "the leaflet has 153,"),
])
def test_limits_are_one_line_each(what, data, message):
    with pytest.raises(LeafletError) as raised:
        load(Path("source/safe.yaml"), content=source(data))
    lines = raised.value.lines()
    assert len(lines) == 1 and message in lines[0], lines


def test_thousands_of_mistakes_print_a_bounded_number_of_lines():
    data = minimal() | {f"unknown-{n}": 1 for n in range(5000)}
    with pytest.raises(LeafletError) as raised:
        load(Path("source/safe.yaml"), content=source(data))
    lines = raised.value.lines()
    assert len(lines) == 26 and lines[-1] == "... and 4,975 more errors like these"


def test_a_message_quoting_a_control_prints_it_as_a_code_on_one_line():
    data = minimal() | {"titel\u202e\x1b[31m": "x"}
    with pytest.raises(LeafletError) as raised:
        load(Path("source/safe.yaml"), content=source(data))
    line = str(raised.value)
    assert "\n" not in line and "\u202e" not in line and "\x1b" not in line
    assert "<U+202E><U+001B>[31m" in line


def test_a_direction_control_in_a_translation_is_refused_with_its_po_line(monkeypatch_module):
    from leaflet.i18n.catalog import translate

    original = load(Path("source/safe.yaml"), content=source(minimal()))
    catalog = pofile.LeafletCatalog(locale="cy", domain="safe")
    catalog.add("A leaflet", "Dos \u202e01 mg")
    path = monkeypatch_module / "cy" / "LC_MESSAGES" / "safe.po"
    pofile.write(path, catalog)
    line = path.read_text(encoding="utf-8").splitlines().index('msgid "A leaflet"') + 1
    with pytest.raises(LeafletError) as raised:
        translate(original, "cy")
    assert raised.value.lines() == [
        f"{path}:{line}: the text holds U+202E RIGHT-TO-LEFT OVERRIDE, an invisible direction "
        "control that can print text in another order than it is read; delete it (in the "
        "translation of “A leaflet”)"]


def test_tags_chapters_and_cues_hold_hostile_text_as_text(tmp_path: Path):
    """FFMETADATA, ID3 and WebVTT each have their own special characters."""
    import json
    import subprocess

    import webvtt

    title = 'Dose; a=b #1 \\ "x" < 5 & z'
    data = minimal(title=title, paragraph="Take < 5 mg & never --> 10 mg.")
    data["sections"].append({"id": "more", "title": "[More]; =#\\", "body": ["Ask us."]})
    (tmp_path / "safe.yaml").write_bytes(source(data))
    result = leaflet("build", str(tmp_path / "safe.yaml"), "--format", "audio", "--out",
                     str(tmp_path / "build"))
    assert result.returncode == 0, result.stderr
    mp3 = tmp_path / "build/safe/en/safe.mp3"
    probe = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-show_format", "-of", "json", str(mp3)],
        capture_output=True, text=True, check=True, timeout=60).stdout)
    assert probe["format"]["tags"]["title"] == title
    assert [chapter["tags"]["title"] for chapter in probe["chapters"]][:2] == [title, "[More]; =#\\"]
    from html import unescape

    cues = [cue.text for cue in webvtt.read(str(tmp_path / "build/safe/en/safe.vtt"))]
    assert not any("-->" in cue or "<" in cue for cue in cues)  # they would end or mark a cue
    assert "Take < 5 mg & never --> 10 mg." in [unescape(cue) for cue in cues]
    assert unescape(cues[0]) == title


# -- the blocks of a body: a table, a box, numbered steps, sub-points --------------------------
HOSTILE = '</td></table><script>alert(1)</script> & "q"'
WRITTEN = HOSTILE.replace("<", "\\<")  # a < written as text, as a source must


def test_text_in_tables_boxes_and_lists_stays_text_in_every_format(tmp_path: Path):
    body = ["Before.",
            {"steps": [WRITTEN, {"text": f"step {WRITTEN}", "bullets": [f"sub {WRITTEN}"]}]},
            {"table": {"caption": f"caption {WRITTEN}", "header": [f"head {WRITTEN}", "b"],
                       "rows": [[f"cell {WRITTEN}", "c"]]}},
            {"urgent": {"title": f"title {WRITTEN}", "body": [f"box {WRITTEN}"]}}]
    data = minimal()
    data["sections"][0]["body"] = body
    (tmp_path / "safe.yaml").write_bytes(source(data))
    result = leaflet("build", str(tmp_path / "safe.yaml"), "--format", "html,pdf,docx,braille",
                     "--out", str(tmp_path / "build"))
    assert result.returncode == 0, result.stderr
    out = tmp_path / "build" / "safe" / "en"
    tree = lxml_html.document_fromstring((out / "safe.html").read_text(encoding="utf-8"))
    assert_only_own_script(tree)
    shown = normalise(tree.xpath("//main")[0].text_content())
    for where in ("", "step ", "sub ", "caption ", "head ", "cell ", "title ", "box "):
        assert f"{where}{HOSTILE}" in shown, where
    printed = normalise(pdf_text(out / "safe.pdf"))
    assert f"cell {HOSTILE}" in printed and f"box {HOSTILE}" in printed
    import docx

    words = " ".join(p.text for p in docx.Document(str(out / "safe.docx")).paragraphs)
    cells = " ".join(cell.text for table in docx.Document(str(out / "safe.docx")).tables
                     for row in table.rows for cell in row.cells)
    assert f"box {HOSTILE}" in words and f"cell {HOSTILE}" in cells
