"""Rules a leaflet must pass beyond a valid source: the easy-read rules, and readability figures.

`leaflet check` prints the readability of both versions and every broken rule; `leaflet build`
refuses a leaflet that breaks a rule of a format it builds, before anything is written.

The easy-read rules (NHS Accessible Information Standard; Mencap and Photosymbols practice):

- every section has an easy-read layer; every point has a picture and alt text (the source
  reader already requires both keys of every point);
- at most 15 words in a sentence and at most 2 sentences in a point, in every text of the
  easy-read version (titles, points, alt texts, hard-word explanations); other languages have
  their own word limits (data/easy-read-limits.toml);
- a rare word (Zipf frequency below 3, that is, fewer than one in a million words of everyday
  language, after van Heuven et al. 2014; measured with wordfreq) is a hard word: it must be
  linked to a glossary entry that has an easy-read explanation, which the "Hard words" page shows;
- English easy-read text reaches a reading age of 9 to 11: Flesch-Kincaid grade at most 6.

Per language: the Flesch formulas are for English, so the grade rule and the figures apply to
English only; the hard-word rule applies to the languages wordfreq knows and splits into words
without an extra segmenter (so not Chinese, Japanese or Korean); the word count applies to
languages written with spaces between words (not Chinese, Japanese or Thai).

Translations: the texts a catalogue translates are held to the length rules (words in a
sentence, sentences in a text) with the limits of the catalogue's language, and each finding
names the msgstr's line. The structural rules are the source's (a translation has its shape),
and the hard-word rule is not applied: wordfreq looks words up as written, so an everyday word
with a case ending or a joined "and" or "the" (Polish "lekom", Arabic "وحرارة") is rare to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import LeafletError, Origin, RuleError
from .model import Leaflet, Text

MAX_GRADE = 6.0  # Flesch-Kincaid grade 6: a reading age of 11
RARE_BELOW = 3.0  # Zipf frequency: 3 is one occurrence in a million words
QUOTE_LIMIT = 80

_SENTENCE_END = re.compile(r"(?<=[.!?।۔؟])\s+|(?<=[。！？])")  # Latin, Indic, Arabic, CJK
_NEEDS_SEGMENTER = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo", "ko"})  # for wordfreq
_HYPHENS = frozenset("-\u2010\u2011")


@dataclass(frozen=True)
class Readability:
    ease: float  # Flesch reading ease: higher is easier; 60 to 70 is plain English
    grade: float  # Flesch-Kincaid grade: US school year; grade 6 is a reading age of 11
    words: int
    sentences: int

    def __str__(self) -> str:
        return (f"Flesch reading ease {self.ease:.1f}, Flesch-Kincaid grade {self.grade:.1f} "
                f"({self.words} words, {self.sentences} sentences)")


# -- which rules apply ----------------------------------------------------------------------
def builds_easy_read(formats) -> bool:
    """Whether any of the formats (by name) is of the easy-read edition."""
    from .edition import EASY_READ
    from .render import FORMATS

    return any(FORMATS[name].edition == EASY_READ for name in formats)


def problems(leaflet: Leaflet, formats=None, allow_overdue: bool = False,
             kept: KeptFindings | None = None) -> list[LeafletError]:
    """Every rule `leaflet` breaks for `formats` (all formats when None): the review policy,
    unless an overdue leaflet is allowed, and the easy-read rules when easy read is built
    (their findings `kept` from earlier builds: a catalogue edit does not check them again)."""
    from . import review

    found = review.problems(leaflet, review.today(), allow_overdue)
    if formats is None or builds_easy_read(formats):
        found.extend(kept.of(leaflet) if kept else easy_read_problems(leaflet))
    return found


def translation_problems(translated: Leaflet, catalogue: str, formats=None,
                         kept: KeptFindings | None = None) -> list[RuleError]:
    """The length rules `translated` breaks in the texts its `catalogue` (a .po path as
    displayed) translates, when easy read is built; untranslated texts are the source's."""
    if formats is not None and not builds_easy_read(formats):
        return []
    if kept:
        return kept.of(translated, catalogue)
    return translated_length_problems(translated, catalogue)


class KeptFindings:
    """The easy-read findings of earlier builds, by leaflet, language and code, in
    `folder`/checks; the dictionaries behind them take a second to load: most of a one-page
    rebuild. New ones are written by save(), once the build is not refused: a refused build
    writes nothing."""

    def __init__(self, folder: Path):
        self.folder = folder / "checks"
        self.new: dict[Path, list[RuleError]] = {}

    def of(self, leaflet: Leaflet, catalogue: str | None = None) -> list[RuleError]:
        """The findings of the source `leaflet`, or of the translation from `catalogue`: each
        language's are kept apart, so an edited catalogue checks that language again only."""
        import hashlib
        import json

        from .ledger import package_digest

        kept_for = f"{package_digest()}\0{catalogue}\0{leaflet!r}"
        key = hashlib.sha256(kept_for.encode()).hexdigest()[:32]
        path = self.folder / f"{key}.json"
        try:
            return [RuleError(message, where) for message, where in json.loads(path.read_text())]
        except (OSError, ValueError, TypeError):
            found = self.new[path] = (translated_length_problems(leaflet, catalogue) if catalogue
                                      else easy_read_problems(leaflet))
            return found

    def save(self) -> None:
        import json

        from .files import write_atomically

        for path, found in self.new.items():
            write_atomically(path, json.dumps([[error.message, str(error.origin or "") or None]
                                               for error in found]).encode())
        self.new.clear()


