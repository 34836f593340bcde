"""`leaflet check --outputs FOLDER`: every check on every output found by file type, one table."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest

from conftest import ROOT, leaflet


@pytest.fixture(scope="module")
def every_output(tmp_path_factory) -> Path:
    """Every leaflet in source/, in every format the build makes, in English and Welsh (the
    browser checks of the Arabic pages are in test_web, of a right-to-left leaflet below)."""
    out = tmp_path_factory.mktemp("every-output")
    sources = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "source").glob("*.yaml"))
    result = leaflet("build", *sources, "--lang", "en,cy", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def _rows(stdout: str) -> dict[str, tuple[int, int]]:
    rows = {}
    for line in stdout.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 3 and cells[1].isdigit():
            rows[cells[0]] = int(cells[1]), int(cells[2])
    return rows


def test_every_output_of_every_leaflet_passes_in_one_table(every_output: Path):
    root = every_output
    result = leaflet("check", "--outputs", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("| output ")
    rows = _rows(result.stdout)
    outputs = sorted(str(path) for suffix in ("pdf", "docx", "html", "epub")
                     for path in root.rglob(f"*.{suffix}") if not path.name.startswith("."))
    assert sorted(name for name in rows if name not in ("styles/*.css", "total")) == outputs
    assert len(outputs) >= 4
    assert any(name.endswith(".epub") for name in rows)  # EPUBCheck, Ace and the overlays
    for name, (run, passed) in rows.items():
        assert run == passed and run > 0, name
    assert rows["total"][0] == sum(run for name, (run, _) in rows.items() if name != "total")
    for language in {path.parent for path in root.rglob("*.html")}:
        assert list((language / "review").glob("*-phone.png")), language


def test_a_right_to_left_leaflet_passes_every_check(tmp_path: Path):
    # The full version's formats: the shipped Arabic cytokines covers the easy-read ones.
    built = leaflet("build", "tests/roots/rtl-arabic.yaml", "--format", "html,pdf,large-print,docx",
                    "--out", str(tmp_path))
    assert built.returncode == 0, built.stderr
    result = leaflet("check", "--outputs", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    leaflet_files = {str(tmp_path / "rtl-arabic" / "ar" / f"rtl-arabic{end}")
                     for end in (".pdf", "-large-print.pdf", ".docx", ".html")}
    site_pages = {str(tmp_path / name) for name in ("index.html", "index-ar.html",
                                                    "accessibility.html", "accessibility-ar.html")}
    assert set(_rows(result.stdout)) == {"styles/*.css", "total"} | leaflet_files | site_pages


def test_a_failing_output_fails_with_one_line_per_problem(built: Path, tmp_path: Path):
    folder = tmp_path / "leaflet" / "en"
    folder.mkdir(parents=True)
    shutil.copy(built / "cytokines.docx", folder)
    from docx.shared import RGBColor

    document = docx.Document()
    document.core_properties.title = "Broken"
    for level in (1, 3):
        document.styles[f"Heading {level}"].font.color.rgb = RGBColor(0x1A, 0x1A, 0x1A)
    document.add_heading("One", 1)
    document.add_heading("Three", 3)
    document.save(folder / "broken.docx")
    result = leaflet("check", "--outputs", str(tmp_path))
    assert result.returncode == 1
    rows = _rows(result.stdout)
    assert rows[str(folder / "broken.docx")] == (9, 8)
    assert result.stderr == (f"leaflet: {folder / 'broken.docx'}: check 'headings start at "
                             "Heading 1 and do not skip': Heading 3 'Three' follows Heading 1\n")


def test_an_empty_folder_fails_and_check_needs_something_to_check(tmp_path: Path):
    result = leaflet("check", "--outputs", str(tmp_path))
    assert result.returncode == 1
    assert re.search(r"no PDF, Word or HTML output found in", result.stderr)
    # Outside a project, sources are needed: the command says where it looked.
    outside = leaflet("check", cwd=tmp_path)
    assert outside.returncode == 1 and outside.stderr.startswith("leaflet: no leaflet.toml in ")
