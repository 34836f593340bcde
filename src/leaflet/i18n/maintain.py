"""Keep the catalogues in step with the sources: templates (.pot), catalogues (.po), .mo files.

Run by `make pot`, `make po LANGS="cy pl"` and `make` (compile), as
`python -m leaflet.i18n.maintain pot|po|mo [LANG ...]`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from ..errors import LeafletError
from ..paths import LOCALES, PACKAGE, PROJECT, SOURCE
from . import pofile
from .catalog import display
from .labels import DOMAIN as LABELS_DOMAIN

BABEL_CFG = PROJECT / "babel.cfg"


def domains() -> dict[str, Path]:
    """Each gettext domain and what its messages are extracted from."""
    found = {LABELS_DOMAIN: PACKAGE}
    found.update({source.stem: source for source in sorted(SOURCE.glob("*.yaml"))})
    return found


def update_templates() -> list[Path]:
    """Extract every domain with pybabel; rewrite a .pot only when its messages changed."""
    changed = []
    for domain, origin in domains().items():
        target = LOCALES / f"{domain}.pot"
        with tempfile.TemporaryDirectory() as folder:
            fresh = Path(folder) / target.name
            _pybabel("extract", "-F", str(BABEL_CFG), "--sort-by-file", "-c", "TRANSLATORS:",
                     "--width", "79", *_project_options(domain, origin),
                     "-o", str(fresh), str(origin.relative_to(PROJECT)))
            if target.exists() and _same_messages(pofile.read(target), pofile.read(fresh)):
                continue
            LOCALES.mkdir(exist_ok=True)
            target.write_bytes(fresh.read_bytes())
            changed.append(target)
    return changed


def update_catalogues(new_languages: list[str]) -> list[Path]:
    """Start a catalogue for each new language, and update every existing one to its template;
    returns the catalogues that changed."""
    written = []
    for domain in domains():
        template_path = LOCALES / f"{domain}.pot"
        if not template_path.exists():
            continue
        existing = sorted(path.parent.parent.name
                          for path in LOCALES.glob(f"*/LC_MESSAGES/{domain}.po"))
        for language in sorted(set(existing) | set(new_languages)):
            path = LOCALES / language / "LC_MESSAGES" / f"{domain}.po"
            template = pofile.read(template_path)
            if path.exists():
                catalog = pofile.read(path, locale=language)
                catalog.update(template)  # changed strings become fuzzy, removed ones obsolete
            else:
                catalog = pofile.read(template_path, locale=language)
                catalog.fuzzy = False
                catalog.extra_headers = [(pofile.REVIEW_HEADER, "draft")]
            before = path.read_bytes() if path.exists() else b""
            pofile.write(path, catalog, include_previous=True)
            if path.read_bytes() != before:
                written.append(path)
    return written


def compile_catalogues() -> None:
    """Compile every .po into its .mo (untranslated and fuzzy entries are left out)."""
    for domain in domains():
        if any(LOCALES.glob(f"*/LC_MESSAGES/{domain}.po")):
            _pybabel("compile", "-d", str(LOCALES), "-D", domain)


def _same_messages(old, new) -> bool:
    def key(catalog):
        return [(m.id, m.string, m.locations, m.auto_comments, sorted(m.flags)) for m in catalog
                if m.id] + [catalog.project, catalog.version]
    return key(old) == key(new)


def _project_options(domain: str, origin: Path) -> list[str]:
    if domain == LABELS_DOMAIN:
        from .. import __version__

        # Code lines move with every change: label locations would only churn the template.
        return ["--project", "leaflet", "--version", __version__, "--no-location"]
    from ..source import load

    leaflet = load(origin)
    return ["--project", leaflet.id, "--version", leaflet.reviewed.isoformat(),
            "--copyright-holder", leaflet.publisher.name.plain,
            "--msgid-bugs-address", leaflet.publisher.contact]


def _pybabel(*args: str) -> None:
    """Run a pybabel command in this process, from the project folder."""
    import contextlib
    import os

    from babel.messages.frontend import CommandLineInterface

    previous = Path.cwd()
    os.chdir(PROJECT)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            CommandLineInterface().run(["pybabel", "--quiet", *args])
    finally:
        os.chdir(previous)


def main(argv: list[str]) -> int:
    try:
        if argv[:1] == ["pot"]:
            for path in update_templates():
                print(f"updated {display(path)}")
        elif argv[:1] == ["po"]:
            for path in update_catalogues(argv[1:]):
                print(f"updated {display(path)}")
        elif argv[:1] == ["mo"]:
            compile_catalogues()
        else:
            print("usage: python -m leaflet.i18n.maintain pot | po [LANG ...] | mo", file=sys.stderr)
            return 2
    except LeafletError as error:
        for line in error.lines():
            print(f"leaflet: {line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
