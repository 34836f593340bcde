"""`leaflet new`: a project that checks and builds as it is, and an organisation name that is
refused, or written exactly, whatever it holds."""

from __future__ import annotations

import errno
import html
import re
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import leaflet, python
from leaflet import project
from leaflet.errors import LeafletError
from leaflet.paths import NEW_PROJECT
from leaflet.scaffold import create

NAME = "St Example's Hospital"
FILES = [".gitignore", "README.md", "babel.cfg", "branding/logo.svg", "leaflet.toml",
         "locales/README.txt", "pictures/README.txt", "source/blood-test.yaml"]
OUTPUTS = ["blood-test.pdf", "blood-test-large-print.pdf", "blood-test.docx", "blood-test.html",
           "blood-test.mp3", "blood-test.vtt", "blood-test.brf", "blood-test-braille.txt",
           "blood-test-easy-read.pdf", "blood-test-easy-read.docx", "blood-test-easy-read.html",
           "blood-test-easy-read.mp3"]


def files(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def leftovers(parent: Path) -> list[Path]:
    return list(parent.glob(".leaflet-new-*"))


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A new project as `leaflet new` makes it, then checked and built once."""
    parent = tmp_path_factory.mktemp("new")
    folder = parent / "clinic"
    result = leaflet("new", "clinic", "--organisation", NAME, cwd=parent)
    assert result.returncode == 0, result.stderr
    made = files(folder)
    check = leaflet("check", cwd=folder)
    build = leaflet("build", cwd=folder)
    return folder, result, made, check, build


def test_new_makes_the_template(made):
    folder, result, made_files, _, _ = made
    assert made_files == FILES == files(NEW_PROJECT)
    assert f"created clinic ({len(FILES)} files)" in result.stdout
    assert (folder / "pictures").is_dir() and (folder / "locales").is_dir()
    assert (folder / ".gitignore").read_text() == "build/\n"
    assert not leftovers(folder.parent)


def test_the_example_is_reviewed_today_and_due_after_the_default_interval(made):
    folder = made[0]
    text = (folder / "source" / "blood-test.yaml").read_text(encoding="utf-8")
    assert "{{" not in text
    # conftest sets SOURCE_DATE_EPOCH to 1 June 2026.
    assert re.search(r"(?m)^reviewed: 2026-06-01 ", text)
    assert re.search(r"(?m)^next_review: 2029-06-01 ", text)


def test_the_settings_load(made):
    folder = made[0]
    loaded = project.load(folder)
    assert loaded.organisation.name == NAME
    assert loaded.organisation.logo_alt == f"{NAME} logo"
    assert loaded.organisation.logo == folder.resolve() / "branding" / "logo.svg"
    assert loaded.languages == ("en",)
    assert loaded.accent == "#0b4a80"


def test_the_example_passes_check(made):
    check = made[3]
    assert check.returncode == 0, check.stderr
    assert "source/blood-test.yaml: ok" in check.stdout
    assert "warning" not in check.stdout + check.stderr


def test_build_makes_every_format(made):
    folder, build = made[0], made[4]
    assert build.returncode == 0, build.stderr
    out = folder / "build" / "blood-test" / "en"
    for name in OUTPUTS:
        assert (out / name).stat().st_size > 0, name
    assert not list(folder.glob("build/*/cy"))


def test_the_organisation_is_on_the_page(made):
    page = (made[0] / "build" / "blood-test" / "en" / "blood-test.html").read_text()
    assert NAME in html.unescape(page)


def test_readme_is_the_clinics(made):
    readme = (made[0] / "README.md").read_text()
    assert readme.splitlines()[0] == f"# {NAME}: patient-information leaflets"
    for words in ("leaflet build", "leaflet check", "leaflet catalogues cy",
                  "locales/cy/LC_MESSAGES/<id>.po", "pictures/<name>.svg", "next_review"):
        assert words in readme


def test_a_folder_with_files_is_left_alone(tmp_path):
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    result = leaflet("new", "busy", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "leaflet: busy already exists and is not an empty folder; choose another folder for "
        "the project, or empty this one first"]
    assert files(folder) == ["notes.txt"] and (folder / "notes.txt").read_text() == "mine"
    assert not leftovers(tmp_path)


def test_a_file_in_the_way_is_left_alone(tmp_path):
    (tmp_path / "clinic").write_text("mine")
    result = leaflet("new", "clinic", cwd=tmp_path)
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1
    assert (tmp_path / "clinic").read_text() == "mine"


@pytest.mark.parametrize("name, complaint", [
    ("Riverside\nHealth", "holds a line break"),
    ("Riverside \u202eHealth", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("Riverside\u200bHealth", "U+200B ZERO WIDTH SPACE"),
    ("Riverside\x1b[2JHealth", "U+001B"),
    ("Riverside\tHealth", "a tab"),
    ("<script>alert(1)</script>", "HTML tags"),
    ("**Riverside** Health", "would print as 'Riverside Health'"),
    ("Riverside &amp; Health", "would print as 'Riverside & Health'"),
    ("[Riverside](https://example.org/)", "would print as 'Riverside'"),
    ("   ", "empty"),
    ("R" * 141, "141 characters long, more than 140"),
])
def test_a_hostile_name_is_refused(tmp_path, name, complaint):
    result = leaflet("new", "clinic", "--organisation", name, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("leaflet: the organisation name"), lines
    assert complaint in lines[0] and "Traceback" not in result.stderr
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_nul_is_refused(tmp_path):  # a command line cannot hold one; a caller can
    with pytest.raises(LeafletError, match="U[+]0000"):
        create(tmp_path / "clinic", "Riverside\0Health")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", [
    'The "Quoted" Clinic',
    'Triple """ quotes and a \\ backslash',
    "C:\\Clinic\\",
    "Ward ] [7] # not a comment",
    "#1 Clinic *",
    "Smith & Jones_ ~tilde~ <3 |pipe|",
    "Ysbyty Gwynedd: Bwrdd Iechyd Prifysgol Betsi Cadwaladr",
    "مستشفى المدينة",
    "R" * 140,
])
def test_a_name_is_written_exactly(tmp_path, name):
    create(tmp_path / "clinic", name)
    loaded = project.load(tmp_path / "clinic")
    assert loaded.organisation.name == name
    assert loaded.organisation.logo_alt == f"{name} logo"
    title = (tmp_path / "clinic" / "README.md").read_text().splitlines()[0]
    heading, inline, _ = MarkdownIt("commonmark").parse(title)
    runs = inline.children
    assert heading.tag == "h1" and {run.type for run in runs} <= {"text", "text_special"}
    assert "".join(run.content for run in runs) == f"{name}: patient-information leaflets"


