"""Keep the catalogues in step with the sources: templates (.pot) and catalogues (.po).

`leaflet catalogues [LANG ...]` does it for a project's leaflets. The tool's own labels are kept
in the package, from the tool's repository: `python -m leaflet.i18n.upkeep labels [LANG ...]`.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from .. import project
from ..errors import LeafletError, display
from ..paths import LABELS, PACKAGE
from . import pofile
from .labels import DOMAIN as LABELS_DOMAIN

# Mapping files of our own: a project's babel.cfg is for people running pybabel by hand.
LEAFLET_MAPPING = PACKAGE / "data" / "babel-leaflet.cfg"
LABELS_MAPPING = PACKAGE / "data" / "babel-labels.cfg"
# Labels with plural forms are marked N_plural(singular, plural) (spoken.py): the arguments.
PLURAL_KEYWORD = ("N_plural", (1, 2))


def update(new_languages: list[str]) -> list[Path]:
    """Every leaflet's template, then its catalogue in each new and existing language, and
    label catalogues in the project for languages the tool has no labels for."""
    own = project.current()
    for language in new_languages:
        _check_language(language)
    changed = []
    for source in own.sources():
        template = own.locales / f"{source.stem}.pot"
        if _extract(source, template, LEAFLET_MAPPING, _leaflet_options(source), own.root):
            changed.append(template)
        changed += _update_domain(source.stem, template, own.locales, new_languages)
    languages = sorted({*new_languages, *_languages(own.locales, "*")})
    missing = [language for language in languages
               if not (LABELS / language / "LC_MESSAGES" / f"{LABELS_DOMAIN}.po").exists()]
    changed += _update_domain(LABELS_DOMAIN, LABELS / f"{LABELS_DOMAIN}.pot", own.locales,
                              missing)
    return changed


def update_labels(new_languages: list[str], folder: Path = LABELS) -> list[Path]:
    """The tool's own labels: extract them from the package's code and templates into
    `folder`/leaflet.pot, and update each catalogue there."""
    from .. import __version__

    template = folder / f"{LABELS_DOMAIN}.pot"
    # Code lines move with every change: label locations would only churn the template.
    name, arguments = PLURAL_KEYWORD
    options = ["--project", "leaflet", "--version", __version__, "--no-location",
               "--keyword", f"{name}:{','.join(map(str, arguments))}"]
    changed = [template] if _extract(PACKAGE, template, LABELS_MAPPING, options, PACKAGE) else []
    return changed + _update_domain(LABELS_DOMAIN, template, folder, new_languages)


def _update_domain(domain: str, template_path: Path, locales: Path,
                   new_languages: list[str]) -> list[Path]:
    """Start a catalogue for each new language and update every existing one to the template
    (changed strings become fuzzy, removed ones obsolete); returns those that changed."""
    if not template_path.exists():
        return []
    template = pofile.read(template_path)
    written = []
    for language in sorted(set(_languages(locales, domain)) | set(new_languages)):
        path = locales / language / "LC_MESSAGES" / f"{domain}.po"
        if path.exists():
            catalog = pofile.read(path, locale=language)
            catalog.update(template)
            # Babel keeps the old address: questions about the text go to today's publisher.
            catalog.msgid_bugs_address = template.msgid_bugs_address
        else:
            catalog = pofile.read(template_path, locale=language)
            catalog.fuzzy = False
            catalog.extra_headers = [(pofile.REVIEW_HEADER, "draft")]
        before = path.read_bytes() if path.exists() else b""
        pofile.write(path, catalog, include_previous=True)
        if path.read_bytes() != before:
            written.append(path)
    return written


def _languages(locales: Path, domain: str) -> list[str]:
    return sorted({path.parent.parent.name for path in locales.glob(f"*/LC_MESSAGES/{domain}.po")})


def _check_language(language: str) -> None:
    from ..languages import is_known

    if "-" in language or not is_known(language):
        raise LeafletError(f"unknown language '{language}'; give a code such as cy, pl or ar "
                           "(with a region if needed: pt_BR)") from None


def _extract(origin: Path, target: Path, mapping: Path, options: list[str], root: Path) -> bool:
    """Extract `origin` with pybabel into `target`; write it only when its messages changed."""
    with tempfile.TemporaryDirectory(prefix=f"leaflet-{os.getpid()}-") as folder:
        fresh = Path(folder) / target.name
        _pybabel(root, "extract", "-F", str(mapping), "--sort-by-file", "-c", "TRANSLATORS:",
                 "--width", "79", *options, "-o", str(fresh),
                 os.path.relpath(origin, root))
        if target.exists() and _same_messages(pofile.read(target), pofile.read(fresh)):
            return False
        pofile.replace(target, fresh.read_bytes())
    return True


def _same_messages(old, new) -> bool:
    def key(catalog):
        return [(m.id, m.string, m.locations, m.auto_comments, sorted(m.flags)) for m in catalog
                if m.id] + [catalog.project, catalog.version]
    return key(old) == key(new)


def _leaflet_options(source: Path) -> list[str]:
    from ..source import load

    leaflet = load(display(source))
    return ["--project", leaflet.id, "--version", leaflet.reviewed.isoformat(),
            "--copyright-holder", leaflet.publisher.name.plain,
            "--msgid-bugs-address", leaflet.publisher.contact]


def _pybabel(root: Path, *args: str) -> None:
    """Run a pybabel command in this process, from `root` (locations are relative to it)."""
    from babel.messages.frontend import CommandLineInterface

    previous = Path.cwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            CommandLineInterface().run(["pybabel", "--quiet", *args])
    finally:
        os.chdir(previous)


def main(argv: list[str]) -> int:
    if argv[:1] != ["labels"]:
        print("usage: python -m leaflet.i18n.upkeep labels [LANG ...]", file=sys.stderr)
        return 2
    try:
        for path in update_labels(argv[1:]):
            print(f"updated {display(path)}")
    except LeafletError as error:
        for line in error.lines():
            print(f"leaflet: {line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
