"""`make bench`: whole-process medians of leaflet builds beside their floors, and by source size."""

from __future__ import annotations

import copy
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source" / "cytokines.yaml"
BIN = Path(sys.executable).parent
RUNS = 9
SIZES = (1, 2, 4)  # times the 1x source
COPIES = 7  # the example's sections 7 times over at 1x: at 4x the text nears the leaflet limit
SIZE_FORMATS = ("html", "pdf", "docx", "braille")
SIZE_RUNS = 3
SCALING_SIZES = (25, 50, 100, 200)
SCALING_FORMATS = ("html", "easy-read-html", "docx", "braille")


def main(argv: list[str]) -> int:
    # The command as installed: its bytecode cached, as pip leaves it.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    # --only=docx,audio: the rows of those formats; --only=preview: the preview's figure
    only = next((arg.removeprefix("--only=").split(",") for arg in argv
                 if arg.startswith("--only=")), None)
    if only == ["preview"]:
        preview()
        return 0
    if "--sizes-only" not in argv:
        speeds(only)
    if only is None:
        sizes()
        unchanged()
        preview()
        scaling()
        cluster_row()
    return 0


def speeds(only: list[str] | None = None) -> None:
    """Each build beside its floor: the same work done by the tool it stands on; with `only`,
    the rows of those formats."""
    from leaflet.edition import FULL, edition
    from leaflet.model import ItemList
    from leaflet.render import html
    from leaflet.render.pdf import with_font_faces
    from leaflet.source import load

    leaflet = load(SOURCE)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        page = with_font_faces(html.page(edition(leaflet, FULL), "print", show_qr=True))
        (work / "cytokines.html").write_text(page, encoding="utf-8")
        (work / "cytokines.md").write_text(as_markdown(leaflet, ItemList), encoding="utf-8")
        build = [str(BIN / "leaflet"), "build", str(SOURCE), "--out", str(work / "out"),
                 "--lang", "en", "--force", "-q", "--format"]
        rows = [
            ("leaflet build --format pdf", build + ["pdf"],
             "weasyprint (same HTML, pdf/ua-1)",
             [str(BIN / "weasyprint"), "--pdf-variant", "pdf/ua-1", str(work / "cytokines.html"),
              str(work / "floor.pdf")], 1.15),
            ("leaflet build --format docx", build + ["docx"],
             "pandoc (same text as Markdown)",
             [shutil.which("pandoc") or "pandoc", str(work / "cytokines.md"), "-o",
              str(work / "floor.docx")], 3.0),
        ]
        rows.append(audio_row(edition(leaflet, FULL), work))
        rows = [row for row in rows if only is None or row[0].split()[3] in only]
        print(f"Whole-process medians of {RUNS} runs (after one warm-up), on {cores()} cores\n")
        print(f"{'command':34} {'median':>8}   {'floor':34} {'median':>8}  {'ratio':>6}  goal")
        for name, command, floor_name, floor, goal in rows:
            ours, theirs = measure(command, floor)
            ratio = ours / theirs
            verdict = "met" if ratio <= goal else "NOT met"
            print(f"{name:34} {ours:7.3f}s   {floor_name:34} {theirs:7.3f}s  {ratio:5.2f}x  "
                  f"<= {goal}x {verdict}")
        if only is not None and "audio" not in only:
            return
        audio = [str(BIN / "leaflet"), "build", str(SOURCE), "--out", str(work / "audio"), "-q",
                 "--lang", "en", "--format", "audio"]
        subprocess.run(audio, check=True, cwd=ROOT)
        unchanged, forced = measure(audio, audio + ["--force"])
        print(f"{'leaflet build --format audio':34} {unchanged:7.3f}s   no change: up to date")
        print(f"{'  ... --force':34} {forced:7.3f}s   every sentence from the sentence cache")


