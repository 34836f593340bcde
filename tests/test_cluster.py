"""Building on a Dask cluster: the local pool's files byte for byte, every failure one line."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import distributed
import pytest

from conftest import ROOT, leaflet

# Every renderer module (pdf, docx, html, audio, braille) and the easy read's pictures, in every
# language of the project (ar: right to left); the other formats are these modules' variants,
# and all eleven twice over would take minutes on two cores.
FORMATS = "pdf,docx,html,audio,braille,easy-read"
LANGUAGES = "en,cy,pl,ar"  # enough to compare the pool with the cluster, one right to left
# A day other than the build machine's: the workers must take the build's.
WORKER_EPOCH = "1000000000"


def started(*arguments: str) -> subprocess.Popen:
    """`leaflet ARGUMENTS` running in the repository's project."""
    return subprocess.Popen([sys.executable, "-m", "leaflet.cli", *arguments], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def ended(build: subprocess.Popen, during=lambda: None) -> str:
    """`build`'s standard error once it ends, `during()` done meanwhile; it is killed if the
    test fails first."""
    try:
        during()
        return build.communicate(timeout=300)[1]
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Dask:
    """A scheduler and its workers on 127.0.0.1, each a process of its own; stop() ends them all."""

    def __init__(self, folder: Path, env: dict | None = None):
        self.folder = folder
        self.processes: list[subprocess.Popen] = []
        port = free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        self.scheduler = self._start("scheduler", "distributed.cli.dask_scheduler", "--host",
                                     "127.0.0.1", "--port", str(port), "--no-dashboard", env=env)

    def add_worker(self, name: str, *options: str, env: dict | None = None) -> subprocess.Popen:
        """A worker with one thread, its own local directory and temporary folder."""
        local = self.folder / name
        (local / "tmp").mkdir(parents=True)
        return self._start(name, "distributed.cli.dask_worker", self.address, "--nworkers", "1",
                           "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard",
                           "--local-directory", str(local), *options,
                           env={"TMPDIR": str(local / "tmp"), "SOURCE_DATE_EPOCH": WORKER_EPOCH,
                                **(env or {})})

    def temporary(self, name: str) -> Path:
        return self.folder / name / "tmp"

    def _start(self, name: str, module: str, *arguments: str, env: dict | None = None):
        with (self.folder / f"{name}.log").open("wb") as log:
            process = subprocess.Popen([sys.executable, "-m", module, *arguments], stdout=log,
                                       stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
                                       start_new_session=True)
        self.processes.append(process)
        return process

    def kill_when_busy(self, build: subprocess.Popen, address: str | None = None) -> None:
        """SIGKILL the worker process at `address` (default: any) once it is given a job of
        `build`."""
        with distributed.Client(self.address, timeout=60) as client:
            deadline = time.monotonic() + 120
            while True:
                busy = [worker for worker, keys in client.processing().items()
                        if keys and address in (None, worker)]
                if busy:
                    break
                assert build.poll() is None and time.monotonic() < deadline, \
                    "no worker was given a job"
                time.sleep(0.05)
            [pid] = client.run(os.getpid, workers=busy[:1]).values()
        os.kill(pid, signal.SIGKILL)

    def wait_for_workers(self, count: int) -> None:
        with distributed.Client(self.address, timeout=60) as client:
            client.wait_for_workers(count, timeout=120)

    def stop(self, *processes: subprocess.Popen) -> None:
        """End the workers, then the scheduler (or just `processes`): politely, then by force."""
        for process in processes or sorted(self.processes, key=lambda p: p is self.scheduler):
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(scope="module")
def dask(tmp_path_factory):
    cluster = Dask(tmp_path_factory.mktemp("dask"))
    try:
        cluster.add_worker("one")
        cluster.add_worker("two")
        cluster.wait_for_workers(2)
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def local(tmp_path_factory) -> Path:
    """The project built with the local pool."""
    out = tmp_path_factory.mktemp("local")
    result = leaflet("build", "--format", FORMATS, "--lang", LANGUAGES, "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def outputs(out: Path) -> dict[str, bytes]:
    """Every file of a build but the sentence cache, which stays on the machine that speaks."""
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*"))
            if path.is_file() and ".cache" not in path.relative_to(out).parts}


@pytest.mark.slow
def test_the_cluster_builds_the_same_files_as_the_local_pool(dask, local, tmp_path):
    result = leaflet("build", "--format", FORMATS, "--lang", LANGUAGES, "--out", str(tmp_path),
                     "--scheduler", dask.address)
    assert result.returncode == 0, result.stderr
    built = outputs(tmp_path)
    assert {Path(name).parent.name for name in built if "/" in name} == {"en", "cy", "pl", "ar"}
    assert any(name.endswith(".mp3") for name in built)
    assert built.keys() == outputs(local).keys()
    for name, data in outputs(local).items():
        assert built[name] == data, name  # the stamps too: the fingerprints ignore the engine
    assert not (tmp_path / ".cache" / "audio").exists()
    again = leaflet("build", "--format", FORMATS, "--lang", LANGUAGES, "--out", str(tmp_path),
                    "--scheduler", dask.address)
    assert again.returncode == 0 and "built in" not in again.stderr, again.stderr


def killed_mid_build(folder: Path, arguments: list[str], nanny: bool, env: dict | None = None):
    """Build into folder/there on a cluster of one worker, SIGKILLed once it is given a job (it
    is sure to be: it is the only one); without a nanny to restart it, a spare then joins.
    Returns the build, its standard error and the killed worker."""
    cluster = Dask(folder, env=env)
    try:
        first = cluster.add_worker("first", *([] if nanny else ["--no-nanny"]))
        cluster.wait_for_workers(1)
        build = started(*arguments, "--out", str(folder / "there"), "--scheduler",
                        cluster.address)

        def kill_the_worker() -> None:
            cluster.kill_when_busy(build)
            if not nanny:
                first.wait()
                cluster.add_worker("spare")
        stderr = ended(build, kill_the_worker)
    finally:
        cluster.stop()
    return build, stderr, first


@pytest.mark.slow
def test_a_worker_killed_mid_build_has_its_job_done_by_another(tmp_path):
    arguments = ["build", "--format", "pdf", "--lang", "en,cy,pl,ar"]
    here = leaflet(*arguments, "--out", str(tmp_path / "here"))
    assert here.returncode == 0, here.stderr
    build, stderr, doomed = killed_mid_build(tmp_path, arguments, nanny=False)
    assert doomed.returncode == -signal.SIGKILL
    assert build.returncode == 0, stderr
    there = outputs(tmp_path / "there")
    assert len([name for name in there if name.endswith(".pdf")]) == 4
    assert there == outputs(tmp_path / "here")


@pytest.mark.slow
def test_the_only_worker_restarted_by_its_nanny_finishes_the_build(tmp_path):
    # The project the jobs need is on the dead worker alone: the scheduler must make it again.
    arguments = ["build", "--format", "pdf,docx", "--lang", "en,cy,pl,ar"]
    here = leaflet(*arguments, "--out", str(tmp_path / "here"))
    assert here.returncode == 0, here.stderr
    build, stderr, _ = killed_mid_build(tmp_path, arguments, nanny=True)
    assert build.returncode == 0, stderr
    assert outputs(tmp_path / "there") == outputs(tmp_path / "here")


@pytest.mark.slow
def test_a_job_whose_workers_keep_dying_is_one_line_naming_it(tmp_path):
    # The scheduler gives up on a job at the first death of a worker doing it.
    build, stderr, _ = killed_mid_build(
        tmp_path, ["build", "-q", "--format", "pdf", "--lang", "en"], nanny=False,
        env={"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"})
    assert build.returncode == 1
    target = tmp_path / "there" / "cytokines" / "en" / "cytokines.pdf"
    assert stderr.splitlines() == [f"leaflet: the Dask workers kept stopping while building "
                                   f"{target}; check their logs, then build again"]
    assert not target.exists()


def test_a_failing_job_reports_its_one_line_and_writes_nothing(dask, tmp_path):
    result = leaflet("build", "--format", "audio", "--lang", "en", "--voice", "xx-nope",
                     "--out", str(tmp_path / "out"), "--scheduler", dask.address)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "leaflet: espeak-ng has no voice 'xx-nope'; `espeak-ng --voices` lists them"]
    assert not [path for path in (tmp_path / "out").rglob("*") if path.is_file()]


