"""Speech engines behind one small interface: a voice per language, one sentence in, PCM out."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from importlib import import_module
from typing import Protocol

from ..errors import Unsupported

ENGINES = ("espeak-ng", "gtts")  # espeak-ng is offline; gtts sends the text to Google
DEFAULT_ENGINE = "espeak-ng"
DEFAULT_RATE = 150  # words a minute: calm, as for a patient listening for the first time
_MODULES = {"espeak-ng": "espeak", "gtts": "google"}


class Engine(Protocol):
    name: str
    sample_rate: int  # of the PCM that synthesise yields (signed 16-bit, mono)

    def version(self) -> str:
        """What changes the sound besides the input: part of the sentence cache key."""

    def voice(self, language: str, wanted: str | None = None) -> str:
        """The engine's voice for `language` (or the `wanted` one); raise Unsupported."""

    def spoken(self, sentence: str, pronunciations, others=()) -> str:
        """The engine's input for a sentence, with the pronunciations applied; `others` are
        its phrases in another language: (phrase, language, that language's pronunciations)."""

    def synthesise(self, spoken: Sequence[str], voice: str, rate: int) -> Iterator[bytes]:
        """PCM audio of each sentence, in order (made ahead, in parallel where it can be)."""


def engine(name: str) -> Engine:
    return import_module(f"{__name__}.{_MODULES[name]}").ENGINE


def language_name(language: str) -> str:
    """The English name of a language, for messages: Somali for so."""
    from ..languages import english_name

    return english_name(language)


def no_voice(engine_name: str, language: str) -> Unsupported:
    return Unsupported(f"no {engine_name} voice for {language_name(language)}")
