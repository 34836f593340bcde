"""The sizes a leaflet may have, checked when it is read, before any output is made."""

from __future__ import annotations

SOURCE_BYTES = 1_048_576  # a source file: 1 MiB is some 40 times the longest leaflet we know
CATALOGUE_BYTES = 4_194_304  # a .po file: the translation, the English and the comments
TEXT_CHARACTERS = 5_000  # one text (a paragraph, list item, definition): about two pages
TRANSLATION_FACTOR = 2  # a translated text may be up to twice as long as the limit
LEAFLET_CHARACTERS = 150_000  # all the text of a leaflet: about three hours of narration
ID_CHARACTERS = 35  # Word's bookmarks hold 40 characters, and glossary ids become bookmarks
SECTIONS = 200
ITEMS = 200  # in one list, one body, the glossary, the references or the related links


def size(count: int) -> str:
    """A byte count as a person reads it: 1.2 MB, 340 KB."""
    return f"{count / 1_000_000:.1f} MB" if count >= 1_000_000 else f"{count / 1000:.0f} KB"
