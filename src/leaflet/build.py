"""Plan (leaflet x language x format), skip what is up to date, render in parallel, write atomically."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import (CatalogueError, LeafletError, LeafletErrors, Unsupported, display, ended,
                     found_in)
from .files import write_atomically
from .model import Leaflet
from . import project
from .versions import Versions
from .ledger import STAMPS, code_digest, digest
from .render import FORMATS, Format, Options
from .source import load

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
    from .languages import primary

    return primary(leaflet.language)


@dataclass(frozen=True)
class Plan:
    jobs: list[Job]
    skipped: list[str]  # one line for each language left out, saying why
    warnings: tuple[str, ...] = ()  # lines that do not stop the build, e.g. a review due soon
    read: dict = field(default_factory=dict)  # source: ledger.SourceInputs, what planning read


def plan(sources: list[Path], formats: list[str], out: Path, languages: list[str] | None = None,
         allow_incomplete: bool = False, settings: dict | None = None,
         meter: type | None = None, allow_overdue: bool = False,
         taken: dict[str, Path] | None = None) -> Plan:
    """Every job for `sources` in every language (or those in `languages`).

    Raises LeafletErrors for every mistake in sources and catalogues before anything is
    written. An incomplete translation is left out with a line in `skipped`, or is an error
    when its language was asked for by name. An overdue leaflet is an error, or with
    `allow_overdue` is built with an overdue notice in every output. `taken` holds the ids
    of the build's other sources: no two sources may share an id, or one would overwrite
    the other's outputs.
    """
    from .check import KeptFindings, problems, warnings
    from .ledger import SourceInputs
    from .render import checked_settings
    from .review import is_overdue, steady_until, today, with_overdue_notice

    settings = settings or {}
    typed = checked_settings(settings)  # a wrong setting stops the build before anything else

    leaflets, errors, read = [], [], {}
    kept = KeptFindings(out / ".cache")
    ids = dict(taken or {})
    day = today()
    for source in sources:
        try:
            data = source.read_bytes()  # before load: a later edit can only make it rebuild
            leaflet = load(source)
        except OSError as error:
            errors.append(LeafletError(f"cannot read the source: {error.strerror}", str(source)))
            continue
        except LeafletError as error:
            errors.append(error)
            continue
        if leaflet.id in ids and ids[leaflet.id] != source:
            errors.append(LeafletError(
                f"id '{leaflet.id}' is also the id of {ids[leaflet.id]}; give each leaflet its "
                "own id, or one would overwrite the other's outputs", str(source)))
            continue
        ids[leaflet.id] = source
        leaflets.append((source, leaflet, data))
        # the review policy, and the rules of the formats asked for
        errors.extend(problems(leaflet, formats, allow_overdue, kept))
        until = steady_until(leaflet, day)
        read[source] = SourceInputs(leaflet.id, digest(data), warnings=warnings(leaflet),
                                    since=day.isoformat(), until=until and until.isoformat())
    if errors:
        raise LeafletErrors(errors)
    jobs, skipped = [], []
    notes = tuple(line for inputs in read.values() for line in inputs.warnings)
    for source, leaflet, data in leaflets:
        try:
            variants, left_out = _variants(source, leaflet, data, languages, allow_incomplete,
                                           read[source].catalogues, formats, kept)
        except LeafletError as error:
            errors.append(error)
            continue
        skipped += left_out
        read[source].skipped = left_out
        built = Versions(tuple(formats), tuple(language for language, _, _ in variants))
        for language, variant, inputs in variants:
            if is_overdue(variant, day):  # allowed: the notice says so, in every output
                variant, inputs = with_overdue_notice(variant), [*inputs, b"overdue"]
            folder = output_folder(variant, out, language)
            speakable = _speakable(variant, typed)
            fingerprints, listens = {}, {}
            for name in formats:
                # A page offers the narration only if this build makes it, with a voice that is
                # there: every setting counts. A book carries it whenever there is a voice.
                listens[name] = (FORMATS[name].from_narration or FORMATS[name].narration in formats) \
                    and speakable() is None
                chosen = json.dumps([settings, listens[name], built.formats, built.languages],
                                    sort_keys=True).encode()
                fingerprints[name] = digest(b"\0".join([name.encode(), *inputs, chosen,
                                                        code_digest().encode()]))
            if any(FORMATS[name].from_narration for name in formats) and speakable():
                unspoken = f"{leaflet.id} in '{language}': the EPUB is made without its " \
                           f"narration ({speakable()})"
                skipped.append(unspoken)
                read[source].skipped = [*read[source].skipped, unspoken]
            for name in formats:
                if not _made_in(FORMATS[name], language, leaflet):
                    continue
                fingerprint = fingerprints[name]
                # Made from other files: theirs count too (every file a page links; a book's
                # narration).
                before = [other for other in formats if FORMATS[other].stage < FORMATS[name].stage
                          and (FORMATS[name].links or other == FORMATS[name].narration)]
                if before:
                    fingerprint = digest(" ".join(fingerprints[other] for other in before).encode()
                                         + fingerprint.encode())
                jobs.append(Job(source, language, FORMATS[name], folder, variant, fingerprint,
                                Options(cache=out / ".cache", settings=typed, meter=meter,
                                        listen=listens[name], versions=built,
                                        original=leaflet if FORMATS[name].languages else None)))
    if errors:
        raise LeafletErrors(errors)
    kept.save()
    return Plan(jobs, skipped, notes, read)


def _made_in(format: Format, language: str, source: Leaflet) -> bool:
    """A format of translations into some languages only (bilingual) is made of those."""
    from .languages import primary

    return not format.languages or (primary(language) in format.languages
                                    and primary(language) != primary(source.language))


def _speakable(leaflet: Leaflet, settings: dict):
    """Why the narration cannot be made in the leaflet's language with the chosen engine and
    voice (None: it can), asked once and only if a page or book would carry it."""
    @lru_cache(maxsize=1)
    def ask() -> str | None:
        from .render.audio import why_unspoken

        return why_unspoken(leaflet, settings)
    return ask


def _variants(source: Path, leaflet: Leaflet, data: bytes, languages: list[str] | None,
              allow_incomplete: bool, read: dict[str, str | None], formats: list[str],
              kept=None):
    """(folder language, leaflet, input bytes) for the source language and each translation.

    Languages asked for by name (`languages`) must be built. Otherwise the source's own
    language is built, and of the translations leaflet.toml lists (without a list, every one
    with a catalogue), one that cannot be is left out with a line. `read` gets the digest of
    each catalogue used, by language (None for one not used). A translation that breaks
    an easy-read rule of the `formats` is an error, as the source's are (findings `kept`).
    """
    from .check import translation_problems
    from .i18n.labels import catalogue_languages, catalogue_path

    own = language_code(leaflet)
    available = catalogue_languages(leaflet.id)
    named = languages is not None
    wanted = languages if named else project.current().languages
    unknown = [code for code in wanted or [] if code != own and code not in available]
    if unknown and named:
        raise CatalogueError(f"no catalogue for '{unknown[0]}' for leaflet '{leaflet.id}'; start "
                             f"one with: leaflet catalogues {unknown[0]}", str(source))
    skipped = [f"{leaflet.id} in '{code}' not built: no catalogue for it; start one with: "
               f"leaflet catalogues {code}" for code in unknown]
    variants = []
    if not named or own in languages:
        variants.append((own, leaflet, [data]))
    errors = []
    for language in available:
        read[language] = None
        if wanted is not None and language not in wanted:
            continue
        from .i18n.catalog import translate

        try:
            content = catalogue_path(language, leaflet.id).read_bytes()  # before it is used
            read[language] = digest(content)
            translation = translate(leaflet, language, allow_incomplete)
        except OSError as error:
            errors.append(CatalogueError(f"cannot read the catalogue: {error.strerror}",
                                         str(catalogue_path(language, leaflet.id))))
            continue
        except LeafletError as error:
            errors.append(error)
            continue
        if not translation.complete and not allow_incomplete:
            message = (f"{leaflet.id} in '{language}' not built: {translation.shortfall()}; "
                       "finish the translation, or build with --allow-incomplete")
            if named:
                errors.append(CatalogueError(message))
            else:
                skipped.append(message)
            continue
        broken = translation_problems(translation.leaflet, display(translation.content),
                                      formats, kept)
        if broken:
            errors.extend(broken)
            continue
        inputs = [data, content,
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
    sweep_temporary_folders()
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
        # A book is made once its narration is written, and the pages that link to the other
        # files once those are.
        for stage in (0, 1, 2):
            batch = [job for job in todo if job.format.stage == stage]
            if not batch:
                continue
            planned = {_after(job, jobs, statuses): job for job in batch}
            batch = list(planned)
            rendered = pool.render(batch) if pool else map(_render_here, batch)
            # Imported here, while the workers render: the checks a format's files must pass.
            checks = {job.format.name: job.format.checker() for job in batch}
            for job, files, seconds in rendered:
                statuses[planned[job]] = _write(job, files, seconds, checks, strict)
                finished += 1
                progress(finished, len(jobs), planned[job], statuses[planned[job]])
    finally:
        if own:
            own.close()
    return statuses


def _write(job: Job, files, seconds: float, checks: dict, strict: bool) -> str:
    """Write a job's files once its format's check passes; returns its status."""
    if isinstance(files, Unsupported):
        if strict:
            raise files
        return f"skipped: {files.message}"
    if checks[job.format.name]:
        checks[job.format.name](job.leaflet, files)  # refuses, naming the problem
    for suffix, data in files.items():
        write_atomically(job.folder / f"{job.leaflet.id}{suffix}", data)
    _record(job)
    return f"built in {seconds:.1f} s"


def _after(job: Job, jobs: list[Job], statuses: dict[Job, str]) -> Job:
    """`job` with what the files made before it tell it: a book its narration's files, a page
    the names and sizes of the build's other files of its leaflet and language and its
    narration's chapters."""
    from dataclasses import replace

    from .render import Output
    from .render.vtt import chapter_starts

    made = [other for other in jobs if other.folder == job.folder and other is not job
            and not statuses[other].startswith("skipped")]
    narration = next((other for other in made if other.format.name == job.format.narration),
                     None)
    if job.format.from_narration:
        files = tuple(narration.targets[:2]) if narration else ()
        return replace(job, options=replace(job.options, narration=files))
    if not job.format.links:
        return job
    outputs = tuple(Output(other.format.name, target.name,
                           None if other.format.links else target.stat().st_size)
                    for other in made for target in other.targets)
    chapters = chapter_starts(narration.targets[1].read_bytes()) if narration else ()
    return replace(job, options=replace(job.options, outputs=outputs, chapters=chapters,
                                        listen=job.options.listen and bool(narration)))


