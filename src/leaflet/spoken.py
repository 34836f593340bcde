"""What a text says aloud in its language: ranges, doses, units and percentages in words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .languages import primary


def N_(label: str) -> str:
    """Marks a label for the catalogues; it is translated where it is said."""
    return label


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Marks a label with plural forms for the catalogues (said with ngettext)."""
    return singular, plural


# TRANSLATORS: said by the narration: a number in words and its unit.
# Keep %(number)s in every form. Welsh: number + "o" + the mutated noun.
MILLIGRAM = N_plural("%(number)s milligram", "%(number)s milligrams")
GRAM = N_plural("%(number)s gram", "%(number)s grams")
KILOGRAM = N_plural("%(number)s kilogram", "%(number)s kilograms")
MICROGRAM = N_plural("%(number)s microgram", "%(number)s micrograms")
MILLILITRE = N_plural("%(number)s millilitre", "%(number)s millilitres")
CENTIMETRE = N_plural("%(number)s centimetre", "%(number)s centimetres")
MILLIMETRE = N_plural("%(number)s millimetre", "%(number)s millimetres")
MERCURY = N_plural("%(number)s millimetre of mercury", "%(number)s millimetres of mercury")
HOUR = N_plural("%(number)s hour", "%(number)s hours")
PER_CENT = N_plural("%(number)s per cent", "%(number)s per cent")
CELSIUS = N_plural("%(number)s degree Celsius", "%(number)s degrees Celsius")
FAHRENHEIT = N_plural("%(number)s degree Fahrenheit", "%(number)s degrees Fahrenheit")

# The units said after a number, by how they are written; the longest spelling is tried first.
UNITS = {"mmHg": MERCURY, "mcg": MICROGRAM, "µg": MICROGRAM, "μg": MICROGRAM, "mg": MILLIGRAM,
         "kg": KILOGRAM, "mL": MILLILITRE, "ml": MILLILITRE, "cm": CENTIMETRE,
         "mm": MILLIMETRE, "g": GRAM, "h": HOUR, "%": PER_CENT, "°C": CELSIUS, "ºC": CELSIUS,
         "°F": FAHRENHEIT, "ºF": FAHRENHEIT}
# A dose's "per": 5 mg/kg. Another unit after the slash leaves the dose to the voice.
PER = {"kg": N_("%(amount)s per kilogram"), "h": N_("%(amount)s per hour"),
       "day": N_("%(amount)s per day")}
# TRANSLATORS: a range said by the narration, "ten to twenty". The word
# between is also how the range is written in your text: "2 to 3 weeks".
RANGE = N_("%(start)s to %(end)s")

# A fraction takes the plural form of a hundred: the "other" form in English, Welsh and Arabic
# (Polish says it with the genitive plural, as speakers do).
FRACTION_COUNT = 100


def _any(number: Decimal) -> bool:
    return True


def _small_whole(number: Decimal) -> bool:
    """num2words writes Welsh only in the old twenties system (37 is "two on fifteen on
    twenty") and drops a Decimal's fraction: above ten the voice's tens system is clearer."""
    return number == number.to_integral_value() and number <= 10


def _whole(number: Decimal) -> bool:
    """num2words reads Arabic fractions wrongly (1.05 as "one, five"): they stay digits."""
    return number == number.to_integral_value()


# The languages whose numbers num2words says, and which of them (the rest stay digits, which
# the voice reads in its own language). Urdu has no num2words language.
NUMBER_WORDS = {"en": _any, "pl": _any, "cy": _small_whole, "ar": _whole}


def _soft_mutation(word: str) -> str:
    from num2words.lang_CY import softmutation

    return softmutation(word)


# A number after a range's word that mutates it: Welsh "dau i dri".
AFTER_RANGE_WORD = {("cy", "i"): _soft_mutation}


def say(text: str, language: str) -> str:
    """`text` as the narration says it in `language`: "10-20 mg" as "ten to twenty milligrams",
    "38°C" as "thirty-eight degrees Celsius". What it cannot say for sure (no translated label,
    a number it would misread, an unknown unit after a slash) is left as written, to the voice."""
    grammar = _grammar(language)
    return grammar.pattern.sub(grammar.said, text) if grammar else text


