"""The tool's own labels ("Glossary", "Page X of Y", ...) in the `leaflet` gettext domain."""

from __future__ import annotations

import gettext
from datetime import date
from functools import lru_cache

from ..paths import LOCALES

DOMAIN = "leaflet"
DATE_FORMAT = "d MMM y"


@lru_cache(maxsize=None)
def translations(language: str) -> gettext.NullTranslations:
    """Labels for `language`; English (the msgids) where no catalogue is compiled."""
    candidates = [language.replace("-", "_"), language.split("-")[0]]
    try:
        return gettext.translation(DOMAIN, LOCALES, languages=candidates)
    except OSError:
        return gettext.NullTranslations()


def gettext_for(language: str):
    return translations(language).gettext


def format_date(day: date, language: str) -> str:
    """A date as readers of `language` write it, e.g. 21 Oct 2024."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(day, DATE_FORMAT, locale=language.replace("-", "_"))
