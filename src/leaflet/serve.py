"""`leaflet serve`: the project's build folder on the loopback address, rebuilt as its sources,
catalogues and styles are saved, and every open page reloaded when the rebuild is done."""

from __future__ import annotations

import html
import json
import mimetypes
import re
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .errors import LeafletError

DEFAULT_FORMATS = ("html", "easy-read-html")  # the web pages: a preview is for reading
WATCHED = ("source", "locales", "styles", "pictures", "branding")  # and leaflet.toml
EVENTS = "/.leaflet/events"  # Server-Sent Events: "reload" after a build, "failed" with its lines
BUILD_SECONDS = 300  # a build that takes longer is stopped, and said so
ERROR_LINES = 5
KEEP_ALIVE = 10  # seconds between comments on an idle event stream
WATCH_START_SECONDS = 10  # at most, after the first build, for the watching to start
TYPES = {".vtt": "text/vtt; charset=utf-8", ".woff2": "font/woff2", ".brf": "text/plain",
         ".mp3": "audio/mpeg", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
         ".html": "text/html; charset=utf-8",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class Preview:
    """Builds the project in a child process, one build at a time, and tells the open pages
    the outcome: each build has a number, the lines of its errors if it failed, and if it
    did not, the lines of what it left out or warns of (a language with a fuzzy string)."""

    def __init__(self, root: Path, formats: list[str], languages: list[str] | None):
        self.root = root
        self.command = [sys.executable, "-m", "leaflet.cli", "build", "--project", str(root),
                        "--format", ",".join(formats), "--quiet"]
        if languages:
            self.command += ["--lang", ",".join(languages)]
        self.changed = threading.Condition()
        self.number = 0
        self.errors: list[str] = []
        self.notes: list[str] = []
        self.stopping = threading.Event()
        self.watching = threading.Event()  # set once a save would be seen
        self._child: subprocess.Popen | None = None
        self._one_at_a_time = threading.Lock()

    def build(self, reason: str) -> None:
        with self._one_at_a_time:
            started = time.perf_counter()
            failed, lines = self._run()
            seconds = time.perf_counter() - started
            for line in lines:
                print(f"leaflet: {line}", file=sys.stderr, flush=True)
            if not failed:
                print(f"leaflet: built {reason} in {seconds:.1f} s", file=sys.stderr,
                      flush=True)
            with self.changed:
                self.number += 1
                self.errors, self.notes = (lines, []) if failed else ([], lines)
                self.changed.notify_all()

    def _run(self) -> tuple[bool, list[str]]:
        """Whether the build failed, and the lines it printed (without "leaflet: "): its
        errors, or what it left out."""
        try:
            self._child = subprocess.Popen(self.command, cwd=self.root, stdin=subprocess.DEVNULL,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                           text=True, errors="replace")
            _, stderr = self._child.communicate(timeout=BUILD_SECONDS)
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.communicate()
            return True, [f"the build took more than {BUILD_SECONDS} s and was stopped; save "
                          "again to retry"]
        except OSError as error:
            return True, [f"cannot start the build: {error.strerror}"]
        finally:
            code, self._child = (self._child.returncode if self._child else 1), None
        if self.stopping.is_set():
            return False, []
        lines = [line.removeprefix("leaflet: ") for line in stderr.splitlines()
                 if line.startswith("leaflet: ")]
        if code == 0:
            return False, lines[:ERROR_LINES]
        return True, (lines or [f"the build ended with status {code}"])[:ERROR_LINES]

    def outcome(self, after: int) -> tuple[int, list[str]] | None:
        """The number and errors of the first build after number `after`: at once if there
        has been one, else when it ends, or None after a few seconds without one."""
        with self.changed:
            self.changed.wait_for(lambda: self.number > after or self.stopping.is_set(),
                                  KEEP_ALIVE)
            return (self.number, list(self.errors)) if self.number > after else None

    def stop(self) -> None:
        self.stopping.set()
        child = self._child
        if child and child.poll() is None:
            child.terminate()
        with self.changed:
            self.changed.notify_all()


def watch(preview: Preview) -> None:
    """Rebuild after each save in the watched folders or of leaflet.toml; saves made during
    a build are one more build after it."""
    from watchfiles import watch as changes_in

    folders = [preview.root / name for name in WATCHED if (preview.root / name).is_dir()]
    config = preview.root / "leaflet.toml"
    seen = _stamp(config)
    for changes in changes_in(*folders, watch_filter=_worth_a_build, stop_event=preview.stopping,
                              yield_on_timeout=True, rust_timeout=500, debounce=400, step=50,
                              raise_interrupt=False):
        preview.watching.set()  # the first answer comes once the folders are watched
        stamp = _stamp(config)  # a file alone is not watched once an editor replaces it
        if changes or stamp != seen:
            seen = stamp
            paths = sorted({Path(path) for _, path in changes}) or [config]
            preview.build(f"after a change to {_shown(paths[0], preview.root)}")


def _stamp(path: Path):
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size, found.st_ino


def _worth_a_build(change, path: str) -> bool:
    """Not an editor's backup, swap or temporary file, nor anything hidden."""
    name = Path(path).name
    return not (name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp", ".bak")))


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD of the files of the build folder, the pages with the reload script in
    them, and the event stream; nothing outside the folder, nothing hidden."""

    folder: Path
    preview: Preview
    server_version = "leaflet"

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        parts = urlsplit(self.path)
        if parts.path == EVENTS:
            return self._events(parts.query)
        path = self._file(parts.path)
        if path is None:
            return self._send(404, b"Not found", "text/plain; charset=utf-8", body)
        if path.suffix == ".html":
            return self._send(200, self._page(path), TYPES[".html"], body)
        self._send_file(path, body)

    def _file(self, url_path: str) -> Path | None:
        """The file a URL names inside the build folder, or None."""
        parts = [part for part in unquote(url_path).split("/") if part]
        if any(part.startswith(".") or "\\" in part or "\0" in part for part in parts):
            return None
        path = self.folder.joinpath(*parts)
        if path.is_dir():
            path = path / "index.html"
        try:
            resolved = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        inside = resolved.is_relative_to(self.folder.resolve())
        return resolved if inside and resolved.is_file() else None

    def _page(self, path: Path) -> bytes:
        """The page with the script that reloads it after each build, and at the top, while
        the last build failed, its errors, or what it left out."""
        with self.preview.changed:
            number, errors = self.preview.number, list(self.preview.errors)
            notes = list(self.preview.notes)
        text = path.read_text(encoding="utf-8", errors="replace")
        banner = _banner(errors) if errors else _notice(notes) if notes else ""
        if banner:
            text = re.sub(r"(<body[^>]*>)", lambda found: found[1] + banner, text, count=1)
        script = RELOAD.replace("NUMBER", str(number))
        end = text.rfind("</body>")
        text = text[:end] + script + text[end:] if end >= 0 else text + script
        return text.encode("utf-8")

    def _send_file(self, path: Path, body: bool) -> None:
        size = path.stat().st_size
        start, end = 0, size - 1
        found = RANGE.match(self.headers.get("Range", "").strip())
        partial = bool(found and (found[1] or found[2]))
        if partial:  # an audio player seeking
            if found[1]:
                start, end = int(found[1]), min(int(found[2] or end), end)
            else:
                start = max(0, size - int(found[2]))
            if start > end:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.end_headers()
                return
        kind = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] \
            or "application/octet-stream"
        self.send_response(206 if partial else 200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        if partial:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            with path.open("rb") as file:
                file.seek(start)
                left = end - start + 1
                while left > 0:
                    chunk = file.read(min(left, 1 << 16))
                    if not chunk:
                        break
                    self.wfile.write(chunk)
                    left -= len(chunk)

    def _send(self, status: int, data: bytes, kind: str, body: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self, query: str) -> None:
        """The stream a page listens to: the outcome of each build after the one it shows."""
        try:
            after = int(parse_qs(query).get("after", ["0"])[0])
        except ValueError:
            after = 0
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        while not self.preview.stopping.is_set():
            outcome = self.preview.outcome(after)
            if outcome is None:
                self.wfile.write(b": still here\n\n")
            else:
                after, errors = outcome
                kind = "failed" if errors else "reload"
                self.wfile.write(f"event: {kind}\ndata: {json.dumps(errors)}\n\n".encode())
            self.wfile.flush()

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):  # the reader went away: nothing to do
            pass

    def log_message(self, format: str, *args) -> None:  # quiet: the terminal is for builds
        pass


def _banner(errors: list[str]) -> str:
    lines = "".join(f"<p>{html.escape(line)}</p>" for line in errors)
    return (f'<div id="leaflet-preview-error" role="alert" style="{BANNER_STYLE}">'
            f"<p><strong>{BANNER_TITLE}</strong></p>{lines}</div>")


def _notice(notes: list[str]) -> str:
    lines = "".join(f"<p>{html.escape(line)}</p>" for line in notes)
    return (f'<div id="leaflet-preview-notes" role="status" style="{NOTICE_STYLE}">'
            f"<p><strong>{NOTICE_TITLE}</strong></p>{lines}</div>")


BANNER_TITLE = "The last build failed; this page is from the build before it:"
NOTICE_TITLE = "The last build said (a page it did not build is from an earlier build):"
NOTICE_STYLE = ("border: 0.25em dashed #1a1a1a; background: #ffffff; color: #1a1a1a; "
                "padding: 0.5em 1em; margin: 0.5em 0; font-family: sans-serif;")
BANNER_STYLE = ("border: 0.25em solid #8a1c10; background: #ffffff; color: #1a1a1a; "
                "padding: 0.5em 1em; margin: 0.5em 0; font-family: sans-serif;")
RELOAD = """<script>
(function () {
  var events = new EventSource("/.leaflet/events?after=NUMBER");
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("failed", function (event) {
    var banner = document.getElementById("leaflet-preview-error") || document.createElement("div");
    banner.id = "leaflet-preview-error";
    banner.setAttribute("role", "alert");
    banner.setAttribute("style", "%s");
    banner.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "%s";
    banner.appendChild(document.createElement("p")).appendChild(title);
    JSON.parse(event.data).forEach(function (line) {
      banner.appendChild(document.createElement("p")).textContent = line;
    });
    document.body.prepend(banner);
  });
})();
</script>
""" % (BANNER_STYLE, BANNER_TITLE)


def serve(root: Path, folder: Path, host: str, port: int, formats: list[str],
          languages: list[str] | None) -> int:
    """Build, then serve `folder` at host:port until Ctrl-C, rebuilding after each save."""
    preview = Preview(root, formats, languages)
    handler = type("PreviewHandler", (Handler,), {"folder": folder, "preview": preview})
    try:  # the address first: a port in use is said before a build
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        raise LeafletError(f"cannot listen on {host}:{port}: {error.strerror}; choose another "
                           "port with --port N") from error
    server.daemon_threads = True
    shown = f"[{host}]" if ":" in host else host
    watcher = threading.Thread(target=watch, args=(preview,), daemon=True)
    try:  # Ctrl-C at any time from here is a clean stop
        # Watching first: a save made during the first build is one more build after it.
        watcher.start()
        preview.build("the preview")
        preview.watching.wait(WATCH_START_SECONDS)
        print(f"leaflet: serving {_shown(folder, Path.cwd())}/ at "
              f"http://{shown}:{server.server_address[1]}/ (Ctrl-C to stop)", file=sys.stderr,
              flush=True)
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        print("leaflet: stopped", file=sys.stderr, flush=True)
        return 0
    finally:
        preview.stop()
        server.server_close()
        if watcher.is_alive():
            watcher.join(2)
    return 0