def sizes() -> None:
    """Build times of one leaflet at 1x, 2x and 4x the size: time should grow with the size."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        sources = {size: large_source(work / "source", size) for size in SIZES}
        shown = ", ".join(f"{size}x {path.stat().st_size / 1000:.0f} KB" for size, path in
                          sources.items())
        print(f"\nWhole-process medians of {SIZE_RUNS} runs (after one warm-up) by source size: "
              f"{shown}\n")
        print(f"{'leaflet build --format':24}" + "".join(f"{f'{size}x':>9}" for size in SIZES)
              + f"{'4x/1x':>9}")
        for medium in SIZE_FORMATS:
            seconds = [median([str(BIN / "leaflet"), "build", str(sources[size]), "--out",
                               str(work / "out"), "--lang", "en", "--force", "-q", "--format",
                               medium]) for size in SIZES]
            print(f"{medium:24}" + "".join(f"{s:8.2f}s" for s in seconds)
                  + f"{seconds[-1] / seconds[0]:8.2f}x")


def library(folder: Path, count: int) -> Path:
    """A project of `count` copies of the example leaflet under new ids (leaflet-001, ...),
    each in English and Welsh, with the repository's settings and branding."""
    import re

    folder.mkdir(parents=True)
    settings = (ROOT / "leaflet.toml").read_text(encoding="utf-8")
    (folder / "leaflet.toml").write_text(
        re.sub(r"(?m)^languages = .*$", 'languages = ["en", "cy"]', settings), encoding="utf-8")
    shutil.copytree(ROOT / "branding", folder / "branding")
    (folder / "source").mkdir()
    catalogues = folder / "locales" / "cy" / "LC_MESSAGES"
    catalogues.mkdir(parents=True)
    text = SOURCE.read_text(encoding="utf-8")
    catalogue = (ROOT / "locales" / "cy" / "LC_MESSAGES" / "cytokines.po").read_bytes()
    for number in range(1, count + 1):
        name = f"leaflet-{number:03}"
        (folder / "source" / f"{name}.yaml").write_text(
            text.replace("id: cytokines", f"id: {name}", 1), encoding="utf-8")
        (catalogues / f"{name}.po").write_bytes(catalogue)
    return folder


def scaling() -> None:
    """Cold and unchanged builds of libraries of 25 to 200 leaflets: the time per output
    should not grow with the library, nor the memory without bound."""
    formats = ",".join(SCALING_FORMATS)
    print(f"\nLibraries of N copies of the example in English and Welsh, --format {formats}; "
          "one run each; peak memory is the\nsum over the build's processes (PSS)\n")
    print(f"{'N':>4} {'outputs':>8} {'cold':>9} {'per output':>11} {f'vs N={SCALING_SIZES[0]}':>8} {'peak':>8} "
          f"{'unchanged':>10} {'one .po edited':>22}")
    first = None
    with tempfile.TemporaryDirectory() as folder:
        for count in SCALING_SIZES:
            project = library(Path(folder) / f"n{count}", count)
            command = [str(BIN / "leaflet"), "build", "--format", formats]
            cold, peak, lines = timed(command, project)
            outputs = lines.count("(built")
            per = cold / outputs
            first = first or per
            unchanged = statistics.median(timed(command, project)[0] for _ in range(3))
            po = project / "locales" / "cy" / "LC_MESSAGES" / f"leaflet-{count:03}.po"
            po.write_text(po.read_text(encoding="utf-8").replace(
                'msgstr "Beth yw sgil', 'msgstr "Beth ydy sgil'), encoding="utf-8")
            edited, _, lines = timed(command, project)
            print(f"{count:4} {outputs:8} {cold:8.1f}s {per * 1000:9.0f}ms {per / first:7.2f}x "
                  f"{peak / 2**20:6.0f}MB {unchanged:9.2f}s "
                  f"{lines.count('(built'):4} rebuilt in {edited:5.2f}s")
            shutil.rmtree(project)


def unchanged() -> None:
    """Every format of the repository's example in every language, when nothing changed."""
    with tempfile.TemporaryDirectory() as folder:
        command = [str(BIN / "leaflet"), "build", "--out", folder]
        seconds, peak, lines = timed(command, ROOT)
        outputs = lines.count("(built")
        times = [timed(command, ROOT)[0] for _ in range(RUNS)]
        print(f"\nUnchanged build of the example, every format in every language ({outputs} "
              f"outputs, built cold in {seconds:.0f} s): median of {RUNS} runs "
              f"{statistics.median(times):.3f} s")


