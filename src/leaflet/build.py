"""Plan (leaflet x language x format), skip what is up to date, render in parallel, write atomically."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import CatalogueError, LeafletError, LeafletErrors, Unsupported
from .model import Leaflet
from .paths import PACKAGE, PROJECT, SOURCE, STYLES
from .render import FORMATS, Format, Options
from .source import load

STAMPS = ".leaflet-build.json"


@dataclass(frozen=True, eq=False)
class Job:
    source: Path
    language: str  # the output folder: the language code of the text
    format: Format
    folder: Path
    leaflet: Leaflet
    fingerprint: str
    options: Options

    @property
    def targets(self) -> list[Path]:
        return [self.folder / f"{self.leaflet.id}{suffix}" for suffix in self.format.suffixes]

    @property
    def target(self) -> Path:
        return self.targets[0]


def output_folder(leaflet: Leaflet, out: Path, language: str) -> Path:
    return out / leaflet.id / language


def language_code(leaflet: Leaflet) -> str:
    """The folder name of a leaflet's own language: en for en-GB."""
    return leaflet.language.split("-")[0]


@dataclass(frozen=True)
class Plan:
    jobs: list[Job]
    skipped: list[str]  # one line for each language left out, saying why
    warnings: tuple[str, ...] = ()  # lines that do not stop the build, e.g. a review due soon


def plan(sources: list[Path], formats: list[str], out: Path, languages: list[str] | None = None,
         allow_incomplete: bool = False, settings: dict | None = None,
         progress: bool = False, allow_overdue: bool = False) -> Plan:
    """Every job for `sources` in every language (or those in `languages`).

    Raises LeafletErrors for every mistake in sources and catalogues before anything is
    written. An incomplete translation is left out with a line in `skipped`, or is an error
    when its language was asked for by name. An overdue leaflet is an error, or with
    `allow_overdue` is built with an overdue notice in every output.
    """
    from .check import problems, warnings
    from .review import is_overdue, today, with_overdue_notice

    leaflets, errors = [], []
    for source in sources:
        try:
            leaflets.append((source, load(source)))
        except LeafletError as error:
            errors.append(error)
        else:
            # the review policy, and the rules of the formats asked for
            errors.extend(problems(leaflets[-1][1], formats, allow_overdue))
    if errors:
        raise LeafletErrors(errors)
    jobs, skipped = [], []
    day = today()
    notes = tuple(line for _, leaflet in leaflets for line in warnings(leaflet))
    settings = settings or {}
    for source, leaflet in leaflets:
        try:
            variants, left_out = _variants(source, leaflet, languages, allow_incomplete)
        except LeafletError as error:
            errors.append(error)
            continue
        skipped += left_out
        for language, variant, inputs in variants:
            if is_overdue(variant, day):  # allowed: the notice says so, in every output
                variant, inputs = with_overdue_notice(variant), [*inputs, b"overdue"]
            folder = output_folder(variant, out, language)
            for name in formats:
                # A page offers the narration only if this build makes it, with a voice that is
                # there: every setting counts.
                narrated = FORMATS[name].narration in formats
                chosen = json.dumps([settings, narrated], sort_keys=True).encode()
                fingerprint = _digest(b"\0".join([name.encode(), *inputs, chosen,
                                                  code_digest().encode()]))
                jobs.append(Job(source, language, FORMATS[name], folder, variant, fingerprint,
                                Options(cache=out / ".cache", settings=settings,
                                        progress=progress, narrated=narrated)))
    if errors:
        raise LeafletErrors(errors)
    return Plan(jobs, skipped, notes)


def _variants(source: Path, leaflet: Leaflet, languages: list[str] | None, allow_incomplete: bool):
    """(folder language, leaflet, input bytes) for the source language and each translation."""
    from .i18n.labels import catalogue_languages

    own = language_code(leaflet)
    available = catalogue_languages(leaflet.id)
    unknown = [code for code in languages or [] if code != own and code not in available]
    if unknown:
        raise CatalogueError(f"no catalogue for '{unknown[0]}' for leaflet '{leaflet.id}'; start "
                             f"one with: make po LANGS={unknown[0]}", str(source))
    variants = []
    if languages is None or own in languages:
        variants.append((own, leaflet, [source.read_bytes()]))
    errors, skipped = [], []
    for language in available:
        if languages is not None and language not in languages:
            continue
        from .i18n.catalog import translate

        try:
            translation = translate(leaflet, language, allow_incomplete)
        except LeafletError as error:
            errors.append(error)
            continue
        if not translation.complete and not allow_incomplete:
            message = (f"{leaflet.id} in '{language}' not built: {translation.shortfall()}; "
                       "finish the translation, or build with --allow-incomplete")
            if languages is not None:
                errors.append(CatalogueError(message))
            else:
                skipped.append(message)
            continue
        inputs = [source.read_bytes(), translation.content.read_bytes(),
                  translation.labels.read_bytes() if translation.labels.exists() else b"",
                  b"allow-incomplete" if allow_incomplete else b""]
        variants.append((language, translation.leaflet, inputs))
    if errors:
        raise LeafletErrors(errors)
    return variants, skipped


