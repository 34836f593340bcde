"""Render jobs on a dask.distributed cluster: the project travels with them, the files come back."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import socket
import tempfile
import threading
import uuid
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path

from . import build, project
from .errors import LeafletError
from .ledger import package_digest
from .project import Project

SCHEMES = ("tcp://", "tls://")
DEFAULT_PORT = 8786  # Dask's
_FORM = ("--scheduler {}: give the scheduler's address as tcp://HOST:PORT (or tls://HOST:PORT), "
         "as `dask scheduler` prints")
CONNECT_SECONDS = 10
ALONE_SECONDS = 30  # how long a build waits for a worker when the scheduler has none
POLL_SECONDS = 5  # how often a build waiting for its jobs asks whether a worker is left
# A worker's error in reading a job or the project: its leaflet lacks what this one sent.
OTHER_CODE = re.compile(r"\b(ModuleNotFoundError|ImportError|AttributeError)\b.*\bleaflet\b")
# What the outputs may depend on besides the project's files: the day the build takes as today.
ENVIRONMENT = ("SOURCE_DATE_EPOCH",)


@dataclass(frozen=True)
class Bundle:
    """What a worker needs of the build machine: the project's files and settings, the
    environment the outputs depend on, and the digest of the leaflet code that made the jobs."""

    digest: str
    project: Project
    files: dict[str, bytes]  # path relative to the project's root -> content
    environment: dict[str, str | None]  # None: unset
    code: str


def bundle(own: Project) -> Bundle:
    """The files of `own` that renderers read: its settings, styles, pictures, branding and
    its own labels."""
    paths = [own.config, *own.locales.glob("*/LC_MESSAGES/leaflet.po")]
    for folder in (own.styles, own.pictures, own.branding):
        paths += folder.rglob("*")
    files = {path.relative_to(own.root).as_posix(): path.read_bytes()
             for path in sorted(paths) if path.is_file()}
    environment = {name: os.environ.get(name) for name in ENVIRONMENT}
    hasher = hashlib.sha256(repr((own, sorted(environment.items()))).encode())
    for name, data in files.items():
        hasher.update(b"\0%s\0%d\0" % (name.encode(), len(data)))
        hasher.update(data)
    return Bundle(hasher.hexdigest(), own, files, environment, package_digest())


class Cluster:
    """A dask.distributed scheduler's workers, used as build.Workers is: render(jobs) yields
    (job, files, seconds) as jobs finish; this process alone writes the files."""

    def __init__(self, address: str):
        if not address.startswith(SCHEMES):
            raise LeafletError(_FORM.format(address))
        try:
            from distributed import Client
        except ImportError:
            raise LeafletError("--scheduler needs Dask on this machine and every worker: "
                               "pip install 'leaflet[dask]'") from None
        self.address = address
        # What goes wrong is said in one line; Dask's own log would add its tracebacks.
        for handler in logging.getLogger("distributed").handlers:
            handler.setLevel(logging.CRITICAL + 1)
        self._client = _connected(Client, address)
        self._shipped = None  # (bundle digest, its future on the cluster)

    def render(self, jobs: list[build.Job]):
        """Send the jobs a batch at a time; iterate (job, files, seconds) as they finish."""
        if not jobs:  # all up to date: no worker is needed
            return iter(())
        waiting = list(enumerate(jobs))[::-1]
        running: dict = {}  # future -> the index of its job

        def submit_some() -> None:
            while waiting and len(running) < batch:
                index, job = waiting.pop()
                remote = replace(job, options=replace(job.options, cache=None, meter=None))
                key = f"leaflet-{job.format.name}-{job.language}-{uuid.uuid4().hex[:12]}"
                future = self._client.submit(render_remotely, index, remote, shipped, key=key,
                                             pure=False)
                running[future] = index

        try:
            shipped = self._bundle()
            # Coarse jobs: a few for each worker thread keep it busy; Dask slows when it is
            # given very many tasks at once.
            batch = max(8, 2 * sum(self._client.nthreads().values()))
            submit_some()
        except Exception as error:
            raise self._reported(error) from None
        return self._finished(running, submit_some, jobs)

    def _finished(self, running: dict, submit_some, jobs: list[build.Job]):
        failing = None  # the job whose result is being read
        try:
            while running:
                for future in self._done(running):
                    failing = jobs[running.pop(future)]
                    _, files, seconds = future.result()
                    job, failing = failing, None
                    submit_some()
                    yield job, files, seconds
        except Exception as error:
            raise self._reported(error, failing) from None

    def _done(self, running: dict) -> set:
        """The futures that have finished, once one has."""
        from distributed import wait

        while True:
            try:
                with self._client.as_current():
                    return wait(list(running), timeout=POLL_SECONDS,
                                return_when="FIRST_COMPLETED").done
            except TimeoutError:  # a long job, or no worker left
                self._wait_for_a_worker()

    def _reported(self, error: Exception, job: build.Job | None = None) -> Exception:
        """The error to report: a job's own, or one line for what went wrong around it (in
        reading the result of `job`, if given)."""
        from concurrent.futures import CancelledError

        from distributed import KilledWorker

        if isinstance(error, (LeafletError, build.WorkerError)):
            return error
        during = f" while building {job.target}" if job else ""
        if isinstance(error, KilledWorker):
            return LeafletError(f"the Dask workers kept stopping{during}; check their logs, "
                                "then build again")
        if OTHER_CODE.search(f"{type(error).__name__}: {error}"):
            return LeafletError(f"a worker of {self.address} runs a different leaflet, or none "
                                "(it cannot read the jobs); install the same version there")
        if isinstance(error, RuntimeError) and "deserialization of the task graph" in str(error):
            return LeafletError(f"the Dask scheduler at {self.address} cannot read the jobs: it "
                                "runs a different leaflet, or none; install the same version on "
                                "its machine, with leaflet[dask], and restart it")
        if isinstance(error, CancelledError) and self._shipped \
                and self._shipped[1].status == "error":  # the jobs waited for the project
            return self._reported(self._shipped[1].exception())
        if isinstance(error, (OSError, CancelledError)):
            return LeafletError(f"lost the Dask scheduler at {self.address}{during}; check "
                                "that it runs, then build again")
        return error

    def _wait_for_a_worker(self) -> None:
        """Return once the scheduler has a worker; one line if none comes in ALONE_SECONDS."""
        try:
            self._client.wait_for_workers(1, timeout=ALONE_SECONDS)
        except TimeoutError:
            raise LeafletError(f"the Dask scheduler at {self.address} has no workers; start "
                               f"some with `dask worker {self.address}`, or build without "
                               "--scheduler") from None

    def _bundle(self):
        """The project's bundle on the cluster, sent once, fetched once by each worker.

        It is the result of a task rather than scattered data: if every worker that holds it
        stops (the only one, restarted by its nanny), the scheduler makes it again, where
        scattered data would be lost and every job waiting for it cancelled.
        """
        made = bundle(project.current())
        if self._shipped is None or self._shipped[0] != made.digest:
            key = f"leaflet-project-{made.digest[:12]}-{uuid.uuid4().hex[:12]}"
            self._shipped = made.digest, self._client.submit(_shipped, made, key=key, pure=False)
        return self._shipped[1]

    def close(self) -> None:
        """Let the scheduler forget this build's jobs."""
        try:
            self._client.close(timeout=CONNECT_SECONDS)
        except Exception:  # the scheduler has gone: nothing is left to release
            pass

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *_) -> None:
        self.close()


