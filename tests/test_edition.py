"""The edition stage: one reading order per edition, every label resolved, written in one place."""

from __future__ import annotations

from collections import defaultdict

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

from leaflet import edition as editions
from leaflet.edition import (BILINGUAL, EASY_READ, FULL, Alternatives, Callout, Contact, Credit,
                             Definitions, Feedback, HelpLine, ItemList, Links, Masthead, Notice,
                             Paragraph, Point, References, ReviewDates, Section, Table, Versions,
                             edition,
                             web_address)
from leaflet.i18n import pofile
from leaflet.i18n.upkeep import PLURAL_KEYWORD
from leaflet.i18n.labels import TEMPLATE
from leaflet.paths import PACKAGE
from leaflet.render import FORMATS


KEYWORDS = {**DEFAULT_KEYWORDS, PLURAL_KEYWORD[0]: PLURAL_KEYWORD[1]}


def test_every_label_of_the_template_is_written_in_exactly_one_file():
    files = defaultdict(set)
    for path in sorted(PACKAGE.rglob("*")):
        method = {".py": "python", ".html": "jinja2", ".xhtml": "jinja2"}.get(path.suffix)
        if method and "__pycache__" not in path.parts:
            for _, message, _, _ in extract_from_file(method, str(path), keywords=KEYWORDS):
                files[message if isinstance(message, str) else message[0]].add(
                    path.relative_to(PACKAGE).as_posix())
    labels = [message.id if isinstance(message.id, str) else message.id[0]
              for message in pofile.read(TEMPLATE) if message.id]
    assert labels and all(label in files for label in labels), set(labels) - set(files)
    written_twice = {label: sorted(files[label]) for label in labels if len(files[label]) > 1}
    assert written_twice == {}


def test_the_full_edition_reads_in_the_leaflets_order(cytokines):
    full = edition(cytokines, FULL)
    assert full.kind == FULL and full.language == "en-GB" and full.title == "Cytokines"
    assert [type(block) for block in full.header] == [Masthead, HelpLine]
    sections = [block for block in full.main if isinstance(block, Section)]
    assert [section.id for section in sections] == [s.id for s in cytokines.sections]
    first = cytokines.sections[0]
    assert sections[0].heading is first.title
    assert [block.text for block in sections[0].blocks] == [b.text for b in first.blocks]
    assert any(isinstance(block, ItemList) for section in sections for block in section.blocks)
    glossary = full.main[-1]
    assert isinstance(glossary, Definitions) and glossary.title == "Glossary"
    terms = [entry.term.plain for entry in glossary.entries]
    assert terms == sorted(terms, key=str.lower) and len(terms) == len(cytokines.glossary)
    assert [type(block) for block in full.footer] == [References, ReviewDates, Links, Feedback,
                                                      Contact]
    review = full.find(ReviewDates)
    assert review.lines == ("Last reviewed: 21 Oct 2024", "Next review due: 21 Oct 2027")
    assert full.page_footer == "Cytokines · Last reviewed: 21 Oct 2024\nNext review due: 21 Oct 2027"
    assert full.page_number == "Page %(page)s of %(pages)s"
    contact = full.find(Contact)
    assert contact.title == "Contact us" and contact.published_by == "Published by Riverside Health."
    assert [(line.kind, line.value) for line in contact.lines] == [
        ("phone", "0300 123 4567"), ("hours", "Monday to Friday, 9am to 5pm"),
        ("email", "leaflets@example.org"),
        ("address", "Riverside Hospital, 1 River Road, Exampleton EX1 2AB"),
        ("website", "https://www.example.org/")]
    assert contact.lines[0].href == "tel:03001234567"
    help_line = full.find(HelpLine)
    assert [line.kind for line in help_line.lines] == ["phone", "hours"]
    cover = full.find(Masthead)
    assert cover.logo.name == "logo.svg" and cover.logo_alt == "Riverside Health"
    assert cover.facts[:2] == ("Leaflet code: RH-HAEM-0042", "Version: 2")
    urgent = [block for section in sections for block in section.blocks
              if isinstance(block, Callout)]
    assert [(box.kind, box.label, box.title.plain) for box in urgent] == [
        ("urgent", "Urgent:", "Contact your team straight away")]
    assert full.find(Feedback).href == "https://www.example.org/leaflet-feedback"


def test_the_notice_of_other_versions_names_what_the_build_makes(cytokines):
    versions = Versions(("html", "pdf", "large-print", "braille", "easy-read", "audio"),
                        ("en", "cy", "pl", "ar"))
    notice = edition(cytokines, FULL, versions).find(Alternatives)
    assert notice.formats == ("Large print", "Braille", "Easy read", "Audio")
    assert notice.languages == (("en", "English"), ("cy", "Cymraeg"), ("pl", "Polski"),
                                ("ar", "العربية"))
    assert notice.address == "https://leaflets.example.org/cytokines/en/cytokines.html"
    assert notice.short_address == "leaflets.example.org/cytokines/en/cytokines.html"
    without_page = edition(cytokines, FULL, Versions(("pdf", "braille"), ("en",))).find(Alternatives)
    assert without_page.formats == ("Braille",) and without_page.address is None
    assert edition(cytokines, FULL, Versions(("pdf",), ("en",))).find(Alternatives) is None
    assert web_address(cytokines, "") is None


def test_the_glossary_is_in_the_dictionary_order_of_its_language():
    from leaflet.languages import sorted_by

    welsh = sorted_by(["llaeth", "lori", "chwaer", "cath", "dafad", "ddoe"], "cy", str)
    assert welsh == ["cath", "chwaer", "dafad", "ddoe", "lori", "llaeth"]  # ch, dd, ll: letters
    polish = sorted_by(["łza", "lampa", "zebra", "żaba", "ząb"], "pl", str)
    assert polish == ["lampa", "łza", "ząb", "zebra", "żaba"]

