"""How far each leaflet is translated: the `leaflet translations` report."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Leaflet, texts
from . import pofile
from .catalog import LABELS_TEMPLATE, display
from .labels import DOMAIN as LABELS_DOMAIN
from .labels import catalogue_languages, catalogue_path

HEADINGS = ("leaflet", "language", "catalogue", "translated", "fuzzy", "untranslated",
            "obsolete", "done", "review")


@dataclass(frozen=True)
class Row:
    leaflet: str
    language: str
    catalogue: str
    counts: pofile.Counts
    review: str

    def cells(self) -> tuple[str, ...]:
        c = self.counts
        return (self.leaflet, self.language, self.catalogue, str(c.translated), str(c.fuzzy),
                str(c.untranslated), str(c.obsolete), f"{c.percent:.0f}%", self.review)


def rows(leaflets: list[Leaflet]) -> list[Row]:
    """A row per leaflet and language, then a row per language for the labels."""
    found: list[Row] = []
    languages: set[str] = set()
    for leaflet in leaflets:
        wanted = [text.markup for text, _ in texts(leaflet)]
        for language in catalogue_languages(leaflet.id):
            languages.add(language)
            path = catalogue_path(language, leaflet.id)
            catalog = pofile.read(path, locale=language)
            found.append(Row(leaflet.id, language, display(path), pofile.counts(catalog, wanted),
                             catalog.review))
    template = pofile.read(LABELS_TEMPLATE) if LABELS_TEMPLATE.exists() else None
    wanted_labels = [message.id for message in template if message.id] if template else []
    for language in sorted(languages | set(catalogue_languages(LABELS_DOMAIN))):
        path = catalogue_path(language)
        if path.exists():
            catalog = pofile.read(path, locale=language)
            counts, review = pofile.counts(catalog, wanted_labels), catalog.review
        else:
            counts, review = pofile.Counts(0, 0, len(wanted_labels), 0), "missing"
        found.append(Row("(labels)", language, display(path), counts, review))
    return found


def table(found: list[Row]) -> str:
    lines = [HEADINGS, *(row.cells() for row in found)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADINGS))]
    numeric = {3, 4, 5, 6, 7}
    return "\n".join(
        "  ".join(cell.rjust(width) if i in numeric else cell.ljust(width)
                  for i, (cell, width) in enumerate(zip(line, widths))).rstrip()
        for line in lines)


def incomplete(found: list[Row]) -> list[Row]:
    return [row for row in found if not row.counts.complete]
