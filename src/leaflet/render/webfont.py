"""A web page's fonts inside it as WOFF2, each cut down to the characters the page uses."""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

NOTO = Path("/usr/share/fonts/truetype/noto")  # Debian's fonts-noto-core


@dataclass(frozen=True)
class Face:
    family: str
    weight: str
    path: Path


# Faces of other scripts in the pages' font stacks (base.css), by family: their files in NOTO.
SCRIPT_FACES = {"Noto Naskh Arabic": "NotoNaskhArabic", "Noto Sans Bengali": "NotoSansBengali"}


def faces() -> tuple[Face, ...]:
    """The faces the pages use (base.css): Atkinson Hyperlegible Next, and the script faces
    where they are installed. The pages have no italic text."""
    from .pdf import FONT_DIR, FONT_FAMILY, FONT_FILES

    found = [Face(FONT_FAMILY, weight, FONT_DIR / name)
             for (weight, style), name in FONT_FILES.items() if style == "normal"]
    found += [Face(family, weight, NOTO / f"{stem}-{name}.ttf")
              for family, stem in SCRIPT_FACES.items()
              for weight, name in (("normal", "Regular"), ("bold", "Bold"))]
    return tuple(face for face in found if face.path.is_file())


def font_faces(text: str, cache: Path | None = None) -> str:
    """@font-face rules for every face that has a character of `text`, each holding the WOFF2
    of that face subset to the characters of `text` it has; "" if none has any. Subsets are
    kept in the folder `cache`: a page whose characters did not change costs no subsetting."""
    used = frozenset(character for character in text if character.isprintable())
    rules = []
    # A script face is embedded for the characters the body font lacks, not for its digits
    # and punctuation, which the body font draws.
    body = frozenset().union(*(_characters(face.path) for face in faces()
                               if face.family not in SCRIPT_FACES))
    for face in faces():
        covered = used & _characters(face.path)
        if covered and (face.family not in SCRIPT_FACES or covered - _COMMON - body):
            data = base64.b64encode(_cached(face.path, covered, cache)).decode("ascii")
            rules.append(f'@font-face {{ font-family: "{face.family}"; '
                         f"font-weight: {face.weight}; font-style: normal; font-display: swap; "
                         f'src: url("data:font/woff2;base64,{data}") format("woff2"); }}')
    return "\n".join(rules)


# Characters every page has (digits, punctuation, spaces): not a reason to embed a second face.
_COMMON = frozenset(" 0123456789.,:;!?()[]-–—'\"/%+·•\u00a0\u2068\u2069")


@lru_cache(maxsize=None)
def _characters(path: Path) -> frozenset[str]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(chr(code) for code in font.getBestCmap())


def _cached(path: Path, characters: frozenset[str], cache: Path | None) -> bytes:
    if cache is None:
        return _subset(path, characters)
    from ..files import write_atomically

    key = hashlib.sha256(repr((path.name, path.stat().st_size, _VERSION,
                               sorted(characters))).encode()).hexdigest()[:32]
    kept = cache / "fonts" / f"{key}.woff2"
    try:
        return kept.read_bytes()
    except OSError:
        data = _subset(path, characters)
        write_atomically(kept, data)
        return data


_VERSION = 1  # of the subsetting below: a change makes the cached subsets be made again


@lru_cache(maxsize=64)
def _subset(path: Path, characters: frozenset[str]) -> bytes:
    """The face at `path` with only `characters` (and the glyphs their shaping needs)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # names, version, licence and its URL
    options.notdef_outline = True
    with TTFont(path, recalcTimestamp=False) as font:  # the same bytes every build
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(map(ord, characters)))
        subsetter.subset(font)
        font.flavor = "woff2"
        output = io.BytesIO()
        font.save(output, reorderTables=False)
    return output.getvalue()
