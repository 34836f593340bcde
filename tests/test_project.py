"""The project: leaflet.toml found as git finds its repository, validated like a source."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, leaflet

from leaflet import project
from leaflet.errors import LeafletError

GOOD = """\
base_url = "https://leaflets.example.org/"
languages = ["en", "cy"]
review_interval = 2
accent = "#005EB8"

[organisation]
name = "Riverside Health"
logo = "branding/logo.svg"
logo_alt = "Riverside Health logo"
phone = "+44 300 123 4567"
email = "leaflets@example.org"
address = "1 River Road"
website = "https://www.example.org/"
"""


def write_project(folder: Path, text: str) -> Path:
    (folder / "branding").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "branding" / "logo.svg", folder / "branding" / "logo.svg")
    (folder / "leaflet.toml").write_text(text, encoding="utf-8")
    return folder


def errors_of(folder: Path) -> list[str]:
    with pytest.raises(LeafletError) as caught:
        project.load(folder)
    return [line.replace(str(folder) + "/", "") for line in caught.value.lines()]


def test_a_good_leaflet_toml_gives_every_setting(tmp_path):
    own = project.load(write_project(tmp_path, GOOD))
    assert own.root == tmp_path.resolve()
    assert own.organisation.name == "Riverside Health"
    assert own.organisation.logo == tmp_path.resolve() / "branding" / "logo.svg"
    assert own.organisation.phone == "+44 300 123 4567"
    assert own.languages == ("en", "cy") and own.review_years == 2
    assert own.accent == "#005eb8"
    assert own.source == tmp_path.resolve() / "source"
    assert own.locales == tmp_path.resolve() / "locales"


def test_defaults_of_a_minimal_leaflet_toml(tmp_path):
    own = project.load(write_project(tmp_path, '[organisation]\nname = "Clinic"\n'))
    assert own.review_years == 3 and own.languages is None and own.accent is None


@pytest.mark.parametrize("text, message", [
    ('[organisation]\nname = "A"\nlogo_alt_text = "x"\n',
     "leaflet.toml:3: unknown key 'logo_alt_text' in [organisation] (did you mean 'logo_alt'?); "
     "the keys are name, logo, logo_alt, phone, hours, email, address, website, feedback"),
    ('[organisation]\nname = "A"\nfeedback = "our web page"\n',
     "leaflet.toml:3: organisation feedback 'our web page' must be an e-mail address or an "
     "https:// address"),
    ('[organisation]\nname = "A"\nhours = "[9am](https://example.org/) to 5pm"\n',
     "leaflet.toml:3: organisation hours is plain text: write the words without a [link](...)"),
    ('langauges = ["en"]\n[organisation]\nname = "A"\n',
     "leaflet.toml:1: unknown key 'langauges' (did you mean 'languages'?); the keys are "
     "organisation, base_url, languages, review_interval, accent"),
    ('accent = "#ffdd00"\n[organisation]\nname = "A"\n',
     "leaflet.toml:1: accent #ffdd00 has a contrast of 1.3:1 on white, less than the 4.5:1 text "
     "needs (WCAG 1.4.3); choose a darker colour"),
    ('accent = "blue"\n[organisation]\nname = "A"\n',
     "leaflet.toml:1: accent 'blue' must be a colour written #rrggbb, e.g. \"#005eb8\""),
    ('review_interval = 10\n[organisation]\nname = "A"\n',
     "leaflet.toml:1: review_interval 10 must be a whole number of years from 1 to 5 (3 is usual)"),
    ('base_url = "http://example.org/"\n[organisation]\nname = "A"\n',
     "leaflet.toml:1: base_url 'http://example.org/' must start with https://"),
    ('languages = ["en", "klingon"]\n[organisation]\nname = "A"\n',
     "leaflet.toml:1: unknown language 'klingon' in languages; use codes such as en, cy, pl, ar"),
    ('[organisation]\nname = "A"\nlogo = "branding/missing.svg"\nlogo_alt = "A"\n',
     "leaflet.toml:3: no logo file 'branding/missing.svg' in the project; add it, or correct the "
     "path (e.g. branding/logo.svg)"),
    ('[organisation]\nname = "A"\nlogo = "../../etc/passwd.svg"\nlogo_alt = "A"\n',
     "leaflet.toml:3: logo '../../etc/passwd.svg' is outside the project; put it in branding/"),
    ('[organisation]\nname = "A"\nlogo = "branding/logo.svg"\n',
     "leaflet.toml:3: the logo needs logo_alt: what it shows, for people who cannot see it, "
     "e.g. logo_alt = \"Riverside Health logo\""),
    ('[organisation]\nname = "A"\nphone = "call us"\n',
     "leaflet.toml:3: phone 'call us' is not a phone number; write digits, spaces and an "
     "optional leading +, e.g. 0300 123 4567"),
    ('[organisation]\nname = "A\u202eB"\n',
     "leaflet.toml:2: organisation name holds U+202E RIGHT-TO-LEFT OVERRIDE, an invisible "
     "direction control that can print text in another order than it is read; delete it"),
    ('[organisation]\nname = 3\n',
     "leaflet.toml:2: organisation name must be text in quotes, not a number"),
    ('[organisation]\nphone = "0300 123 4567"\n',
     "leaflet.toml:1: [organisation] needs a name: the organisation that publishes the leaflets, "
     "e.g. name = \"Riverside Health\""),
    ('name = "A"\n[organisation\n',
     "leaflet.toml:2:14: expected ']' at the end of a table declaration; leaflet.toml is TOML: "
     "write key = \"value\" (see the project README)"),
])
def test_each_mistake_is_one_line_naming_its_line(tmp_path, text, message):
    assert message in errors_of(write_project(tmp_path, text))


def test_every_mistake_is_reported_at_once(tmp_path):
    lines = errors_of(write_project(tmp_path, 'accent = "red"\nreview_interval = 0\n'
                                              '[organisation]\nname = "A"\nemail = "no"\n'))
    assert sorted(line.split(":")[1] for line in lines) == ["1", "2", "5"]


def test_a_huge_or_binary_leaflet_toml_is_refused_before_parsing(tmp_path):
    (tmp_path / "leaflet.toml").write_bytes(b"x = 1\n" * 20_000)
    assert "larger than 64 KB" in errors_of(tmp_path)[0]
    (tmp_path / "leaflet.toml").write_bytes(b"x = " + b"[" * 30_000 + b"]" * 30_000)
    assert errors_of(tmp_path) == ["leaflet.toml:1: leaflet.toml nests lists or tables too "
                                   "deeply; it holds a few settings only"]
    (tmp_path / "leaflet.toml").write_bytes(b'[organisation]\nname = "\xff"\n')
    assert errors_of(tmp_path) == ["leaflet.toml:2: leaflet.toml is not UTF-8 text; save it as UTF-8"]


def test_the_project_is_found_from_any_folder_inside_it(tmp_path):
    write_project(tmp_path, GOOD)
    inner = tmp_path / "source" / "deep"
    inner.mkdir(parents=True)
    assert project.find(inner) == tmp_path.resolve()
    nested = write_project(tmp_path / "source" / "inner-project", GOOD)
    assert project.find(nested / "branding") == nested.resolve()  # the nearest one


def test_outside_a_project_a_command_says_so_in_one_line(tmp_path):
    result = leaflet("build", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "no leaflet.toml in" in result.stderr and "leaflet new DIR" in result.stderr


def test_a_project_given_with_project_builds_into_its_own_build_folder(tmp_path):
    folder = tmp_path / "trust"
    write_project(folder, GOOD.replace('languages = ["en", "cy"]', 'languages = ["en"]')
                  .replace("review_interval = 2", "review_interval = 3"))
    shutil.copytree(ROOT / "source", folder / "source")
    result = leaflet("build", "--project", str(folder), "--format", "html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (folder / "build" / "cytokines" / "en" / "cytokines.html").read_text()
    assert "color: #005eb8" in page  # the project's accent, not the repository's
    assert not (tmp_path / "build").exists()


def test_the_review_interval_bounds_next_review(tmp_path):
    folder = tmp_path / "strict"
    write_project(folder, GOOD)  # review_interval = 2
    source = folder / "source" / "cytokines.yaml"
    source.parent.mkdir()
    shutil.copy(ROOT / "source" / "cytokines.yaml", source)
    result = leaflet("check", cwd=folder)
    assert result.returncode == 1
    assert ("source/cytokines.yaml:11:14: next_review 2027-10-21 is more than 2 years after "
            "reviewed 2024-10-21, the review_interval of leaflet.toml; set it on or before "
            "2026-10-21") in result.stderr
    # Without next_review, the interval sets it.
    text = source.read_text().replace("next_review: 2027-10-21\n", "")
    source.write_text(text)
    project.use(project.load(folder))
    try:
        from leaflet.source import load

        assert load(source).next_review == date(2026, 10, 21)
    finally:
        project.use(None)


def test_a_project_stylesheet_replaces_the_package_one_and_may_load_nothing_outside(tmp_path):
    folder = tmp_path / "styled"
    write_project(folder, GOOD.replace('languages = ["en", "cy"]', 'languages = ["en"]')
                  .replace("review_interval = 2", "review_interval = 3"))
    shutil.copytree(ROOT / "source", folder / "source")
    (folder / "styles").mkdir()
    package_print = (ROOT / "src" / "leaflet" / "styles" / "print.css").read_text()
    (folder / "styles" / "print.css").write_text(package_print + "\n.own-rule { margin: 0; }\n")
    result = leaflet("build", "--format", "html,pdf", cwd=folder)
    assert result.returncode == 0, result.stderr
    page = (folder / "build" / "cytokines" / "en" / "cytokines.html").read_text()
    assert ".own-rule" in page
    # A stylesheet that asks for a file outside the project: one line, and no PDF written.
    (folder / "styles" / "print.css").write_text(
        package_print + '\nbody { background: url("file:///etc/hostname"); }\n')
    result = leaflet("build", "--format", "pdf", "--out", str(tmp_path / "out"), cwd=folder)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "file:///etc/hostname, which is outside the project" in result.stderr
    assert not list((tmp_path / "out").rglob("*.pdf"))
