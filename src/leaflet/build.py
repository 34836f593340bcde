"""Plan (leaflet x language x format), skip what is up to date, render in parallel, write atomically."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import LeafletError, LeafletErrors
from .model import Leaflet
from .paths import PACKAGE, PROJECT, STYLES
from .render import FORMATS, Format
from .source import load

STAMPS = ".leaflet-build.json"


@dataclass(frozen=True)
class Job:
    source: Path
    language: str  # the output folder: the language code of the text
    format: Format
    target: Path
    fingerprint: str


def output_folder(leaflet: Leaflet, out: Path, language: str) -> Path:
    return out / leaflet.id / language


def language_code(leaflet: Leaflet) -> str:
    """The folder name of a leaflet's own language: en for en-GB."""
    return leaflet.language.split("-")[0]


def plan(sources: list[Path], formats: list[str], out: Path) -> list[Job]:
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
            fmt = FORMATS[name]
            fingerprint = _digest(f"{name}\0{inputs}\0{code_digest()}".encode())
            jobs.append(Job(source, language, fmt, folder / f"{leaflet.id}{fmt.suffix}", fingerprint))
    return jobs


def run(jobs: list[Job], force: bool = False, progress=None) -> list[tuple[Job, bool]]:
    """Build the jobs that are not up to date; returns (job, built) pairs in plan order."""
    progress = progress or (lambda *_: None)
    todo = [job for job in jobs if force or not is_up_to_date(job)]
    results = {job: False for job in jobs}
    for done, job in enumerate(jobs, 1):
        if job not in todo:
            progress(done, len(jobs), job, None)
    finished = len(jobs) - len(todo)
    for job, data, seconds in _render_all(todo):
        write_atomically(job.target, data)
        _record(job)
        results[job] = True
        finished += 1
        progress(finished, len(jobs), job, seconds)
    return list(results.items())


def _render_all(jobs: list[Job]):
    """Yield (job, bytes, seconds) as each job finishes; in-process when there is one job."""
    if len(jobs) <= 1:
        for job in jobs:
            yield job, *render_job(job)
        return
    workers = min(len(jobs), os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [(job, pool.submit(render_job, job)) for job in jobs]
        for job, future in futures:
            yield job, *future.result()


def render_job(job: Job) -> tuple[bytes, float]:
    started = time.perf_counter()
    data = job.format.render(load(job.source))
    return data, time.perf_counter() - started


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
    return job.target.exists() and _stamps(job.target.parent).get(job.target.name) == job.fingerprint


def _record(job: Job) -> None:
    stamps = _stamps(job.target.parent)
    stamps[job.target.name] = job.fingerprint
    write_atomically(job.target.parent / STAMPS,
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
