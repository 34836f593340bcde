"""Faults: dead workers, bugs, broken tools, full or read-only disks, signals: one line each."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import ROOT

SOURCE = "source/cytokines.yaml"
TIMEOUT = 120  # seconds: every build here takes a few; a hang fails instead of waiting for ever
INTERNAL = "(please report this; set LEAFLET_DEBUG=1 for the traceback)"

# Test-only renderers, registered before the command runs: with fork, workers inherit them.
FAULTY = textwrap.dedent('''
    import os, signal, sys, types

    from leaflet import cli
    from leaflet.render import FORMATS, Format


    class Unreadable(Exception):
        """Pickles, but does not unpickle: its __init__ takes two arguments."""

        def __init__(self, what, why):
            super().__init__(f"{what}: {why}")


    def killed(edition, options):
        os.kill(os.getpid(), signal.SIGKILL)


    def unreadable(edition, options):
        raise Unreadable("odd", "state")


    def broken(edition, options):
        raise ValueError("a bug\\nover two lines")


    def wrapped(edition, options):
        from weasyprint.urls import FatalURLFetchingError

        from leaflet.errors import RenderError

        raise FatalURLFetchingError(RenderError("the page asked for file:///etc/passwd"))


    module = types.ModuleType("leaflet.render.faulty")
    for name in ("killed", "unreadable", "broken", "wrapped"):
        setattr(module, name, globals()[name])
        FORMATS[name] = Format(name, "full", (f".{name}",), "faulty", name)
    sys.modules[module.__name__] = module
    cli.entry()
''')


def command(*args: str, script: Path | None = None) -> list[str]:
    return [sys.executable, *([str(script)] if script else ["-m", "leaflet.cli"]), *args]


def narrating(out: Path, temporary: Path, **popen) -> subprocess.Popen:
    """A build of both narrations, started in the background with its own temporary folder."""
    return subprocess.Popen(command("build", SOURCE, "--lang", "en", "--format",
                                    "audio,easy-read-audio", "--out", str(out), "-q"),
                            cwd=ROOT, env={**os.environ, "TMPDIR": str(temporary)}, **popen)


def build(*args: str, env: dict | None = None, script: Path | None = None,
          out: Path) -> subprocess.CompletedProcess:
    """`leaflet build` of the cytokines leaflet in English, quietly, into `out`."""
    return subprocess.run(command("build", SOURCE, "--lang", "en", "--out", str(out), "-q", *args,
                                  script=script),
                          cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True,
                          text=True, timeout=TIMEOUT)


def one_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    return result.stderr.rstrip("\n")


def outputs(out: Path) -> list[Path]:
    """The files a build left in `out`, besides the sentence cache."""
    return [path for path in out.rglob("*") if path.is_file() and ".cache" not in path.parts]


def leftovers(temporary: Path) -> list[Path]:
    return sorted(temporary.glob("leaflet-*"))


@pytest.fixture
def temporary(tmp_path: Path) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


@pytest.fixture
def faulty(tmp_path: Path) -> Path:
    script = tmp_path / "faulty.py"
    script.write_text(FAULTY)
    return script


def tool(folder: Path, name: str, text: str) -> Path:
    """An executable shell script `name` in `folder`."""
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\n{text}\n")
    path.chmod(0o755)
    return folder


# -- workers -------------------------------------------------------------------------------


def test_a_worker_killed_in_its_job_stops_the_build_with_one_line(tmp_path, faulty):
    out = tmp_path / "out"
    line = one_line(build("--format", "killed,html", script=faulty, out=out))
    assert line == (f"leaflet: a worker process stopped (killed by signal 9) while building "
                    f"{out}/cytokines/en/cytokines.killed; build again")


def test_a_worker_killed_from_outside_stops_the_build(tmp_path, temporary):
    """A worker is killed while it narrates, found by the temporary folder it names."""
    out = tmp_path / "out"
    running = narrating(out, temporary, stderr=subprocess.PIPE, text=True)
    folder = wait_for(lambda: leftovers(temporary))[0]  # leaflet-<pid>-mp3-...: a worker's
    worker = int(folder.name.split("-")[1])
    assert parent_of(worker) == running.pid
    os.kill(worker, signal.SIGKILL)
    stderr = running.communicate(timeout=TIMEOUT)[1]
    assert running.returncode == 1
    assert stderr.startswith("leaflet: a worker process stopped (killed by signal 9) while "
                             f"building {out}/cytokines/en/cytokines")
    assert stderr.endswith(".mp3; build again\n") and stderr.count("\n") == 1
    assert not leftovers(temporary)  # the build removed the folder its killed worker left


def test_an_error_that_cannot_come_back_from_a_worker_is_one_line(tmp_path, faulty):
    line = one_line(build("--format", "unreadable,html", script=faulty, out=tmp_path))
    assert line == f"leaflet: internal error: Unreadable: odd: state {INTERNAL}"


@pytest.mark.parametrize("formats", ["broken", "broken,html"], ids=["here", "in a worker"])
def test_an_unexpected_exception_is_one_line_and_a_traceback_on_request(tmp_path, faulty,
                                                                        formats):
    line = one_line(build("--format", formats, script=faulty, out=tmp_path))
    assert line == f"leaflet: internal error: ValueError: a bug over two lines {INTERNAL}"
    debug = build("--format", formats, script=faulty, out=tmp_path, env={"LEAFLET_DEBUG": "1"})
    assert debug.returncode == 1
    assert "Traceback" in debug.stderr and 'raise ValueError("a bug' in debug.stderr
    assert debug.stderr.endswith(f"{INTERNAL}\n")


@pytest.mark.parametrize("formats", ["wrapped", "wrapped,html"], ids=["here", "in a worker"])
def test_our_error_inside_a_library_error_is_reported_as_ours(tmp_path, faulty, formats):
    line = one_line(build("--format", formats, script=faulty, out=tmp_path))
    assert line == "leaflet: the page asked for file:///etc/passwd"


# -- external tools ------------------------------------------------------------------------


@pytest.mark.parametrize("name, message", [("ffmpeg", "ffmpeg: libmp3lame: encoder failed"),
                                           ("espeak-ng", "espeak-ng: no voices: I/O error")])
def test_a_failing_tool_is_named_with_its_message(tmp_path, temporary, name, message):
    fake = tool(tmp_path / "bin", name, f"echo '{message}' >&2\nexit 1")
    out = tmp_path / "out"
    line = one_line(build("--format", "audio", out=out,
                          env={"PATH": f"{fake}:{os.environ['PATH']}", "TMPDIR": str(temporary)}))
    assert line == f"leaflet: {name} failed (exit status 1): {message}"
    assert not outputs(out) and not leftovers(temporary)


def test_an_ffmpeg_that_stops_reading_does_not_hang_the_build(tmp_path, temporary):
    script = tmp_path / "impatient.py"
    script.write_text("from leaflet import cli\nfrom leaflet.render import mp3\n\n"
                      "mp3.STALL = 1  # seconds, not minutes\ncli.entry()\n")
    fake = tool(tmp_path / "bin", "ffmpeg", "exec sleep 600")
    out = tmp_path / "out"
    started = time.monotonic()
    line = one_line(build("--format", "audio", script=script, out=out,
                          env={"PATH": f"{fake}:{os.environ['PATH']}", "TMPDIR": str(temporary)}))
    assert line == "leaflet: ffmpeg read none of the narration for 1 s"
    assert time.monotonic() - started < 30
    assert not outputs(out) and not leftovers(temporary)


def test_a_missing_ffmpeg_names_its_debian_package(tmp_path, temporary):
    path = tmp_path / "bin"
    path.mkdir()
    (path / "espeak-ng").symlink_to(shutil.which("espeak-ng"))
    out = tmp_path / "out"
    line = one_line(build("--format", "audio", out=out,
                          env={"PATH": str(path), "TMPDIR": str(temporary)}))
    assert line == "leaflet: ffmpeg is not installed; install the Debian package ffmpeg"
    assert not outputs(out) and not leftovers(temporary)


def test_a_libespeak_ng_that_cannot_load_is_named_with_the_cause(tmp_path, temporary):
    """The command works (it lists the voices) but the library the narration loads is broken."""
    libraries = tmp_path / "lib"
    libraries.mkdir()
    (libraries / "libespeak-ng.so.1").write_bytes(b"not a library")
    command_only = tool(tmp_path / "bin", "espeak-ng",
                        f'unset LD_LIBRARY_PATH\nexec {shutil.which("espeak-ng")} "$@"')
    out = tmp_path / "out"
    line = one_line(build("--format", "audio", out=out,
                          env={"PATH": f"{command_only}:{os.environ['PATH']}",
                               "LD_LIBRARY_PATH": str(libraries), "TMPDIR": str(temporary)}))
    assert line == (f"leaflet: libespeak-ng cannot be loaded ({libraries}/libespeak-ng.so.1: "
                    "file too short); install the Debian package espeak-ng")
    assert not outputs(out) and not leftovers(temporary)


@pytest.mark.parametrize("formats", ["braille", "braille,html"], ids=["here", "in a worker"])
def test_a_liblouis_that_cannot_load_is_named_with_the_cause(tmp_path, formats):
    libraries = tmp_path / "lib"
    libraries.mkdir()
    (libraries / "liblouis.so.20").write_bytes(b"not a library")
    out = tmp_path / "out"
    line = one_line(build("--format", formats, out=out, env={"LD_LIBRARY_PATH": str(libraries)}))
    assert line == (f"leaflet: liblouis cannot be loaded ({libraries}/liblouis.so.20: file too "
                    "short); install the Debian packages liblouis20 liblouis-data")
    assert not [path for path in outputs(out) if "braille" in path.name or path.suffix == ".brf"]


CRASHING_LIBLOUIS = """
int lou_charSize(void) { return 4; }
void lou_registerLogCallback(void *callback) {}
int lou_checkTable(const char *tables) { return *(volatile int *)0; }
int lou_translate(void) { return 0; }
void *lou_getEmphClasses(const char *tables) { return 0; }
"""


@pytest.mark.parametrize("formats", ["braille", "braille,html"], ids=["here", "in a worker"])
def test_a_liblouis_that_crashes_is_reported_not_fatal(tmp_path, formats):
    compiler = shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        pytest.skip("no C compiler to make a liblouis that crashes")
    libraries = tmp_path / "lib"
    libraries.mkdir()
    (tmp_path / "louis.c").write_text(CRASHING_LIBLOUIS)
    subprocess.run([compiler, "-shared", "-fPIC", "-o", str(libraries / "liblouis.so.20"),
                    str(tmp_path / "louis.c")], check=True, timeout=TIMEOUT)
    out = tmp_path / "out"
    line = one_line(build("--format", formats, out=out, env={"LD_LIBRARY_PATH": str(libraries)}))
    assert line == ("leaflet: liblouis crashed (killed by signal 11) loading table en-ueb-g2.ctb; "
                    "reinstall the Debian packages liblouis20 liblouis-data")
    assert not [path for path in outputs(out) if path.suffix == ".brf"]


# -- disks ---------------------------------------------------------------------------------


@pytest.fixture
def disk(tmp_path: Path):
    """A folder to mount a tmpfs on, and a function that mounts (or remounts) it."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = []

    def mount(options: str) -> Path:
        arguments = ["-o", f"remount,{options}", str(folder)] if mounted else \
            ["-t", "tmpfs", "-o", options, "tmpfs", str(folder)]
        if not shutil.which("mount"):
            pytest.skip("no mount command here to make a full or read-only folder")
        result = subprocess.run(["mount", *arguments], capture_output=True, text=True,
                                timeout=30)
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here, so no full or read-only folder: "
                        f"{result.stderr.strip() or result.returncode}")
        mounted.append(options)
        return folder

    yield mount
    if mounted:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=30)


