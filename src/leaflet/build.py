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

from .errors import LeafletError, LeafletErrors, Unsupported
from .model import Leaflet
from .paths import PACKAGE, PROJECT, STYLES
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


def plan(sources: list[Path], formats: list[str], out: Path, settings: dict | None = None,
         progress: bool = False) -> list[Job]:
    """Every job for `sources`; raises LeafletErrors for all mistakes before anything is written."""
    leaflets, errors = [], []
    for source in sources:
        try:
            leaflets.append((source, load(source)))
        except LeafletError as error:
            errors.append(error)
    if errors:
        raise LeafletErrors(errors)
    jobs = []
    for source, leaflet in leaflets:
        language = language_code(leaflet)
        folder = output_folder(leaflet, out, language)
        inputs = _digest(source.read_bytes())
        for name in formats:
            choices = json.dumps(settings or {}, sort_keys=True)  # e.g. --tts: a new choice rebuilds
            fingerprint = _digest(f"{name}\0{inputs}\0{code_digest()}\0{choices}".encode())
            jobs.append(Job(source, language, FORMATS[name], folder, leaflet, fingerprint,
                            Options(cache=out / ".cache", settings=dict(settings or {}),
                                    progress=progress)))
    return jobs


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
    for job, files, seconds in _render_all(todo, workers):
        if isinstance(files, Unsupported):
            if strict:
                raise files
            statuses[job] = f"skipped: {files.message}"
        else:
            for suffix, data in files.items():
                write_atomically(job.folder / f"{job.leaflet.id}{suffix}", data)
            _record(job)
            statuses[job] = f"built in {seconds:.1f} s"
        finished += 1
        progress(finished, len(jobs), job, statuses[job])
    return statuses


def _render_all(jobs: list[Job], workers: Workers | None):
    """Yield (job, files, seconds) as each job finishes."""
    if not jobs:
        return
    if workers is None and len(jobs) == 1:
        yield jobs[0], *_render_indexed((0, jobs[0]))[1:]
        return
    with workers or Workers([job.format.name for job in jobs], len(jobs)) as pool:
        for index, files, seconds in pool.render(jobs):
            yield jobs[index], files, seconds


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
        """Yield (index, files, seconds) in the order jobs finish."""
        yield from self._pool.imap_unordered(_render_indexed, enumerate(jobs))

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_) -> None:
        self.close()


def _import_renderers(modules: list[str]) -> None:
    from importlib import import_module

    for module in modules:
        import_module(f"leaflet.render.{module}")


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
                    *STYLES.glob("*.css")])
    for path in files:
        hasher.update(path.relative_to(PROJECT).as_posix().encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
