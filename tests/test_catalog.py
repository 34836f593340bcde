"""Translating a leaflet: a round trip through a new language, and the completeness policy."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import lxml.html
import pytest
from conftest import leaflet, pdf_text
from leaflet.i18n import pofile

SOURCE = "source/cytokines.yaml"
FIRST = ("Cytokines are a group of proteins that occur naturally in the body. They play an "
         "important role in our [immune system](term:immune-system). Interferon and interleukin "
         "are types of cytokines found in the body.")
SIDE_EFFECTS = "Some of the common side effects of peginterferon include:"


def esperanto(msgid: str | tuple[str, str]) -> str | tuple[str, str]:
    """A stand-in translation that keeps markup and placeholders: "EO " before the text (its
    two plural forms for a label that has them)."""
    if isinstance(msgid, tuple):
        return tuple(f"EO {form}" for form in msgid)
    return {"d MMM y": "d MMMM y"}.get(msgid, f"EO {msgid}")


@pytest.fixture(scope="module")
def locales(tmp_path_factory) -> Path:
    """A new language started with `leaflet catalogues eo` and filled in programmatically."""
    folder = tmp_path_factory.mktemp("locales")
    result = leaflet("catalogues", "eo", locales=folder)
    assert result.returncode == 0, result.stderr
    for domain in ("cytokines", "leaflet"):
        edit(folder, domain, lambda message: setattr(message, "string", esperanto(message.id)))
    return folder


def edit(folder: Path, domain: str, change, only: str | None = None) -> None:
    """Change messages as a translator would, keeping the header (review status) as it is."""
    path = folder / "eo" / "LC_MESSAGES" / f"{domain}.po"
    catalog = pofile.read(path, locale="eo")
    for message in catalog:
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        if message.id and (only is None or singular == only):
            change(message)
    pofile.write(path, catalog)


def copy_of(locales: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "locales"
    shutil.copytree(locales, copy)
    return copy


def build(locales: Path, out: Path, *args: str):
    return leaflet("build", SOURCE, "--out", str(out), *args, locales=locales)


def test_round_trip_builds_every_format_in_the_new_language(locales: Path, tmp_path: Path):
    result = build(locales, tmp_path, "--lang", "eo", "--format", "html,pdf,docx")
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "cytokines" / "eo"
    page = lxml.html.parse(str(folder / "cytokines.html")).getroot()
    assert page.get("lang") == "eo"
    assert page.findtext(".//h1") == "EO Cytokines"
    first = page.find(".//main//p")
    assert first.text_content().startswith("EO Cytokines are a group")
    assert first.find("a").get("href") == "#term-immune-system"
    assert "EO Glossary" in page.text_content()
    text = " ".join(pdf_text(folder / "cytokines.pdf").split())
    assert "EO Cytokines are a group of proteins" in text
    assert "EO Last reviewed: 21 Oktobro 2024" in text  # the language's own month name
    paragraphs = [p.text for p in docx.Document(str(folder / "cytokines.docx")).paragraphs]
    assert f"EO {SIDE_EFFECTS}" in paragraphs
    assert any(p.startswith("EO Please note:") and "draft translation" in p for p in paragraphs)


def test_a_new_catalogue_is_a_draft_until_reviewed(locales: Path, tmp_path: Path):
    assert build(locales, tmp_path, "--lang", "eo", "--format", "html").returncode == 0
    html = (tmp_path / "cytokines" / "eo" / "cytokines.html").read_text()
    assert "EO This is a draft translation, not yet checked by a qualified translator." in html
    reviewed = copy_of(locales, tmp_path)
    for domain in ("cytokines", "leaflet"):
        path = reviewed / "eo" / "LC_MESSAGES" / f"{domain}.po"
        path.write_text(path.read_text().replace("X-Leaflet-Review: draft", "X-Leaflet-Review: reviewed"))
    assert build(reviewed, tmp_path / "b", "--lang", "eo", "--format", "html").returncode == 0
    assert "draft translation" not in (tmp_path / "b" / "cytokines" / "eo" / "cytokines.html").read_text()


def test_a_fuzzy_entry_is_never_published_as_translated(locales: Path, tmp_path: Path):
    fuzzy = copy_of(locales, tmp_path)
    edit(fuzzy, "cytokines", lambda m: m.flags.add("fuzzy"), only=SIDE_EFFECTS)
    asked = build(fuzzy, tmp_path / "a", "--lang", "eo", "--format", "html")
    assert asked.returncode == 1
    assert "1 fuzzy in" in asked.stderr and "eo/LC_MESSAGES/cytokines.po" in asked.stderr
    assert not (tmp_path / "a").exists()
    every = build(fuzzy, tmp_path / "b", "--format", "html")
    assert every.returncode == 0
    assert "cytokines in 'eo' not built: 0 untranslated and 1 fuzzy" in every.stderr
    assert (tmp_path / "b" / "cytokines" / "en" / "cytokines.html").exists()
    assert not (tmp_path / "b" / "cytokines" / "eo").exists()


def test_allow_incomplete_shows_the_source_text_with_a_notice(locales: Path, tmp_path: Path):
    missing = copy_of(locales, tmp_path)
    edit(missing, "cytokines", lambda m: setattr(m, "string", ""), only=SIDE_EFFECTS)
    skipped = build(missing, tmp_path / "a", "--format", "html")
    assert "cytokines in 'eo' not built: 1 untranslated and 0 fuzzy" in skipped.stderr
    result = build(missing, tmp_path / "b", "--lang", "eo", "--allow-incomplete",
                   "--format", "html,pdf,docx")
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "b" / "cytokines" / "eo"
    notice = ("EO Not translated yet, shown in angla: "
              "“EO What are the side effects of peginterferon alpha 2a?”.")
    html = lxml.html.parse(str(folder / "cytokines.html")).getroot()
    assert notice in " ".join(html.find(".//header").text_content().split())
    assert SIDE_EFFECTS in html.text_content()
    # The English part is marked as English, so a screen reader switches voice for it alone.
    english = html.xpath("//p/span[@lang='en-GB']")
    assert [span.text_content() for span in english] == [SIDE_EFFECTS]
    assert not html.xpath("//h1//*[@lang]")
    assert notice in " ".join(pdf_text(folder / "cytokines.pdf").split())
    document = docx.Document(str(folder / "cytokines.docx"))
    paragraphs = [p.text for p in document.paragraphs]
    assert any(notice in p for p in paragraphs)
    marked = [p for p in document.paragraphs
              if p.runs and all(run._r.xpath("w:rPr/w:lang/@w:val") == ["en-GB"] for run in p.runs)]
    assert [p.text for p in marked] == [SIDE_EFFECTS]


def test_a_translation_that_drops_a_glossary_link_is_rejected_with_its_line(locales, tmp_path):
    broken = copy_of(locales, tmp_path)
    edit(broken, "cytokines", lambda m: setattr(m, "string", "EO without the link."), only=FIRST)
    result = build(broken, tmp_path / "out", "--format", "html")
    assert result.returncode == 1
    path = broken / "eo" / "LC_MESSAGES" / "cytokines.po"
    lines = path.read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith('msgstr "EO without'))
    msgid_line = max(i for i in range(1, line) if lines[i - 1].startswith("msgid"))
    assert result.stderr == (f"leaflet: locales/eo/LC_MESSAGES/cytokines.po:{msgid_line}: the "
                             "translation of “Cytokines are a "
                             "group of proteins that o…” drops the link to 'term:immune-system'; "
                             "keep [...](term:immune-system) around the translated words\n")
    assert not (tmp_path / "out").exists()


def test_a_translation_with_unknown_markup_is_rejected(locales, tmp_path):
    broken = copy_of(locales, tmp_path)
    edit(broken, "cytokines", lambda m: setattr(m, "string", "EO *diarrhoea*"), only="diarrhoea")
    result = build(broken, tmp_path / "out", "--format", "html")
    assert result.returncode == 1
    assert "eo/LC_MESSAGES/cytokines.po:" in result.stderr and "emphasis" in result.stderr


def test_labels_must_keep_their_placeholders(locales, tmp_path):
    broken = copy_of(locales, tmp_path)
    edit(broken, "leaflet", lambda m: setattr(m, "string", "EO Paĝo %(page)s"),
         only="Page %(page)s of %(pages)s")
    result = build(broken, tmp_path / "out", "--format", "html")
    assert result.returncode == 1
    assert "eo/LC_MESSAGES/leaflet.po:" in result.stderr
    assert "drops the placeholder %(pages)s" in result.stderr


def test_each_plural_form_of_a_label_must_keep_its_number(locales, tmp_path):
    """A spoken unit that lost its number in one form would say "milligrams" for the dose."""
    broken = copy_of(locales, tmp_path)
    edit(broken, "leaflet", lambda m: setattr(m, "string", ("EO %(number)s mg", "EO miligramoj")),
         only="%(number)s milligram")
    path = broken / "eo" / "LC_MESSAGES" / "leaflet.po"
    line = path.read_text().splitlines().index('msgid "%(number)s milligram"') + 1
    result = build(broken, tmp_path / "out", "--format", "html")
    assert result.returncode == 1
    assert (f"eo/LC_MESSAGES/leaflet.po:{line}: the translation of “%(number)s milligram” drops "
            "the placeholder %(number)s; keep the %(...)s placeholders as they are"
            in result.stderr), result.stderr


def test_unknown_language_asked_for_is_an_error(tmp_path: Path):
    result = leaflet("build", SOURCE, "--lang", "xx", "--out", str(tmp_path))
    assert result.returncode == 1
    assert "no catalogue for 'xx'" in result.stderr and "leaflet catalogues xx" in result.stderr


def test_a_long_previous_msgid_is_written_as_gettext_tools_read_it(tmp_path):
    """A changed message keeps its old text as `#| msgid` for the translator; a long one must
    stay a valid catalogue (msgfmt) and say the old text whole."""
    import subprocess

    from babel.messages.catalog import Catalog

    from leaflet.i18n import pofile

    old = "Pictures: OpenMoji, the \"open-source\" emoji and icon project. Licence: CC BY-SA 4.0."
    catalog = Catalog(locale="cy")
    catalog.add("Pictures: two sets of icons, with their licences, named here in full.", "x",
                flags=["fuzzy"], previous_id=[old])
    path = tmp_path / "labels.po"
    pofile.write(path, catalog, include_previous=True)
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True)
    previous = [line[3:] for line in path.read_text().splitlines() if line.startswith("#| ")]
    import json

    assert previous[0] == 'msgid ""'
    assert "".join(json.loads(part) for part in previous[1:]) == old


@pytest.mark.parametrize("language, keyword", [("cy", "imiwnotherapi"), ("pl", "immunoterapia"),
                                               ("ar", "العلاج المناعي")])
def test_keywords_are_translated_in_the_pdf_and_word_properties(shipped, language, keyword):
    import docx
    import pikepdf

    folder = shipped / language
    with pikepdf.open(folder / "cytokines.pdf") as pdf:
        in_pdf = str(pdf.docinfo["/Keywords"])
    in_word = docx.Document(str(folder / "cytokines.docx")).core_properties.keywords
    for keywords in (in_pdf, in_word):
        assert keyword in keywords and "immunotherapy" not in keywords, keywords