def test_the_name_is_stripped(tmp_path):
    create(tmp_path / "clinic", "  Riverside Health ")
    assert project.load(tmp_path / "clinic").organisation.name == "Riverside Health"


def test_returns_the_files(tmp_path):
    made = create(tmp_path / "clinic", NAME)
    assert sorted(str(path.relative_to(tmp_path / "clinic")) for path in made) == FILES
    assert all(path.is_file() for path in made)


def test_an_empty_folder_is_used(tmp_path):
    (tmp_path / "clinic").mkdir()
    create(tmp_path / "clinic", NAME)
    assert files(tmp_path / "clinic") == FILES


def test_missing_parents_are_made(tmp_path):
    create(tmp_path / "a" / "b" / "clinic", NAME)
    assert files(tmp_path / "a" / "b" / "clinic") == FILES


def test_a_project_inside_a_project(tmp_path):
    create(tmp_path / "trust", "Riverside Health")
    create(tmp_path / "trust" / "eye-clinic", "Riverside Eye Clinic")
    assert project.find(tmp_path / "trust" / "eye-clinic" / "source") == \
        (tmp_path / "trust" / "eye-clinic").resolve()


def test_a_failed_copy_leaves_nothing(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", full)
    with pytest.raises(LeafletError, match="No space left on device; free some space"):
        create(tmp_path / "clinic", NAME)
    assert list(tmp_path.iterdir()) == []


def test_catalogues_and_pybabel_work_in_it(tmp_path):
    folder = tmp_path / "clinic"
    create(folder, NAME)
    result = leaflet("catalogues", "cy", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert (folder / "locales" / "cy" / "LC_MESSAGES" / "blood-test.po").is_file()
    result = python("-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-o",
                    "messages.pot", ".", cwd=folder)
    assert result.returncode == 0, result.stderr
    template = (folder / "messages.pot").read_text()
    assert 'msgid "Having a blood test"' in template
    assert re.search(r"#: source/blood-test.yaml:\d+", template)
