"""Which liblouis table brailles which language, and at which grades: the one place to change it."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Unsupported


@dataclass(frozen=True)
class Code:
    """A language's braille code: its liblouis table for each grade, and how it breaks long words."""

    tables: dict[int, str]  # grade (1 uncontracted, 2 contracted) -> table file
    # Sign that ends a line where a web or e-mail address too long for any line is divided;
    # None: the code's hyphen, as for any other word too long for a line.
    continuation: str | None = None
    # Text the table has no rule for, and the text it brailles the same way, written instead.
    respelt: tuple[tuple[str, str], ...] = ()

    def spelt(self, text: str) -> str:
        """`text` as the table reads it."""
        for written, read in self.respelt:
            text = text.replace(written, read)
        return text

    def table(self, grade: int) -> tuple[int, str]:
        """The highest grade up to `grade` that the language has, and its table."""
        usable = [g for g in self.tables if g <= grade] or [min(self.tables)]
        best = max(usable)
        return best, self.tables[best]


CODES: dict[str, Code] = {
    # Unified English Braille: the UK adopted it in 2015 (not en-GB-g2.ctb, the older code).
    # Dot 5 is UEB's line continuation indicator for dividing web and e-mail addresses.
    "en": Code({1: "en-ueb-g1.ctb", 2: "en-ueb-g2.ctb"}, continuation="\u2810"),
    # Welsh contracted braille (cy-cy-g2.ctb) does not back-translate to the same text.
    "cy": Code({1: "cy-cy-g1.utb"}),
    "pl": Code({1: "Pl-Pl-g1.utb"}),
    "ar": Code({1: "ar-ar-g1.utb"}),
    # Bharati braille: bn.tbl knows the nukta letters only precomposed, which Unicode (NFC)
    # decomposes, and has no danda: it is dots 2-5-6, the table's full stop.
    "bn": Code({1: "bn.tbl"}, respelt=(("\u09af\u09bc", "\u09df"), ("\u09a1\u09bc", "\u09dc"),
                                      ("\u09a2\u09bc", "\u09dd"), ("\u0964", "."))),
    # No Urdu: ur-pk-g1.utb has no Latin letters, full stop, brackets, colon or hyphen, which
    # every leaflet has (drug names, addresses, times), so Urdu is skipped as Somali is.
}


def code_for(language: str) -> Code:
    """The braille code of a BCP 47 `language`; Unsupported when liblouis has none wired up here."""
    from ..languages import primary

    if primary(language) not in CODES:
        raise Unsupported(f"no braille table for {_name(language)}")
    return CODES[primary(language)]


def _name(language: str) -> str:
    from ..languages import locale

    found = locale(language)
    return found.english_name if found else f"language '{language}'"
