"""The offline voice: the espeak-ng command, one process per sentence, SSML on standard input."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from functools import cached_property

from ..errors import MissingTool, RenderError
from . import no_voice, pronounce
from .voices import table_voice

_WAV_HEADER = 44  # espeak-ng writes a plain RIFF header before the samples


class EspeakNg:
    """Each sentence in a fresh process: the library keeps state between calls, so its output
    would depend on the sentences before it, and cached sentences would not match a fresh build."""

    name = "espeak-ng"
    sample_rate = 22050
    parallel = 2  # processes at once

    @cached_property
    def _command(self) -> str:
        command = shutil.which("espeak-ng")
        if not command:
            raise MissingTool("espeak-ng is not installed; install the Debian package espeak-ng")
        return command

    @cached_property
    def _version(self) -> str:
        return self._run(["--version"]).decode(errors="replace").split("Data at")[0].strip()

    def version(self) -> str:
        return self._version

    @cached_property
    def _voices(self) -> set[str]:
        """Every name espeak-ng accepts for -v: languages (en-gb), voice files, other languages."""
        names: set[str] = set()
        for line in self._run(["--voices"]).decode(errors="replace").splitlines()[1:]:
            fields = line.split()
            if len(fields) >= 5:
                names.update({fields[1].lower(), fields[4].lower(), fields[4].split("/")[-1].lower()})
            names.update(match.lower() for match in re.findall(r"\(([\w-]+) \d+\)", line))
        return names

    def voice(self, language: str, wanted: str | None = None) -> str:
        choice = wanted or table_voice(self.name, language)
        if choice == "":
            raise no_voice(self.name, language)
        for candidate in [choice] if choice else [language, language.split("-")[0]]:
            if candidate.lower() in self._voices:
                return candidate.lower()
        if wanted:
            raise RenderError(f"espeak-ng has no voice '{wanted}'; `espeak-ng --voices` lists them")
        raise no_voice(self.name, language)

    def spoken(self, sentence: str, pronunciations) -> str:
        return pronounce.ssml(sentence, pronunciations)

    def synthesise(self, spoken: str, voice: str, rate: int) -> bytes:
        # -m: SSML; -z: no pause after the last sentence (the narration adds its own pauses)
        wav = self._run(["-v", voice, "-s", str(rate), "-m", "-z", "--stdout"], spoken.encode())
        if len(wav) < _WAV_HEADER or wav[:4] != b"RIFF":
            raise RenderError(f"espeak-ng gave no audio for: {spoken}")
        (rate_in_header,) = struct.unpack_from("<I", wav, 24)
        if rate_in_header != self.sample_rate:
            raise RenderError(f"espeak-ng made {rate_in_header} Hz audio, not {self.sample_rate} Hz")
        return wav[_WAV_HEADER:]

    def _run(self, arguments: list[str], text: bytes = b"") -> bytes:
        result = subprocess.run([self._command, *arguments], input=text, capture_output=True,
                                timeout=120)
        if result.returncode != 0:
            message = result.stderr.decode(errors="replace").strip().splitlines()
            raise RenderError(f"espeak-ng failed: {message[-1] if message else result.returncode}")
        return result.stdout


ENGINE = EspeakNg()
