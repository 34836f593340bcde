"""PCM to MP3 with ffmpeg: loudness for speech, ID3 chapters and tags, same input same bytes."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import MissingTool, RenderError

TARGET = -16.0  # LUFS, integrated: the level for spoken word on phones and speakers
CEILING = -2.0  # dBFS sample peak after the gain: true peak stays under -1 dBTP in the MP3
BITRATE = "64k"
LIMITER_MARGIN = 1.0  # dB more limiting than the first gain needs: limiting lowers the loudness
ENCODING_LOSS = 0.4  # LU that LAME at 64 kbps took from espeak-ng speech (measured; tests check)


@dataclass(frozen=True)
class Marker:
    title: str
    start: float  # seconds
    end: float


class Meter:
    """Measures PCM while it is being made: ffmpeg's ebur128 reads it as sentences arrive."""

    def __init__(self, sample_rate: int):
        self._process = subprocess.Popen(
            [_command(), "-hide_banner", "-nostdin", "-nostats", "-v", "info",
             *_pcm_input(sample_rate), "-af", "ebur128=peak=sample:framelog=verbose",
             "-f", "null", "-"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def write(self, pcm: bytes) -> None:
        self._process.stdin.write(pcm)

    def result(self) -> tuple[float, float]:
        """Integrated loudness (LUFS) and sample peak (dBFS) of everything written."""
        self._process.stdin.close()
        log = self._process.stderr.read()
        if self._process.wait() != 0:
            raise RenderError(f"ffmpeg failed: {log.decode(errors='replace').strip()[-200:]}")
        return _summary(log)

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        for stream in (self._process.stdin, self._process.stderr):
            if not stream.closed:
                stream.close()


def encode(pcm: bytes, sample_rate: int, chapters: list[Marker], tags: dict[str, str],
           measured: tuple[float, float] | None = None) -> bytes:
    """A mono 64 kbps MP3 at -16 LUFS with `chapters` (ID3 CHAP/CTOC) and `tags`.

    Limiter first, then one static gain, as linear `loudnorm` does, without its 192 kHz
    resampling that costs more than the encoding: measure the loudness; limit the peaks that
    the gain would lift over the ceiling, with a margin for what the limiter takes; measure
    again and set the gain. A last limiter guards the ceiling if the margin was not enough.
    `measured` is the loudness and peak of `pcm` from a Meter, if it was measured as it was made.
    """
    target = TARGET + ENCODING_LOSS
    loudness, peak = measured or _measure(pcm, sample_rate)[:2]
    if target - loudness + peak > CEILING:
        peak = CEILING - (target - loudness) - LIMITER_MARGIN
        loudness, _, pcm = _measure(pcm, sample_rate, _limiter(peak))  # keeps the limited PCM
    gain = target - loudness
    chain = ",".join([f"volume={gain:.3f}dB", *([_limiter(CEILING)] if peak + gain > CEILING else [])])
    with tempfile.TemporaryDirectory(prefix="leaflet-mp3-") as folder:
        metadata = Path(folder) / "metadata.txt"
        metadata.write_text(_ffmetadata(chapters, tags), encoding="utf-8")
        return _ffmpeg([*_pcm_input(sample_rate), "-f", "ffmetadata", "-i", str(metadata),
                        "-map", "0:a", "-map_metadata", "1", "-map_chapters", "1",
                        "-af", chain, "-ac", "1", "-ar", str(sample_rate),
                        "-c:a", "libmp3lame", "-b:a", BITRATE, "-cutoff", str(sample_rate // 2),
                        "-id3v2_version", "4", "-write_xing", "1",
                        "-fflags", "+bitexact", "-flags:a", "+bitexact", "-f", "mp3", "pipe:1"],
                       pcm)


def _limiter(ceiling_db: float) -> str:
    limit = min(1.0, 10 ** (ceiling_db / 20))
    return f"alimiter=limit={limit:.6f}:attack=5:release=50:level=false:latency=true"


def _measure(pcm: bytes, sample_rate: int, chain: str = "") -> tuple[float, float, bytes]:
    """Integrated loudness (EBU R 128), sample peak (dBFS) and the PCM after `chain`."""
    filters = f"{chain}," if chain else ""
    output = ["-f", "s16le", "pipe:1"] if chain else ["-f", "null", "-"]
    audio, log = _ffmpeg(["-nostats", *_pcm_input(sample_rate), "-af",
                          f"{filters}ebur128=peak=sample:framelog=verbose", *output], pcm, log=True)
    return (*_summary(log), audio if chain else pcm)


def _summary(log: bytes) -> tuple[float, float]:
    summary = log.decode(errors="replace").rpartition("Summary:")[2]
    loudness = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not loudness or not peak:
        raise RenderError("ffmpeg did not report the loudness")
    if float(loudness[1]) <= -70:
        raise RenderError("the narration is silent")
    return float(loudness[1]), float(peak[1])


def _pcm_input(sample_rate: int) -> list[str]:
    return ["-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", "pipe:0"]


def _command() -> str:
    command = shutil.which("ffmpeg")
    if not command:
        raise MissingTool("ffmpeg is not installed; install the Debian package ffmpeg")
    return command


def _ffmpeg(arguments: list[str], data: bytes, log: bool = False):
    """ffmpeg's output; with `log`, the output and its log (for the filters' reports)."""
    result = subprocess.run([_command(), "-hide_banner", "-nostdin", "-v", "info" if log else "error",
                             *arguments], input=data, capture_output=True, timeout=600)
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise RenderError(f"ffmpeg failed: {message[-1] if message else result.returncode}")
    return (result.stdout, result.stderr) if log else result.stdout


def _ffmetadata(chapters: list[Marker], tags: dict[str, str]) -> str:
    lines = [";FFMETADATA1"]
    lines += [f"{key}={_escape(value)}" for key, value in tags.items()]
    for chapter in chapters:
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={round(chapter.start * 1000)}",
                  f"END={round(chapter.end * 1000)}", f"title={_escape(chapter.title)}"]
    return "\n".join(lines) + "\n"


def _escape(value: str) -> str:
    return re.sub(r"([=;#\\\n])", r"\\\1", value)
