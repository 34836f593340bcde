"""The project: the folder with `leaflet.toml` at its root, found as git finds its repository."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from . import characters, limits
from .addresses import EMAIL, PHONE, feedback_problem, url_problem
from .errors import LeafletError, LeafletErrors, MarkupError, Origin, ProjectError, display

CONFIG = "leaflet.toml"
DEFAULT_REVIEW_YEARS = 3
LOGO_SUFFIXES = (".svg", ".png")
CONFIG_BYTES = 65_536
TOP_KEYS = ("organisation", "base_url", "languages", "review_interval", "accent")
ORGANISATION_KEYS = ("name", "logo", "logo_alt", "phone", "hours", "email", "address", "website",
                     "feedback")
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Organisation:
    """Who publishes the leaflets: on every leaflet unless its source says otherwise."""

    name: str = ""
    logo: Path | None = None  # inside the project
    logo_alt: str = ""
    phone: str = ""
    hours: str = ""  # when the phone is answered, e.g. "Monday to Friday, 9am to 5pm"
    email: str = ""
    address: str = ""
    website: str = ""
    feedback: str = ""  # an e-mail or https address for comments on leaflets; default: email
    origins: dict[str, Origin] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Project:
    root: Path
    organisation: Organisation = Organisation()
    base_url: str = ""
    languages: tuple[str, ...] | None = None  # None: every language with a catalogue
    review_years: int = DEFAULT_REVIEW_YEARS
    accent: str | None = None  # "#rrggbb", at least 4.5:1 on white

    @property
    def config(self) -> Path:
        return self.root / CONFIG

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def pictures(self) -> Path:
        return self.root / "pictures"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def styles(self) -> Path:
        return self.root / "styles"

    @property
    def branding(self) -> Path:
        return self.root / "branding"

    @property
    def build(self) -> Path:
        return self.root / "build"

    def sources(self) -> list[Path]:
        """Every leaflet source of the project: source/*.yaml."""
        return sorted(self.source.glob("*.yaml"))


def find(start: Path | None = None) -> Path | None:
    """The nearest folder from `start` (default: the current folder) upwards that holds
    leaflet.toml, or None."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG).is_file():
            return folder
    return None


def locate(explicit: Path | None = None) -> Project:
    """The project of `explicit` (--project), else of the current folder: one line if none."""
    if explicit is not None:
        if not (explicit / CONFIG).is_file():
            raise ProjectError(f"{explicit}: no {CONFIG} here; give the folder of a project, or "
                            "start one with: leaflet new DIR")
        return load(explicit)
    root = find()
    if root is None:
        raise ProjectError(f"no {CONFIG} in {Path.cwd()} or any folder above it: run this inside "
                        "a project, pass --project DIR, or start one with: leaflet new DIR")
    return load(root)


_current: Project | None = None


def use(project: Project | None) -> None:
    """Make `project` the one every module reads its paths and settings from; what the
    previous one's files made (styles read, label catalogues, digests) is forgotten."""
    global _current
    if project != _current and _current is not None:
        _forget_caches()
    _current = project


def _forget_caches() -> None:
    import sys

    for name, module in list(sys.modules.items()):
        if name.partition(".")[0] == "leaflet" and module is not None:
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def current() -> Project:
    """The project in use; on first use, the one around the current folder."""
    global _current
    if _current is None:
        _current = locate()
    return _current


def load(root: Path) -> Project:
    """Read and validate `root`/leaflet.toml: every mistake at once, each naming its line."""
    root = root.resolve()
    path = root / CONFIG
    try:
        with path.open("rb") as file:
            content = file.read(CONFIG_BYTES + 1)
    except OSError as error:
        raise LeafletError(f"cannot read {CONFIG}: {error.strerror}", display(path)) from error
    if len(content) > CONFIG_BYTES:
        raise LeafletError(f"{CONFIG} is larger than {CONFIG_BYTES // 1024} KB; it holds a few "
                           "settings only", display(path))
    return _Reader(root, path, content).project()


class _Reader:
    def __init__(self, root: Path, path: Path, content: bytes):
        self.root, self.path = root, path
        self.errors: list[LeafletError] = []
        try:
            self.text = content.decode("utf-8")
        except UnicodeDecodeError as error:
            line = content[:error.start].count(b"\n") + 1
            raise LeafletError(f"{CONFIG} is not UTF-8 text; save it as UTF-8",
                               Origin(display(path), line)) from None
        self.lines = _key_lines(self.text)

    def origin(self, *keys: str) -> Origin:
        return Origin(display(self.path), self.lines.get(keys, self.lines.get(keys[:1], 1)))

    def error(self, keys: tuple[str, ...], message: str) -> None:
        self.errors.append(LeafletError(message, self.origin(*keys)))

    def project(self) -> Project:
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as error:
            raise _syntax_error(error, self.path) from None
        except RecursionError:
            raise LeafletError(f"{CONFIG} nests lists or tables too deeply; it holds a few "
                               "settings only", Origin(display(self.path), 1)) from None
        self.unknown(data, TOP_KEYS, "")
        organisation = self.organisation(data.get("organisation", {}))
        project = Project(
            root=self.root,
            organisation=organisation,
            base_url=self.url(data, ("base_url",), "base_url") or "",
            languages=self.languages(data),
            review_years=self.review_years(data),
            accent=self.accent(data),
        )
        if self.errors:
            raise LeafletErrors(self.errors)
        return project

    def unknown(self, table: dict, known, where: str) -> None:
        for key in table:
            if key not in known:
                close = difflib.get_close_matches(key, list(known), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                place = f" in [{where}]" if where else ""
                keys = (where, key) if where else (key,)
                self.error(keys, f"unknown key '{key}'{place}{hint}; the keys are "
                                 f"{', '.join(known)}")

    def string(self, table: dict, keys: tuple[str, ...], what: str, most: int = 500) -> str | None:
        value = table.get(keys[-1])
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(keys, f"{what} must be text in quotes, not {_toml_kind(value)}")
            return None
        complaint = characters.problem(value, what)
        if complaint:
            self.error(keys, complaint)
            return None
        if not value.strip():
            self.error(keys, f"empty {what}; write it or remove the line")
            return None
        if len(value) > most:
            self.error(keys, f"{what} is {len(value):,} characters long, more than {most}")
            return None
        return value.strip()

    def organisation(self, table) -> Organisation:
        keys = ("organisation",)
        if not isinstance(table, dict):
            self.error(keys, "organisation must be a table: write [organisation] and its keys "
                             "on the lines below")
            return Organisation()
        self.unknown(table, ORGANISATION_KEYS, "organisation")
        name = self.shown_text(table, "name", limits.ID_CHARACTERS * 4)
        if name is None and "name" not in table:
            self.error(keys, "[organisation] needs a name: the organisation that publishes "
                             "the leaflets, e.g. name = \"Riverside Health\"")
        logo = self.logo(table)
        alt = self.string(table, (*keys, "logo_alt"), "logo_alt")
        if logo and not alt:
            self.error((*keys, "logo"), "the logo needs logo_alt: what it shows, for people who "
                                        "cannot see it, e.g. logo_alt = \"Riverside Health logo\"")
        phone = self.string(table, (*keys, "phone"), "organisation phone", 40)
        if phone and not PHONE.match(phone):
            self.error((*keys, "phone"), f"phone '{phone}' is not a phone number; write digits, "
                                         "spaces and an optional leading +, e.g. 0300 123 4567")
            phone = None
        email = self.string(table, (*keys, "email"), "organisation email", 254)
        if email and not EMAIL.match(email):
            self.error((*keys, "email"), f"email '{email}' is not an e-mail address")
            email = None
        feedback = self.string(table, (*keys, "feedback"), "organisation feedback", 2000)
        problem = feedback and feedback_problem(feedback, "organisation feedback")
        if problem:
            self.error((*keys, "feedback"), problem)
            feedback = None
        return Organisation(
            name=name or "", logo=logo, logo_alt=alt or "", phone=phone or "", email=email or "",
            hours=self.shown_text(table, "hours", 200) or "",
            address=self.string(table, (*keys, "address"), "organisation address") or "",
            website=self.url(table, (*keys, "website"), "organisation website") or "",
            feedback=feedback or "",
            origins={key: self.origin(*keys, key) for key in table},
        )

    def shown_text(self, table: dict, key: str, most: int) -> str | None:
        """An organisation text the leaflets show and translate: it must parse as markup."""
        value = self.string(table, ("organisation", key), f"organisation {key}", most)
        if value:
            from . import markup

            try:
                runs = markup.parse(value)
            except MarkupError as error:
                self.error(("organisation", key), f"{error} (in the organisation {key})")
                return None
            if any(run.href or run.term for run in runs):
                self.error(("organisation", key), f"organisation {key} is plain text: write the "
                           "words without a [link](...)")
                return None
        return value

    def logo(self, table: dict) -> Path | None:
        keys = ("organisation", "logo")
        value = self.string(table, keys, "logo")
        if value is None:
            return None
        path = (self.root / value).resolve()
        if not path.is_relative_to(self.root):
            self.error(keys, f"logo '{value}' is outside the project; put it in branding/")
        elif path.suffix.lower() not in LOGO_SUFFIXES:
            self.error(keys, f"logo '{value}' must be an SVG or PNG file")
        elif not path.is_file():
            self.error(keys, f"no logo file '{value}' in the project; add it, or correct "
                             "the path (e.g. branding/logo.svg)")
        else:
            return path
        return None

    def url(self, table: dict, keys: tuple[str, ...], what: str) -> str | None:
        value = self.string(table, keys, what, 2000)
        if value is None:
            return None
        problem = url_problem(value, what)
        if problem:
            self.error(keys, problem)
            return None
        return value

    def languages(self, data: dict) -> tuple[str, ...] | None:
        value = data.get("languages")
        if value is None:
            return None
        if not isinstance(value, list) or not value:
            self.error(("languages",), "languages must be a list of language codes, e.g. "
                                       "languages = [\"en\", \"cy\"]")
            return None
        from .languages import is_known

        found = []
        for item in value:
            if not (isinstance(item, str) and _LANGUAGE.match(item) and is_known(item)):
                self.error(("languages",), f"unknown language {_shown(item)} in languages; use "
                                           "codes such as en, cy, pl, ar")
                continue
            found.append(item)
        return tuple(dict.fromkeys(found))

    def review_years(self, data: dict) -> int:
        value = data.get("review_interval", DEFAULT_REVIEW_YEARS)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            self.error(("review_interval",), f"review_interval {_shown(value)} must be a whole "
                                             "number of years from 1 to 5 (3 is usual)")
            return DEFAULT_REVIEW_YEARS
        return value

    def accent(self, data: dict) -> str | None:
        value = self.string(data, ("accent",), "accent", 20)
        if value is None:
            return None
        if not _HEX.match(value):
            self.error(("accent",), f"accent '{value}' must be a colour written #rrggbb, "
                                    "e.g. \"#005eb8\"")
            return None
        ratio = contrast_on_white(value)
        if ratio < 4.5:
            self.error(("accent",), f"accent {value} has a contrast of {ratio:.1f}:1 on white, "
                                    "less than the 4.5:1 text needs (WCAG 1.4.3); choose a "
                                    "darker colour")
            return None
        return value.lower()


def contrast_on_white(colour: str) -> float:
    from .audit.contrast import contrast

    rgb = tuple(int(colour[index:index + 2], 16) / 255 for index in (1, 3, 5))
    return contrast((*rgb, 1.0), (1.0, 1.0, 1.0, 1.0))


_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\"' -]+?)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\"'.-]+?)\s*=")


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line of each table and key, for messages (tomllib gives values, not positions)."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), 1):
        header = _TABLE.match(line)
        if header:
            table = tuple(part.strip().strip("\"'") for part in header[1].split("."))
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            keys = (*table, *(part.strip("\"'") for part in key[1].split(".")))
            lines.setdefault(keys, number)
            lines.setdefault(keys[:1], number)
    return lines


def _syntax_error(error: tomllib.TOMLDecodeError, path: Path) -> LeafletError:
    """`(at line 3, column 7)` in tomllib's message becomes the origin of ours."""
    message = str(error)
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if found:
        message = message[:found.start()]
        origin = Origin(display(path), int(found[1]), int(found[2]))
    else:
        origin = Origin(display(path), 1)
    return LeafletError(f"{message[:1].lower()}{message[1:]}; {CONFIG} is TOML: "
                        "write key = \"value\" (see the project README)", origin)


def _toml_kind(value) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list",
            dict: "a table"}.get(type(value), "a date")


def _shown(value) -> str:
    return f"'{characters.shown(value)}'" if isinstance(value, str) else repr(value)
