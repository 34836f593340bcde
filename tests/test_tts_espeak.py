"""The offline voice: the library, each sentence in a fresh fork, sounds as the command does."""

from __future__ import annotations

import subprocess

import pytest

from leaflet.errors import RenderError
from leaflet.tts import engine, pronounce

pytestmark = pytest.mark.slow
SENTENCES = ["Cytokines are a group of proteins that occur naturally in the body.",
             "Peginterferon is also called Pegasys.", "Take it once a week."]


def command(spoken: str, voice: str, rate: int) -> bytes:
    """What `espeak-ng` itself makes of one sentence, without its 44-byte WAV header."""
    wav = subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-m", "-z", "--stdout"],
                         input=spoken.encode(), capture_output=True, check=True).stdout
    return wav[44:]


@pytest.mark.parametrize("language", ["en-GB", "cy", "pl", "ar"])
def test_each_sentence_is_what_the_command_makes(language: str):
    espeak = engine("espeak-ng")
    voice = espeak.voice(language)
    spoken = [pronounce.ssml(sentence, ()) for sentence in SENTENCES]
    made = list(espeak.synthesise(spoken, voice, 150))
    assert [len(pcm) > 22050 for pcm in made] == [True] * len(SENTENCES)
    assert made == [command(text, voice, 150) for text in spoken]


def test_a_sentence_sounds_the_same_whatever_came_before():
    espeak = engine("espeak-ng")
    spoken = [pronounce.ssml(sentence, ()) for sentence in SENTENCES]
    alone = list(espeak.synthesise(spoken[-1:], "en-gb", 150))
    after_others = list(espeak.synthesise(spoken * 2, "en-gb", 150))
    assert after_others[2] == after_others[5] == alone[0]


def test_the_rate_reaches_the_library():
    espeak = engine("espeak-ng")
    slow, fast = (next(espeak.synthesise([pronounce.ssml(SENTENCES[0], ())], "en-gb", rate))
                  for rate in (120, 240))
    assert 1.6 < len(slow) / len(fast) < 2.4


def test_a_voice_the_library_lacks_is_a_clear_error():
    with pytest.raises(RenderError, match="espeak-ng has no voice 'xx-nowhere'"):
        list(engine("espeak-ng").synthesise(["<speak>Hello</speak>"], "xx-nowhere", 150))


def test_stopping_early_leaves_no_process_behind():
    import os

    espeak = engine("espeak-ng")
    made = espeak.synthesise([pronounce.ssml(SENTENCES[0], ())] * 20, "en-gb", 150)
    next(made)
    made.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left, running or unreaped


def phonemes_of(spoken: str, voice: str) -> str:
    return subprocess.run(["espeak-ng", "-v", voice, "-m", "-q", "-x", spoken],
                          capture_output=True, text=True, check=True).stdout


def test_a_phrase_in_another_language_is_said_in_its_voice():
    """"Riverside Health" marked as English in a Welsh sentence: English phonemes, not the
    Welsh reading of the letters."""
    sentence = "Mae Riverside Health yn ateb y ffôn."
    spoken = pronounce.ssml(sentence, (), (("Riverside Health", "en-GB", ()),))
    assert spoken == ('<speak>Mae <voice xml:lang="en-GB">Riverside Health</voice> '
                      "yn ateb y ffôn.</speak>")
    welsh = engine("espeak-ng").voice("cy")
    assert "r,IvErs'i:dE" in phonemes_of(f"<speak>{sentence}</speak>", welsh)
    assert "r'Iv3s,aId" in phonemes_of(spoken, welsh)


def test_the_arabic_narration_says_the_drug_name_in_english_with_its_pronunciation():
    from pathlib import Path

    from leaflet.edition import full
    from leaflet.i18n.catalog import translate
    from leaflet.narration import other_languages, script
    from leaflet.render.audio import Speaker, choice
    from leaflet.source import load
    from leaflet.tts.cache import SentenceCache

    source = load(Path(__file__).parents[1] / "source" / "cytokines.yaml")
    arabic = full(translate(source, "ar").leaflet)
    speaker = Speaker(choice(arabic.leaflet, {}), arabic.leaflet, SentenceCache(None),
                      others=other_languages(arabic))
    sentence = next(utterance.text for chapter in script(arabic)
                    for utterance in chapter.utterances if "peginterferon alfa-2a" in utterance.text)
    spoken = speaker.engine.spoken(sentence, speaker.pronunciations, speaker.others)
    english = next(entry for entry in source.pronunciations_for("en-GB")
                   if entry.word == "peginterferon")
    assert f'<voice xml:lang="en-GB">[[{english.phonemes}]] alfa-2a</voice>' in spoken
    said = phonemes_of(spoken, speaker.voice)
    assert "p,EgInt3f'I;@r0n 'alf@" in said, said  # as the English entry says, in English
    assert "p,EgInt3f'I;@r0n" not in phonemes_of(f"<speak>{sentence}</speak>", speaker.voice)