def cannot_write(out: Path, why: str) -> re.Pattern:
    """The line for the page or the Word file, whichever was written first."""
    target = re.escape(f"{out}/cytokines/en/cytokines.")
    return re.compile(f"leaflet: cannot write {target}(html|docx): {re.escape(why)}")


def test_a_full_disk_is_one_line_then_the_next_build_succeeds(disk):
    out = disk("size=1m")
    with open(out / "filler", "wb", buffering=0) as filler, pytest.raises(OSError):
        while True:  # until the disk is full
            filler.write(bytes(1 << 16))
    line = one_line(build("--format", "html,docx", out=out))
    assert cannot_write(out, "No space left on device; free some space or choose another "
                             "--out folder").fullmatch(line), line
    assert outputs(out) == [out / "filler"]  # no partial file, no temporary file
    disk("size=16m")
    again = build("--format", "html,docx", out=out)
    assert again.returncode == 0, again.stderr
    assert (out / "cytokines" / "en" / "cytokines.docx").stat().st_size > 1000


def test_a_read_only_folder_is_one_line_then_the_next_build_succeeds(disk):
    out = disk("size=1m,ro")
    line = one_line(build("--format", "html,docx", out=out))
    assert cannot_write(out, "Read-only file system; choose another --out folder").fullmatch(
        line), line
    disk("rw")
    again = build("--format", "html,docx", out=out)
    assert again.returncode == 0, again.stderr


