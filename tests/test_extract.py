"""Extraction: plain `pybabel extract` finds every text of a leaflet, with roles, and the
committed templates are up to date and stable."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from conftest import ROOT, leaflet, python
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
        if text.origin.path.endswith("leaflet.toml"):  # the organisation's name and hours
            assert "From leaflet.toml: the organisation." in message.auto_comments
        else:
            assert ("source/cytokines.yaml", text.origin.line) in message.locations
        assert message.auto_comments, text.markup
    heading = catalog.get("How do cytokine drugs work?")
    assert heading.auto_comments == ["Heading of a section."]
    linked = catalog.get(leaflet.sections[0].blocks[0].text.markup)
    assert any("(term:" not in c and "target" in c for c in linked.auto_comments)
    assert catalog.get("loss of appetite and weight loss").auto_comments == ["List item."]


def test_pybabel_extract_on_the_whole_repository_skips_what_is_not_a_leaflet(tmp_path: Path):
    pot = tmp_path / "messages.pot"
    result = subprocess.run([PYBABEL, "extract", "-F", "babel.cfg", "-o", str(pot), "."],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    with open(pot, "rb") as file:
        ids = {message.id for message in read_po(file) if message.id}
    assert "How do cytokine drugs work?" in ids and "Glossary" in ids


def test_the_extractor_skips_yaml_that_is_not_a_leaflet_and_stops_on_a_broken_one(tmp_path):
    (tmp_path / "leaflet.toml").write_text('[organisation]\nname = "A"\nemail = "a@example.org"\n')
    (tmp_path / "babel.cfg").write_text("[leaflet: **.yaml]\n")
    (tmp_path / "ci.yaml").write_text("on: push\njobs: {build: {runs-on: debian}}\n")
    (tmp_path / "list.yaml").write_text("- one\n- two\n")
    (tmp_path / "odd.yaml").write_text("{[unclosed\n")
    shutil.copytree(ROOT / "source", tmp_path / "source")
    extract = [PYBABEL, "extract", "-F", "babel.cfg", "-o", "messages.pot", "."]
    result = subprocess.run(extract, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    with open(tmp_path / "messages.pot", "rb") as file:
        assert "How do cytokine drugs work?" in {m.id for m in read_po(file)}
    # A leaflet source with a mistake: one line naming it, exit 1, no traceback.
    broken = tmp_path / "source" / "cytokines.yaml"
    broken.write_text(broken.read_text().replace("title: Cytokines", "titel: Cytokines"))
    result = subprocess.run(extract, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ("leaflet: source/cytokines.yaml:5:1: unknown key 'titel' in the leaflet (did you "
            "mean 'title'?)") in result.stderr


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
    before = {p: p.read_bytes() for p in locales.rglob("*.po*")}
    result = leaflet("catalogues", locales=locales)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "", f"catalogues are stale, run `make catalogues`: {result.stdout}"
    assert {p: p.read_bytes() for p in locales.rglob("*.po*")} == before


def test_the_labels_template_in_the_package_is_up_to_date(tmp_path: Path):
    labels = tmp_path / "labels"
    shutil.copytree(ROOT / "src" / "leaflet" / "locales", labels)
    code = ("import sys; from pathlib import Path; from leaflet.i18n import upkeep; "
            f"print(upkeep.update_labels([], Path({str(labels)!r})))")
    result = python("-c", code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", "labels are stale: run `make labels`"


def test_templates_are_sorted_by_place_and_deduplicated():
    with open(ROOT / "locales" / "cytokines.pot", "rb") as file:
        messages = [m for m in read_po(file) if m.id]
    lines = [m.locations[0][1] or 0 for m in messages]  # 0: a text of leaflet.toml, first
    assert lines == sorted(lines)
    assert len({m.id for m in messages}) == len(messages)
