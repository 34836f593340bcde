"""What the narration says for numbers, ranges and units, per language; the transcript keeps
the written text; pronunciations are used for their own language only."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
import webvtt
from hypothesis import given
from hypothesis import strategies as st
from num2words import num2words

from leaflet import spoken
from leaflet.spoken import say

# The same sentence in each language, as the leaflet writes it, and as the narration says it.
# Welsh numbers above ten and Arabic fractions stay digits: the voice reads them.
SAID = {
    "en-GB": ("Take 10-20 mg for 2–3 days. Call if it is 38°C. It helps 50% of people.",
              "Take ten to twenty milligrams for two to three days. Call if it is "
              "thirty-eight degrees Celsius. It helps fifty per cent of people."),
    "cy": ("Cymerwch 10-20 mg am 2–3 diwrnod. Ffoniwch os yw’n 38°C. Mae’n helpu 50% o bobl.",
           "Cymerwch deg i 20 o filigramau am dau i dri diwrnod. Ffoniwch os yw’n 38 o raddau "
           "Celsius. Mae’n helpu 50 y cant o bobl."),
    "pl": ("Weź 10-20 mg przez 2–3 dni. Zadzwoń, jeśli masz 38°C. Pomaga 50% osób.",
           "Weź dziesięć do dwadzieścia miligramów przez dwa do trzy dni. Zadzwoń, jeśli masz "
           "trzydzieści osiem stopni Celsjusza. Pomaga pięćdziesiąt procent osób."),
    "ar": ("خذ 10-20 mg لمدة 2–3 أيام. اتصل إذا كانت 38°C. يساعد 50% من الناس.",
           "خذ عشرة إلى عشرون مليغرامًا لمدة اثنان إلى ثلاثة أيام. اتصل إذا كانت ثمانية و ثلاثون "
           "درجةً مئوية. يساعد خمسون بالمئة من الناس."),
}


@pytest.mark.parametrize("language", SAID)
def test_each_language_says_ranges_units_and_percentages_in_its_words(language):
    written, said = SAID[language]
    assert say(written, language) == said


@pytest.mark.parametrize("language, written, said", [
    ("en-GB", "every 2 to 3 weeks", "every two to three weeks"),
    ("en-GB", "37.5°C or above", "thirty-seven point five degrees Celsius or above"),
    ("en-GB", "between 2°C and 8°C", "between two degrees Celsius and eight degrees Celsius"),
    ("en-GB", "5 mg/kg a week", "five milligrams per kilogram a week"),
    ("en-GB", "1 mg, 1 ml, 1 mL, 1 g", "one milligram, one millilitre, one millilitre, one gram"),
    ("en-GB", "180 mcg or 180 µg", "one hundred and eighty micrograms or one hundred and eighty micrograms"),
    ("en-GB", "0.5 ml", "zero point five millilitres"),
    ("en-GB", "1,000 mg", "one thousand milligrams"),
    ("en-GB", "120 mmHg, 98.6°F", "one hundred and twenty millimetres of mercury, ninety-eight "
                                "point six degrees Fahrenheit"),
    ("en-GB", "for 24 h, 2 cm, 3 mm", "for twenty-four hours, two centimetres, three millimetres"),
    ("cy", "bob 2 i 3 wythnos", "bob dau i dri wythnos"),
    ("cy", "1 mg, 2 mg, 5 mg/kg", "un miligram, dau o filigramau, pump o filigramau y cilogram"),
    ("cy", "37.5°C", "37.5 o raddau Celsius"),
    ("pl", "co 2 do 3 tygodni", "co dwa do trzy tygodni"),
    ("pl", "1 mg, 2 mg, 5 mg", "jeden miligram, dwa miligramy, pięć miligramów"),
    ("pl", "22 mg, 37,5°C", "dwadzieścia dwa miligramy, trzydzieści siedem przecinek pięć "
                            "stopni Celsjusza"),
    ("ar", "كل 2 إلى 3 أسابيع", "كل اثنان إلى ثلاثة أسابيع"),
    ("ar", "37.5°C", "37.5 درجة مئوية"),
])
def test_a_table_of_what_is_said(language, written, said):
    assert say(written, language) == said


@pytest.mark.parametrize("language, written", [
    ("en-GB", "peginterferon alfa-2a"),  # a name, not a number
    ("en-GB", "reviewed 2024-10-21"),  # a date, not a range
    ("en-GB", "Leaflet code: RH-HAEM-0042"),
    ("en-GB", "Phone: 0300 123 4567"),
    ("en-GB", "a score of 10-5"),  # the larger number first: not a range
    ("en-GB", "5 mg/ml"),  # a unit after the slash that it does not know
    ("en-GB", "Volume 39, Issue 2"),  # a number alone is the voice's
    ("en-GB", "3.5.1 mg"),
    ("pl", "1.5 mg"),  # Polish writes 1,5: a full stop is something else
    ("bn", "10-20 mg"),  # no translated labels: nothing is said otherwise
    ("ur", "10-20 mg"),
])
def test_what_it_cannot_say_for_sure_is_left_to_the_voice(language, written):
    assert say(written, language) == written


def test_arabic_fractions_keep_their_unit_in_words():
    """num2words says 1.05 as "one, five": the digits stay for the voice, the unit is said."""
    assert say("1.05 mg", "ar") == "1.05 مليغرام"
    assert say("2 mg", "ar") == "اثنان مليغرام"


UNIT_WORDS = {"mg": "milligrams", "kg": "kilograms", "ml": "millilitres", "%": "per cent",
              "°C": "degrees Celsius", "mmHg": "millimetres of mercury", "h": "hours"}


@given(st.integers(0, 9999), st.integers(1, 9999), st.sampled_from(sorted(UNIT_WORDS)),
       st.sampled_from(["-", "–", " – ", " to "]), st.sampled_from(["", " "]))
def test_any_english_range_of_a_unit_is_said_in_words(low, more, unit, dash, space):
    high = low + more
    said = say(f"take {low}{dash}{high}{space}{unit} daily", "en-GB")
    assert said == (f"take {num2words(low)} to {num2words(high)} {UNIT_WORDS[unit]} daily")


@given(st.dates(), st.sampled_from(["en-GB", "cy", "pl", "ar"]))
def test_no_date_is_read_as_a_range(day, language):
    assert say(f"on {day.isoformat()}.", language) == f"on {day.isoformat()}."


@given(st.text(st.characters(blacklist_categories=["Nd"]), max_size=40),
       st.sampled_from(["en-GB", "cy", "pl", "ar"]))
def test_text_without_digits_is_said_as_written(text, language):
    assert say(text, language) == text


def test_a_translation_that_drops_the_number_leaves_it_to_the_voice(monkeypatch):
    import gettext

    class Lossy(gettext.NullTranslations):
        def gettext(self, message):
            return "%(start)s do %(end)s" if message == spoken.RANGE else message

        def ngettext(self, singular, plural, count):
            return "miligramy" if "milligram" in singular else singular

    for cached in (spoken._grammar, spoken._range_word):
        cached.cache_clear()
    monkeypatch.setattr("leaflet.i18n.labels.translations", lambda language: Lossy())
    try:
        assert say("2 mg", "pl") == "2 mg"  # not "miligramy" without its number
        assert say("2 g", "pl") == "2 g"  # untranslated
        assert say("2 do 3 dni", "pl") == "dwa do trzy dni"
    finally:
        monkeypatch.undo()
        for cached in (spoken._grammar, spoken._range_word):
            cached.cache_clear()


SOURCE = """\
id: numbers
language: {language}
title: Test
reviewed: 2024-10-21
next_review: 2027-10-21
publisher: {{name: Clinic, contact: info@example.org}}
sections:
  - id: one
    body: ["{sentence} Pegasys."]
