"""The build ledger: an unchanged build is known from digests, and every change is still seen."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import ROOT

LEDGER = ".leaflet-ledger.json"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A project of two leaflets, leaf-a and leaf-b, each in English and Welsh."""
    folder = tmp_path / "library"
    (folder / "source").mkdir(parents=True)
    settings = (ROOT / "leaflet.toml").read_text(encoding="utf-8")
    (folder / "leaflet.toml").write_text(
        re.sub(r"(?m)^languages = .*$", 'languages = ["en", "cy"]', settings), encoding="utf-8")
    shutil.copytree(ROOT / "branding", folder / "branding")
    source = (ROOT / "source" / "cytokines.yaml").read_text(encoding="utf-8")
    catalogue = (ROOT / "locales" / "cy" / "LC_MESSAGES" / "cytokines.po").read_bytes()
    (folder / "locales" / "cy" / "LC_MESSAGES").mkdir(parents=True)
    for name in ("leaf-a", "leaf-b"):
        (folder / "source" / f"{name}.yaml").write_text(
            source.replace("id: cytokines", f"id: {name}", 1), encoding="utf-8")
        (folder / "locales" / "cy" / "LC_MESSAGES" / f"{name}.po").write_bytes(catalogue)
    return folder


def build(folder: Path, *args: str, day: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if day:
        env["SOURCE_DATE_EPOCH"] = str(int(datetime.fromisoformat(day).replace(
            tzinfo=timezone.utc).timestamp()))
    return subprocess.run([sys.executable, "-m", "leaflet.cli", "build", "--format",
                           "html,braille", *args], cwd=folder, capture_output=True, text=True,
                          timeout=300, env=env)


def statuses(result: subprocess.CompletedProcess) -> dict[str, str]:
    """Each output's status from the progress lines, by its path under build/."""
    found = re.findall(r"^\[\d+/\d+\] .*?/build/(\S+) \((.*)\)$", result.stderr, re.MULTILINE)
    return {target: status.split(" in ")[0] for target, status in found}


EVERY = {f"{name}/{language}/{name}.{suffix}" for name in ("leaf-a", "leaf-b")
         for language in ("en", "cy") for suffix in ("html", "brf")}


def test_an_unchanged_build_is_told_from_the_ledger(library: Path):
    first = build(library)
    assert first.returncode == 0, first.stderr
    assert statuses(first) == dict.fromkeys(EVERY, "built")
    again = build(library)
    assert again.returncode == 0, again.stderr
    assert statuses(again) == dict.fromkeys(EVERY, "up to date")
    assert json.loads((library / "build" / LEDGER).read_text())["version"] == 1


def test_a_catalogue_edit_rebuilds_only_that_language_of_that_leaflet(library: Path):
    assert build(library).returncode == 0
    catalogue = library / "locales" / "cy" / "LC_MESSAGES" / "leaf-b.po"
    text = catalogue.read_text(encoding="utf-8")
    edited = text.replace("msgstr \"Beth yw sgil", "msgstr \"Beth ydy sgil")
    assert edited != text
    catalogue.write_text(edited, encoding="utf-8")
    result = build(library)
    assert result.returncode == 0, result.stderr
    rebuilt = {target for target, status in statuses(result).items() if status == "built"}
    assert rebuilt == {"leaf-b/cy/leaf-b.html", "leaf-b/cy/leaf-b.brf"}
    assert "Beth ydy sgil" in (library / "build" / "leaf-b" / "cy" / "leaf-b.html").read_text()


def test_a_deleted_output_and_an_output_of_other_options_are_rebuilt(library: Path):
    assert build(library).returncode == 0
    (library / "build" / "leaf-a" / "en" / "leaf-a.brf").unlink()
    # another build, with other options, wrote this output last
    stamps = library / "build" / "leaf-b" / "en" / ".leaflet-build.json"
    stamps.write_text(json.dumps({**json.loads(stamps.read_text()), "html": "other"}))
    result = build(library)
    assert result.returncode == 0, result.stderr
    rebuilt = {target for target, status in statuses(result).items() if status == "built"}
    assert rebuilt == {"leaf-a/en/leaf-a.brf", "leaf-b/en/leaf-b.html"}


def test_a_new_catalogue_and_a_style_change_are_seen(library: Path):
    assert build(library).returncode == 0
    (library / "locales" / "pl" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(ROOT / "locales" / "pl" / "LC_MESSAGES" / "cytokines.po",
                library / "locales" / "pl" / "LC_MESSAGES" / "leaf-a.po")
    settings = library / "leaflet.toml"
    settings.write_text(settings.read_text().replace('["en", "cy"]', '["en", "cy", "pl"]'))
    result = build(library)
    assert result.returncode == 0, result.stderr
    rebuilt = {target for target, status in statuses(result).items() if status == "built"}
    # leaflet.toml is an input of every output: everything is rebuilt, and Polish is new
    assert rebuilt == EVERY | {"leaf-a/pl/leaf-a.html", "leaf-a/pl/leaf-a.brf"}
    (library / "styles").mkdir()
    (library / "styles" / "web.css").write_text("h1 { letter-spacing: 0.01em; }\n")
    result = build(library)
    assert result.returncode == 0, result.stderr
    assert "built" in statuses(result).values()


def test_review_lines_are_said_again_and_the_day_counts(library: Path):
    # next_review is 2027-10-21: no warning before 2027-07-23
    early = build(library, day="2027-07-01")
    assert early.returncode == 0 and "warning" not in early.stderr, early.stderr
    soon = build(library, day="2027-08-01")
    assert soon.returncode == 0, soon.stderr
    assert soon.stderr.count("next review due 2027-10-21, in 81 days") == 2
    again = build(library, day="2027-08-01")
    assert again.stderr.count("next review due 2027-10-21, in 81 days") == 2
    assert statuses(again) == dict.fromkeys(EVERY, "up to date")
    later = build(library, day="2027-08-02")
    assert later.stderr.count("in 80 days") == 2, later.stderr
    overdue = build(library, day="2027-10-21")
    assert overdue.returncode == 1 and "overdue for review" in overdue.stderr


def test_two_sources_with_one_id_are_refused(library: Path):
    assert build(library).returncode == 0
    (library / "other").mkdir()
    shutil.copy(library / "source" / "leaf-a.yaml", library / "other" / "leaf-a.yaml")
    # source/leaf-a.yaml is unchanged since the last build, in whichever order they are named
    for sources in (["source/leaf-a.yaml", "other/leaf-a.yaml"],
                    ["other/leaf-a.yaml", "source/leaf-a.yaml"]):
        result = build(library, *sources)
        assert result.returncode == 1
        assert result.stderr.strip().splitlines() == [
            "leaflet: other/leaf-a.yaml: id 'leaf-a' is also the id of source/leaf-a.yaml; "
            "give each leaflet its own id, or one would overwrite the other's outputs"], \
            result.stderr
    result = build(library, "other/leaf-a.yaml", "source/leaf-a.yaml", "--force")
    assert "leaflet: source/leaf-a.yaml: id 'leaf-a' is also the id of other/leaf-a.yaml" \
        in result.stderr
    assert not (library / "build" / "other").exists()


@pytest.mark.parametrize("damage", [b"{not json", b'{"version": 1, "choices": []}',
                                    b'{"version": 1, "choices": {"x": {"y": 3}}}', b"\xff\xfe"])
def test_a_damaged_ledger_is_a_full_build_not_an_error(library: Path, damage: bytes):
    assert build(library).returncode == 0
    (library / "build" / LEDGER).write_bytes(damage)
    result = build(library)
    assert result.returncode == 0, result.stderr
    assert statuses(result) == dict.fromkeys(EVERY, "up to date")  # the stamps still hold
    assert json.loads((library / "build" / LEDGER).read_text())["version"] == 1


def test_a_left_out_translation_is_said_again(library: Path):
    catalogue = library / "locales" / "cy" / "LC_MESSAGES" / "leaf-a.po"
    catalogue.write_text(re.sub(r'(?m)^msgstr "[^"]+"$', 'msgstr ""',
                                catalogue.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    first = build(library)
    assert first.returncode == 0, first.stderr
    assert "leaf-a in 'cy' not built" in first.stderr
    again = build(library)
    assert "leaf-a in 'cy' not built" in again.stderr
    assert set(statuses(again)) == EVERY - {"leaf-a/cy/leaf-a.html", "leaf-a/cy/leaf-a.brf"}


@pytest.mark.parametrize("change", [
    lambda entry: entry["jobs"][0].__setitem__(3, "skipped: altered") or
    entry["jobs"][0].__setitem__(4, []),
    lambda entry: entry.__setitem__("since", 7),
    lambda entry: entry.__setitem__("catalogues", {"cy": ["not", "a", "digest"]}),
    lambda entry: entry["jobs"].append("short"),
])
def test_an_altered_ledger_entry_is_planned_again(library: Path, change):
    assert build(library).returncode == 0
    ledger = library / "build" / LEDGER
    original = ledger.read_text()
    stored = json.loads(original)
    for entries in stored["choices"].values():
        for entry in entries.values():
            change(entry)
    ledger.write_text(json.dumps(stored))
    result = build(library)
    assert result.returncode == 0, result.stderr
    assert statuses(result) == dict.fromkeys(EVERY, "up to date")
    assert json.loads(ledger.read_text()) == json.loads(original)  # planned and recorded again


def test_an_unreadable_label_catalogue_is_one_line(library: Path):
    (library / "locales" / "cy" / "LC_MESSAGES" / "leaflet.po").mkdir()
    result = build(library)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "leaflet: locales/cy/LC_MESSAGES/leaflet.po: cannot read the catalogue: Is a directory; "
        "make it a readable file, or remove it"]
    assert not (library / "build").exists()