def run(jobs: list[Job], force: bool = False, progress=None, workers: Workers | None = None,
        strict: bool = False) -> dict[Job, str]:
    """Build the jobs that are not up to date; returns each job's status.

    A status is "built", "up to date" or "skipped: <reason>". With `strict`, a format that
    cannot be made for a leaflet is an error instead of a skip.
    """
    progress = progress or (lambda *_: None)
    todo = [job for job in jobs if force or not is_up_to_date(job)]
    statuses = {job: "up to date" for job in jobs}
    for done, job in enumerate(jobs, 1):
        if job not in todo:
            progress(done, len(jobs), job, "up to date")
    finished = len(jobs) - len(todo)
    own = Workers([job.format.name for job in todo], len(todo)) \
        if workers is None and len(todo) > 1 else None
    pool = own or workers
    try:
        rendered = pool.render(todo) if pool else map(_render_here, todo)
        # Imported here, while the workers render: the checks a format's files must pass.
        checks = {job.format.name: job.format.checker() for job in todo}
        for job, files, seconds in rendered:
            if isinstance(files, Unsupported):
                if strict:
                    raise files
                statuses[job] = f"skipped: {files.message}"
            else:
                if checks[job.format.name]:
                    checks[job.format.name](job.leaflet, files)  # refuses, naming the problem
                for suffix, data in files.items():
                    write_atomically(job.folder / f"{job.leaflet.id}{suffix}", data)
                _record(job)
                statuses[job] = f"built in {seconds:.1f} s"
            finished += 1
            progress(finished, len(jobs), job, statuses[job])
    finally:
        if own:
            own.close()
    return statuses


def _render_here(job: Job):
    """Render in this process: one light job is not worth starting a worker for."""
    _, files, seconds = _render_indexed((0, job))
    return job, files, seconds


def render_job(job: Job) -> tuple[dict[str, bytes], float]:
    started = time.perf_counter()
    files = job.format.render(job.leaflet, job.options)
    return files, time.perf_counter() - started


class Workers:
    """Worker processes that import the renderers while the parent reads the sources.

    Importing WeasyPrint takes most of a second; started first, it overlaps with loading and
    validating, and jobs run on every core.
    """

    def __init__(self, formats: list[str], jobs: int):
        import multiprocessing

        modules = sorted({FORMATS[name].module for name in formats})
        processes = max(1, min(jobs, os.cpu_count() or 1))
        context = multiprocessing.get_context("fork")
        self._pool = context.Pool(processes, initializer=_import_renderers, initargs=(modules,))

    def render(self, jobs: list[Job]):
        """Start every job now; iterate (job, files, seconds) in the order they finish."""
        finished = self._pool.imap_unordered(_render_indexed, enumerate(jobs))
        return ((jobs[index], files, seconds) for index, files, seconds in finished)

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_) -> None:
        self.close()


def _import_renderers(modules: list[str]) -> None:
    from importlib import import_module

    for name in modules:
        module = import_module(f"leaflet.render.{name}")
        getattr(module, "warm_up", lambda: None)()


def _render_indexed(indexed: tuple[int, Job]) -> tuple[int, dict[str, bytes] | Unsupported, float]:
    """Render one job; a format the leaflet cannot have comes back as a value, not a raise."""
    index, job = indexed
    try:
        return (index, *render_job(job))
    except Unsupported as unsupported:
        return index, unsupported, 0.0


def write_atomically(target: Path, data: bytes) -> None:
    """Write beside the target, then rename: readers never see half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def is_up_to_date(job: Job) -> bool:
    return (all(target.exists() for target in job.targets)
            and _stamps(job.folder).get(job.format.name) == job.fingerprint)


def _record(job: Job) -> None:
    stamps = _stamps(job.folder)
    stamps[job.format.name] = job.fingerprint
    write_atomically(job.folder / STAMPS,
                     json.dumps(stamps, indent=1, sort_keys=True).encode())


def _stamps(folder: Path) -> dict[str, str]:
    try:
        return json.loads((folder / STAMPS).read_text())
    except (OSError, ValueError):
        return {}


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the code, templates and styles, so that changing them rebuilds."""
    hasher = hashlib.sha256(sys.version.encode())
    files = sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("templates/*"),
                    *STYLES.glob("*.css"), *(SOURCE / "pictures").glob("*")])  # picture library
    for path in files:
        hasher.update(path.relative_to(PROJECT).as_posix().encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