def test_an_unreachable_scheduler_is_one_line(tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    result = subprocess.run([sys.executable, "-m", "leaflet.cli", "build", "--format", "html",
                             "--out", str(tmp_path), "--scheduler", address], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"leaflet: cannot reach the Dask scheduler at {address}: ")
    assert line.endswith("; start one with `dask scheduler`, or build without --scheduler")
    assert not tmp_path.joinpath("cytokines").exists()


@pytest.mark.slow
def test_a_server_that_never_answers_is_one_line(tmp_path):
    with socket.socket() as silent:  # the kernel accepts connections; nothing ever answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        result = subprocess.run([sys.executable, "-m", "leaflet.cli", "build", "--format", "html",
                                 "--out", str(tmp_path), "--scheduler", address], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"leaflet: cannot reach the Dask scheduler at {address}: what answers there is not a "
        "Dask scheduler; start one with `dask scheduler`, or build without --scheduler"]


@pytest.mark.parametrize("address", ["127.0.0.1:8786", "http://127.0.0.1:8786", "inproc://x",
                                     "tcp://127.0.0.1:port"])
def test_an_address_that_is_not_tcp_is_one_line(address, tmp_path):
    result = leaflet("build", "--format", "html", "--out", str(tmp_path), "--scheduler", address)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"leaflet: --scheduler {address}: give the scheduler's address as tcp://HOST:PORT (or "
        "tls://HOST:PORT), as `dask scheduler` prints"]