# -- signals -------------------------------------------------------------------------------


@pytest.mark.parametrize("number, code, line", [
    (signal.SIGTERM, 143, "leaflet: stopped by SIGTERM"),
    (signal.SIGINT, 130, "leaflet: interrupted"),
])
def test_a_build_stopped_mid_narration_leaves_no_temporary_folder(tmp_path, temporary, number,
                                                                   code, line):
    out = tmp_path / "out"
    running = narrating(out, temporary, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: leftovers(temporary))
    workers = children(running.pid)
    running.send_signal(number)
    stderr = running.communicate(timeout=TIMEOUT)[1]
    assert (running.returncode, stderr) == (code, f"{line}\n")
    assert not leftovers(temporary)
    assert not [pid for pid in workers if running_process(pid)], "workers left running"
    assert not [path for path in outputs(out) if path.suffix in (".mp3", ".vtt")]


def test_the_leftovers_of_a_killed_build_go_with_the_next_build(tmp_path, temporary):
    out = tmp_path / "out"
    running = narrating(out, temporary, stderr=subprocess.DEVNULL, start_new_session=True)
    left = wait_for(lambda: leftovers(temporary))
    workers = children(running.pid)
    os.killpg(running.pid, signal.SIGKILL)  # the build, its workers and their tools
    running.wait(timeout=TIMEOUT)
    wait_for(lambda: not [pid for pid in workers if running_process(pid)])
    live = temporary / f"leaflet-{os.getpid()}-mp3-x"  # a running build's: kept
    live.mkdir()
    assert all(folder.exists() for folder in left)
    assert build("--format", "html", env={"TMPDIR": str(temporary)}, out=out).returncode == 0
    assert leftovers(temporary) == [live]


def wait_for(found, seconds: float = 60):
    """What `found()` returns once it is something, polling."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        time.sleep(0.01)
    pytest.fail(f"nothing after {seconds} s")


def parent_of(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rpartition(")")[2].split()[1])


def running_process(pid: int) -> bool:
    """Whether `pid` runs: neither gone nor a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if parent_of(int(entry.name)) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError):  # ended meanwhile
                pass
    return found
