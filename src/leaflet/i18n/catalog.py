"""Translate a leaflet with its gettext catalogue: the same model with the translated strings."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .. import characters, limits, markup, scripts
from ..errors import CatalogueError, LeafletErrors, MarkupError, Origin, SourceError, display
from ..model import Leaflet, Text, map_texts, texts
from . import pofile
from .labels import TEMPLATE as LABELS_TEMPLATE
from .labels import catalogue_path, translations
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class Translation:
    """A leaflet in one catalogue language, and how complete that translation is."""

    leaflet: Leaflet
    language: str  # the catalogue's folder name, e.g. cy
    content: Path  # locales/<lang>/LC_MESSAGES/<id>.po
    labels: Path  # locales/<lang>/LC_MESSAGES/leaflet.po
    counts: pofile.Counts
    label_counts: pofile.Counts
    review: str  # draft, reviewed or unknown

    @property
    def complete(self) -> bool:
        return self.counts.complete and self.label_counts.complete

    def shortfall(self) -> str:
        """What is missing, as a reader of the build log needs it."""
        parts = []
        for counts, path in ((self.counts, self.content), (self.label_counts, self.labels)):
            if not counts.complete:
                parts.append(f"{counts.untranslated} untranslated and {counts.fuzzy} fuzzy "
                             f"in {display(path)}")
        return "; ".join(parts)


def translate(leaflet: Leaflet, language: str, allow_incomplete: bool = False) -> Translation:
    """`leaflet` in `language`. Untranslated and fuzzy strings stay in the source language,
    and a notice on the first page says which parts; the caller decides whether to publish."""
    content_path = catalogue_path(language, leaflet.id)
    catalog = pofile.read(content_path, locale=_babel_locale(language, content_path))
    errors: list[CatalogueError] = []
    missing: list[tuple[Text, tuple[str, ...]]] = []  # source texts left untranslated
    shown = display(content_path)

    def translated(text: Text, path: tuple[str, ...]) -> Text:
        message = catalog.get(text.markup)
        if message is None or not message.string or message.fuzzy:
            missing.append((text, path))
            return replace(text, language=leaflet.language)  # published only if allowed
        origin = Origin(shown, message.lineno or 0)
        most = limits.TEXT_CHARACTERS * limits.TRANSLATION_FACTOR
        if len(message.string) > most:
            errors.append(CatalogueError(f"the translation of {_quote(text)} is "
                                         f"{len(message.string):,} characters long, more than "
                                         f"the {most:,} a text may have; shorten it", origin))
            return text
        try:
            runs = markup.parse(message.string)
        except MarkupError as error:
            errors.append(CatalogueError(f"{error} (in the translation of {_quote(text)})", origin))
            return text
        problem = _link_problem(text, runs)
        if problem:
            errors.append(CatalogueError(problem, origin))
            return text
        return Text(message.string, scripts.mark_latin_runs(runs, language, leaflet.language),
                    Origin(shown, catalog.msgstr_line(message), 1))

    result = map_texts(leaflet, translated)
    labels_path = catalogue_path(language)
    label_errors, label_counts = _labels(labels_path, language, *_version(labels_path))
    errors += label_errors
    errors += _unused_pronunciations(leaflet, result, language)
    if errors:
        raise LeafletErrors(errors)

    counts = pofile.counts(catalog, [text.markup for text, _ in texts(leaflet)])
    code = language.replace("_", "-")
    result = replace(result, language=code)
    translation = Translation(result, language, content_path, labels_path, counts, label_counts,
                              catalog.review)
    notices = list(result.notices)
    _ = translations(code).gettext
    if translation.review != "reviewed":
        notices.append(_("This is a draft translation, not yet checked by a qualified "
                         "translator."))
    if not translation.complete and allow_incomplete:
        parts = _untranslated_parts(leaflet, result, missing, label_counts, _)
        notices.append(_("Not translated yet, shown in %(language)s: %(parts)s.")
                       % {"language": _language_name(leaflet.language, code), "parts": parts})
    return replace(translation, leaflet=replace(result, notices=tuple(notices)))


def _unused_pronunciations(leaflet: Leaflet, translated: Leaflet,
                           language: str) -> list[SourceError]:
    """The source's pronunciations in `language` must name words of its translation."""
    from ..languages import english_name
    from ..source.audio import unused_pronunciations

    code = language.replace("_", "-")
    entries = [entry for entry in leaflet.pronunciations_for(code)
               if entry not in leaflet.pronunciations_for(leaflet.language)]
    plain = [text.plain for text, _path in texts(translated)]
    return [SourceError(problem, origin) for problem, origin in
            unused_pronunciations(entries, plain, f"the {english_name(code)} translation")]


