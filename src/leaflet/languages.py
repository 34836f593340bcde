"""Language tags (BCP 47, as sources write them: en-GB, cy, ar): their primary language and name."""

from __future__ import annotations

from functools import lru_cache


def primary(tag: str) -> str:
    """The language without region or script: en for en-GB, zh for zh-Hant-TW."""
    return tag.replace("_", "-").split("-")[0].lower()


def candidates(tag: str) -> list[str]:
    """`tag`, then its primary language: where to look for a voice, a table or a catalogue."""
    return list(dict.fromkeys([tag, primary(tag)]))


@lru_cache(maxsize=None)
def locale(tag: str):
    """Babel's Locale for `tag` (with - or _), or None when CLDR does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def is_known(tag: str) -> bool:
    return locale(tag) is not None


def english_name(tag: str) -> str:
    """The English name of a language, for messages: Somali for so; the tag itself if unknown."""
    found = locale(tag)
    return (found.get_display_name("en") if found else None) or tag


def own_name(tag: str) -> str:
    """A language named in itself, capitalised as a list entry: Cymraeg, Polski, العربية."""
    found = locale(tag)
    name = (found.get_display_name(found) if found else None) or tag
    return name[:1].upper() + name[1:]


def name_in(tag: str, language: str) -> str:
    """A language named in another, capitalised as a list entry: cy in English is Welsh."""
    found, reader = locale(tag), locale(language)
    name = (found.get_display_name(reader) if found and reader else None) or tag
    return name[:1].upper() + name[1:]


def listed(items: list[str], language: str) -> str:
    """Items one after another as `language` writes the middle of a list: "Word, Braille" in
    English, "Word وBraille" in Arabic."""
    found = locale(language)
    pattern = found.list_patterns["standard"]["middle"] if found else "{0}, {1}"
    text = items[0] if items else ""
    for item in items[1:]:
        text = pattern.format(text, item)
    return text


@lru_cache(maxsize=None)
def collator(tag: str):
    """ICU's collator for `tag`: the dictionary order of its language (Welsh ll after l...)."""
    import icu

    return icu.Collator.createInstance(icu.Locale(tag.replace("-", "_")))


def sorted_by(items, language: str, key):
    """`items` in the dictionary order of `language`, by `key(item)`."""
    order = collator(language).getSortKey
    return sorted(items, key=lambda item: order(key(item)))