def warnings(leaflet: Leaflet) -> list[str]:
    """Lines to print that do not stop a build: a review due soon."""
    from . import review

    soon = review.due_soon(leaflet, review.today())
    return [soon] if soon else []


def report(leaflet: Leaflet) -> list[str]:
    """The readability lines `leaflet check` prints under a leaflet."""
    base = _base(leaflet.language)
    if base != "en":
        return [f"readability: not measured for '{leaflet.language}' (the Flesch formulas are "
                "for English)"]
    full, easy = readability(full_texts(leaflet)), readability(easy_read_body(leaflet))
    return [f"full version: {full}" if full else "full version: no text",
            f"easy read: {easy}" if easy else "easy read: no easy-read layer"]


# -- the texts of each version ------------------------------------------------------------
def full_texts(leaflet: Leaflet) -> list[Text]:
    """The body of the full version: section titles, paragraphs, lists, tables and boxes."""
    from .model import texts as texts_below

    texts = []
    for section in leaflet.sections:
        if section.title:
            texts.append(section.title)
        texts.extend(text for text, _ in texts_below(section.blocks))
    return texts


def easy_read_body(leaflet: Leaflet) -> list[Text]:
    """The points of the easy-read version, as a reader reads them."""
    return [point.text for section in leaflet.sections for point in section.easy_read]


def easy_read_texts(leaflet: Leaflet) -> list[tuple[Text, str]]:
    """Every text of the easy-read version with what it is, for the messages."""
    texts = []
    for section in leaflet.sections:
        if section.easy_read_title:
            texts.append((section.easy_read_title, "easy-read title"))
        for point in section.easy_read:
            texts.append((point.text, "easy-read point"))
            texts.append((point.alt, "alt text"))
    for entry in leaflet.glossary:
        if entry.easy_read:
            texts.append((entry.easy_read, f"easy-read explanation of '{entry.id}'"))
    return texts


# -- measuring ---------------------------------------------------------------------------
def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(" ".join(text.split())) if part.strip()]


def words(text: str, language: str = "en") -> list[str]:
    """Words as a reader counts them: ICU's word segments that hold a letter or a number,
    with words joined by a hyphen taken as one ("side-effects", Welsh "sgil-effeithiau")."""
    import icu

    breaker = icu.BreakIterator.createWordInstance(icu.Locale(language.replace("-", "_")))
    breaker.setText(text)
    found: list[str] = []
    hyphen, after_word = "", False  # hyphen: one straight after a word
    start = breaker.first()
    for end in breaker:
        segment = text[start:end]
        is_word = breaker.getRuleStatus() >= icu.UWordBreak.NONE_LIMIT  # not a space or a mark
        if is_word and hyphen:
            found[-1] += hyphen + segment
        elif is_word:
            found.append(segment)
        hyphen = segment if after_word and segment in _HYPHENS else ""
        after_word = is_word
        start = end
    return found


@dataclass(frozen=True)
class Limits:
    words: int  # the most words in a sentence; 0: words are not counted
    sentences: int  # the most sentences in a text


def limits(language: str) -> Limits:
    """The easy-read limits of `language` (a tag such as cy or en-GB), from the package's table."""
    table = _limit_table()
    return Limits(**table.get(_base(language), table["default"]))


@lru_cache(maxsize=1)
def _limit_table() -> dict:
    import tomllib

    from .paths import EASY_READ_LIMITS

    return tomllib.loads(EASY_READ_LIMITS.read_text(encoding="utf-8"))


def readability(texts: list[Text]) -> Readability | None:
    """Flesch figures of English texts, each text taken as ending a sentence."""
    if not texts:
        return None
    import textstat

    textstat.set_lang("en")
    passage = " ".join(_as_sentences(text.plain) for text in texts)
    return Readability(
        ease=float(textstat.flesch_reading_ease(passage)),
        grade=float(textstat.flesch_kincaid_grade(passage)),
        words=int(textstat.lexicon_count(passage)),
        sentences=int(textstat.sentence_count(passage)),
    )


def _as_sentences(text: str) -> str:
    """A heading or list item ends a sentence as a reader hears it; give it a full stop."""
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?", ":")) else f"{text}."


# -- the easy-read rules -------------------------------------------------------------------
def easy_read_problems(leaflet: Leaflet) -> list[RuleError]:
    found: list[RuleError] = []
    for section in leaflet.sections:
        if not section.easy_read:
            found.append(RuleError(f"section '{section.id}' has no easy-read layer; add "
                                   "easy_read: with points (picture, text, alt)", section.origin))
    language = _base(leaflet.language)
    for text, what in easy_read_texts(leaflet):
        found.extend(_length_problems(text, what, leaflet.language))
    found.extend(_glossary_problems(leaflet))
    found.extend(_hard_word_problems(leaflet, language))
    if language == "en":
        found.extend(_grade_problems(leaflet))
    return found