pronunciations:
  en: {{Pegasys: {{sub: peg a sis}}}}
  cy: {{Pegasys: {{sub: peg a sus}}}}
  pl: {{Pegasys: {{sub: peg a sys}}}}
  ar: {{Pegasys: {{sub: بيغاسيس}}}}
"""


class Recording:
    """An engine that keeps what it is given to say."""

    name, sample_rate = "recording", 8000

    def __init__(self):
        self.given: list[str] = []

    def version(self) -> str:
        return "1"

    def voice(self, language, wanted=None):
        return language

    def spoken(self, sentence, pronunciations, others=()):
        from leaflet.tts import pronounce

        return pronounce.respelled(sentence, pronunciations)

    def synthesise(self, spoken, voice, rate):
        for sentence in spoken:
            self.given.append(sentence)
            yield bytes(160)


@pytest.mark.parametrize("language", SAID)
def test_the_narration_says_the_words_and_its_transcript_keeps_the_text(
        language, tmp_path: Path, monkeypatch):
    from leaflet.edition import full
    from leaflet.narration import script
    from leaflet.render import vtt
    from leaflet.render.audio import Speaker, choice
    from leaflet.source import load
    from leaflet.tts.cache import SentenceCache

    written, said = SAID[language]
    path = tmp_path / "numbers.yaml"
    path.write_text(SOURCE.format(language=language, sentence=written), encoding="utf-8")
    model = load(path)
    recording = Recording()
    monkeypatch.setattr("leaflet.render.audio.engine", lambda name: recording)
    speaker = Speaker(choice(model, {}), model, SentenceCache(tmp_path / "cache"))
    _, cues = speaker.narrate(script(full(model)), lambda pcm: None)
    shown = [cue.text for cue in webvtt.from_buffer(
        io.StringIO(vtt.transcript(cues, language).decode()))]
    first = written.split(". ")[0] + "."
    assert first in shown  # the transcript as written
    heard = " ".join(recording.given)
    assert said.split(". ")[0] + "." in heard
    assert not any(unit in heard for unit in ("mg", "°C", "%", "2–3", "10-20"))
    own = {"en-GB": "peg a sis", "cy": "peg a sus", "pl": "peg a sys", "ar": "بيغاسيس"}
    assert own[language] in heard  # this language's pronunciation, and no other's
    assert not any(other in heard for tag, other in own.items() if tag != language)


def test_the_sentence_cache_is_keyed_on_what_is_said(tmp_path: Path, monkeypatch):
    """The same words said otherwise (a label's translation changed) are synthesised anew."""
    from leaflet.render.audio import Speaker, choice
    from leaflet.source import load
    from leaflet.tts.cache import SentenceCache

    path = tmp_path / "numbers.yaml"
    path.write_text(SOURCE.format(language="en-GB", sentence="Take 10-20 mg."), encoding="utf-8")
    model = load(path)
    recording = Recording()
    monkeypatch.setattr("leaflet.render.audio.engine", lambda name: recording)
    speaker = Speaker(choice(model, {}), model, SentenceCache(tmp_path / "cache"))
    list(speaker._sounds(["Take 10-20 mg."], _Quiet))
    monkeypatch.setattr("leaflet.render.audio.say", lambda text, language: text)
    list(speaker._sounds(["Take 10-20 mg."], _Quiet))
    assert recording.given == ["Take ten to twenty milligrams.", "Take 10-20 mg."]


class _Quiet:
    def __init__(self, *args):
        pass

    def update(self):
        pass

    def close(self, summary=None):
        pass


def phonemes(text: str, voice: str) -> str:
    """What espeak-ng says for a text, in its phoneme mnemonics."""
    return subprocess.run(["espeak-ng", "-v", voice, "-q", "-x", text], capture_output=True,
                          text=True, check=True, timeout=60).stdout


@pytest.mark.parametrize("language, voice, dash", [("en-GB", "en-gb", "d'aS"),
                                                   ("pl", "pl", ""),
                                                   ("cy", "cy", "")])
def test_espeak_ng_no_longer_says_the_dash_nor_the_letters_of_mg(language, voice, dash):
    written = SAID[language][0].split(". ")[0]
    letters = phonemes("mg", voice).strip()
    assert letters in phonemes(written, voice)  # as written: "em gee"
    said = phonemes(say(written, language), voice)
    assert letters not in said, said
    if dash:
        assert dash in phonemes(written, voice) and dash not in said, said


def test_a_pronunciation_for_a_word_its_translation_lacks_is_reported_with_its_line(
        tmp_path: Path):
    from conftest import ROOT, leaflet

    source = (ROOT / "source" / "cytokines.yaml").read_text(encoding="utf-8")
    entry = "    Pegasys: {sub: Pegasis}"
    assert entry in source
    broken = tmp_path / "cytokines.yaml"
    broken.write_text(source.replace(entry, "    Pegasus: {sub: Pegasis}"), encoding="utf-8")
    line = source.splitlines().index(next(l for l in source.splitlines() if l.startswith(entry)))
    result = leaflet("build", str(broken), "--lang", "cy", "--format", "html",
                     "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"leaflet: {broken}:{line + 1}:14: pronunciation of 'Pegasus': the word does not occur "
        "in the Welsh translation (did you mean 'Pegasys'?); fix the spelling or remove the "
        "entry"]
    english = leaflet("build", str(broken), "--lang", "en", "--format", "html",
                      "--out", str(tmp_path / "en"))
    assert english.returncode == 0, english.stderr  # a Welsh entry is no concern of English


def test_the_example_welsh_narration_uses_its_welsh_pronunciation_only():
    from conftest import ROOT
    from leaflet.i18n.catalog import translate
    from leaflet.render.audio import Speaker, choice
    from leaflet.source import load
    from leaflet.tts.cache import SentenceCache

    model = load(ROOT / "source" / "cytokines.yaml")
    welsh = translate(model, "cy").leaflet
    said = {}
    for language, leaflet in (("en", model), ("cy", welsh)):
        speaker = Speaker(choice(leaflet, {}), leaflet, SentenceCache(None))
        said[language] = speaker.engine.spoken("Pegasys", speaker.pronunciations)
    assert '<sub alias="Pegasis">Pegasys</sub>' in said["cy"]
    assert "Pegasis" not in said["en"] and "[[p'Eg@sIs]]" in said["en"]
