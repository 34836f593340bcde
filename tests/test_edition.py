"""The edition stage: one reading order per edition, every label resolved, written in one place."""

from __future__ import annotations

from collections import defaultdict

import pytest
from babel.messages.extract import extract_from_file

from leaflet import edition as editions
from leaflet.edition import (EASY_READ, FULL, Bullets, Contact, Credit, Definitions, Links,
                             Masthead, Notice, Point, References, ReviewDates,
                             Section, edition)
from leaflet.i18n import pofile
from leaflet.i18n.labels import TEMPLATE
from leaflet.paths import PACKAGE
from leaflet.render import FORMATS


def test_every_label_of_the_template_is_written_in_exactly_one_file():
    files = defaultdict(set)
    for path in sorted(PACKAGE.rglob("*")):
        method = {".py": "python", ".html": "jinja2"}.get(path.suffix)
        if method and "__pycache__" not in path.parts:
            for _, message, _, _ in extract_from_file(method, str(path)):
                files[message if isinstance(message, str) else message[0]].add(
                    path.relative_to(PACKAGE).as_posix())
    labels = [message.id for message in pofile.read(TEMPLATE) if message.id]
    assert labels and all(label in files for label in labels), set(labels) - set(files)
    written_twice = {label: sorted(files[label]) for label in labels if len(files[label]) > 1}
    assert written_twice == {}


def test_the_full_edition_reads_in_the_leaflets_order(cytokines):
    full = edition(cytokines, FULL)
    assert full.kind == FULL and full.language == "en-GB" and full.title == "Cytokines"
    assert [type(block) for block in full.header] == [Masthead]
    sections = [block for block in full.main if isinstance(block, Section)]
    assert [section.id for section in sections] == [s.id for s in cytokines.sections]
    first = cytokines.sections[0]
    assert sections[0].heading is first.title
    assert [block.text for block in sections[0].blocks] == [b.text for b in first.blocks]
    assert any(isinstance(block, Bullets) for section in sections for block in section.blocks)
    glossary = full.main[-1]
    assert isinstance(glossary, Definitions) and glossary.title == "Glossary"
    assert [entry.id for entry in glossary.entries] == [e.id for e in cytokines.glossary]
    assert [type(block) for block in full.footer] == [References, ReviewDates, Links, Contact]
    review = full.find(ReviewDates)
    assert review.lines == ("Last reviewed: 21 Oct 2024", "Next review due: 21 Oct 2027")
    assert full.page_footer == "Cytokines · Last reviewed: 21 Oct 2024\nNext review due: 21 Oct 2027"
    assert full.page_number == "Page %(page)s of %(pages)s"
    contact = full.find(Contact)
    assert (contact.published_by, contact.contact_label) == ("Published by", "Contact:")
    assert contact.email == "patientinformation@cancer.org.uk"


def test_the_easy_read_edition_is_points_hard_words_and_the_credit(cytokines):
    easy = edition(cytokines, EASY_READ)
    assert easy.title == "Cytokines – Easy read"
    assert easy.description == "Easy read version: Cytokines"
    assert easy.header[0].subtitle == "Easy read version"
    sections = [block for block in easy.main if isinstance(block, Section)]
    assert all(isinstance(block, Point) for section in sections for block in section.blocks)
    assert sections[0].heading is cytokines.sections[0].easy_read_title
    hard_words = easy.main[-1]
    assert isinstance(hard_words, Definitions) and hard_words.id == "hard-words"
    assert [type(block) for block in easy.footer] == [ReviewDates, Credit, Contact]
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


def block_types(an_edition) -> set[type]:
    found = set()
    for block in an_edition.blocks:
        found.add(type(block))
        found |= {type(part) for part in getattr(block, "blocks", ())}
    return found


def test_each_writer_has_a_rule_for_every_block_its_editions_hold(cytokines):
    """Adding a block type is one change in edition.py and one rule per writer: a writer
    without the rule fails here, not in a clinic's build."""
    import re
    from importlib import import_module

    from leaflet import narration

    blocks_html = (PACKAGE / "templates" / "blocks.html").read_text(encoding="utf-8")
    html_rules = set(re.findall(r'"(\w+)": \w+', blocks_html.split("{% set rules", 1)[1]))
    for fmt in FORMATS.values():
        needed = block_types(edition(cytokines, fmt.edition))
        if fmt.module in ("html", "pdf"):
            assert {kind.__name__ for kind in needed} <= html_rules, fmt.name
        elif fmt.module == "audio":
            assert needed <= set(narration.RULES) | set(narration.PARTS), fmt.name
        else:
            # Word has a rule for every block; braille writes a section's parts in its rule.
            module = import_module(f"leaflet.render.{fmt.module}")
            top = {type(block) for block in edition(cytokines, fmt.edition).blocks}
            assert (needed if fmt.module == "docx" else top) <= set(module.RULES), fmt.name
