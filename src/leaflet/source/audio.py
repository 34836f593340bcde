"""The narration part of a leaflet source: its pronunciations and audio settings."""

from __future__ import annotations

import re

import yaml

from ..errors import Origin
from ..model import AudioSettings, Leaflet, Pronunciation
from .reader import OPTIONAL, AnyKey, YamlReader, did_you_mean

PRONUNCIATION_KEYS = {"phonemes": OPTIONAL, "sub": OPTIONAL, "say-as": OPTIONAL}
AUDIO_KEYS = {"engine": OPTIONAL, "rate": OPTIONAL, "voices": OPTIONAL}
RATES = range(80, 451)  # words a minute that espeak-ng can speak


class AudioReader(YamlReader):
    """Reads how a leaflet is narrated: the pronunciations of its words and the audio settings."""

    def pronunciations(self, node) -> tuple[Pronunciation, ...]:
        entries: list[Pronunciation] = []
        if node is None or self.mapping(node, AnyKey(), "pronunciations") is None:
            return ()
        for language_node, words in node.value:
            language = self.language(language_node, "pronunciations")
            if language is None or self.mapping(words, AnyKey(), f"pronunciations '{language}'") is None:
                continue
            for word_node, value in words.value:
                word = self.scalar(word_node, "pronounced word")
                if word is None:
                    continue
                entry = self.pronunciation(language, word.strip(), value)
                if entry:
                    entries.append(entry)
        return tuple(entries)

    def pronunciation(self, language: str, word: str, node) -> Pronunciation | None:
        what = f"pronunciation of '{word}'"
        origin = self.origin(node)
        if isinstance(node, yaml.ScalarNode):
            value = self.scalar(node, what)
            if value is None:
                return None
            if value.startswith("[[") and value.endswith("]]"):
                return self.phonemes(node, value[2:-2], language, word, origin)
            return Pronunciation(language, word, sub=value, origin=origin)
        fields = self.mapping(node, PRONUNCIATION_KEYS, what)
        if fields is None:
            return None
        if not fields and not node.value:
            self.error(node, f"empty {what}; give phonemes, sub or say-as")
            return None
        if not fields:
            return None
        say_as = self.scalar(fields.get("say-as"), "say-as") if "say-as" in fields else None
        if say_as is not None and say_as != "characters":
            self.error(fields["say-as"], f"say-as '{say_as}' in {what} is not known; "
                       "use say-as: characters to read it letter by letter")
            return None
        if say_as and len(fields) > 1:
            self.error(node, f"{what} has say-as with phonemes or sub; keep only one")
            return None
        sub = self.scalar(fields.get("sub"), "sub") if "sub" in fields else None
        if "phonemes" in fields:
            phonemes = self.scalar(fields["phonemes"], "phonemes")
            if phonemes is None:
                return None
            entry = self.phonemes(fields["phonemes"], phonemes.removeprefix("[[").removesuffix("]]"),
                                  language, word, origin)
            return entry and Pronunciation(language, word, entry.phonemes, sub, origin=origin)
        return Pronunciation(language, word, sub=sub, spell=bool(say_as), origin=origin)

    def phonemes(self, node, phonemes: str, language: str, word: str,
                 origin: Origin) -> Pronunciation | None:
        bad = sorted(set(phonemes) & set("[]<>&"))
        if not phonemes.strip() or bad:
            self.error(node, f"phonemes of '{word}' must be espeak-ng phoneme mnemonics "
                       f"like [[p,EgInt3f'I@r0n]]" + (f", without {' '.join(bad)}" if bad else ""))
            return None
        return Pronunciation(language, word, phonemes=phonemes, origin=origin)

    def audio(self, node) -> AudioSettings:
        fields = self.mapping(node, AUDIO_KEYS, "audio") if node is not None else None
        if not fields:
            return AudioSettings()
        from ..tts import ENGINES

        engine = self.scalar(fields.get("engine"), "audio engine") if "engine" in fields else None
        if engine is not None and engine not in ENGINES:
            self.error(fields["engine"], f"unknown audio engine '{engine}'"
                       f"{did_you_mean(engine, ENGINES)}; choose from {', '.join(ENGINES)}")
        rate = None
        if "rate" in fields:
            value = self.scalar(fields["rate"], "audio rate")
            if value is not None and (not value.isdigit() or int(value) not in RATES):
                self.error(fields["rate"], f"audio rate '{value}' must be words a minute, "
                           f"from {RATES.start} to {RATES.stop - 1} (150 is calm)")
            elif value is not None:
                rate = int(value)
        voices = []
        if "voices" in fields and self.mapping(fields["voices"], AnyKey(), "audio voices"):
            for language_node, voice_node in fields["voices"].value:
                language = self.language(language_node, "audio voices")
                voice = self.scalar(voice_node, "voice")
                if language and voice:
                    voices.append((language, voice))
        return AudioSettings(engine, rate, tuple(voices))

    def check_pronunciations(self, leaflet: Leaflet, plain: list[str]) -> None:
        """An entry in the leaflet's own language must name a word that occurs in it: in one of
        `plain`, the leaflet's texts as plain text."""
        for problem, origin in unused_pronunciations(leaflet.pronunciations_for(leaflet.language),
                                                     plain, "the leaflet"):
            self.error(origin, problem)


def unused_pronunciations(entries, plain: list[str], where: str) -> list[tuple[str, Origin]]:
    """Each entry whose word occurs in none of `plain` (texts as plain text, in the entries'
    language), with its problem and where the entry is."""
    words = {word for text in plain for word in re.findall(r"\w[\w'’-]*", text)}
    lowered = {word.lower() for word in words}
    problems = []
    for entry in entries:
        found = entry.word in words or (entry.word.islower() and entry.word in lowered) or (
            " " in entry.word and any(entry.word.lower() in text.lower() for text in plain))
        if not found:
            problems.append((f"pronunciation of '{entry.word}': the word does not occur in "
                             f"{where}{did_you_mean(entry.word, words)}; fix the spelling or "
                             "remove the entry", entry.origin))
    return problems
