"""The review policy: a review due soon warns, an overdue leaflet is refused or carries a notice."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import docx
import pytest
from lxml import html as lxml_html

from conftest import ROOT, normalise, pdf_text
from leaflet import review
from leaflet.errors import LeafletError
from leaflet.source import load

CYTOKINES = "source/cytokines.yaml"  # next_review: 2027-10-21, on line 11
NOTICE = "This leaflet is overdue for review: it was due for review on 21 October 2027."


def epoch(day: date) -> str:
    return str(int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()))


def run(*args: str, today: date) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch(today)}
    return subprocess.run([sys.executable, "-m", "leaflet.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def test_today_is_source_date_epoch_when_set(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(date(2030, 2, 3)))
    assert review.today() == date(2030, 2, 3)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(LeafletError, match="SOURCE_DATE_EPOCH 'yesterday' is not a whole number"):
        review.today()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert review.today() == date.today()


def test_a_review_more_than_90_days_ahead_says_nothing():
    result = run("check", CYTOKINES, today=date(2027, 7, 22))  # 91 days before
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stdout + result.stderr


def test_a_review_within_90_days_is_a_warning_naming_the_line():
    result = run("check", CYTOKINES, today=date(2027, 9, 21))
    assert result.returncode == 0, result.stderr
    assert (f"{CYTOKINES}:11:14: warning: next review due 2027-10-21, in 30 days; plan the review"
            in result.stdout.splitlines())
    assert f"{CYTOKINES}: ok" in result.stdout.splitlines()


@pytest.mark.parametrize("command", ["check", "build"])
def test_an_overdue_leaflet_is_refused_with_one_line(command, tmp_path: Path):
    out = tmp_path / "build"
    args = ["build", CYTOKINES, "--lang", "en", "--out", str(out)] if command == "build" \
        else ["check", CYTOKINES]
    result = run(*args, today=date(2027, 10, 21))  # the day it is due counts as overdue
    assert result.returncode == 1
    assert result.stderr == (
        f"leaflet: {CYTOKINES}:11:14: overdue for review: next_review was 2027-10-21; review the "
        "leaflet and set reviewed and next_review, or build with --allow-overdue to publish it "
        "with an overdue notice\n")
    assert not out.exists()


@pytest.fixture(scope="module")
def overdue_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("overdue")
    result = run("build", CYTOKINES, "--lang", "en", "--out", str(out), "--allow-overdue",
                 today=date(2028, 1, 5))
    assert result.returncode == 0, result.stderr
    return out / "cytokines" / "en"


@pytest.mark.slow
def test_every_output_of_an_allowed_overdue_leaflet_carries_the_notice(overdue_build: Path):
    for page in ("cytokines.html", "cytokines-easy-read.html"):
        notices = lxml_html.parse(str(overdue_build / page)).xpath("//p[@class='notice']")
        assert NOTICE in normalise(notices[0].text_content()), page
    for pdf in ("cytokines.pdf", "cytokines-large-print.pdf", "cytokines-easy-read.pdf"):
        assert NOTICE in normalise(pdf_text(overdue_build / pdf, page=1)), pdf
    for word in ("cytokines.docx", "cytokines-easy-read.docx"):
        paragraphs = [p.text for p in docx.Document(str(overdue_build / word)).paragraphs]
        # on the cover: after the logo, the names, the summary and the facts
        assert any(NOTICE in normalise(text) for text in paragraphs[:9]), word
    for transcript in ("cytokines.vtt", "cytokines-easy-read.vtt"):
        spoken = normalise((overdue_build / transcript).read_text(encoding="utf-8"))
        assert NOTICE.split(": ")[0] in spoken, transcript  # the narration says it at the start
        assert spoken.index("overdue for review") < spoken.index("Cytokines are")
    braille = _braille_words(overdue_build / "cytokines.brf")
    assert "overdue for review" in braille
    assert braille.index("overdue for review") < braille.index("cytokines are")


def _braille_words(brf: Path) -> str:
    from test_braille import back_translation

    return normalise(back_translation(brf.read_bytes())).lower()


def test_the_overdue_notice_is_in_the_leaflets_language():
    leaflet = load(ROOT / CYTOKINES)
    from leaflet.i18n.catalog import translate

    welsh = review.with_overdue_notice(translate(leaflet, "cy").leaflet)
    assert welsh.notices[0].startswith("Mae’r daflen hon wedi mynd heibio i’w dyddiad adolygu")
    assert "21 Hydref 2027" in welsh.notices[0]


def test_a_review_date_in_the_future_is_refused():
    result = run("check", CYTOKINES, today=date(2024, 10, 20))
    assert result.returncode == 1
    assert result.stderr == (f"leaflet: {CYTOKINES}:10:11: reviewed 2024-10-21 is in the future "
                             "(today is 2024-10-20); write the date of the last review\n")