def _render_here(job: Job):
    """Render in this process: one light job is not worth starting a worker for."""
    _, files, seconds = _render_indexed((0, job))
    return job, files, seconds


def render_job(job: Job) -> tuple[dict[str, bytes], float]:
    started = time.perf_counter()
    files = job.format.render(job.leaflet, job.options)
    return files, time.perf_counter() - started


class WorkerError(Exception):
    """An unexpected exception in a worker, as its type's name and message: it always unpickles."""

    def __init__(self, kind: str, message: str):
        super().__init__(kind, message)
        self.kind, self.message = kind, message

    def __str__(self) -> str:
        return self.message


class Workers:
    """Worker processes that import the renderers while the parent reads the sources.

    Importing WeasyPrint takes most of a second; started first, it overlaps with loading and
    validating, and jobs run on every core. A worker that dies stops the build with a line
    naming the job it was doing.
    """

    def __init__(self, formats: list[str], jobs: int, processes: int | None = None):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        modules = sorted({FORMATS[name].module for name in formats})
        processes = max(1, min(jobs, processes or os.cpu_count() or 1))
        context = multiprocessing.get_context("fork")
        # Each worker's pid and the job it is doing (its index + 1, or 0), shared by inheritance.
        self._doing = context.Array("q", 2 * processes)
        self._pool = ProcessPoolExecutor(processes, context, initializer=_start_worker,
                                         initargs=(modules, self._doing, os.getpid()))
        self._pool.submit(int)  # with fork, the first job starts every worker at once
        self._processes = dict(self._pool._processes)  # to tell how a worker ended
        self.processes = processes

    def render(self, jobs: list[Job]):
        """Start the first jobs now; iterate (job, files, seconds) in the order they finish. A
        few jobs a worker are in flight at a time, so that the outputs waiting to be written
        stay few however many jobs there are."""
        from concurrent.futures.process import BrokenProcessPool

        waiting = iter(enumerate(jobs))
        try:
            running = self._top_up(set(), waiting)
        except BrokenProcessPool as broken:
            raise self._broken(broken, jobs) from broken
        return self._finished(running, waiting, jobs)

    def _top_up(self, running: set, waiting) -> set:
        for index, job in waiting:
            running.add(self._pool.submit(_work, (index, job)))
            if len(running) >= IN_FLIGHT * self.processes:
                break
        return running

    def _finished(self, running: set, waiting, jobs: list[Job]):
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        try:
            while running:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    index, files, seconds = future.result()
                    yield jobs[index], files, seconds
                running = self._top_up(running, waiting)
        except BrokenProcessPool as broken:
            raise self._broken(broken, jobs) from broken

    def _broken(self, broken: Exception, jobs: list[Job]) -> Exception:
        """The error to report for a broken pool: which worker stopped, how, doing which job."""
        if broken.__cause__ is not None:  # a result that could not be read back: a bug
            reason = str(broken.__cause__).strip("'\n").splitlines()[-1]
            return WorkerError("BrokenProcessPool", f"a worker's result could not be read back "
                                                    f"({reason})")
        stopped = []
        for slot in range(len(self._doing) // 2):
            pid, doing = self._doing[2 * slot], self._doing[2 * slot + 1]
            code = _exit_code(self._processes[pid]) if pid in self._processes else None
            if code is not None:
                stopped.append((code == STOPPED, not doing, code, doing))  # likeliest first
        if not stopped:
            return broken
        _, _, code, doing = min(stopped)
        during = f" while building {jobs[doing - 1].target}" if doing else ""
        return LeafletError(f"a worker process stopped ({ended(code)}){during}; build again")

    def close(self) -> None:
        """Stop the workers: each runs its finally blocks, removing its temporary folders; one
        that does not end in time is killed, and its folders removed here."""
        processes = list(self._processes.values())
        for process in processes:
            if process.exitcode is None:
                process.terminate()
        deadline = time.monotonic() + 5
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.exitcode is None:
                process.kill()
                process.join(1)
        self._pool.shutdown(wait=False, cancel_futures=True)
        sweep_temporary_folders()  # those of a worker that had to be killed

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_) -> None:
        self.close()


