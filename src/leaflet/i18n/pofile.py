"""Read and write gettext catalogues with Babel, keeping the X-Leaflet-* header fields."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, PoFileParser, write_po

from .. import limits
from ..errors import CatalogueError, Origin
from ..files import write_atomically

REVIEW_HEADER = "X-Leaflet-Review"
REVIEW_STATES = ("draft", "reviewed")


class LeafletCatalog(Catalog):
    """A Babel catalogue that keeps our own header fields: Babel drops unknown ones
    (python-babel/babel#772), so `make po` would lose a translation's review status."""

    def __init__(self, *args, **kwargs):
        self.extra_headers: list[tuple[str, str]] = []
        self.msgstr_lines: dict[int, int] = {}  # msgid line -> msgstr line, as read
        super().__init__(*args, **kwargs)

    def msgstr_line(self, message) -> int:
        """The line of a message's msgstr, where its translation is written (Babel keeps only
        the msgid's)."""
        return self.msgstr_lines.get(message.lineno or 0, message.lineno or 0)

    def _get_mime_headers(self) -> list[tuple[str, str]]:
        headers = super()._get_mime_headers()
        if not self.extra_headers:
            return headers
        # Babel ends its last field with a newline; ours go before that end.
        name, value = headers[-1]
        extra = [*self.extra_headers[:-1], (self.extra_headers[-1][0],
                                              self.extra_headers[-1][1] + "\n")]
        return [*headers[:-1], (name, value.rstrip("\n")), *extra]

    def _set_mime_headers(self, headers) -> None:
        headers = list(headers)
        kept = {name.lower() for name, _ in headers if name.lower().startswith("x-leaflet-")}
        self.extra_headers = [(name, value) for name, value in self.extra_headers
                              if name.lower() not in kept]
        self.extra_headers += [(name.strip(), value.strip()) for name, value in headers
                               if name.lower().startswith("x-leaflet-")]
        super()._set_mime_headers(headers)

    mime_headers = property(_get_mime_headers, _set_mime_headers)

    @property
    def review(self) -> str:
        """The translation's review status: draft, reviewed, or unknown when not stated."""
        for name, value in self.extra_headers:
            if name.lower() == REVIEW_HEADER.lower():
                return value.lower() if value.lower() in REVIEW_STATES else "unknown"
        return "unknown"


class _Parser(PoFileParser):
    """Babel's parser, noting the line of each msgstr for messages about a translation."""

    def _process_keyword_line(self, lineno, line, obsolete=False) -> None:
        super()._process_keyword_line(lineno, line, obsolete)
        if line.startswith("msgstr"):
            self.catalog.msgstr_lines.setdefault(self.offset + 1, lineno + 1)


def read(path: Path, locale: str | None = None) -> LeafletCatalog:
    """Read a .po or .pot file; a broken one is a CatalogueError naming the file and line."""
    catalog = LeafletCatalog(locale=locale, domain=path.stem)
    try:
        with open(path, "rb") as file:
            content = file.read(limits.CATALOGUE_BYTES + 1)
        if len(content) > limits.CATALOGUE_BYTES:
            raise CatalogueError(f"the catalogue is over {limits.size(limits.CATALOGUE_BYTES)}, "
                                 "the most one may be; remove obsolete (#~) entries", str(path))
        _Parser(catalog, ignore_obsolete=False, abort_invalid=True).parse(
            content.splitlines(keepends=True))
    except OSError as error:
        raise CatalogueError(f"cannot read the catalogue: {error.strerror}", str(path)) from None
    except PoFileError as error:
        line = getattr(error, "lineno", 0)
        raise CatalogueError(f"not a valid gettext catalogue: {error}; check it with "
                             f"msgfmt --check", Origin(str(path), line)) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise CatalogueError(f"not a valid gettext catalogue: {error}", str(path)) from None
    return catalog


def write(path: Path, catalog: Catalog, **options) -> None:
    """Write a catalogue atomically, wrapped as gettext's own tools do."""
    written = io.BytesIO()
    write_po(written, catalog, width=79, **options)
    replace(path, previous_ids_unwrapped(written.getvalue().decode("utf-8")).encode("utf-8"))


_PREVIOUS = re.compile(r"(?:^#\| [^\n]*\n)+", re.MULTILINE)
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')


def previous_ids_unwrapped(text: str) -> str:
    """Babel (2.19) wraps a long previous msgid (`#| msgid`) like a comment, across the middle
    of its strings, which gettext's tools and Poedit then reject: write each string whole on a
    line of its own, as msgmerge does."""
    def rewrap(match: re.Match) -> str:
        joined = " ".join(line[3:] for line in match.group(0).splitlines())
        lines = []
        for keyword, strings in re.findall(r'(msgid_plural|msgid|msgctxt) ((?:"(?:[^"\\]|\\.)*"\s*)+)',
                                           joined):
            parts = _QUOTED.findall(strings)
            lines.append(f"#| {keyword} {parts[0]}")
            lines += [f"#| {part}" for part in parts[1:]]
        return "\n".join(lines) + "\n" if lines else match.group(0)
    return _PREVIOUS.sub(rewrap, text)


def replace(path: Path, data: bytes) -> None:
    """Write `data` beside `path`, then rename: a translator's tool never sees half a file."""
    write_atomically(path, data)


@dataclass(frozen=True)
class Counts:
    """How far a catalogue is translated, against the messages that are wanted now."""

    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def complete(self) -> bool:
        return self.fuzzy == 0 and self.untranslated == 0

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def is_translated(message) -> bool:
    """Whether a message has its translation, in every plural form if it has them."""
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def counts(catalog: Catalog, wanted: list[str]) -> Counts:
    """Count the `wanted` msgids: a missing entry counts as untranslated."""
    translated = fuzzy = untranslated = 0
    for msgid in dict.fromkeys(wanted):
        message = catalog.get(msgid)
        if message is None or not is_translated(message):
            untranslated += 1
        elif message.fuzzy:
            fuzzy += 1
        else:
            translated += 1
    return Counts(translated, fuzzy, untranslated, len(catalog.obsolete))
