"""PCM to MP3 with ffmpeg: loudness for speech, ID3 chapters and tags, same input same bytes."""

from __future__ import annotations

import contextlib
import math
import mmap
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import MissingTool, RenderError, cannot_write, ended

TARGET = -16.0  # LUFS, integrated: the level for spoken word on phones and speakers
CEILING = -3.0  # dBFS sample peak after the gain: MP3 coding adds up to 2 dB, and the true peak
#                 must stay under -1 dBTP
BITRATE_BPS = 64000
BITRATE = f"{BITRATE_BPS // 1000}k"
LAME_TAIL = 1152  # samples: n samples make ceil((n + LAME_TAIL) / frame) frames (libmp3lame)
# Samples a player plays before the first one given to LAME: its 576 and the 529 of the MP3
# decoder's delay. The file has no gapless header telling players to skip them (ffmpeg writes it
# only to a seekable file, and a header for the halves would be wrong), so the times move instead.
START_DELAY = 1105
LIMITER_MARGIN = 2.0  # dB more limiting than the gain alone asks for: limiting lowers loudness
ENCODING_LOSS = 0.4  # LU that LAME at 64 kbps took from espeak-ng speech (measured; tests check)
# dBFS: the limit that synthetic speech at about -20.5 LUFS with peaks near full scale (as
# espeak-ng's voices speak) needs to reach TARGET with its peaks at CEILING. The narration is
# limited at it while it is being made, and that is kept if it left the peaks within
# LIKELY_RANGE dB of where the gain needs them.
LIKELY_LIMIT = -11.0
LIKELY_RANGE = 0.75
STALL = 120  # seconds ffmpeg may leave the narration unread before it is taken to be stuck
TIMEOUT = 600  # seconds for the encoding
ELSEWHERE = "set TMPDIR to another folder"  # where else the working files can go

@dataclass(frozen=True)
class Marker:
    title: str
    start: float  # seconds
    end: float


