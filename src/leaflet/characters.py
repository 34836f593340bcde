"""Characters no text may hold: controls and invisible marks that hide, reorder or split words."""

from __future__ import annotations

import re
import unicodedata

# Zero-width (non-)joiners are spelling in Persian, Urdu and Indic scripts, and join emoji.
JOINERS = frozenset("\u200c\u200d")
# Direction controls make a printed text run in another order than it is stored and spoken:
# a dose read backwards. Each output sets the direction of the text itself.
DIRECTION_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                               "\u2066\u2067\u2068\u2069")
_ASCII_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def forbidden(text: str) -> tuple[int, str] | None:
    """The first character of `text` that no output may hold, with its index; None if none."""
    if text.isascii():
        found = _ASCII_CONTROL.search(text)
        return (found.start(), found[0]) if found else None
    found = [character for character in set(text) if _is_forbidden(character)]
    if not found:
        return None
    index = min(text.index(character) for character in found)
    return index, text[index]


def _is_forbidden(character: str) -> bool:
    if character == "\n" or character in JOINERS:
        return False
    return unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co") or (
        0xFDD0 <= ord(character) <= 0xFDEF or ord(character) & 0xFFFE == 0xFFFE)


def name(character: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`, as a message names a character (controls have no name)."""
    label = unicodedata.name(character, "")
    return f"U+{ord(character):04X} {label}" if label else f"U+{ord(character):04X}"


def problem(text: str, what: str) -> str | None:
    """What is wrong with `text` (the `what` of a message), or None."""
    found = forbidden(text)
    if found is None:
        return None
    character = found[1]
    if character in DIRECTION_CONTROLS:
        why = "an invisible direction control that can print text in another order than it is read"
    elif character == "\t":
        return f"{what} holds a tab (U+0009); use a space instead"
    elif unicodedata.category(character) == "Cc":
        why = "a control character"
    else:
        why = "an invisible character that can hide or split words"
    return f"{what} holds {name(character)}, {why}; delete it"


def shown(text: str) -> str:
    """`text` for one line of a terminal: forbidden characters and line breaks as <U+XXXX>."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(f"<U+{ord(c):04X}>" if c == "\n" or _is_forbidden(c) else c for c in text)
