"""Extraction: plain `pybabel extract` finds every text of a leaflet, with roles, and the
committed templates are up to date and stable."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from conftest import ROOT, python
from leaflet.model import texts
from leaflet.source import load

PYBABEL = str(Path(sys.executable).parent / "pybabel")


def test_pybabel_extract_finds_every_text_with_its_role_and_line(tmp_path: Path):
    pot = tmp_path / "cytokines.pot"
    subprocess.run([PYBABEL, "extract", "-F", "babel.cfg", "-o", str(pot), "source/cytokines.yaml"],
                   cwd=ROOT, check=True, capture_output=True)
    with open(pot, "rb") as file:
        catalog = read_po(file)
    leaflet = load(ROOT / "source" / "cytokines.yaml")
    for text, _ in texts(leaflet):
        message = catalog.get(text.markup)
        assert message is not None, text.markup
        assert ("source/cytokines.yaml", text.origin.line) in message.locations
        assert message.auto_comments, text.markup
    heading = catalog.get("How do cytokine drugs work?")
    assert heading.auto_comments == ["Heading of a section."]
    linked = catalog.get(leaflet.sections[0].blocks[0].text.markup)
    assert any("(term:" not in c and "target" in c for c in linked.auto_comments)
    assert catalog.get("loss of appetite and weight loss").auto_comments == ["List item."]


def test_labels_are_extracted_from_code_and_templates(tmp_path: Path):
    pot = tmp_path / "leaflet.pot"
    subprocess.run([PYBABEL, "extract", "-F", "babel.cfg", "-c", "TRANSLATORS:", "-o", str(pot),
                    "src/leaflet"], cwd=ROOT, check=True, capture_output=True)
    with open(pot, "rb") as file:
        ids = {message.id for message in read_po(file) if message.id}
    for label in ("Glossary", "References", "Last reviewed:", "Next review due:",
                  "Page %(page)s of %(pages)s", "Skip to main content", "d MMM y"):
        assert label in ids, label


def test_committed_templates_are_up_to_date_and_stable(tmp_path: Path):
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    before = {p.name: p.read_bytes() for p in locales.glob("*.pot")}
    result = python("-m", "leaflet.i18n.maintain", "pot", locales=locales)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "", f"templates are stale, run `make pot`: {result.stdout}"
    assert {p.name: p.read_bytes() for p in locales.glob("*.pot")} == before


def test_templates_are_sorted_by_place_and_deduplicated():
    with open(ROOT / "locales" / "cytokines.pot", "rb") as file:
        messages = [m for m in read_po(file) if m.id]
    lines = [m.locations[0][1] for m in messages]
    assert lines == sorted(lines)
    assert len({m.id for m in messages}) == len(messages)
