"""`leaflet serve`: the preview answers on the loopback address only, rebuilds and reloads the
open page after a .po edit, shows a broken source's error, or a language it left out, in the
page and keeps serving."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

WAIT = 90  # seconds: a generous bound for a rebuild on a busy machine, never a measurement


class Server:
    """`leaflet serve` running in a copy of the project; its terminal lines in a queue."""

    def __init__(self, project: Path, *args: str):
        self.project = project
        self.process = subprocess.Popen(
            [sys.executable, "-m", "leaflet.cli", "serve", "--port", "0", *args], cwd=project,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.said: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        found = self.wait_for(r"serving .* at (http://127\.0\.0\.1:(\d+)/)")
        self.url, self.port = found[1], int(found[2])

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str) -> re.Match:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.process.poll() is None, f"the server ended: {self.said}"
                continue
            self.said.append(line)
            found = re.search(pattern, line)
            if found:
                return found
        raise AssertionError(f"no line matching {pattern!r} in {self.said}")

    def get(self, path: str, **headers) -> tuple[int, dict, bytes]:
        request = urllib.request.Request(self.url + path.lstrip("/"), headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(30)
        time.sleep(0.2)
        while not self.lines.empty():
            self.said.append(self.lines.get())
        return "\n".join(self.said)


def copy_of_project(folder: Path) -> Path:
    """The repository's project in English and Welsh only: every save rebuilds each language."""
    folder.mkdir()
    settings = (ROOT / "leaflet.toml").read_text(encoding="utf-8")
    (folder / "leaflet.toml").write_text(
        re.sub(r"(?m)^languages = .*$", 'languages = ["en", "cy"]', settings), encoding="utf-8")
    for name in ("source", "branding", "locales"):
        shutil.copytree(ROOT / name, folder / name)
    return folder


def save(path: Path, text: str) -> None:
    """As editors save: a new file beside it, renamed over it."""
    temporary = path.with_name(path.name + ".saving")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Server(copy_of_project(tmp_path_factory.mktemp("serve") / "project"),
                     "--lang", "en,cy", "--format", "html,easy-read-html,braille")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def chromium():
    from leaflet.audit.html import browser

    with browser() as running:
        yield running