def translated_length_problems(translated: Leaflet, catalogue: str) -> list[RuleError]:
    """The length rules, with the translation's own limits, on the texts from `catalogue`."""
    found: list[RuleError] = []
    for text, what in easy_read_texts(translated):
        if text.origin.path == catalogue:
            found.extend(_length_problems(text, what, translated.language))
    return found


def _length_problems(text: Text, what: str, language: str) -> list[RuleError]:
    found = []
    most = limits(language)
    parts = sentences(text.plain)
    if len(parts) > most.sentences:
        found.append(_fail(text.origin, f"{len(parts)} sentences in an {what} (at most "
                           f"{most.sentences}); split it into two points", text.plain))
    if most.words:
        for sentence in parts:
            count = len(words(sentence, language))
            if count > most.words:
                found.append(_fail(text.origin, f"sentence of {count} words in an {what} (at "
                                   f"most {most.words}); make it shorter", sentence))
    return found


def _glossary_problems(leaflet: Leaflet) -> list[RuleError]:
    """A glossary word linked from the easy-read text needs an easy-read explanation."""
    found = []
    entries = {entry.id: entry for entry in leaflet.glossary}
    reported = set()
    for text, _what in easy_read_texts(leaflet):
        for run in text.runs:
            entry = entries.get(run.term) if run.term else None
            if entry and not entry.easy_read and entry.id not in reported:
                reported.add(entry.id)
                found.append(_fail(text.origin, f"hard word '{run.text}' links to glossary entry "
                                   f"'{entry.id}', which has no easy_read explanation; add one "
                                   f"for the Hard words page", text.plain))
    return found


def explained_words(leaflet: Leaflet, language: str) -> set[str]:
    """Words the easy-read version explains: glossary links in it, and the linked terms."""
    from wordfreq import tokenize

    entries = {entry.id: entry for entry in leaflet.glossary if entry.easy_read}
    explained = set()
    for text, _what in easy_read_texts(leaflet):
        for run in text.runs:
            if run.term in entries:
                explained.update(_tokens(run.text, language, tokenize))
                explained.update(_tokens(entries[run.term].term.plain, language, tokenize))
    return explained


def hard_words(text: str, language: str) -> list[str]:
    """The words of `text` that are rare in everyday `language`, in order, once each."""
    from wordfreq import tokenize, zipf_frequency

    rare = [token for token in _tokens(text, language, tokenize)
            if zipf_frequency(token, language) < RARE_BELOW]
    return list(dict.fromkeys(rare))


def _hard_word_problems(leaflet: Leaflet, language: str) -> list[RuleError]:
    if not _wordfreq_knows(language):
        return []
    explained = explained_words(leaflet, language)
    found = []
    for text, what in easy_read_texts(leaflet):
        unexplained = [word for word in hard_words(text.plain, language)
                       if not _forms(word, language) & explained]
        if unexplained:
            listed = ", ".join(f"'{word}'" for word in unexplained)
            found.append(_fail(text.origin, f"hard word{'s' if len(unexplained) > 1 else ''} "
                               f"{listed} in an {what}: use an everyday word, or link it to a "
                               "glossary entry with an easy_read explanation", text.plain))
    return found


def _grade_problems(leaflet: Leaflet) -> list[RuleError]:
    body = easy_read_body(leaflet)
    figures = readability(body)
    if figures is None or figures.grade <= MAX_GRADE:
        return []
    hardest = max(body, key=lambda text: readability([text]).grade)
    return [_fail(hardest.origin, f"the easy-read text reads at Flesch-Kincaid grade "
                  f"{figures.grade:.1f} (at most {MAX_GRADE:g}, a reading age of 9 to 11); "
                  "use shorter words and sentences, starting with its hardest point",
                  hardest.plain)]


# -- helpers -----------------------------------------------------------------------------
def _tokens(text: str, language: str, tokenize) -> list[str]:
    tokens = tokenize(text.replace("’", "'"), language)
    return [token for token in tokens if not any(character.isdigit() for character in token)]


def _forms(word: str, language: str) -> set[str]:
    """The word and, in English, its singular or plural: 'cytokine' is explained by 'cytokines'."""
    forms = {word}
    if language == "en":
        forms.add(word + "s")
        if word.endswith("s"):
            forms.add(word[:-1])
    return forms


def _wordfreq_knows(language: str) -> bool:
    from wordfreq import available_languages

    return language in available_languages() and language not in _NEEDS_SEGMENTER


def _base(language: str) -> str:
    from .languages import primary

    return primary(language)


def _fail(origin: Origin, message: str, offending: str) -> RuleError:
    quoted = " ".join(offending.split())
    if len(quoted) > QUOTE_LIMIT:
        quoted = quoted[: QUOTE_LIMIT - 1] + "…"
    return RuleError(f'{message}: "{quoted}"', origin)
