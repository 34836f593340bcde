"""The online voice: Google Translate's speech through gTTS, with timeouts and retries."""

from __future__ import annotations

import base64
import re
import subprocess
import time
from collections.abc import Iterator, Sequence

from ..errors import MissingTool, RenderError
from ..languages import candidates
from . import no_voice, pronounce
from .voices import table_voice

TIMEOUT = (5, 20)  # seconds to connect, seconds between bytes of the answer
RETRIES = 4  # after the first try, on HTTP 429 and 5xx and dropped connections
BACKOFF = 1.0  # seconds before the first retry, doubled each time (or the server's Retry-After)
_AUDIO = re.compile(r'jQ1olc","\[\\"(.*?)\\"]')  # the audio in gTTS's batchexecute answer


class Gtts:
    name = "gtts"
    sample_rate = 24000  # of the MP3 the service sends
    sleep = staticmethod(time.sleep)  # tests replace it to run the back-off instantly

    def version(self) -> str:
        from gtts import __version__

        return f"gtts {__version__} {self.sample_rate}"

    def voice(self, language: str, wanted: str | None = None) -> str:
        from gtts.lang import tts_langs

        choice = wanted or table_voice(self.name, language)
        if choice == "":
            raise no_voice(self.name, language)
        langs = tts_langs()
        for candidate in [choice] if choice else candidates(language):
            if candidate.split(":")[0] in langs:
                return candidate
        if wanted:
            raise RenderError(f"gtts has no voice '{wanted}'; use a language code such as "
                              "en or en:co.uk (language:top-level domain)")
        raise no_voice(self.name, language)

    def spoken(self, sentence: str, pronunciations, others=()) -> str:
        """One request speaks one language: a phrase in another is read by this voice."""
        return pronounce.respelled(sentence, pronunciations)

    def synthesise(self, spoken: Sequence[str], voice: str, rate: int) -> Iterator[bytes]:
        """One request at a time: the service answers bursts with HTTP 429."""
        for sentence in spoken:
            yield self._sentence(sentence, voice, rate)

    def _sentence(self, spoken: str, voice: str, rate: int) -> bytes:
        """PCM of the sentence; gTTS speaks at one pace, so `rate` below 120 asks for its slow one."""
        import requests
        from gtts import gTTS
        from gtts.utils import _translate_url

        lang, _, tld = voice.partition(":")
        tts = gTTS(spoken, lang=lang, tld=tld or "com", slow=rate < 120, lang_check=False)
        url = _translate_url(tld=tts.tld, path="_/TranslateWebserverUi/data/batchexecute")
        mp3 = bytearray()
        with requests.Session() as session:
            for body in tts.get_bodies():  # gTTS cuts the text into chunks of 100 characters
                mp3 += self._post(session, url, body, tts.GOOGLE_TTS_HEADERS)
        return _decode(bytes(mp3), self.sample_rate)

    def _post(self, session, url: str, body: str, headers: dict) -> bytes:
        """One chunk's audio; HTTP 429 and 5xx are retried with back-off, a lost connection once."""
        import requests

        host = url.split("/")[2]
        for attempt in range(RETRIES + 1):
            wait = BACKOFF * 2 ** attempt
            try:
                response = session.post(url, data=body, headers=headers, timeout=TIMEOUT)
            except requests.Timeout:
                cause, retry = f"no answer from {host} within {TIMEOUT[1]} s", attempt == 0
            except requests.ConnectionError as error:
                cause, retry = f"cannot connect to {host} ({_reason(error)})", attempt == 0
            else:
                if response.status_code == 200:
                    return _audio(response.text, host)
                cause = f"{host} answered HTTP {response.status_code} {response.reason or ''}".strip()
                retry = response.status_code == 429 or response.status_code >= 500
                wait = _retry_after(response) or wait
            if not retry or attempt == RETRIES:
                tries = f" after {attempt + 1} tries" if attempt else ""
                raise RenderError(f"gtts: {cause}{tries}; check the network, or build with "
                                  "--tts espeak-ng")
            self.sleep(wait)
        raise AssertionError("unreachable")


def _audio(answer: str, host: str) -> bytes:
    chunks = [base64.b64decode(match) for match in _AUDIO.findall(answer)]
    if not chunks or not any(chunks):
        raise RenderError(f"gtts: {host} sent no audio (the service may have changed); "
                          "build with --tts espeak-ng")
    return b"".join(chunks)


def _retry_after(response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return min(float(value), 60.0) if value.isdigit() else None


def _reason(error: Exception) -> str:
    text = str(error)
    for known in ("Name or service not known", "Temporary failure in name resolution",
                  "Connection refused", "Network is unreachable", "timed out"):
        if known in text:
            return known.lower()
    return type(error).__name__


def _decode(mp3: bytes, sample_rate: int) -> bytes:
    """The service's MP3 as PCM at `sample_rate`, mono, signed 16-bit."""
    from shutil import which

    if not which("ffmpeg"):
        raise MissingTool("ffmpeg is not installed; install the Debian package ffmpeg")
    result = subprocess.run(["ffmpeg", "-v", "error", "-f", "mp3", "-i", "pipe:0", "-ac", "1",
                             "-ar", str(sample_rate), "-f", "s16le", "pipe:1"],
                            input=mp3, capture_output=True, timeout=120)
    if result.returncode != 0 or not result.stdout:
        raise RenderError("gtts: the audio from the service could not be decoded: "
                          + result.stderr.decode(errors="replace").strip().split("\n")[-1])
    return result.stdout


ENGINE = Gtts()
