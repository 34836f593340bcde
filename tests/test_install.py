"""The tool as a clinic installs it: the built wheel in a fresh venv, a new project, every format,
a picture and a Welsh catalogue of its own, with nothing read from this repository."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import ROOT, pdf_text

from leaflet.i18n import pofile

pytestmark = pytest.mark.slow
PICTURE = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 72 72">'
           '<rect x="12" y="8" width="48" height="60" fill="#0b4a80"/>'
           '<circle cx="50" cy="40" r="3" fill="#ffffff"/></svg>')


def run(*args, cwd: Path, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(arg) for arg in args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=600)
    if check:
        assert result.returncode == 0, f"{args}: {result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict]:
    """A fresh venv with the wheel built from this checkout (not an editable install), and an
    environment that keeps this repository off every path."""
    folder = tmp_path_factory.mktemp("install")
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "LEAFLET_AXE")}
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", folder / "wheel",
        ROOT, cwd=folder, env=env)
    wheel = next((folder / "wheel").glob("leaflet-*.whl"))
    run(sys.executable, "-m", "venv", folder / "venv", cwd=folder, env=env)
    bin_folder = folder / "venv" / "bin"
    run(bin_folder / "pip", "install", "--quiet", wheel, cwd=folder, env=env)
    env["PATH"] = f"{bin_folder}{os.pathsep}{env['PATH']}"
    return folder, env


@pytest.fixture(scope="module")
def clinic(installed) -> tuple[Path, dict]:
    """`leaflet new` in a folder far from the repository, built once in every format."""
    folder, env = installed
    work = folder / "work"
    work.mkdir()
    run("leaflet", "new", "clinic", "--organisation", "Hafod Clinic", cwd=work, env=env)
    project = work / "clinic"
    run("leaflet", "build", cwd=project, env=env)
    return project, env


def source_of(project: Path) -> Path:
    sources = sorted((project / "source").glob("*.yaml"))
    assert len(sources) == 1, sources
    return sources[0]


def test_the_installed_package_is_the_wheel_not_this_checkout(installed):
    folder, env = installed
    code = "import leaflet, sys; print(leaflet.__file__); print('\\n'.join(sys.path))"
    result = run("python", "-c", code, cwd=folder, env=env)
    package, *path = result.stdout.splitlines()
    assert Path(package).is_relative_to(folder / "venv")
    assert not [entry for entry in path if entry and Path(entry).resolve().is_relative_to(ROOT)]


def test_a_new_project_builds_every_format(clinic):
    project, env = clinic
    leaflet_id = source_of(project).stem
    built = project / "build" / leaflet_id / "en"
    for suffix in (".pdf", "-large-print.pdf", ".docx", ".html", ".mp3", ".vtt", ".brf",
                   "-braille.txt", "-easy-read.pdf", "-easy-read.docx", "-easy-read.html",
                   "-easy-read.mp3"):
        assert (built / f"{leaflet_id}{suffix}").stat().st_size > 0, suffix
    assert "Hafod Clinic" in (built / f"{leaflet_id}.html").read_text(encoding="utf-8")
    assert "Hafod Clinic" in pdf_text(built / f"{leaflet_id}.pdf")
    fonts = run("pdffonts", built / f"{leaflet_id}.pdf", cwd=project, env=env).stdout
    assert {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]} == {
        "Atkinson-Hyperlegible-Next", "Atkinson-Hyperlegible-Next-Bold"}  # the wheel's own font


def test_a_picture_of_the_project_is_found_by_its_file_name(clinic):
    project, env = clinic
    source = source_of(project)
    (project / "pictures" / "clinic-door.svg").write_text(PICTURE)
    text = source.read_text(encoding="utf-8")
    first_picture = re.search(r"picture: ([a-z0-9-]+)", text)
    source.write_text(text[:first_picture.start(1)] + "clinic-door" + text[first_picture.end(1):],
                      encoding="utf-8")
    run("leaflet", "build", "--format", "easy-read-html", "--lang", "en", cwd=project, env=env)
    page = (project / "build" / source.stem / "en" / f"{source.stem}-easy-read.html").read_text()
    assert f"data:image/svg+xml;base64,{base64.b64encode(PICTURE.encode()).decode()}" in page
    # A name that is not there: the suggestions include the project's own picture.
    source.write_text(text[:first_picture.start(1)] + "clinic-doors" + text[first_picture.end(1):],
                      encoding="utf-8")
    result = run("leaflet", "check", cwd=project, env=env, check=False)
    assert result.returncode == 1 and "clinic-door" in result.stderr
    source.write_text(text, encoding="utf-8")


def test_a_welsh_catalogue_started_translated_and_built(clinic):
    project, env = clinic
    leaflet_id = source_of(project).stem
    result = run("leaflet", "catalogues", "cy", cwd=project, env=env)
    catalogue = project / "locales" / "cy" / "LC_MESSAGES" / f"{leaflet_id}.po"
    assert f"updated locales/cy/LC_MESSAGES/{leaflet_id}.po" in result.stdout
    assert (project / "locales" / f"{leaflet_id}.pot").exists()
    run("msgfmt", "--check", "-o", os.devnull, catalogue, cwd=project, env=env)
    # The translator's work, done here: every message, markup and link targets kept.
    catalog = pofile.read(catalogue, locale="cy")
    for message in catalog:
        if message.id:
            message.string = f"CY {message.id}"
    pofile.write(catalogue, catalog)
    config = project / "leaflet.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r'(?m)^languages = \[.*\]', 'languages = ["en", "cy"]', text),
                      encoding="utf-8")
    assert tomllib.loads(config.read_text())["languages"] == ["en", "cy"]
    run("leaflet", "build", "--format", "html,pdf,docx", cwd=project, env=env)
    page = (project / "build" / leaflet_id / "cy" / f"{leaflet_id}.html").read_text()
    assert '<html lang="cy"' in page and "CY " in page
    assert "Hafod Clinic" in page
    # The tool's Welsh labels come from the installed package.
    assert "Adolygwyd ddiwethaf:" in page
    # Updating with no language given keeps the existing catalogue and its translations.
    run("leaflet", "catalogues", cwd=project, env=env)
    with open(catalogue, "rb") as file:
        kept = [m for m in read_po(file) if m.id]
    assert kept and all(m.string == f"CY {m.id}" for m in kept)


def test_plain_pybabel_extract_in_a_new_project(clinic):
    project, env = clinic
    leaflet_id = source_of(project).stem
    result = run("pybabel", "extract", "-F", "babel.cfg", "-o", "messages.pot", ".",
                 cwd=project, env=env)
    assert "Traceback" not in result.stderr
    with open(project / "messages.pot", "rb") as file:
        everything = read_po(file)
    run("pybabel", "extract", "-F", "babel.cfg", "-o", "one.pot", f"source/{leaflet_id}.yaml",
        cwd=project, env=env)
    with open(project / "one.pot", "rb") as file:
        one = read_po(file)
    assert len(one) > 10 and {m.id for m in one} <= {m.id for m in everything}
    (project / "messages.pot").unlink()
    (project / "one.pot").unlink()