HEADING = "Sut mae cyffuriau cytocin yn gweithio?"  # the Welsh string the edit changes


def preview() -> None:
    """What a translator waits for: from saving a one-string edit of a .po file to the reload
    event `leaflet serve` sends the open page, its Welsh page then holding the new text."""
    import socket
    import threading
    import urllib.request

    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        shutil.copy(ROOT / "leaflet.toml", project)
        for name in ("source", "branding", "locales"):
            shutil.copytree(ROOT / name, project / name)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen([str(BIN / "leaflet"), "serve", "--port", str(port)],
                                  cwd=project, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        try:
            for line in server.stderr:  # the first build of the preview, then its address
                if "serving" in line:
                    break
            else:
                raise SystemExit("bench: leaflet serve stopped before serving")
            threading.Thread(target=server.stderr.read, daemon=True).start()  # its build lines
            address = f"http://127.0.0.1:{port}"
            page = f"{address}/cytokines/cy/cytokines.html"
            catalogue = project / "locales" / "cy" / "LC_MESSAGES" / "cytokines.po"
            original = catalogue.read_text(encoding="utf-8")
            assert f'msgstr "{HEADING}"' in original, "bench: the Welsh heading is not there"
            times = []
            for run in range(RUNS):
                shown = urllib.request.urlopen(page, timeout=30).read().decode("utf-8")
                number = re.search(r"events\?after=(\d+)", shown).group(1)
                heading = f"{run} {HEADING}"
                events = urllib.request.urlopen(f"{address}/.leaflet/events?after={number}",
                                                timeout=60)
                started = time.perf_counter()
                catalogue.write_text(original.replace(f'msgstr "{HEADING}"',
                                                      f'msgstr "{heading}"'), encoding="utf-8")
                while (line := events.readline()) and not line.startswith(b"event:"):
                    pass
                times.append(time.perf_counter() - started)
                events.close()
                assert line.strip() == b"event: reload", line
                shown = urllib.request.urlopen(page, timeout=30).read().decode("utf-8")
                assert heading in shown, "bench: the page does not show the edit"
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"\nPreview: from saving a one-string .po edit to the reload of the open page "
          f"(leaflet serve, the Welsh web pages): median of {RUNS} edits "
          f"{statistics.median(times):.2f} s, slowest {max(times):.2f} s")


