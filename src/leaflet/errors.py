"""The errors a user can cause, each printed as one `path:line:col: message` line."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a piece of the source came from (line and column count from 1)."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.path}:{self.line}:{self.column}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


class LeafletError(Exception):
    """A mistake in the input or the environment that the user can fix."""

    category = "error"

    def __init__(self, message: str, origin: Origin | str | None = None):
        super().__init__(message)
        self.message = message
        self.origin = origin

    def __str__(self) -> str:
        from .characters import shown  # a message quotes untrusted text: keep it one plain line

        return shown(f"{self.origin}: {self.message}" if self.origin else self.message)

    def lines(self) -> list[str]:
        """The one-line messages this error stands for."""
        return [str(self)]

    def __reduce__(self):  # keeps the origin when an error crosses to another process
        return self.__class__, (self.message, self.origin)


class SourceError(LeafletError):
    category = "source"


class CatalogueError(LeafletError):
    category = "catalogue"


class MarkupError(LeafletError):
    """Inline markup outside the allowed subset; the message says what to write instead. The
    caller that knows where the text is written reports it with its origin."""

    category = "markup"


class RuleError(LeafletError):
    """A rule of check.py the leaflet breaks; origin is where the offending text is written."""

    category = "check"


class RenderError(LeafletError):
    category = "render"


class MissingTool(LeafletError):
    category = "missing-tool"


class ProjectError(LeafletError):
    """No project where one is needed, or a mistake in its leaflet.toml."""

    category = "project"


class OutputError(LeafletError):
    """A file that cannot be written: a full disk, a read-only or forbidden folder."""

    category = "output"


def cannot_write(path, error: OSError,
                 elsewhere: str = "choose another --out folder") -> OutputError:
    full = error.errno in (errno.ENOSPC, errno.EDQUOT)
    return OutputError(f"cannot write {path}: {error.strerror or error}; "
                       f"{'free some space or ' if full else ''}{elsewhere}")


def ended(returncode: int) -> str:
    """How a process ended, from its return code as subprocess gives it: negative for a signal."""
    return f"killed by signal {-returncode}" if returncode < 0 else f"exit status {returncode}"


def found_in(error: BaseException) -> LeafletError | None:
    """The LeafletError that `error` is, wraps (as WeasyPrint's fatal fetch error does) or was
    raised from, if any."""
    seen, waiting = set(), [error]
    while waiting:
        current = waiting.pop(0)
        if isinstance(current, LeafletError):
            return current
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        waiting += [*current.args, current.__cause__, current.__context__]
    return None


class Unsupported(LeafletError):
    """A format that cannot be made for this leaflet, e.g. no voice for its language.

    A build of every format skips it with one line; a build that asked for the format fails.
    """

    category = "unsupported"


MAX_LINES = 25


class LeafletErrors(LeafletError):
    """Several errors found in one pass, reported together."""

    def __init__(self, errors: list[LeafletError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors
        self.category = errors[0].category if errors else "error"

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def lines(self) -> list[str]:
        """Every error's line, up to MAX_LINES: a broken file of thousands of entries stays legible."""
        found = [line for error in self.errors for line in error.lines()]
        if len(found) <= MAX_LINES:
            return found
        return [*found[:MAX_LINES], f"... and {len(found) - MAX_LINES:,} more errors like these"]

    def __reduce__(self):
        return self.__class__, (self.errors,)


def display(path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    path = Path(path).absolute()
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)