def test_the_easy_read_edition_is_points_hard_words_and_the_credit(cytokines):
    easy = edition(cytokines, EASY_READ)
    assert easy.title == "Cytokines – Easy read"
    assert easy.description == "Easy read version: Cytokines"
    assert easy.header[0].subtitle == "Easy read version"
    assert easy.header[0].helper_note == "You may want someone to help you read this."
    sections = [block for block in easy.main if isinstance(block, Section)]
    points = [block for section in sections for block in section.blocks]
    assert {type(block) for block in points} == {Point, Callout}
    assert sections[0].heading is cytokines.sections[0].easy_read_title
    hard_words = easy.main[-1]
    assert isinstance(hard_words, Definitions) and hard_words.id == "hard-words"
    assert easy.main[-2].id == "who-can-help" and easy.main[-2].title == "Who can help"
    assert [type(block) for block in easy.footer] == [ReviewDates, Feedback, Credit]
    explained = [entry.id for point in points if isinstance(point, Point)
                 for entry in point.explains]
    assert sorted(explained) == sorted(entry.id for entry in hard_words.entries)
    assert len(set(explained)) == len(explained), "each hard word explained once, at first use"
    assert explained[:2] == ["cytokines", "immune-system"]
    assert easy.page_footer == "Cytokines · Easy read\nLast reviewed: 21 Oct 2024"


def test_labels_are_resolved_in_the_editions_language(shipped_welsh):
    full = edition(shipped_welsh, FULL)
    assert full.find(Definitions).title == "Geirfa"
    assert full.find(ReviewDates).last_label == "Adolygwyd ddiwethaf:"
    notices = [block for block in full.header if isinstance(block, Notice)]
    assert notices and [block.label for block in notices] == ["Sylwch:"] * len(notices)


def test_every_format_names_an_edition_and_each_edition_has_a_writer_per_medium():
    assert {fmt.edition for fmt in FORMATS.values()} == set(editions.KINDS)
    by_edition = defaultdict(set)
    for fmt in FORMATS.values():
        by_edition[fmt.edition].add(fmt.module)
    assert by_edition[EASY_READ] <= by_edition[FULL]


@pytest.fixture(scope="module")
def shipped_welsh(cytokines):
    from leaflet.i18n.catalog import translate

    return translate(cytokines, "cy").leaflet


@pytest.fixture(scope="module")
def cytokines():
    from conftest import ROOT

    from leaflet.source import load

    return load(ROOT / "source" / "cytokines.yaml")


def test_no_label_is_written_inside_an_f_string():
    """Babel's extractor does not see _() inside an f-string: such a label would be missing
    from the template and never translated."""
    import re

    inside = re.compile(r"""\bf(["']).*?\{\s*_\(""")
    found = [f"{path.relative_to(PACKAGE)}:{number}"
             for path in sorted(PACKAGE.rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if inside.search(line)]
    assert found == []


def block_types(blocks) -> set[type]:
    found = set()
    for block in blocks:
        found.add(type(block))
        found |= block_types(getattr(block, "blocks", ()))
    return found


@pytest.fixture(scope="module")
def every_block():
    from conftest import ROOT

    from leaflet.source import load

    return load(ROOT / "tests" / "roots" / "blocks.yaml")


def test_the_fixture_holds_every_kind_of_body_block(every_block):
    full = edition(every_block, FULL)
    assert {ItemList, Table, Callout, Paragraph} <= block_types(full.blocks)
    lists = [block for block in block_types_in(full) if isinstance(block, ItemList)]
    assert {lst.ordered for lst in lists} == {False, True}
    assert any(item.items for lst in lists for item in lst.items), "a sub-point"
    boxes = [block for block in block_types_in(full) if isinstance(block, Callout)]
    assert [(box.kind, box.label) for box in boxes] == [("important", "Important:"),
                                                        ("urgent", "Urgent:")]
    assert boxes[1].title is None


def block_types_in(an_edition) -> list:
    found = []

    def walk(blocks):
        for block in blocks:
            found.append(block)
            walk(getattr(block, "blocks", ()))
    walk(an_edition.blocks)
    return found


def test_each_writer_has_a_rule_for_every_block_its_editions_hold(cytokines, every_block):
    """Adding a block type is one change in edition.py and one rule per writer: a writer
    without the rule fails here, not in a clinic's build."""
    import re
    from importlib import import_module

    from leaflet import narration

    blocks_html = (PACKAGE / "templates" / "blocks.html").read_text(encoding="utf-8")
    html_rules = set(re.findall(r'"(\w+)": \w+', blocks_html.split("{% set rules", 1)[1]))
    versions = Versions(tuple(FORMATS), ("en", "cy"))
    for fmt in FORMATS.values():
        kind = FULL if fmt.edition == BILINGUAL else fmt.edition  # two full editions, one after
        editions_of = [edition(source, kind, versions) for source in (cytokines, every_block)]
        needed = set().union(*(block_types(one.blocks) for one in editions_of))
        if fmt.module in ("html", "pdf"):
            assert {kind.__name__ for kind in needed} <= html_rules, fmt.name
        elif fmt.module in ("audio", "epub"):  # the book is the narration's text
            assert needed <= set(narration.RULES) | set(narration.PARTS), fmt.name
        else:
            # Word has a rule for every block; braille writes a section's parts in its rule.
            module = import_module(f"leaflet.render.{fmt.module}")
            top = {type(block) for one in editions_of for block in one.blocks}
            assert (needed if fmt.module == "docx" else top) <= set(module.RULES), fmt.name