@dataclass(frozen=True)
class _Grammar:
    language: str
    pattern: re.Pattern
    decimal: str
    group: str

    def said(self, match: re.Match) -> str:
        start, end, unit, per = match["start"], match["end"], match["unit"], match["per"]
        if not end and not unit:
            return match[0]
        first = self.value(start)
        last = self.value(end) if end else first
        if end and not first < last:  # "10-5" is no range: a score, a code
            return match[0]
        amount = self.words(first, start)
        if end:
            word = _range_word(self.language)
            words = self.words(last, end)
            if words != end:
                words = AFTER_RANGE_WORD.get((primary(self.language), word), str)(words)
            amount = _label(self.language, RANGE, start=amount, end=words)
        if unit and amount is not None:
            whole = last == last.to_integral_value() and not (end and last == 1)
            count = int(last) if whole else FRACTION_COUNT  # "0 to 1 hours", as for a fraction
            amount = _label(self.language, UNITS[unit], count, number=amount)
        if per and amount is not None:
            amount = _label(self.language, PER[per], amount=amount)
        return amount if amount is not None else match[0]

    def value(self, written: str) -> Decimal:
        return Decimal(written.replace(self.group, "").replace(self.decimal, "."))

    def words(self, number: Decimal, written: str) -> str:
        """The number in words, or as written where num2words does not say it well."""
        from num2words import num2words

        if not NUMBER_WORDS[primary(self.language)](number):
            return written
        return num2words(number, lang=primary(self.language))


@lru_cache(maxsize=None)
def _grammar(language: str) -> _Grammar | None:
    """The pattern of what is said otherwise in `language`; None if nothing is."""
    from babel import Locale, UnknownLocaleError

    if primary(language) not in NUMBER_WORDS or _label(language, RANGE, start="", end="") is None:
        return None
    try:
        symbols = Locale.parse(language.replace("-", "_")).number_symbols["latn"]
    except (UnknownLocaleError, ValueError, KeyError):
        return None
    decimal, group = symbols["decimal"], symbols["group"]
    number = rf"[0-9]+(?:{re.escape(decimal)}[0-9]+)?"
    if not group.isspace():  # 1,000; a space between digits is too often something else
        number = rf"[0-9]{{1,3}}(?:{re.escape(group)}[0-9]{{3}})+(?:{re.escape(decimal)}[0-9]+)?|{number}"
    between = [r"\s?[–—]\s?", "-"]
    word = _range_word(language)
    if word:
        between.append(rf"\s+{re.escape(word)}\s+")
    units = "|".join(re.escape(unit) for unit in sorted(UNITS, key=len, reverse=True))
    per = "|".join(map(re.escape, PER))
    pattern = re.compile(
        rf"(?<![\w.,/\-–—])(?P<start>{number})"
        rf"(?:(?:{'|'.join(between)})(?P<end>{number}))?"
        rf"(?:\s?(?P<unit>{units})(?:/(?P<per>{per}))?)?"
        rf"(?![\w/\-–—]|[.,][0-9])")
    return _Grammar(language, pattern, decimal, group)


@lru_cache(maxsize=None)
def _range_word(language: str) -> str:
    """The word between a range's numbers as the language writes it: "to", "i", "do", "إلى"."""
    said = _label(language, RANGE, start="\0", end="\0")
    word = said.split("\0")[1].strip() if said and said.count("\0") == 2 else ""
    return "" if any(character.isdigit() for character in word) else word


def _label(language: str, label, count: int | None = None, **values) -> str | None:
    """A label filled in, in `language` (for `count` if it has plural forms); None if it is
    untranslated, or a translation lost a number, which the voice then says as written."""
    from .i18n.labels import translations

    catalogue = translations(language)
    if isinstance(label, tuple):
        translated = catalogue.ngettext(*label, count)
        untranslated = translated in label
    else:
        translated = catalogue.gettext(label)
        untranslated = translated == label
    if untranslated and primary(language) != "en":
        return None
    if any(f"%({name})s" not in translated for name in values):
        return None
    try:
        return translated % values
    except (KeyError, ValueError, TypeError):
        return None