def _link_problem(original: Text, runs) -> str | None:
    """A translation must keep every glossary link and web link of its msgid."""
    wanted, found = Counter(markup.link_targets(original.runs)), Counter(markup.link_targets(runs))
    if wanted == found:
        return None
    lost = sorted((wanted - found).elements())
    added = sorted((found - wanted).elements())
    if lost:
        return (f"the translation of {_quote(original)} drops the link to '{lost[0]}'; keep "
                f"[...]({lost[0]}) around the translated words")
    return (f"the translation of {_quote(original)} adds a link to '{added[0]}' that the "
            "original does not have; remove it")


def _version(path: Path) -> tuple[int, int]:
    """A file's modification time and size, (0, -1) if it is not there."""
    try:
        found = path.stat()
    except OSError:
        return 0, -1
    return found.st_mtime_ns, found.st_size


@lru_cache(maxsize=64)
def _labels(path: Path, language: str, modified: int, size: int):
    """The label catalogue's errors and counts, read once for every leaflet in `language` (and
    again once the file changes)."""
    return _label_errors(path, language), _label_counts(path, language)


def _label_errors(path: Path, language: str) -> list[CatalogueError]:
    """Placeholders such as %(page)s must survive translation: Babel's checks catch wrong
    ones; a dropped one (which Babel allows) would lose the page count or the date."""
    if not path.exists():
        return []
    catalog = pofile.read(path, locale=_babel_locale(language, path))
    errors = [CatalogueError(f"{problem}; keep the %(...)s placeholders as they are",
                             Origin(display(path), message.lineno or 0))
              for message, problems in catalog.check() for problem in problems]
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        complaint = characters.problem("".join(filter(None, strings)), "the translation")
        if message.id and complaint:
            errors.append(CatalogueError(f"{complaint} (of “{message.id}”)",
                                         Origin(display(path), message.lineno or 0)))
        if message.id and pofile.is_translated(message) and not message.fuzzy:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            wanted = {name for msgid in ids for name in _PLACEHOLDER.findall(msgid)}
            # Each plural form says its own number: none may lose it.
            lost = sorted(name for string in strings
                          for name in wanted - set(_PLACEHOLDER.findall(string)))
            if lost:
                errors.append(CatalogueError(
                    f"the translation of “{ids[0]}” drops the placeholder %({lost[0]})s; "
                    "keep the %(...)s placeholders as they are",
                    Origin(display(path), message.lineno or 0)))
    return errors


def _label_counts(path: Path, language: str) -> pofile.Counts:
    template = pofile.read(LABELS_TEMPLATE) if LABELS_TEMPLATE.exists() else None
    wanted = [message.id for message in template if message.id] if template else []
    if not path.exists():
        return pofile.Counts(0, 0, len(wanted), 0)
    return pofile.counts(pofile.read(path, locale=_babel_locale(language, path)), wanted)


def _untranslated_parts(original: Leaflet, translated: Leaflet, missing, label_counts, _) -> str:
    """Name the parts of the leaflet that still hold untranslated text."""
    parts: list[str] = []
    missing_texts = {id(text) for text, _path in missing}
    for section, new_section in zip(original.sections, translated.sections):
        if any(id(text) in missing_texts for text, _path in texts(section)):
            parts.append(f"“{new_section.title.plain}”" if new_section.title
                         else _("the introduction"))
    names = {"Leaflet.title": _("the title"), "Leaflet.summary": _("the description"),
             "Leaflet.keywords": _("the description"),
             "Publisher.name": _("the publisher's name"), "GlossaryEntry": _("the glossary"),
             "Leaflet.references": _("the references"),
             "Leaflet.references_note": _("the references"), "Link.text": _("the links")}
    for _text, path in missing:
        for key, name in names.items():
            if any(step.startswith(key) for step in path) and name not in parts:
                parts.append(name)
    if not label_counts.complete:
        parts.append(_("some headings and labels"))
    return ", ".join(parts)


def _language_name(language: str, in_language: str) -> str:
    from ..languages import locale, primary

    language_only, reader = locale(primary(language)), locale(in_language)
    if language_only is None or reader is None:
        return language
    return language_only.get_display_name(reader) or language


def _babel_locale(language: str, path: Path) -> str:
    from ..languages import is_known

    if "-" in language or not is_known(language):
        raise CatalogueError(f"'{language}' is not a language code; name the folder after the "
                             "language, e.g. locales/cy/", display(path)) from None
    return language


def _quote(text: Text, width: int = 40) -> str:
    plain = " ".join(text.markup.split())
    return f"“{plain[:width]}…”" if len(plain) > width else f"“{plain}”"