def _connected(Client, address: str):
    """A client of the scheduler at `address`, or one line within CONNECT_SECONDS or so.

    Dask bounds the connection, not the handshake after it: a server that accepts and says
    nothing would hold the build, so the client is made in a thread that is left behind. A
    port nobody listens on is said at once, where Dask would try again until its timeout.
    """
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        host_port = parse_host_port(parse_address(address)[1], DEFAULT_PORT)
    except ValueError:
        raise LeafletError(_FORM.format(address)) from None
    try:
        socket.create_connection(host_port, timeout=CONNECT_SECONDS).close()
    except OSError as error:
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise LeafletError(f"cannot reach the Dask scheduler at {address}: {reason}; start one "
                           "with `dask scheduler`, or build without --scheduler") from None
    made: dict = {}

    def connect() -> None:
        try:
            made["client"] = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except Exception as error:
            made["error"] = error

    thread = threading.Thread(target=connect, name="leaflet-connect", daemon=True)
    thread.start()
    thread.join(CONNECT_SECONDS + 2)
    if "client" in made:
        return made["client"]
    error = made.get("error")
    if address.startswith("tls://") and isinstance(error, TypeError):  # no certificates
        raise LeafletError(f"--scheduler {address}: tls:// needs Dask's TLS settings on this "
                           "machine (distributed.comm.tls in the Dask configuration: the CA "
                           "file, this client's certificate and key)")
    if isinstance(error, (OSError, ValueError)):
        reason = " ".join(str(error).split())
    else:  # no answer, or one no Dask scheduler gives
        reason = "what answers there is not a Dask scheduler"
    raise LeafletError(f"cannot reach the Dask scheduler at {address}: {reason}; start one with "
                       "`dask scheduler`, or build without --scheduler")