def listening_addresses(port: int) -> set[str]:
    """The local addresses of the sockets listening on `port` (Linux: /proc/net/tcp)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # LISTEN
                found.add(address)
    return found


def test_the_preview_answers_with_the_site_on_the_loopback_address_only(server):
    status, headers, body = server.get("/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"cytokines/en/cytokines.html" in body  # the site's index
    status, headers, body = server.get("/cytokines/cy/cytokines.html")
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert b'lang="cy"' in body and b"/.leaflet/events" in body
    on_disk = (server.project / "build" / "cytokines" / "cy" / "cytokines.html").read_bytes()
    assert b"/.leaflet/events" not in on_disk  # the reload script is in the answer only
    for hidden in ("/.cache/", "/cytokines/en/.leaflet-build.json", "/../leaflet.toml",
                   "/%2e%2e/leaflet.toml", "/cytokines/../../leaflet.toml", "/nothing.html"):
        assert server.get(hidden)[0] == 404, hidden
    assert listening_addresses(server.port) == {"0100007F"}  # 127.0.0.1


def test_a_braille_file_is_served_in_parts_for_a_player_or_reader_that_asks(server):
    path = server.project / "build" / "cytokines" / "en" / "cytokines.brf"
    status, headers, body = server.get("/cytokines/en/cytokines.brf", Range="bytes=10-19")
    assert status == 206 and body == path.read_bytes()[10:20]
    assert headers["Content-Range"] == f"bytes 10-19/{path.stat().st_size}"


def test_a_po_edit_shows_in_the_open_page_without_a_restart(server, chromium):
    catalogue = server.project / "locales" / "cy" / "LC_MESSAGES" / "cytokines.po"
    text = catalogue.read_text(encoding="utf-8")
    old = 'msgstr "Sut mae cyffuriau cytocin yn gweithio?"'
    assert old in text
    page = chromium.new_page()
    page.goto(server.url + "cytokines/cy/cytokines.html")
    heading = page.locator("#how-cytokine-drugs-work-title")
    assert heading.text_content() == "Sut mae cyffuriau cytocin yn gweithio?"
    save(catalogue, text.replace(old, 'msgstr "Sut mae’r cyffuriau cytocin yn gweithio?"'))
    page.wait_for_function("() => document.querySelector('#how-cytokine-drugs-work-title')"
                           ".textContent === 'Sut mae’r cyffuriau cytocin yn gweithio?'",
                           timeout=WAIT * 1000)
    server.wait_for(r"built after a change to locales/cy/LC_MESSAGES/cytokines\.po")
    page.close()


def test_a_broken_source_shows_its_error_in_the_page_and_the_server_keeps_serving(
        server, chromium):
    source = server.project / "source" / "cytokines.yaml"
    good = source.read_text(encoding="utf-8")
    page = chromium.new_page()
    page.goto(server.url + "cytokines/en/cytokines.html")
    save(source, good.replace("sections:", "sections: [", 1))
    banner = page.get_by_role("alert")
    banner.wait_for(timeout=WAIT * 1000)
    assert "source/cytokines.yaml:" in banner.text_content()
    server.wait_for(r"^leaflet: source/cytokines\.yaml:\d+:\d+: ")
    # Still serving, the last good pages, with the error at the top.
    status, _, body = server.get("/cytokines/en/cytokines.html")
    assert status == 200 and b'role="alert"' in body and b"source/cytokines.yaml:" in body
    save(source, good)
    page.wait_for_function("() => !document.querySelector('[role=alert]')", timeout=WAIT * 1000)
    assert b'role="alert"' not in server.get("/cytokines/en/cytokines.html")[2]
    page.close()


def test_a_fuzzy_translation_is_said_in_the_page_not_shown_as_current(chromium, tmp_path):
    # Without --lang, a language with a fuzzy string is left out of the build, not an error.
    running = Server(copy_of_project(tmp_path / "project"))
    catalogue = running.project / "locales" / "cy" / "LC_MESSAGES" / "cytokines.po"
    text = catalogue.read_text(encoding="utf-8")
    old = '\nmsgid "How do cytokine drugs work?"\n'
    assert old in text
    page = chromium.new_page()
    page.goto(running.url + "cytokines/cy/cytokines.html")
    save(catalogue, text.replace(old, "\n#, fuzzy" + old, 1))
    notice = page.get_by_role("status").filter(has_text="The last build said")
    notice.wait_for(timeout=WAIT * 1000)
    assert ("cytokines in 'cy' not built: 0 untranslated and 1 fuzzy in locales/cy/LC_MESSAGES/"
            "cytokines.po") in notice.text_content()
    running.wait_for(r"^leaflet: cytokines in 'cy' not built: 0 untranslated and 1 fuzzy")
    save(catalogue, text)
    page.wait_for_function("() => !document.querySelector('#leaflet-preview-notes')",
                           timeout=WAIT * 1000)
    page.close()
    running.stop()


def test_ctrl_c_stops_it_cleanly(tmp_path):
    running = Server(copy_of_project(tmp_path / "project"), "--lang", "en")
    said = running.stop()
    assert running.process.returncode == 0
    assert "Traceback" not in said and said.splitlines()[-1] == "leaflet: stopped"
    children = subprocess.run(["pgrep", "-P", str(running.process.pid)], capture_output=True)
    assert children.stdout == b""


def test_a_port_in_use_is_one_line(server, tmp_path):
    result = subprocess.run([sys.executable, "-m", "leaflet.cli", "serve", "--port",
                             str(server.port), "--lang", "en"], cwd=server.project,
                            capture_output=True, text=True, timeout=WAIT)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith(
        f"leaflet: cannot listen on 127.0.0.1:{server.port}: ")
