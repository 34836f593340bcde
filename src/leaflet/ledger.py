"""What each source's last build read and made, kept in the build folder, so that a build of
unchanged inputs is known from digests alone, before any source is read."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from . import project
from .errors import CatalogueError, display
from .files import write_atomically
from .paths import LABELS, PACKAGE, PICTURE_INDEX, STYLES, TEMPLATES

LEDGER = ".leaflet-ledger.json"
STAMPS = ".leaflet-build.json"  # in each output folder: the fingerprint of each format's files
VERSION = 1
TOOLS = ("espeak-ng", "ffmpeg")  # the programs whose absence skips a format
KEPT_CHOICES = 4  # the ledgers of this many different sets of options are kept


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def choices(formats: list[str], languages: list[str] | None, settings: dict,
            flags: dict[str, bool]) -> str:
    """A digest of everything a build depends on besides its sources and their catalogues:
    the options, the code and the project's files (code_digest), and every label
    catalogue, which every language's outputs use."""
    own = project.current()
    labels = [*sorted(own.locales.glob("*/LC_MESSAGES/leaflet.po")),
              *sorted(LABELS.glob("*/LC_MESSAGES/leaflet.po"))]
    read = [[str(path), digest(_catalogue(path))] for path in labels]
    return digest(json.dumps([VERSION, formats, languages, settings, flags, own.languages, read,
                              code_digest(), _tools()], sort_keys=True).encode())


def _catalogue(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CatalogueError(f"cannot read the catalogue: {error.strerror}; make it a readable "
                             "file, or remove it", display(path)) from None


def _tools() -> list:
    """Where the programs a build runs are, and when each was installed: a format skipped for
    want of one (audio without espeak-ng) is tried again once it is there."""
    import os
    import shutil

    found = []
    for name in TOOLS:
        path = shutil.which(name)
        found.append([name, path, path and os.stat(path).st_mtime_ns])
    return found


@dataclass
class SourceInputs:
    """What planning read of one source: the digests of the bytes it used, the review lines
    it printed and the days over which those lines stay the same."""

    id: str
    source: str  # digest of the source
    catalogues: dict[str, str | None] = field(default_factory=dict)  # language: digest, or
    # None for a catalogue this build does not use
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    since: str = ""  # ISO dates: the lines hold from `since` to the day before `until`
    until: str | None = None


@dataclass(frozen=True)
class Kept:
    """An unchanged source: its lines to print again, and its jobs as (target, status)."""

    id: str
    source: Path
    warnings: list[str]
    skipped: list[str]
    jobs: list[tuple[Path, str]]


class Ledger:
    def __init__(self, out: Path, key: str):
        self.out, self.key = out, key
        try:
            stored = json.loads((out / LEDGER).read_text(encoding="utf-8"))
            self._all = stored["choices"] if stored.get("version") == VERSION else {}
        except (OSError, ValueError, LookupError, TypeError, AttributeError):
            self._all = {}
        if not isinstance(self._all, dict):
            self._all = {}
        entries = self._all.get(key)
        self.entries: dict[str, dict] = entries if isinstance(entries, dict) else {}

    def split(self, sources: list[Path], day: date) -> tuple[list[Kept], list[Path]]:
        """The sources whose inputs and outputs are as the ledger has them, and the others."""
        kept, changed, stamps = [], [], {}
        for source in sources:
            entry = self.entries.get(_name(source))
            try:
                if entry is not None and self._unchanged(source, entry, day, stamps):
                    kept.append(Kept(entry["id"], source, list(entry["warnings"]),
                                     list(entry["skipped"]),
                                     [(self.out / targets[0], status)
                                      for _, _, _, status, targets in entry["jobs"]]))
                    continue
            except (OSError, ValueError, LookupError, TypeError, AttributeError):
                pass  # unreadable or altered: planned as changed
            changed.append(source)
        return kept, changed

    def _unchanged(self, source: Path, entry: dict, day: date, stamps: dict) -> bool:
        from .i18n.labels import catalogue_languages, catalogue_path

        if not (entry["since"] <= day.isoformat() and (entry["until"] is None
                                                       or day.isoformat() < entry["until"])):
            return False
        if digest(source.read_bytes()) != entry["source"]:
            return False
        leaflet_id, read = entry["id"], entry["catalogues"]
        if catalogue_languages(leaflet_id) != sorted(read):
            return False
        for language, was in read.items():
            if was is not None and digest(catalogue_path(language, leaflet_id).read_bytes()) != was:
                return False
        for folder, name, fingerprint, status, targets in entry["jobs"]:
            if folder not in stamps:
                try:
                    stamps[folder] = json.loads((self.out / folder / STAMPS).read_text())
                except (OSError, ValueError):
                    stamps[folder] = {}
            if status.startswith("skipped"):
                continue
            if stamps[folder].get(name) != fingerprint or not all(
                    (self.out / target).is_file() for target in targets):
                return False
        return True

    def remember(self, read: dict[Path, SourceInputs], jobs: list, statuses: dict) -> None:
        """Record the sources of a build that ended without an error, and write the ledger."""
        made: dict[Path, list] = {}
        for job in jobs:
            status = statuses[job]
            made.setdefault(job.source, []).append([
                _relative(job.folder, self.out), job.format.name, job.fingerprint,
                status if status.startswith("skipped") else "up to date",
                [_relative(target, self.out) for target in job.targets]])
        for source, inputs in read.items():
            self.entries[_name(source)] = {
                "id": inputs.id, "source": inputs.source, "catalogues": inputs.catalogues,
                "warnings": inputs.warnings, "skipped": inputs.skipped, "since": inputs.since,
                "until": inputs.until, "jobs": made.get(source, [])}
        self._all.pop(self.key, None)
        self._all[self.key] = self.entries  # the most recent last
        while len(self._all) > KEPT_CHOICES:
            self._all.pop(next(iter(self._all)))
        self.out.mkdir(parents=True, exist_ok=True)
        write_atomically(self.out / LEDGER, json.dumps(
            {"version": VERSION, "choices": self._all}, sort_keys=False).encode())


def _name(source: Path) -> str:
    return str(source.resolve())


def _relative(path: Path, out: Path) -> str:
    return Path(path).relative_to(out).as_posix()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the code and package data, and of the project's settings, styles, pictures
    and branding, so that changing any of them rebuilds."""
    own = project.current()
    hasher = hashlib.sha256(sys.version.encode())
    ours = [own.config, *own.styles.glob("*.css"), *own.pictures.glob("*"), *own.branding.glob("*")]
    for root, files in ((PACKAGE, _package_files()), (own.root, ours)):
        _hash_files(hasher, root, files)
    return hasher.hexdigest()


@lru_cache(maxsize=1)
def package_digest() -> str:
    """A digest of the package's code and data alone: what two machines must share to give the
    same outputs."""
    hasher = hashlib.sha256()
    _hash_files(hasher, PACKAGE, _package_files())
    return hasher.hexdigest()


def _package_files() -> list[Path]:
    return [*PACKAGE.rglob("*.py"), *TEMPLATES.glob("*"), *STYLES.glob("*.css"), PICTURE_INDEX,
            *(PACKAGE / "data" / "healthicons").glob("*.svg")]


def _hash_files(hasher, root: Path, files: list[Path]) -> None:
    for path in sorted(path for path in files if path.is_file()):
        hasher.update(path.relative_to(root).as_posix().encode())
        hasher.update(path.read_bytes())
