"""Building: every output, byte-identical twice, skips what is up to date, never a partial file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, leaflet

OUTPUTS = ["cytokines.pdf", "cytokines-large-print.pdf", "cytokines.docx", "cytokines.html",
           "cytokines.brf", "cytokines-braille.txt",
           "cytokines-easy-read.pdf", "cytokines-easy-read.docx", "cytokines-easy-read.html",
           "cytokines.mp3", "cytokines.vtt", "cytokines-easy-read.mp3", "cytokines-easy-read.vtt"]


def test_build_writes_every_output_with_progress(built: Path):
    for name in OUTPUTS:
        assert (built / name).stat().st_size > 1000, name
    assert not [p for p in built.iterdir() if p.name.startswith(".cytokines")], "temp files left"


def test_same_input_same_bytes_whatever_the_number_of_workers(built: Path, tmp_path: Path):
    # `built` had a worker a core, in whatever order they finished; this one has one worker
    result = leaflet("build", "source/cytokines.yaml", "--lang", "en", "--out", str(tmp_path),
                     "--jobs", "1")
    assert result.returncode == 0, result.stderr
    for name in OUTPUTS:
        assert (tmp_path / "cytokines" / "en" / name).read_bytes() == (built / name).read_bytes(), name


def test_second_build_skips_what_is_up_to_date(tmp_path: Path):
    first = leaflet("build", "source/cytokines.yaml", "--lang", "en", "--format", "html,docx", "--out", str(tmp_path))
    assert first.returncode == 0 and first.stderr.count("built in") == 2
    second = leaflet("build", "source/cytokines.yaml", "--lang", "en", "--format", "html,docx", "--out", str(tmp_path))
    assert second.stderr.count("up to date") == 2 and "built in" not in second.stderr
    forced = leaflet("build", "source/cytokines.yaml", "--lang", "en", "--format", "html", "--force",
                     "--out", str(tmp_path))
    assert forced.stderr.count("built in") == 1


def test_a_changed_source_is_rebuilt(tmp_path: Path):
    project = tmp_path / "source"
    project.mkdir()
    source = project / "cytokines.yaml"
    shutil.copy(ROOT / "source" / "cytokines.yaml", source)
    out = tmp_path / "out"
    assert leaflet("build", str(source), "--format", "html", "--out", str(out)).returncode == 0
    source.write_text(source.read_text().replace("title: Cytokines", "title: Cytokine drugs"))
    again = leaflet("build", str(source), "--format", "html", "--out", str(out))
    assert "built in" in again.stderr
    assert "<title>Cytokine drugs</title>" in (out / "cytokines" / "en" / "cytokines.html").read_text()


def test_an_error_leaves_existing_outputs_untouched(tmp_path: Path):
    assert leaflet("build", "source/cytokines.yaml", "--format", "html", "--out",
                   str(tmp_path)).returncode == 0
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = leaflet("build", "source/cytokines.yaml", "tests/bad/bad-date.yaml", "--out", str(tmp_path))
    assert result.returncode == 1
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_unknown_format_is_one_line_with_a_suggestion(tmp_path: Path):
    result = leaflet("build", "source/cytokines.yaml", "--format", "pdff", "--out", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr == ("leaflet: unknown format 'pdff' (did you mean 'pdf'?); "
                             "choose from html, pdf, large-print, docx, large-print-docx, braille, "
                             "easy-read-html, easy-read, easy-read-docx, audio, "
                             "easy-read-audio, epub, easy-read-epub, bilingual, bilingual-html, "
                             "bilingual-docx\n")


def test_help_lists_the_commands():
    result = leaflet("--help")
    assert result.returncode == 0 and "build" in result.stdout and "check" in result.stdout


def test_a_format_a_leaflet_cannot_have_is_skipped_or_fails_when_asked_for(tmp_path, monkeypatch):
    import pytest

    from leaflet import build
    from leaflet.errors import Unsupported
    from leaflet.render import FORMATS, Format, html

    def no_voice(edition, options):
        raise Unsupported(f"no voice for language '{edition.language}'")

    monkeypatch.setattr(html, "no_voice", no_voice, raising=False)
    monkeypatch.setitem(FORMATS, "speech", Format("speech", "full", (".ogg",), "html", "no_voice"))
    jobs = build.plan([ROOT / "source" / "cytokines.yaml"], ["speech"], tmp_path, ["en"]).jobs
    statuses = build.run(jobs)
    assert list(statuses.values()) == ["skipped: no voice for language 'en-GB'"]
    assert not (tmp_path / "cytokines" / "en" / "cytokines.ogg").exists()
    with pytest.raises(Unsupported):
        build.run(jobs, strict=True)


def test_files_that_fail_their_check_are_not_written(tmp_path, monkeypatch):
    import pytest

    from leaflet import build
    from leaflet.errors import RenderError
    from leaflet.render import FORMATS, PDF_CHECK, Format

    # An HTML page posing as a PDF: the PDF check refuses it before anything is written.
    monkeypatch.setitem(FORMATS, "fake-pdf", Format("fake-pdf", "full", (".pdf",), "html", "render",
                                                    check=PDF_CHECK))
    jobs = build.plan([ROOT / "source" / "cytokines.yaml"], ["fake-pdf"], tmp_path, ["en"]).jobs
    with pytest.raises(RenderError, match="cytokines.pdf .* fails check 'readable PDF'"):
        build.run(jobs)
    # nothing but the cache of what the page was made of (its fonts' subsets)
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and ".cache" not in p.parts]


@pytest.mark.parametrize("setting, message", [
    ("audio.rate=abc", "audio setting rate must be words a minute from 80 to 450, not 'abc'"),
    ("audio.speed=3", "unknown audio setting 'speed'; use engine, voice, rate"),
    ("audio.voice=en;rm -rf", "audio setting voice 'en;rm -rf' is not a voice name"),
    ("braille.cells=5", "braille setting cells must be a whole number from 12 to 100, not 5"),
    ("html.width=3", "format 'html' has no settings; settings are for braille and audio"),
    ("braille.cells=" + "x" * 100_000, "--set braille.cells=...: a setting is at most 100 "
                                       "characters; check the value"),
])
def test_a_wrong_setting_is_one_line_before_anything_is_built(tmp_path, setting, message):
    result = leaflet("build", "source/cytokines.yaml", "--format", "html,braille", "--lang", "en",
                     "--set", setting, "--out", str(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("leaflet: ") and message in result.stderr
    assert result.stderr.count("\n") == 1
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]
