"""The tool's own labels ("Glossary", "Page X of Y", ...) in the `leaflet` gettext domain."""

from __future__ import annotations

import gettext
import io
from datetime import date
from functools import lru_cache
from pathlib import Path

from .. import project
from ..languages import primary
from ..paths import LABELS

DOMAIN = "leaflet"
TEMPLATE = LABELS / f"{DOMAIN}.pot"


def catalogue_path(language: str, domain: str = DOMAIN) -> Path:
    """A leaflet's catalogue in the project; the labels' in the project if it has its own
    (a language the tool has no labels for), else in the package."""
    in_project = project.current().locales / language / "LC_MESSAGES" / f"{domain}.po"
    if domain != DOMAIN or in_project.exists():
        return in_project
    return LABELS / language / "LC_MESSAGES" / f"{domain}.po"


def catalogue_languages(domain: str) -> list[str]:
    """The languages that have a catalogue for `domain` (a leaflet id) in the project."""
    locales = project.current().locales
    return sorted(path.parent.parent.name for path in locales.glob(f"*/LC_MESSAGES/{domain}.po"))


@lru_cache(maxsize=None)
def translations(language: str) -> gettext.NullTranslations:
    """Labels for `language`, read from its .po so an edit shows at once; fuzzy and
    untranslated labels stay in English. English (the msgids) where there is no catalogue."""
    for candidate in dict.fromkeys([language.replace("-", "_"), primary(language)]):
        path = catalogue_path(candidate)
        if path.exists():
            from babel.messages.mofile import write_mo

            from .pofile import read

            compiled = io.BytesIO()
            write_mo(compiled, read(path, locale=candidate))  # leaves fuzzy entries out
            compiled.seek(0)
            return gettext.GNUTranslations(compiled)
    return gettext.NullTranslations()


def format_date(day: date, language: str) -> str:
    """A date as readers of `language` write it: 21 Oct 2024, 21 Hydref 2024."""
    from babel.dates import format_date as babel_format_date

    _ = translations(language).gettext
    # TRANSLATORS: a CLDR date pattern (d day, MMM short month name, MMMM full month name, y
    # year): write the order and month form your readers expect, for example "d MMMM y".
    pattern = _("d MMM y")
    return babel_format_date(day, pattern, locale=language.replace("-", "_"))