IN_FLIGHT = 3  # jobs a worker: one running, the next ones ready
STOPPED = 128 + signal.SIGTERM  # a worker's exit status when it is stopped
PR_SET_PDEATHSIG = 1  # prctl(2)
_doing = None  # in a worker: Workers._doing, where its pid and job are at _slot
_slot = 0


def _start_worker(modules: list[str], doing, parent: int) -> None:
    from importlib import import_module

    global _doing, _slot
    _end_with(parent)
    # Ctrl-C or a hang-up reaches every process: the parent stops the workers. Until the
    # imports are done, SIGTERM ends a worker at once: it has nothing to clean up.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with doing.get_lock():
        _slot = next(slot for slot in range(len(doing) // 2) if not doing[2 * slot])
        doing[2 * _slot] = os.getpid()
    _doing = doing.get_obj()
    for name in modules:
        module = import_module(f"leaflet.render.{name}")
        getattr(module, "warm_up", lambda: None)()
    signal.signal(signal.SIGTERM, _stop_worker)
    signal.signal(signal.SIGALRM, _stop_worker)
    sys.unraisablehook = _stop_again_soon


def _end_with(parent: int) -> None:
    """Linux: SIGTERM this worker when the parent dies, even by SIGKILL, instead of it running
    on with nothing to do."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() != parent:  # it died before that
        os.kill(os.getpid(), signal.SIGTERM)


def _stop_worker(signum, frame):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the pool may send another: finish cleaning up
    if not _doing[2 * _slot + 1]:  # between jobs: nothing to clean up
        os._exit(STOPPED)
    raise SystemExit(STOPPED)  # unwinds the job: its finally blocks remove its temporary files


def _stop_again_soon(unraisable) -> None:
    """A stop that landed in a callback whose errors Python only prints (a lock's, during an
    import) did not unwind the job: stop again a moment later, back in the job's own code."""
    if isinstance(unraisable.exc_value, SystemExit):
        signal.setitimer(signal.ITIMER_REAL, 0.01)  # SIGALRM: _stop_worker
        return
    sys.__unraisablehook__(unraisable)


def _exit_code(process) -> int | None:
    """How a worker ended, or None while it runs."""
    from multiprocessing.connection import wait

    if not wait([process.sentinel], 0):
        return None
    for _ in range(100):  # it has ended; the pool's thread may be reaping it at this moment
        if process.exitcode is not None:
            return process.exitcode
        time.sleep(0.01)
    return None


def _work(indexed: tuple[int, Job]):
    """Render one job in a worker. Any error comes back as one the parent can unpickle; on
    SIGTERM the job unwinds and the worker ends."""
    _doing[2 * _slot + 1] = indexed[0] + 1
    try:
        rendered = _render_indexed(indexed)
    except SystemExit as stop:  # SIGTERM: the finally blocks have run; end the worker now
        os._exit(stop.code if isinstance(stop.code, int) else STOPPED)
    except BaseException as error:
        _doing[2 * _slot + 1] = 0
        sent = sendable(error)
        if sent is error:
            raise
        raise sent from error
    _doing[2 * _slot + 1] = 0
    return rendered


def sendable(error: BaseException) -> BaseException:
    """The error to send back from a worker: the LeafletError it is or holds, else itself, or,
    if that does not unpickle, a WorkerError with its type's name and message."""
    import pickle

    sent = found_in(error) or error
    try:
        pickle.loads(pickle.dumps(sent))
    except Exception:
        sent = WorkerError(type(error).__name__, str(error))
    return sent


def _render_indexed(indexed: tuple[int, Job]) -> tuple[int, dict[str, bytes] | Unsupported, float]:
    """Render one job; a format the leaflet cannot have comes back as a value, not a raise."""
    index, job = indexed
    try:
        return (index, *render_job(job))
    except Unsupported as unsupported:
        return index, unsupported, 0.0


TEMPORARY = re.compile(r"leaflet-(\d+)-")  # a temporary folder's name and the pid that made it


def sweep_temporary_folders() -> None:
    """Remove the temporary folders of builds that were killed (SIGKILL runs no cleanup)."""
    for folder in Path(tempfile.gettempdir()).glob("leaflet-*-*"):
        made = TEMPORARY.match(folder.name)
        if made and folder.is_dir() and not _alive(int(made[1])):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        pass
    try:  # Linux: a zombie has ended, though its parent has not yet reaped it
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True


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
