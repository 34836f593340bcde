"""The voice each engine uses for each language: the one table to extend for a new language."""

from __future__ import annotations

from ..languages import candidates

# language tag -> {engine: voice}. A language missing here falls back to the engine's own voice
# of that name, if it has one; an empty entry says that no engine has a voice (so: Somali).
# gtts voices are `lang:tld`, the tld choosing the accent (co.uk: British English).
VOICES: dict[str, dict[str, str]] = {
    "en": {"espeak-ng": "en-gb", "gtts": "en:co.uk"},
    "en-gb": {"espeak-ng": "en-gb", "gtts": "en:co.uk"},
    "en-us": {"espeak-ng": "en-us", "gtts": "en:com"},
    "cy": {"espeak-ng": "cy", "gtts": "cy"},
    "pl": {"espeak-ng": "pl", "gtts": "pl"},
    "ar": {"espeak-ng": "ar", "gtts": "ar"},
    "ur": {"espeak-ng": "ur", "gtts": "ur"},
    "bn": {"espeak-ng": "bn", "gtts": "bn"},
    "pa": {"espeak-ng": "pa", "gtts": "pa"},
    "zh": {"espeak-ng": "cmn", "gtts": "zh-CN"},
    "so": {},
}

# ISO 639-2 codes for the ID3 language tag (TLAN); other languages fall back to the tag itself.
ISO_639_2 = {"en": "eng", "cy": "cym", "pl": "pol", "ar": "ara", "ur": "urd", "bn": "ben",
             "pa": "pan", "zh": "zho", "so": "som"}


def table_voice(engine: str, language: str) -> str | None:
    """The table's voice, or None when the table does not know the language."""
    tag = language.lower()
    for key in candidates(tag):
        if key in VOICES:
            return VOICES[key].get(engine, "")
    return None