def test_tls_without_dask_tls_settings_is_one_line(tmp_path):
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        address = f"tls://127.0.0.1:{listening.getsockname()[1]}"
        result = leaflet("build", "--format", "html", "--out", str(tmp_path), "--scheduler",
                         address)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"leaflet: --scheduler {address}: tls:// needs Dask's TLS settings on this machine "
        "(distributed.comm.tls in the Dask configuration: the CA file, this client's "
        "certificate and key)"]


def test_without_dask_installed_the_line_says_how_to_install_it(tmp_path):
    # distributed made unimportable, as where it is not installed
    program = ("import sys; sys.modules['distributed'] = None; from leaflet.cli import main; "
               f"sys.exit(main(['build', '--out', {str(tmp_path)!r}, '--scheduler', "
               "'tcp://127.0.0.1:8786']))")
    result = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "leaflet: --scheduler needs Dask on this machine and every worker: "
        "pip install 'leaflet[dask]'"]


@pytest.mark.slow
def test_workers_render_from_the_shipped_project_alone(dask, tmp_path):
    """The project's own style and logo reach the workers, which read nothing of the build
    machine's disk: the project is moved away as soon as the jobs are sent."""
    from leaflet import build, project
    from leaflet.cluster import Cluster

    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".*", "build", "tests", "src",
                                                              "node_modules", "scripts"))
    (copy / "styles").mkdir()
    (copy / "styles" / "base.css").write_text(
        (ROOT / "src" / "leaflet" / "styles" / "base.css").read_text(encoding="utf-8")
        + "\nh1 { letter-spacing: 0.02em; }\n", encoding="utf-8")
    before = project._current
    try:
        project.use(project.load(copy))
        jobs = build.plan(project.current().sources(), ["pdf", "html", "docx"], tmp_path / "out",
                          ["en", "ar"]).jobs
        here = {job.target.name + job.language: build.render_job(job)[0] for job in jobs}
        assert "letter-spacing: 0.02em" in here["cytokines.htmlen"][".html"].decode()
        with Cluster(dask.address) as cluster:
            rendered = cluster.render(jobs)
            copy.rename(tmp_path / "moved")
            there = {job.target.name + job.language: files for job, files, _ in rendered}
    finally:
        project.use(before)
    assert there.keys() == here.keys()
    for name, files in here.items():
        assert there[name] == files, name


def test_a_worker_with_other_leaflet_code_is_one_line(tmp_path):
    other = tmp_path / "src"
    shutil.copytree(ROOT / "src", other, ignore=shutil.ignore_patterns("__pycache__"))
    with (other / "leaflet" / "limits.py").open("a", encoding="utf-8") as file:
        file.write("# another version\n")
    cluster = Dask(tmp_path)
    try:
        cluster.add_worker("other", env={"PYTHONPATH": str(other)})
        cluster.wait_for_workers(1)
        result = leaflet("build", "--format", "html", "--lang", "en", "--out",
                         str(tmp_path / "out"), "--scheduler", cluster.address)
    finally:
        cluster.stop()
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("leaflet: the worker at tcp://127.0.0.1:")
    assert line.endswith(" runs a different leaflet; install the same version there")
    assert not (tmp_path / "out" / "cytokines").exists()


def test_a_worker_removes_its_copy_of_the_project_when_it_ends(tmp_path):
    cluster = Dask(tmp_path)
    try:
        worker = cluster.add_worker("alone")
        cluster.wait_for_workers(1)
        result = leaflet("build", "--format", "html", "--lang", "en", "--out",
                         str(tmp_path / "out"), "--scheduler", cluster.address)
        assert result.returncode == 0, result.stderr
        [copy] = cluster.temporary("alone").glob("leaflet-*-project-*")
        assert (copy / "leaflet.toml").is_file() and (copy / "branding" / "logo.svg").is_file()
        cluster.stop(worker)
        assert not list(cluster.temporary("alone").glob("leaflet-*"))
    finally:
        cluster.stop()
