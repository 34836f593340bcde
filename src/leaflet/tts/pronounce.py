"""Apply a leaflet's pronunciations to a sentence: SSML for espeak-ng, respellings for others."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from ..model import Pronunciation


@lru_cache(maxsize=64)
def _pattern(entries: tuple[Pronunciation, ...]) -> re.Pattern | None:
    """One pattern for every word, longest first; lower-case words match in any case."""
    if not entries:
        return None
    alternatives = [f"(?i:{re.escape(e.word)})" if e.word.islower() else re.escape(e.word)
                    for e in sorted(entries, key=lambda e: -len(e.word))]
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])")


def _lookup(entries: tuple[Pronunciation, ...], word: str) -> Pronunciation:
    exact = [e for e in entries if e.word == word]
    return (exact or [e for e in entries if e.word.lower() == word.lower()])[0]


def ssml(sentence: str, entries: tuple[Pronunciation, ...],
         others: tuple[tuple[str, str, tuple[Pronunciation, ...]], ...] = ()) -> str:
    """The sentence as espeak-ng SSML: phonemes in [[...]], say-as characters, sub aliases;
    `others` are phrases in another language (phrase, language, its pronunciations), each said
    in a voice of its language."""
    from ..narration import parts

    languages = {phrase: (language, own) for phrase, language, own in others}
    said = []
    for piece, language in parts(sentence, tuple((phrase, language)
                                                 for phrase, language, _ in others)):
        if language:
            tag = escape(language, quote=True)
            said.append(f'<voice xml:lang="{tag}">{_marked(piece, languages[piece][1])}</voice>')
        else:
            said.append(_marked(piece, entries))
    return f"<speak>{''.join(said)}</speak>"


def _marked(sentence: str, entries: tuple[Pronunciation, ...]) -> str:
    pattern = _pattern(entries)
    parts, position = [], 0
    for match in pattern.finditer(sentence) if pattern else ():
        entry = _lookup(entries, match[0])
        parts.append(escape(sentence[position:match.start()], quote=False))
        word = escape(match[0], quote=False)
        if entry.phonemes:
            parts.append(f"[[{entry.phonemes}]]")
        elif entry.spell:
            parts.append(f'<say-as interpret-as="characters">{word}</say-as>')
            if not any(character.isalnum() for character in sentence[match.end():]):
                # Else espeak-ng reads the sentence's last full stop as the word "dot".
                parts.append('<break time="1ms"/>')
        else:
            parts.append(f'<sub alias="{escape(entry.sub or "")}">{word}</sub>')
        position = match.end()
    parts.append(escape(sentence[position:], quote=False))
    return "".join(parts)


def respelled(sentence: str, entries: tuple[Pronunciation, ...]) -> str:
    """The sentence for an engine without phonemes: respellings, and letters spaced out."""
    pattern = _pattern(entries)
    if not pattern:
        return sentence

    def say(match: re.Match) -> str:
        entry = _lookup(entries, match[0])
        if entry.spell:
            return " ".join(match[0])
        return entry.sub or match[0]

    return pattern.sub(say, sentence)