# In a worker process: one job at a time, since the project in use is the process's.
_lock = threading.Lock()
_in_use: tuple[str, Project] | None = None  # the bundle's digest and its project, materialised
_code: str | None = None  # the digest of the code this worker runs, taken at its first job


def _own_code() -> str:
    """Taken once, and kept when caches are cleared: leaflet upgraded on disk under a running
    worker is not the code it runs."""
    global _code
    if _code is None:
        _code = package_digest()
    return _code


def _shipped(made: Bundle) -> Bundle:
    """The bundle as a task's result, which the scheduler can make again (Cluster._bundle)."""
    return made


def render_remotely(index: int, job: build.Job, shipped: Bundle):
    """Render one job on a worker in the project of `shipped`; an error comes back as one the
    build machine can unpickle."""
    from distributed import get_worker

    worker = get_worker()
    with _lock:
        try:
            if shipped.code != _own_code():
                raise LeafletError(f"the worker at {worker.address} runs a different leaflet; "
                                   "install the same version there")
            own = _materialised(shipped)
            for name, value in shipped.environment.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            cache = Path(worker.local_directory) / "leaflet-cache"
            job = replace(job, leaflet=_rerooted(job.leaflet, shipped.project.root, own.root),
                          options=replace(job.options, cache=cache))
            return build._render_indexed((index, job))
        except Exception as error:
            sent = build.sendable(error)
            if not isinstance(sent, (LeafletError, build.WorkerError)):  # not taken for Dask's
                sent = build.WorkerError(type(sent).__name__, str(sent))
            raise sent from None


def _materialised(shipped: Bundle) -> Project:
    """The project of `shipped` in a temporary folder of this worker, written once, removed
    when the worker ends or another bundle comes; made the project in use."""
    global _in_use
    if _in_use is None or _in_use[0] != shipped.digest:
        if _in_use is not None:
            shutil.rmtree(_in_use[1].root, ignore_errors=True)
            _in_use = None
        build.sweep_temporary_folders()  # those of workers that were killed
        root = Path(tempfile.mkdtemp(prefix=f"leaflet-{os.getpid()}-project-"))
        _remove_at_exit(root)
        for name, data in shipped.files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        _in_use = shipped.digest, _rerooted(shipped.project, shipped.project.root, root)
    project.use(_in_use[1])
    return _in_use[1]


def _remove_at_exit(folder: Path) -> None:
    """multiprocessing's exit hooks run in a worker started by a nanny, where atexit's do not."""
    from multiprocessing.util import Finalize

    Finalize(None, shutil.rmtree, (str(folder),), {"ignore_errors": True}, exitpriority=10)


def _rerooted(node, old: Path, new: Path):
    """`node` with each path inside `old` moved into `new`: the logo, in the model and the
    project, points into the worker's copy of the project."""
    if isinstance(node, Path):
        return new / node.relative_to(old) if node.is_relative_to(old) else node
    if type(node) is tuple:
        items = tuple(_rerooted(item, old, new) for item in node)
        return node if all(a is b for a, b in zip(items, node)) else items
    if is_dataclass(node) and not isinstance(node, type):
        changed = {}
        for item in fields(node):
            value = getattr(node, item.name)
            moved = _rerooted(value, old, new) if item.init else value
            if moved is not value:
                changed[item.name] = moved
        return replace(node, **changed) if changed else node
    return node
