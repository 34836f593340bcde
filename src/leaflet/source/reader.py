"""A reader of YAML files that checks their shape and values, naming each mistake's line."""

from __future__ import annotations

import difflib
import re
from datetime import date
from pathlib import Path

import yaml

from .. import characters, limits, markup
from ..addresses import url_problem
from ..errors import LeafletErrors, MarkupError, Origin, SourceError
from ..model import Text

REQUIRED, OPTIONAL = True, False

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_NODE_KIND = {
    yaml.MappingNode: "a mapping (key: value)",
    yaml.SequenceNode: "a list",
    yaml.ScalarNode: "a single value",
}


class YamlReader:
    """Reads the nodes of one YAML file, collecting a SourceError for each mistake."""

    def __init__(self, path: str, content: bytes | None = None):
        self.path = path
        self.content = content
        self.decoded = ""  # the text of the file, to find a character's own line
        self.errors: list[SourceError] = []

    # -- errors -----------------------------------------------------------------------
    def origin(self, node: yaml.Node) -> Origin:
        return Origin(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def error(self, node: yaml.Node | Origin, message: str) -> None:
        origin = node if isinstance(node, Origin) else self.origin(node)
        self.errors.append(SourceError(message, origin))

    # -- the document -----------------------------------------------------------------
    def parse(self) -> yaml.Node:
        try:
            raw = self.content if self.content is not None else _read_at_most(Path(self.path))
        except OSError as exc:
            raise LeafletErrors([SourceError(f"cannot read the file: {exc.strerror}", self.path)])
        if len(raw) > limits.SOURCE_BYTES:
            raise LeafletErrors([SourceError(
                f"the file is over {limits.size(limits.SOURCE_BYTES)}, the most a leaflet source "
                "may be; split it into several leaflets", self.path)])
        try:
            content = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise LeafletErrors([SourceError(
                "the file is not UTF-8 text; save it as UTF-8", Origin(self.path, line))])
        self.decoded = content
        try:
            root = yaml.compose(content, Loader=yaml.CSafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "invalid YAML"
            if exc.context and exc.context_mark and exc.problem_mark:
                problem += (f" {exc.context} that starts at line {exc.context_mark.line + 1}, "
                            f"column {exc.context_mark.column + 1}")
            origin = Origin(self.path, mark.line + 1, mark.column + 1) if mark else Origin(self.path)
            raise LeafletErrors([SourceError(
                f"YAML syntax error: {problem}; check the indentation and quoting here", origin)])
        except yaml.YAMLError as exc:
            raise LeafletErrors([SourceError(f"YAML error: {exc}", self.path)])
        self.refuse_aliases(content)
        if root is None:
            raise LeafletErrors([SourceError("the file is empty; start from an existing leaflet",
                                             Origin(self.path, 1, 1))])
        return root

    def refuse_aliases(self, content: str) -> None:
        """An alias (*name) repeats a part of the file: a few lines could stand for gigabytes."""
        if "*" not in content:
            return
        for event in yaml.parse(content, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                raise LeafletErrors([SourceError(
                    f"alias '*{event.anchor}' repeats another part of the file; write the text "
                    "out where it is used (or quote a text that starts with *)",
                    Origin(self.path, mark.line + 1, mark.column + 1))])

    # -- shapes -----------------------------------------------------------------------
    def expect(self, node: yaml.Node, kind: type, what: str) -> bool:
        if isinstance(node, kind):
            return True
        self.error(node, f"{what} must be {_NODE_KIND[kind]}, not {_NODE_KIND[type(node)]}")
        return False

    def mapping(self, node, keys: dict[str, bool], what: str) -> dict[str, yaml.Node] | None:
        if node is None or not self.expect(node, yaml.MappingNode, what):
            return None
        fields: dict[str, yaml.Node] = {}
        for key_node, value in node.value:
            key = key_node.value
            if key in fields:
                self.error(key_node, f"duplicate key '{key}' in {what}; keep only one")
            elif key not in keys:
                hint = did_you_mean(key, keys) or f"; allowed keys: {', '.join(keys)}"
                self.error(key_node, f"unknown key '{key}' in {what}{hint}")
            else:
                fields[key] = value
        for key, required in keys.items():
            if required and key not in fields:
                self.error(node, f"missing required key '{key}' in {what}; add it")
        return fields

    def sequence(self, node, what: str, most: int = limits.ITEMS) -> list[yaml.Node]:
        if node is None or not self.expect(node, yaml.SequenceNode, what):
            return []
        if len(node.value) > most:
            self.error(node.value[most], f"{what} has {len(node.value)} entries, more than the "
                       f"{most} a leaflet may have; split the leaflet")
            return node.value[:most]
        return node.value

    def scalar(self, node, what: str) -> str | None:
        if node is None or not self.expect(node, yaml.ScalarNode, what):
            return None
        if node.tag == _NULL:
            self.error(node, f"empty {what}; write the text or remove the entry")
            return None
        complaint = characters.problem(node.value, what)
        if complaint:
            self.error(self.where(node, characters.forbidden(node.value)[1]), complaint)
            return None
        return node.value

    def where(self, node: yaml.Node, character: str) -> Origin:
        """Where `character` is written inside `node` (or the node, if an escape wrote it)."""
        index = self.decoded.find(character, node.start_mark.index, node.end_mark.index)
        if index < 0:
            return self.origin(node)
        line_start = self.decoded.rfind("\n", 0, index) + 1
        return Origin(self.path, self.decoded.count("\n", 0, index) + 1, index - line_start + 1)

    # -- values -----------------------------------------------------------------------
    def text(self, node, what: str) -> Text | None:
        value = self.scalar(node, what)
        if value is None:
            return None
        if node.tag != _STR:
            self.error(node, f"{what} must be text, not '{value}'; put it in quotes")
            return None
        if not value.strip():
            self.error(node, f"empty {what}; write the text or remove the entry")
            return None
        if len(value) > limits.TEXT_CHARACTERS:
            self.error(node, f"{what} is {len(value):,} characters long, more than the "
                       f"{limits.TEXT_CHARACTERS:,} a text may have; split it")
            return None
        try:
            runs = markup.parse(value)
        except MarkupError as exc:
            self.error(node, f"{exc} (in {what})")
            return None
        return Text(value, runs, self.origin(node))

    def texts(self, node, what: str) -> list[Text]:
        texts = [self.text(item, what) for item in self.sequence(node, f"the {what}s")]
        return [text for text in texts if text]

    def strings(self, node, what: str) -> list[str]:
        values = [self.scalar(item, what) for item in self.sequence(node, what)]
        return [value for value in values if value]

    def slug(self, node, what: str) -> str | None:
        value = self.scalar(node, what)
        if value is not None and not _SLUG.match(value):
            self.error(node, f"{what} '{value}' must be lower-case letters, digits and hyphens, "
                       "like 'side-effects'")
            return None
        if value is not None and len(value) > limits.ID_CHARACTERS:
            self.error(node, f"{what} '{value}' is longer than {limits.ID_CHARACTERS} "
                       "characters; shorten it")
            return None
        return value

    def language(self, node, what: str = "language") -> str | None:
        value = self.scalar(node, what)
        if value is None:
            return None
        from ..languages import is_known

        if not (_LANGUAGE.match(value) and is_known(value)):
            where = "" if what == "language" else f" in {what}"
            self.error(node, f"unknown language '{value}'{where}; use a language tag such as en-GB or cy")
            return None
        return value

    def date(self, node, what: str) -> date | None:
        value = self.scalar(node, what)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.error(node, f"bad date '{value}' in {what}; write it as YYYY-MM-DD, like 2024-10-21")
            return None

    def url(self, node, what: str) -> str | None:
        value = self.scalar(node, what)
        problem = url_problem(value, what) if value is not None else None
        if problem:
            self.error(node, problem)
            return None
        return value


class AnyKey(dict):
    """Keys of a mapping whose keys are chosen by the author (glossary ids, words, languages)."""

    def __contains__(self, key) -> bool:
        return True


def _read_at_most(path: Path) -> bytes:
    """The file's bytes, reading no more than one byte past the limit (a huge file is refused)."""
    with open(path, "rb") as file:
        return file.read(limits.SOURCE_BYTES + 1)


def peek(node, key: str) -> str | None:
    """The plain value of `key` in a mapping node, for naming it in messages."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if key_node.value == key and isinstance(value, yaml.ScalarNode):
                return value.value
    return None


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
