"""`leaflet new`: start a project folder for a clinic from the package's data/new/ template."""

from __future__ import annotations

import json
import re
import secrets
import shutil
from datetime import date
from pathlib import Path

from . import characters, limits, markup, project
from .errors import MarkupError, ProjectError, cannot_write
from .model import Span
from .paths import NEW_PROJECT

NAME_CHARACTERS = limits.ID_CHARACTERS * 4  # as many as leaflet.toml allows for a name
PLACEHOLDER = "{{ organisation }}"
_TOML_STRING = re.compile(r'"([^"\n]*)\{\{ organisation \}\}([^"\n]*)"')
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#&~|])")
ELSEWHERE = "choose another folder for the project"


def create(folder: Path, organisation: str) -> list[Path]:
    """Copy the template into `folder` (which must not exist, or be empty) with the
    organisation's name filled in; returns the files written. A failure leaves nothing."""
    name = checked_name(organisation)
    folder = Path(folder)
    try:
        occupied = folder.exists() and (not folder.is_dir() or any(folder.iterdir()))
    except OSError as error:
        raise cannot_write(folder, error, ELSEWHERE) from None
    if occupied:
        raise ProjectError(f"{folder} already exists and is not an empty folder; {ELSEWHERE}, "
                           "or empty this one first")
    temporary = folder.parent / f".leaflet-new-{secrets.token_hex(4)}"
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        temporary.mkdir()
        made = [_copy(template, temporary / template.relative_to(NEW_PROJECT), name)
                for template in sorted(NEW_PROJECT.rglob("*")) if template.is_file()]
        if project.load(temporary).organisation.name != name:  # a bug: reported as one
            raise RuntimeError("the organisation name changed on its way through leaflet.toml")
        temporary.replace(folder)  # atomic; an empty folder in the way is replaced
    except OSError as error:
        raise cannot_write(folder, error, ELSEWHERE) from None
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return [folder / path.relative_to(temporary) for path in made]


def checked_name(organisation: str) -> str:
    """The organisation's name, stripped; one line saying what to change if it cannot be used."""
    name = organisation.strip()
    example = 'e.g. --organisation "Riverside Health"'
    if not name:
        raise ProjectError(f"the organisation name is empty; give it, {example}")
    if "\n" in name:
        raise ProjectError("the organisation name holds a line break; write it on one line")
    complaint = characters.problem(name, "the organisation name")
    if complaint:
        raise ProjectError(complaint)
    if len(name) > NAME_CHARACTERS:
        raise ProjectError(f"the organisation name is {len(name)} characters long, more than "
                           f"{NAME_CHARACTERS}; give a shorter one")
    try:
        runs = markup.parse(name)
    except MarkupError as error:
        raise ProjectError(f"the organisation name '{name}' cannot be used: {error}") from None
    if runs != (Span(name),):
        shown = "".join(run.text for run in runs)
        raise ProjectError(f"the organisation name '{name}' would print as '{shown}' (it is read "
                           "as markup); write it as it should print")
    return name


def _copy(template: Path, target: Path, name: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    if template.name == project.CONFIG:
        text = _TOML_STRING.sub(lambda found: json.dumps(found[1] + name + found[2],
                                                         ensure_ascii=False),
                                template.read_text(encoding="utf-8"))
        target.write_bytes(text.encode("utf-8"))
    elif template.suffix == ".yaml":  # the example leaflet: reviewed today
        text = template.read_text(encoding="utf-8")
        for placeholder, day in _review_dates().items():
            text = text.replace(placeholder, day.isoformat())
        target.write_bytes(text.encode("utf-8"))
    elif template.suffix == ".md":
        text = template.read_text(encoding="utf-8")
        target.write_bytes(text.replace(PLACEHOLDER, markdown_text(name)).encode("utf-8"))
    else:
        shutil.copyfile(template, target)
    return target


def _review_dates() -> dict[str, date]:
    """The example's review dates: today (SOURCE_DATE_EPOCH if set) and the default interval
    after it, so that a new project builds whatever the day."""
    from .review import today
    from .source.schema import years_after

    reviewed = today()
    return {"{{ reviewed }}": reviewed,
            "{{ next_review }}": years_after(reviewed, project.DEFAULT_REVIEW_YEARS)}


def markdown_text(text: str) -> str:
    """`text` escaped so that Markdown shows it as it is: no emphasis, link, tag or heading end."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
