"""Shared fixtures: the built cytokines outputs, the seed text, and readers for PDF text."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# "Today" for every build the tests make: 1 June 2026, so the review policy gives the same
# answer on any day (the tests of that policy set their own).
TODAY_EPOCH = "1780272000"
os.environ["SOURCE_DATE_EPOCH"] = TODAY_EPOCH
SEED = Path(__file__).parent / "data" / "cytokines-seed.txt"
ARTEFACT = " Open a glossary item"
PAGE_FOOTER = re.compile(r"^.*(Last reviewed: .* · |Page \d+ of \d+).*$", re.MULTILINE)


def leaflet(*args: str, cwd: Path = ROOT, locales: Path | None = None) -> subprocess.CompletedProcess:
    """Run the `leaflet` command as a user would: in the repository's project, or in a copy
    of it whose catalogues are `locales`."""
    return python("-m", "leaflet.cli", *args, cwd=cwd, locales=locales)


def python(*args: str, cwd: Path = ROOT, locales: Path | None = None) -> subprocess.CompletedProcess:
    if locales is not None:
        cwd = project_with(locales)
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def project_with(locales: Path) -> Path:
    """A copy of the repository's project (its settings, logo and sources) whose catalogues
    are the folder `locales`, building every language that has one; the tests' own sources
    are there too, as tests/."""
    folder = locales.parent / f"{locales.name}-project"
    if not folder.exists():
        folder.mkdir()
        settings = (ROOT / "leaflet.toml").read_text(encoding="utf-8")
        (folder / "leaflet.toml").write_text(re.sub(r"(?m)^languages = .*\n", "", settings),
                                             encoding="utf-8")
        for name in ("source", "branding"):
            shutil.copytree(ROOT / name, folder / name)
        (folder / "tests").symlink_to(ROOT / "tests")
        (folder / "locales").symlink_to(locales.resolve())
    return folder


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The English cytokines outputs, built once for the session."""
    out = tmp_path_factory.mktemp("build")
    result = leaflet("build", "source/cytokines.yaml", "--lang", "en", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "cytokines" / "en"


def normalise(text: str) -> str:
    return " ".join(text.replace("•", " ").split())


def seed_paragraphs() -> list[str]:
    """The seed text paragraph by paragraph, without the web page's glossary artefacts."""
    text = SEED.read_text(encoding="utf-8").replace(ARTEFACT, "")
    paragraphs = [normalise(block) for block in re.split(r"\n\s*\n", text)]
    return [paragraph for paragraph in paragraphs if paragraph]


def without_page_footers(text: str) -> str:
    return PAGE_FOOTER.sub("", text)


def pdf_text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", *pages, str(path), "-"],
                            capture_output=True, text=True, check=True)
    return result.stdout


def pdf_body_text(path: Path, bottom_margin_mm: float) -> str:
    """The text above the bottom margin of every A4 page: the leaflet without its page footers."""
    height = round(841.89 - bottom_margin_mm * 72 / 25.4)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-x", "0", "-y", "0", "-W", "596",
                             "-H", str(height), str(path), "-"],
                            capture_output=True, text=True, check=True)
    return result.stdout


def assert_in_order(paragraphs: list[str], text: str) -> None:
    """Each paragraph occurs verbatim in `text`, after the one before it."""
    text = normalise(text)
    position = 0
    for paragraph in paragraphs:
        found = text.find(paragraph, position)
        assert found >= 0, f"missing or out of order: {paragraph!r}"
        position = found + len(paragraph)


@pytest.fixture(scope="session")
def shipped(tmp_path_factory) -> Path:
    """Every shipped language of cytokines (HTML, PDF, Word), built once for the session."""
    out = tmp_path_factory.mktemp("languages")
    result = leaflet("build", "source/cytokines.yaml", "--lang", "cy,pl,ar,ur,bn",
                     "--format", "html,pdf,docx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "cytokines"


def without_bidi_controls(text: str) -> str:
    """pdftotext wraps right-to-left text in embedding controls; a reader does not see them."""
    return re.sub("[\u202a-\u202e\u2066-\u2069]", "", text)


def tagged_languages(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """A tagged PDF's document language, and (role, /Lang) of each structure element that
    has a language of its own."""
    import pikepdf

    found: list[tuple[str, str]] = []

    def walk(element) -> None:
        if isinstance(element, pikepdf.Dictionary):
            if "/Lang" in element:
                found.append((str(element.get("/S")), str(element.Lang)))
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid)

    with pikepdf.open(path) as pdf:
        walk(pdf.Root.StructTreeRoot)
        return str(pdf.Root.Lang), found