class Recording:
    """The narration's PCM as it is made, kept in a file and measured on the way; then its MP3.

    Laid out for two cores: while the sentences are being made, one ffmpeg measures the
    narration and another limits it at the likely limit and measures that (an ffmpeg filter
    graph runs on one core); then it is cut in two at a pause, and both halves are encoded at
    once (and first limited again, if the likely limit did not suit).
    """

    def __init__(self, sample_rate: int):
        command = _command()
        self.sample_rate = sample_rate
        self._file = None
        self._meters: list[subprocess.Popen] = []  # measuring the narration, and it limited
        try:
            # Named by this process: a build after it was killed removes the folder.
            self._folder = tempfile.TemporaryDirectory(prefix=f"leaflet-{os.getpid()}-mp3-")
        except OSError as error:
            raise cannot_write(tempfile.gettempdir(), error, ELSEWHERE) from error
        self._work = Path(self._folder.name)  # ffmpeg reads files: a pipe from Python costs more
        self._tags: list[str] = []  # ffmpeg arguments for the tags and chapter titles
        try:
            self._file = open(self._work / "narration.pcm", "wb")
            for arguments in (["-af", "ebur128@narration=peak=sample:framelog=verbose",
                               "-f", "null", "-"],
                              ["-af", f"{_limiter(LIKELY_LIMIT)},"
                               "ebur128@likely=peak=sample:framelog=verbose",
                               "-f", "s16le", "-y", str(self._work / "likely.pcm")]):
                self._meters.append(_start(
                    [command, "-hide_banner", "-nostdin", "-nostats", "-v", "info",
                     *_pcm_input(sample_rate), *arguments],
                    stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                    bufsize=0))
                # a stuck ffmpeg must not hang us
                os.set_blocking(self._meters[-1].stdin.fileno(), False)
        except BaseException as error:
            self.close()
            if isinstance(error, OSError):
                raise cannot_write(self._work, error, ELSEWHERE) from error
            raise
        self._metering = True

    @property
    def lead(self) -> float:
        """Seconds the MP3 plays before the first sample written."""
        return START_DELAY / self.sample_rate

    def write(self, pcm: bytes) -> None:
        try:
            self._file.write(pcm)
        except OSError as error:
            raise cannot_write(self._work, error, ELSEWHERE) from error
        left = {meter.stdin.fileno(): memoryview(pcm) for meter in self._meters}
        while self._metering and any(left.values()):
            ready = select.select([], [pipe for pipe, view in left.items() if view], [],
                                  STALL)[1]
            if not ready:
                raise RenderError(f"ffmpeg read none of the narration for {STALL} s")
            for pipe in ready:
                try:
                    left[pipe] = left[pipe][os.write(pipe, left[pipe]):]
                except BlockingIOError:
                    continue
                except BrokenPipeError:  # an ffmpeg stopped: mp3() tells why
                    self._metering = False

    def mp3(self, chapters: list[Marker], tags: dict[str, str]) -> bytes:
        """A mono 64 kbps MP3 at -16 LUFS of all that was written, with `chapters` (ID3
        CHAP/CTOC) and `tags`.

        A limiter, then one static gain, as linear `loudnorm` does, without its 192 kHz
        resampling that costs more than the encoding. The peaks that the gain would lift over
        the ceiling are limited: at LIKELY_LIMIT as the narration was made, if that suits its
        loudness; else at a limit worked out from its loudness, with a margin for the loudness
        that limiting takes. The gain is set from the limited narration's loudness, and a last
        limiter guards the ceiling.
        """
        try:
            self._file.close()
        except OSError as error:
            raise cannot_write(self._work, error, ELSEWHERE) from error
        logs = []
        for meter in self._meters:
            try:
                logs.append(meter.communicate(timeout=STALL)[1])
            except subprocess.TimeoutExpired:
                raise RenderError(f"ffmpeg did not finish measuring the narration in {STALL} s") \
                    from None
            if meter.returncode != 0:
                raise RenderError(f"ffmpeg failed ({ended(meter.returncode)}): "
                                  f"{_last_line(logs[-1])}")
        measured = _summary(logs[0], "narration"), _summary(logs[1], "likely")
        (self._work / "metadata.txt").write_text(_ffmetadata(chapters), encoding="utf-8")
        self._tags = _tag_arguments(chapters, tags)
        split = _quiet_split(self._work / "narration.pcm", self.sample_rate)
        if split is not None:
            mp3 = self._encode(measured, split)
            if _frames(mp3[0], self.sample_rate) == split // _frame(self.sample_rate):
                return b"".join(mp3)
        return self._encode(measured, None)[0]  # no pause to cut at, or LAME framed it otherwise

    def _encode(self, measured, split: int | None) -> list[bytes]:
        """The MP3 of the narration, or of its two halves cut at `split` (the first tagged).

        `measured`: the loudness and peak of the narration, and of it limited at LIKELY_LIMIT.
        """
        (loudness, peak), likely = measured
        # Each piece: the samples its file is read from, and the filter that ends it. The
        # second half is read from the cut: ffmpeg need not read and drop the first.
        cuts = [(0, "anull")] if split is None else [(0, f"atrim=end_sample={split - LAME_TAIL}"),
                                                     (split, "anull")]
        pieces = [(self._work / "narration.pcm", *cut) for cut in cuts]
        target = TARGET + ENCODING_LOSS
        if target - loudness + peak > CEILING:  # the gain would lift the peaks over the ceiling
            peak_after_gain = LIKELY_LIMIT + target - likely[0]
            if abs(peak_after_gain - CEILING) <= LIKELY_RANGE:  # the limiting done as it was made
                pieces = [(self._work / "likely.pcm", *cut) for cut in cuts]
                loudness, peak = likely[0], LIKELY_LIMIT
            else:
                limit = CEILING - (target - loudness) - LIMITER_MARGIN
                limited, loudness = self._limited(pieces, limit)
                pieces, peak = [(path, 0, "anull") for path in limited], limit
        gain = target - loudness
        chain = ",".join([f"volume={gain:.3f}dB",
                          *([_limiter(CEILING)] if peak + gain > CEILING else [])])
        encoding = ["-ac", "1", "-ar", str(self.sample_rate), "-c:a", "libmp3lame",
                    "-b:a", BITRATE, "-cutoff", str(self.sample_rate // 2), "-write_xing", "0",
                    "-fflags", "+bitexact", "-flags:a", "+bitexact", "-f", "mp3", "-y"]
        tagged = ["-f", "ffmetadata", "-i", str(self._work / "metadata.txt"), "-map", "0:a",
                  "-map_metadata", "1", "-map_chapters", "1", *self._tags, "-id3v2_version", "4"]
        outputs = [self._work / f"part-{index}.mp3" for index in range(len(pieces))]
        _in_parallel(self._work, [[*_pcm_input(self.sample_rate, source, start),
                       *(tagged if output == outputs[0] else ["-id3v2_version", "0"]),
                       "-af", f"{trim},{chain}", *encoding, str(output)]
                      for (source, start, trim), output in zip(pieces, outputs)])
        return [output.read_bytes() for output in outputs]

    def _limited(self, pieces: list[tuple[Path, int, str]],
                 limit: float) -> tuple[list[Path], float]:
        """Each piece (a file, the sample it starts at and the filter that ends it) limited at
        `limit` dBFS, in a file of its own; and the loudness of them all."""
        limited = [self._work / f"limited-{index}.pcm" for index in range(len(pieces))]
        logs = _in_parallel(self._work, [
            ["-nostats", "-v", "info", *_pcm_input(self.sample_rate, source, start), "-af",
             f"{trim},{_limiter(limit)},ebur128=peak=sample:framelog=info",
             "-f", "s16le", "-y", str(output)]
            for (source, start, trim), output in zip(pieces, limited)])
        return limited, _integrated([value for log in logs for value in _momentary(log)])

    def close(self) -> None:
        for meter in self._meters:
            if meter.poll() is None:
                meter.kill()
                meter.wait()
            for stream in (meter.stdin, meter.stderr):
                with contextlib.suppress(OSError):
                    stream.close()
        if self._file:
            with contextlib.suppress(OSError):
                self._file.close()
        self._folder.cleanup()

    def __enter__(self) -> Recording:
        return self

    def __exit__(self, *_) -> None:
        self.close()


def _quiet_split(narration: Path, sample_rate: int) -> int | None:
    """Where to cut the narration in two to encode both halves at once: a sample near the
    middle, on a frame boundary, in digital silence (a pause); None if there is none.

    LAME's frames run LAME_TAIL samples past its input, so a first half that stops that many
    samples before the cut ends exactly at the cut: the second half then plays from the same
    sample as in one encoding, and the samples left out were silence.
    """
    frame = _frame(sample_rate)
    quiet = bytes(2 * (LAME_TAIL + 4 * frame))
    with open(narration, "rb") as file:
        if file.seek(0, 2) < 2 * len(quiet):
            return None
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as pcm:
            middle = len(pcm) // 2
            found = [at for at in (pcm.find(quiet, middle), pcm.rfind(quiet, 0, middle)) if at >= 0]
    if not found:
        return None
    first_quiet_sample = (min(found, key=lambda at: abs(at - middle)) + 1) // 2
    return -(-(first_quiet_sample + LAME_TAIL + frame) // frame) * frame


def _frame(sample_rate: int) -> int:
    """Samples in an MP3 frame: MPEG-2 Layer III below 32 kHz, MPEG-1 from 32 kHz."""
    return 576 if sample_rate < 32000 else 1152


def _frames(mp3: bytes, sample_rate: int) -> int:
    """MP3 frames in a constant-bitrate file, after its ID3v2 tag."""
    tag = 0
    if mp3[:3] == b"ID3":
        tag = 10 + sum((byte & 0x7F) << (7 * (3 - index)) for index, byte in enumerate(mp3[6:10]))
    return round((len(mp3) - tag) / (_frame(sample_rate) / 8 * BITRATE_BPS / sample_rate))


# Sample rates by the MPEG version bits of a frame header, then by its sample rate index.
_SAMPLE_RATES = {0b11: (44100, 48000, 32000), 0b10: (22050, 24000, 16000),
                 0b00: (11025, 12000, 8000)}


def duration(mp3: bytes) -> float:
    """Seconds a player plays of a constant-bitrate MP3 this module wrote: its frames, read
    from the first frame's header after the ID3v2 tag."""
    tag = 0
    if mp3[:3] == b"ID3":
        tag = 10 + sum((byte & 0x7F) << (7 * (3 - index)) for index, byte in enumerate(mp3[6:10]))
    header = int.from_bytes(mp3[tag:tag + 4], "big")
    version, rate_index = (header >> 19) & 0b11, (header >> 10) & 0b11
    if header >> 21 != 0x7FF or version not in _SAMPLE_RATES or rate_index == 0b11:
        raise RenderError("the narration's MP3 does not start with an MPEG audio frame")
    sample_rate = _SAMPLE_RATES[version][rate_index]
    return _frames(mp3, sample_rate) * _frame(sample_rate) / sample_rate


def _limiter(ceiling_db: float) -> str:
    limit = min(1.0, 10 ** (ceiling_db / 20))
    return f"alimiter=limit={limit:.6f}:attack=5:release=50:level=false:latency=true"


def _momentary(log: bytes) -> list[float]:
    """The momentary loudness (LUFS) of each 400 ms block, every 100 ms, from ebur128's log."""
    return [float(value) for value in re.findall(rb"M:\s*(-?[\d.]+)", log)]


def _integrated(momentary: list[float]) -> float:
    """Integrated loudness (ITU-R BS.1770) from its blocks' momentary loudness: the mean energy
    of the blocks over -70 LUFS, then of those within 10 LU of that mean."""
    energies = [(value, 10 ** ((value + 0.691) / 10)) for value in momentary if value > -70]
    if not energies:
        raise RenderError("the narration is silent")
    gate = -0.691 + 10 * math.log10(sum(energy for _, energy in energies) / len(energies)) - 10
    kept = [energy for value, energy in energies if value > gate]
    return -0.691 + 10 * math.log10(sum(kept) / len(kept))


def _summary(log: bytes, name: str) -> tuple[float, float]:
    """Integrated loudness (LUFS) and sample peak (dBFS) from the last summary of the ebur128
    filter called `name`."""
    summary = log.decode(errors="replace").rpartition(f"[ebur128@{name} @")[2]
    loudness = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not loudness or not peak:
        raise RenderError("ffmpeg did not report the loudness")
    if float(loudness[1]) <= -70:
        raise RenderError("the narration is silent")
    return float(loudness[1]), float(peak[1])


def _pcm_input(sample_rate: int, source: Path | str = "pipe:0", start: int = 0) -> list[str]:
    """ffmpeg's input options for mono PCM from `source`, from its sample `start` on."""
    skip = ["-skip_initial_bytes", str(2 * start)] if start else []
    return [*skip, "-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", str(source)]


def _command() -> str:
    command = shutil.which("ffmpeg")
    if not command:
        raise MissingTool("ffmpeg is not installed; install the Debian package ffmpeg")
    return command


def _in_parallel(work: Path, commands: list[list[str]]) -> list[bytes]:
    """Run ffmpeg on files, every command at once; their logs (the filters' reports).

    Each logs to a file in `work`; all are stopped if one fails or this process is stopped.
    """
    command = _command()
    logs = [work / f"ffmpeg-{index}.log" for index in range(len(commands))]
    running: list[subprocess.Popen] = []
    try:
        for arguments, log in zip(commands, logs):
            with open(log, "wb") as stderr:
                running.append(_start([command, "-hide_banner", "-nostdin", "-v", "error",
                                       *arguments], stdin=subprocess.DEVNULL,
                                      stdout=subprocess.DEVNULL, stderr=stderr))
        deadline = time.monotonic() + TIMEOUT
        for process, log in zip(running, logs):
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                raise RenderError(f"ffmpeg did not finish the MP3 in {TIMEOUT} s") from None
            if process.returncode != 0:
                raise RenderError(f"ffmpeg failed ({ended(process.returncode)}): "
                                  f"{_last_line(log.read_bytes())}")
        return [log.read_bytes() for log in logs]
    finally:
        for process in running:
            if process.poll() is None:
                process.kill()
                process.wait()


def _start(arguments: list[str], **streams) -> subprocess.Popen:
    try:
        return subprocess.Popen(arguments, **streams)
    except OSError as error:
        raise MissingTool(f"ffmpeg cannot be run ({error.strerror or error}); install the "
                          "Debian package ffmpeg") from None


def _last_line(log: bytes) -> str:
    lines = log.decode(errors="replace").strip().splitlines()
    return lines[-1].strip() if lines else "no message"


def _ffmetadata(chapters: list[Marker]) -> str:
    """The chapters' times. Their titles go on the command line: ffmpeg 5.1 reads a value that
    ends in an escaped backslash as running on into the next line."""
    lines = [";FFMETADATA1"]
    for chapter in chapters:
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={round(chapter.start * 1000)}",
                  f"END={round(chapter.end * 1000)}"]
    return "\n".join(lines) + "\n"


def _tag_arguments(chapters: list[Marker], tags: dict[str, str]) -> list[str]:
    """ffmpeg arguments for the tags and chapter titles: text as arguments needs no escaping
    (ffmpeg splits key=value at the first =, and a key is ours)."""
    arguments = [item for key, value in tags.items() for item in ("-metadata", f"{key}={value}")]
    for index, chapter in enumerate(chapters):
        arguments += [f"-metadata:c:{index}", f"title={chapter.title}"]
    return arguments
