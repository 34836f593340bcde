"""The easy-read rules of `leaflet check`: a passing and a failing example of each rule."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, leaflet
from leaflet import check
from leaflet.errors import LeafletErrors
from leaflet.source import load

POINT = '''      - picture: {picture}
        text: "{text}"
        alt: {alt}
'''
TEMPLATE = '''id: rules
language: {language}
title: Rules
reviewed: 2024-01-02
next_review: 2027-01-02
publisher: {{name: A clinic, contact: info@example.org}}
sections:
  - id: one
    body:
      - You have the medicine as an injection under the skin.
    easy_read:
{points}
glossary:
  peginterferon:
    term: peginterferon
    definition: A cytokine drug made in a laboratory.
{glossary_easy_read}
'''
GOOD_TEXT = "You have an injection once a week."
FILLER = ("calendar", "It goes under your skin. It is quick.", "A calendar.")  # keeps the grade low


def write(tmp_path: Path, *points: tuple[str, str, str], language: str = "en-GB",
          explained: bool = True) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(TEMPLATE.format(
        language=language,
        points="".join(POINT.format(picture=p, text=t, alt=a) for p, t, a in (*points, FILLER)),
        glossary_easy_read=("    easy_read: A medicine made in a lab." if explained else ""),
    ), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    return [str(error) for error in check.problems(load(path))]


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def test_a_simple_layer_passes(tmp_path):
    path = write(tmp_path, ("injection", GOOD_TEXT, "A needle."))
    assert problems(path) == []


# -- every section has an easy-read layer -------------------------------------------------
def test_a_section_without_easy_read_fails_naming_the_section(tmp_path):
    path = write(tmp_path, ("injection", GOOD_TEXT, "A needle."))
    path.write_text(path.read_text().replace(
        "glossary:", "  - id: two\n    title: Two\n    body: [More text.]\nglossary:"))
    found = problems(path)
    assert len(found) == 1
    assert found[0].startswith(f"{path}:{line_of(path, 'id: two')}:5: section 'two' has no "
                               "easy-read layer")


# -- every point has a picture and alt text (the source reader requires both) ------------
@pytest.mark.parametrize("missing", ["picture", "alt"])
def test_a_point_without_picture_or_alt_is_an_error(tmp_path, missing):
    path = write(tmp_path, ("injection", GOOD_TEXT, "A needle."))
    written = {"picture": "picture: injection\n        ", "alt": "\n        alt: A needle."}
    path.write_text(path.read_text().replace(written[missing], "", 1))
    with pytest.raises(LeafletErrors) as caught:
        load(path)
    assert f"missing required key '{missing}' in easy-read point 1 of section 'one'" in str(caught.value)


def test_an_unknown_picture_lists_near_names(tmp_path):
    path = write(tmp_path, ("injecton", GOOD_TEXT, "A needle."))
    with pytest.raises(LeafletErrors) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line_of(path, 'injecton')}:")
    assert "unknown picture 'injecton' (near names: injection" in message


# -- at most 15 words in a sentence ------------------------------------------------------
def test_fifteen_words_pass_and_sixteen_fail_with_file_line_and_text(tmp_path):
    fifteen = "You have it once a week, and it goes under the skin of your arm."
    sixteen = fifteen.replace("goes under", "goes just under")
    assert len(check.words(fifteen)) == 15 and len(check.words(sixteen)) == 16
    assert problems(write(tmp_path, ("injection", fifteen, "A needle."))) == []
    path = write(tmp_path, ("injection", sixteen, "A needle."))
    (found,) = problems(path)
    assert found.startswith(f"{path}:{line_of(path, 'goes just under')}:")
    assert "sentence of 16 words in an easy-read point (at most 15)" in found
    assert f'"{sixteen}"' in found


def test_a_long_alt_text_fails_too(tmp_path):
    alt = "A long thin needle with a blue plastic handle that a nurse holds in her hand."
    (found,) = problems(write(tmp_path, ("injection", GOOD_TEXT, alt)))
    assert "sentence of 16 words in an alt text (at most 15)" in found


# -- at most 2 sentences in a point ------------------------------------------------------
def test_two_sentences_pass_and_three_fail(tmp_path):
    two = "You have an injection. It goes under your skin."
    assert problems(write(tmp_path, ("injection", two, "A needle."))) == []
    three = two + " It is over soon."
    path = write(tmp_path, ("injection", three, "A needle."))
    (found,) = problems(path)
    assert found.startswith(f"{path}:{line_of(path, 'It is over soon')}:")
    assert "3 sentences in an easy-read point (at most 2)" in found and three in found


# -- hard words: rare in everyday language, then explained -------------------------------
def test_a_rare_word_fails_unless_linked_to_an_explained_glossary_entry(tmp_path):
    unexplained = "You have peginterferon as an injection."
    path = write(tmp_path, ("injection", unexplained, "A needle."))
    (found,) = problems(path)
    assert "hard word 'peginterferon' in an easy-read point" in found
    assert found.startswith(f"{path}:{line_of(path, unexplained)}:")
    linked = "You have [peginterferon](term:peginterferon) as an injection."
    assert problems(write(tmp_path, ("injection", linked, "A needle."))) == []
    # The word stays explained where it comes again, in the same point or another.
    again = ("injection", "Peginterferon goes under your skin.", "A needle.")
    assert problems(write(tmp_path, ("injection", linked, "A needle."), again)) == []


def test_a_linked_glossary_entry_needs_an_easy_read_explanation(tmp_path):
    linked = "You have [peginterferon](term:peginterferon) as an injection."
    found = problems(write(tmp_path, ("injection", linked, "A needle."), explained=False))
    assert len(found) == 2  # the entry needs an explanation, so the word is not yet explained
    assert "links to glossary entry 'peginterferon', which has no easy_read explanation" in found[0]
    assert "hard word 'peginterferon'" in found[1]


def test_hard_words_come_from_word_frequencies_not_a_list():
    from wordfreq import zipf_frequency

    assert check.hard_words("The doctor gives you an injection of peginterferon.", "en") == [
        "peginterferon"]
    assert zipf_frequency("peginterferon", "en") < check.RARE_BELOW <= zipf_frequency("injection", "en")


# -- English easy read: Flesch-Kincaid grade at most 6 -----------------------------------
def test_long_words_fail_the_reading_grade_and_name_the_hardest_point(tmp_path):
    hard = "Medication administration requires professional supervision."
    path = write(tmp_path, ("injection", GOOD_TEXT, "A needle."), ("doctor", hard, "A doctor."))
    found = [line for line in problems(path) if "Flesch-Kincaid grade" in line]
    assert len(found) == 1
    grade = float(re.search(r"grade (\d+\.\d)", found[0])[1])
    assert grade > check.MAX_GRADE
    assert found[0].startswith(f"{path}:{line_of(path, hard)}:") and hard in found[0]
    assert problems(write(tmp_path, ("injection", GOOD_TEXT, "A needle."))) == []


def test_the_grade_rule_is_for_english_only(tmp_path):
    hard = "Medication administration requires professional supervision."
    path = write(tmp_path, ("doctor", hard, "A doctor."), language="cy")
    assert not [line for line in problems(path) if "Flesch-Kincaid" in line]
    assert check.report(load(path)) == [
        "readability: not measured for 'cy' (the Flesch formulas are for English)"]


# -- the command --------------------------------------------------------------------------
def test_check_reports_readability_of_both_versions_of_cytokines():
    result = leaflet("check", "source/cytokines.yaml")
    assert result.returncode == 0, result.stderr
    figures = dict(re.findall(r"^source/cytokines.yaml: (full version|easy read): Flesch reading "
                              r"ease [\d.]+, Flesch-Kincaid grade ([\d.]+)", result.stdout, re.M))
    assert set(figures) == {"full version", "easy read"}
    assert float(figures["easy read"]) <= check.MAX_GRADE < float(figures["full version"])
    assert result.stdout.endswith("source/cytokines.yaml: ok\n")


def test_check_and_build_refuse_a_leaflet_that_breaks_a_rule(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    path = write(source, ("injection", GOOD_TEXT + " It is quick. It is easy.", "A needle."))
    checked = leaflet("check", str(path))
    assert checked.returncode == 1 and "3 sentences in an easy-read point" in checked.stderr
    out = tmp_path / "out"
    built = leaflet("build", str(path), "--out", str(out))
    assert built.returncode == 1 and built.stderr == checked.stderr
    assert not out.exists()
    # The full version alone does not need the easy-read layer to pass.
    assert leaflet("build", str(path), "--format", "html", "--out", str(out)).returncode == 0


def test_every_rule_failure_of_cytokines_would_name_its_source_line():
    cytokines = load(ROOT / "source" / "cytokines.yaml")
    assert check.problems(cytokines) == []
    assert all(text.origin.line for text, _ in check.easy_read_texts(cytokines))


# -- other languages ----------------------------------------------------------------------
def test_sentences_and_words_in_other_scripts():
    assert [len(check.words(s)) for s in check.sentences(
        "আপনি খুব ক্লান্ত বোধ করতে পারেন। হ্যাঁ")] == [6, 1]  # Bengali: danda ends a sentence
    assert len(check.sentences("آپ کو بہت تھکاوٹ محسوس ہو سکتی ہے۔ ہاں")) == 2  # Urdu full stop
    assert check.sentences("你每周打一次针。你会累。") == ["你每周打一次针。", "你会累。"]


def test_hard_words_are_measured_in_the_leaflets_language(tmp_path):
    arabic = "تأخذ [peginterferon](term:peginterferon) مرة في الأسبوع."
    path = write(tmp_path, ("injection", arabic, "إبرة."), language="ar")
    # The English filler point and glossary text are rare words in Arabic: flagged as such.
    assert any("hard words 'goes', 'skin'" in line for line in problems(path))
    assert not [line for line in problems(path) if "'peginterferon' in an easy-read point" in line]
    unexplained = write(tmp_path, ("injection", "تأخذ peginterferon مرة في الأسبوع.", "إبرة."),
                        language="ar")
    assert len([line for line in problems(unexplained) if "hard word 'peginterferon'" in line]) == 1


def test_chinese_is_checked_without_a_word_segmenter(tmp_path):
    path = write(tmp_path, ("injection", "你每周打一次针。", "针。"), language="zh")
    assert not [line for line in problems(path) if "hard word" in line or "words" in line]


# -- translations: every catalogue's easy-read texts, with the msgstr's line -------------
LONG_WELSH = ("Maen nhw’n chwarae rhan bwysig iawn bob dydd yn eich [system imiwnedd]"
              "(term:immune-system), sy’n eich helpu chi i gadw’n iach ac yn gryf drwy’r amser hir.")
LONG_ARABIC = ("للسيتوكينات دور مهم جدًا في [الجهاز المناعي](term:immune-system) في جسمك، فهي تساعده "
               "كل يوم على محاربة الجراثيم والأمراض والبقاء قويًا وبصحة جيدة دائمًا.")
SHORT_MSGSTR = {"cy": "Maen nhw’n chwarae rhan bwysig yn eich [system imiwnedd](term:immune-system).",
                "ar": "للسيتوكينات دور مهم في [الجهاز المناعي](term:immune-system) في جسمك."}


def shipped_locales_with(tmp_path: Path, language: str, translation: str) -> Path:
    """A copy of the shipped catalogues whose `language` says `translation` for the point
    "They play an important part in your immune system"."""
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    po = locales / language / "LC_MESSAGES" / "cytokines.po"
    text = po.read_text(encoding="utf-8")
    assert f'msgstr "{SHORT_MSGSTR[language]}"' in text
    po.write_text(text.replace(f'msgstr "{SHORT_MSGSTR[language]}"', f'msgstr "{translation}"'),
                  encoding="utf-8")
    return locales


def msgstr_line(locales: Path, language: str, translation: str) -> int:
    lines = (locales / language / "LC_MESSAGES" / "cytokines.po").read_text(encoding="utf-8")
    return lines.splitlines().index(f'msgstr "{translation}"') + 1


def plain(markup: str) -> str:
    return re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", markup)


def test_a_long_welsh_point_fails_at_its_msgstr_line_as_a_long_source_point_does(tmp_path):
    sentence = plain(LONG_WELSH)
    assert len(check.words(sentence, "cy")) == 25 > check.limits("cy").words
    locales = shipped_locales_with(tmp_path, "cy", LONG_WELSH)
    line = msgstr_line(locales, "cy", LONG_WELSH)
    expected = (f"leaflet: locales/cy/LC_MESSAGES/cytokines.po:{line}:1: sentence of 25 words in "
                f"an easy-read point (at most {check.limits('cy').words}); make it shorter: "
                f'"{sentence[:79]}…"\n')
    checked = leaflet("check", "source/cytokines.yaml", locales=locales)
    assert checked.returncode == 1 and checked.stderr == expected
    # The source's own long point: the same form, the same exit code.
    source = leaflet("check", "tests/bad/long-sentence.yaml")
    assert source.returncode == checked.returncode
    assert re.fullmatch(r'leaflet: tests/bad/long-sentence.yaml:\d+:\d+: sentence of 17 words in '
                        r'an easy-read point \(at most 15\); make it shorter: ".*"\n', source.stderr)
    # The build refuses it before anything is written, in every language it would build.
    out = tmp_path / "out"
    for languages in ([], ["--lang", "cy"]):
        built = leaflet("build", "source/cytokines.yaml", *languages, "--format",
                        "easy-read-html", "--out", str(out), locales=locales)
        assert built.returncode == 1 and built.stderr == expected
        assert not out.exists()
    # The full version has no easy-read points: it is built.
    assert leaflet("build", "source/cytokines.yaml", "--lang", "cy", "--format", "html",
                   "--out", str(out), locales=locales).returncode == 0


def test_arabic_is_counted_in_icu_words_with_its_own_limit(tmp_path):
    sentence = plain(LONG_ARABIC)
    # Words as ICU finds them: "والأمراض" ("and the diseases") is one word, the comma none.
    counted = check.words(sentence, "ar")
    assert counted[:3] == ["للسيتوكينات", "دور", "مهم"] and "والأمراض" in counted
    assert "،" not in "".join(counted) and len(counted) == 22 > check.limits("ar").words
    locales = shipped_locales_with(tmp_path, "ar", LONG_ARABIC)
    checked = leaflet("check", "source/cytokines.yaml", locales=locales)
    line = msgstr_line(locales, "ar", LONG_ARABIC)
    assert checked.returncode == 1
    assert checked.stderr.startswith(
        f"leaflet: locales/ar/LC_MESSAGES/cytokines.po:{line}:1: sentence of 22 words in an "
        f"easy-read point (at most {check.limits('ar').words}); make it shorter: ")
    assert checked.stderr.count("\n") == 1


def test_a_translation_at_its_limit_passes_and_one_more_word_fails(tmp_path):
    limit = check.limits("cy").words
    filler = ["gair"] * (limit - 3)  # "word": the count is what is tested
    at_limit = " ".join(["Mae", *filler, "[system imiwnedd](term:immune-system)."])
    assert len(check.words(plain(at_limit), "cy")) == limit
    assert leaflet("check", "source/cytokines.yaml",
                   locales=shipped_locales_with(tmp_path / "a", "cy", at_limit)).returncode == 0
    over = at_limit.replace("Mae", "Mae gair", 1)
    result = leaflet("check", "source/cytokines.yaml",
                     locales=shipped_locales_with(tmp_path / "b", "cy", over))
    assert result.returncode == 1 and f"sentence of {limit + 1} words" in result.stderr


def test_a_hyphenated_word_counts_once():
    assert check.words("Gall peginterferon achosi sgil-effeithiau.", "cy") == [
        "Gall", "peginterferon", "achosi", "sgil-effeithiau"]
    assert check.words("Call 01234 567890, 9am to 5pm.") == ["Call", "01234", "567890", "9am",
                                                            "to", "5pm"]


def test_the_limits_are_data_for_every_language():
    assert check.limits("en-GB") == check.Limits(words=15, sentences=2)
    assert check.limits("cy").words > check.limits("en").words  # Welsh needs more words
    assert check.limits("so") == check.limits("en")  # a language not listed: the default
    assert check.limits("zh").words == 0  # written without spaces: words are not counted


@pytest.mark.parametrize("language", ["cy", "pl", "ar"])
def test_the_shipped_translations_keep_the_easy_read_rules(language):
    from leaflet.i18n.catalog import translate

    translated = translate(load(ROOT / "source" / "cytokines.yaml"), language).leaflet
    catalogue = f"locales/{language}/LC_MESSAGES/cytokines.po"
    lines = (ROOT / catalogue).read_text(encoding="utf-8").splitlines()
    checked = [text for text, _ in check.easy_read_texts(translated)]
    assert checked and all(text.origin.path == catalogue for text in checked)
    # Each text's origin is the line of its msgstr, the translator's own words.
    assert all(lines[text.origin.line - 1].startswith("msgstr ") for text in checked)
    assert check.translated_length_problems(translated, catalogue) == []


def test_each_languages_findings_are_kept_and_an_edited_catalogue_is_checked_again(tmp_path):
    locales = shipped_locales_with(tmp_path, "cy", SHORT_MSGSTR["cy"])  # as shipped
    out = tmp_path / "out"

    def build() -> tuple:
        result = leaflet("build", "source/cytokines.yaml", "--lang", "en,cy,pl", "--format",
                         "easy-read-html", "--out", str(out), locales=locales)
        return result, set((out / ".cache" / "checks").glob("*.json"))

    result, kept = build()
    assert result.returncode == 0, result.stderr
    assert len(kept) == 3  # English, Welsh, Polish
    po = locales / "cy" / "LC_MESSAGES" / "cytokines.po"
    shipped = po.read_text(encoding="utf-8")
    po.write_text(shipped.replace(SHORT_MSGSTR["cy"], LONG_WELSH), encoding="utf-8")
    result, after = build()
    assert result.returncode == 1 and "cytokines.po:" in result.stderr
    assert after == kept  # a refused build keeps no findings
    po.write_text(shipped.replace("rhan bwysig yn eich", "rhan fawr yn eich"), encoding="utf-8")
    result, after = build()
    assert result.returncode == 0, result.stderr
    assert kept < after and len(after - kept) == 1  # Welsh checked again; the others kept