def timed(command: list[str], folder: Path) -> tuple[float, int, str]:
    """Seconds, peak memory (bytes, the sum of the proportional set sizes of the command's
    processes, sampled every 20 ms) and standard error of one run in `folder`."""
    import threading

    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], tree_memory(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    errors = process.communicate()[1]
    seconds = time.perf_counter() - started
    sampler.join()
    if process.returncode:
        raise SystemExit(f"bench: {' '.join(command)} failed in {folder}:\n{errors}")
    return seconds, peak[0], errors


def tree_memory(pid: int) -> int:
    """The proportional set size of a process and its descendants, in bytes (Linux)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) * 1024 for line in rollup.splitlines()
                       if line.startswith("Pss:")), 0)
    return total


def large_source(folder: Path, size: int) -> Path:
    """The example leaflet with its sections repeated `size * COPIES` times, the copies under
    new ids (what-are-cytokines-2, ...), written as `cytokines-<size>x.yaml` in `folder`."""
    import yaml

    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    name = f"cytokines-{size}x"
    sections = data["sections"]
    data["id"] = name
    data["sections"] = [section if n == 1 else {
        **copy.deepcopy(section),  # a copy, or PyYAML writes an alias the loader refuses
        "id": f"{section['id']}-{n}",
        "title": section.get("title") or section.get("easy_read_title") or data["title"],
    } for n in range(1, size * COPIES + 1) for section in sections]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100),
                    encoding="utf-8")
    return path


def median(command: list[str]) -> float:
    times = []
    for run in range(SIZE_RUNS + 1):
        started = time.perf_counter()
        subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        if run:  # the first run warms the disk cache
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def audio_row(full, work: Path):
    """The narration from a cold sentence cache, against espeak-ng and ffmpeg run directly on
    the same sentences: one espeak-ng process, one ffmpeg with the same limiter, gain and MP3."""
    from leaflet.narration import script

    text = work / "narration.txt"
    text.write_text("\n\n".join(u.text for chapter in script(full) for u in chapter.utterances),
                    encoding="utf-8")
    cache = work / "cold" / ".cache"
    ours = ["sh", "-c", f'rm -rf "{cache}" && exec "$0" "$@"', str(BIN / "leaflet"), "build",
            str(SOURCE), "--out", str(work / "cold"), "--force", "-q", "--lang", "en",
            "--format", "audio"]
    floor = ["sh", "-c", f'espeak-ng -v en-gb -s 150 -f "{text}" -w "{work}/floor.wav" && '
             f'ffmpeg -v error -y -i "{work}/floor.wav" -af "alimiter=limit=0.48:level=false,'
             f'volume=5dB" -ac 1 -c:a libmp3lame -b:a 64k "{work}/floor.mp3"']
    return ("leaflet build --format audio cold", ours, "espeak-ng + ffmpeg (same text)",
            floor, 1.3)


def measure(command: list[str], floor: list[str], runs: int = RUNS) -> tuple[float, float]:
    """Alternate the two commands so that machine noise falls on both alike."""
    times: dict[int, list[float]] = {0: [], 1: []}
    for run in range(runs + 1):
        for index, argv in enumerate((command, floor)):
            started = time.perf_counter()
            subprocess.run(argv, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
            if run:  # the first round warms the disk cache
                times[index].append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def as_markdown(leaflet, bullet_list) -> str:
    lines = [f"# {leaflet.title.markup}", ""]
    for section in leaflet.sections:
        if section.title:
            lines += [f"## {section.title.markup}", ""]
        for block in section.blocks:
            for part in getattr(block, "blocks", (block,)):  # a callout's, or the block
                if isinstance(part, bullet_list):
                    lines += [f"{'  ' * level}- {text.markup}" for item in part.items
                              for level, text in ((0, item.text), *((1, sub) for sub in
                                                                     item.items))] + [""]
                elif hasattr(part, "rows"):  # a table: its cells, a line each
                    lines += [cell.markup for row in (part.header, *part.rows)
                              for cell in row] + [""]
                else:
                    lines += [part.text.markup, ""]
    lines += ["## Glossary", ""]
    for entry in leaflet.glossary:
        lines += [f"**{entry.term.markup}**", "", entry.definition.markup, ""]
    lines += ["## References", ""] + [f"- {r.markup}" for r in leaflet.references] + [""]
    return "\n".join(lines)


def cores() -> int:
    return os.cpu_count() or 1


CLUSTER_RUNS = 5
CLUSTER_FORMATS = "pdf,docx,html,braille,easy-read"


def cluster_row() -> None:
    """The same build with the local pool and on a Dask scheduler with two one-thread workers
    on this machine: what sending the jobs and their files costs."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        processes = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler",
                                       "--host", "127.0.0.1", "--port", str(port),
                                       "--no-dashboard"], **quiet)]
        try:
            for number in (1, 2):
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers",
                     "1", "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard",
                     "--local-directory", str(work / f"worker-{number}")], **quiet))
            from distributed import Client

            with Client(address, timeout=60) as client:
                client.wait_for_workers(2, timeout=120)
            build = [str(BIN / "leaflet"), "build", str(SOURCE), "--lang", "en,cy", "--force",
                     "-q", "--format", CLUSTER_FORMATS]
            local, dask = measure(build + ["--out", str(work / "local")],
                                  build + ["--out", str(work / "dask"), "--scheduler", address],
                                  CLUSTER_RUNS)
        finally:
            for process in reversed(processes):  # the workers, then the scheduler
                process.terminate()
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    ratio = dask / local
    verdict = "met" if ratio <= 1.15 else "NOT met"
    print(f"\nWhole-process medians of {CLUSTER_RUNS} runs (after one warm-up): {CLUSTER_FORMATS} "
          "in en and cy\n")
    print(f"{'build --scheduler (2 Dask workers)':34} {dask:7.3f}s   "
          f"{f'local pool ({cores()} processes)':34} {local:7.3f}s  {ratio:5.2f}x  "
          f"<= 1.15x {verdict}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
