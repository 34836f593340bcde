"""The offline voice: espeak-ng, each sentence spoken afresh, SSML in and PCM out."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from functools import cached_property

from ..errors import MissingTool, RenderError, ended
from ..languages import candidates
from . import espeak_library, no_voice, pronounce
from .voices import table_voice


class EspeakNg:
    """The command lists the voices and names the version; the library speaks (espeak_library)."""

    name = "espeak-ng"
    sample_rate = 22050
    parallel = 2  # sentences at once

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
        for candidate in [choice] if choice else candidates(language):
            if candidate.lower() in self._voices:
                return candidate.lower()
        if wanted:
            raise RenderError(f"espeak-ng has no voice '{wanted}'; `espeak-ng --voices` lists them")
        raise no_voice(self.name, language)

    def spoken(self, sentence: str, pronunciations, others=()) -> str:
        return pronounce.ssml(sentence, pronunciations, others)

    def synthesise(self, spoken: Sequence[str], voice: str, rate: int) -> Iterator[bytes]:
        if spoken:
            yield from espeak_library.speak(spoken, voice, rate, self.sample_rate, self.parallel)

    def _run(self, arguments: list[str], text: bytes = b"") -> bytes:
        try:
            result = subprocess.run([self._command, *arguments], input=text, capture_output=True,
                                    timeout=120)
        except subprocess.TimeoutExpired:
            raise RenderError(f"espeak-ng {' '.join(arguments)} did not finish in 120 s") from None
        except OSError as error:
            raise MissingTool(f"espeak-ng cannot be run ({error.strerror or error}); install the "
                              "Debian package espeak-ng") from None
        if result.returncode != 0:
            lines = result.stderr.decode(errors="replace").strip().splitlines()
            raise RenderError(f"espeak-ng failed ({ended(result.returncode)}): "
                              f"{lines[-1].strip() if lines else 'no message'}")
        return result.stdout


ENGINE = EspeakNg()
