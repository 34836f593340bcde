"""libespeak-ng through ctypes: each sentence in a fork of one process that has loaded the voice."""

from __future__ import annotations

import ctypes
import os
import select
import selectors
import signal
import struct
from collections.abc import Iterator, Sequence

from ..errors import LeafletError, MissingTool, RenderError, ended

LIBRARY = "libespeak-ng.so.1"
_SYNCHRONOUS = 2  # AUDIO_OUTPUT_SYNCHRONOUS: the samples go to the callback, not to a device
_RATE = 1  # espeakRATE, words a minute
_BUFFER_MS = 1000  # of samples for each call of the callback: fewer calls into Python
_SSML_AND_PHONEMES = 0x10 | 0x100  # as `espeak-ng -m -z`: SSML, [[phonemes]], no end pause
_RECORD = struct.Struct("<q")  # bytes of PCM that follow; negative: bytes of an error message
SENTENCE_TIMEOUT = 60  # seconds: espeak-ng speaks a sentence in milliseconds; more means stuck
_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                             ctypes.c_void_p)


class _VoiceProperties(ctypes.Structure):  # espeak_VOICE
    _fields_ = [("name", ctypes.c_char_p), ("languages", ctypes.c_char_p),
                ("identifier", ctypes.c_char_p), ("gender", ctypes.c_ubyte),
                ("age", ctypes.c_ubyte), ("variant", ctypes.c_ubyte), ("xx1", ctypes.c_ubyte),
                ("score", ctypes.c_int), ("spare", ctypes.c_void_p)]


def speak(texts: Sequence[str], voice: str, rate: int, sample_rate: int,
          parallel: int) -> Iterator[bytes]:
    """The PCM of each text (SSML) at `sample_rate`, in order, `parallel` texts at a time.

    The library keeps state from one call to the next, so each text is spoken in a fresh fork
    of a process that has only loaded the voice: every sentence sounds the same whatever came
    before it, byte for byte as the `espeak-ng` command makes it, without the command's cost
    of loading its libraries and data for each sentence.
    """
    reader, writer = os.pipe()
    pid = _fork()
    if pid == 0:  # the process that holds the voice; it never returns to the caller's code
        status = 1
        try:
            os.close(reader)
            try:
                speaker = _Voice(voice, rate, sample_rate)
            except LeafletError as error:
                _write(writer, _error(str(error)))
            else:
                _serve(texts, speaker, parallel, writer)
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    finished = waited = False
    try:
        for _ in texts:
            pcm = _receive(reader)
            if pcm is None:
                waited = True
                status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
                raise RenderError(f"espeak-ng stopped ({ended(status)}) before the narration "
                                  "was spoken")
            yield pcm
        finished = True
    finally:
        os.close(reader)
        if not waited:
            if not finished:  # the caller stopped early or a text failed: stop the rest
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


class _Voice:
    """The library, loaded in this process with one voice and rate."""

    def __init__(self, voice: str, rate: int, sample_rate: int):
        try:
            self._library = library = ctypes.CDLL(LIBRARY)
        except OSError as error:
            raise MissingTool(f"libespeak-ng cannot be loaded ({error}); install the Debian "
                              "package espeak-ng") from None
        made = library.espeak_Initialize(_SYNCHRONOUS, _BUFFER_MS, None, 0)
        if made <= 0:
            raise RenderError("libespeak-ng could not start: its data files are missing")
        if made != sample_rate:
            raise RenderError(f"libespeak-ng makes {made} Hz audio, not {sample_rate} Hz")
        self._chunks: list[bytes] = []
        self._callback = _CALLBACK(self._collect)  # kept: the library holds only a pointer
        library.espeak_SetSynthCallback(self._callback)
        # as the espeak-ng command does: a voice's name or file, else a language such as en-gb
        by_language = _VoiceProperties(languages=voice.encode())
        if (library.espeak_SetVoiceByName(voice.encode()) != 0
                and library.espeak_SetVoiceByProperties(ctypes.byref(by_language)) != 0):
            raise RenderError(f"espeak-ng has no voice '{voice}'; `espeak-ng --voices` lists them")
        library.espeak_SetParameter(_RATE, rate, 0)

    def fork(self, text: str) -> tuple[int, int]:
        """A process speaking `text`: the end of a pipe its PCM comes from, and its id."""
        reader, writer = os.pipe()
        pid = _fork()
        if pid == 0:
            status = 1
            try:
                os.close(reader)
                pcm = self._speak(text)
                _write(writer, pcm)
                status = 0 if pcm else 1
            finally:
                os._exit(status)
        os.close(writer)
        return reader, pid

    def _speak(self, text: str) -> bytes:
        encoded = text.encode()
        self._library.espeak_Synth(encoded, len(encoded) + 1, 0, 1, 0, _SSML_AND_PHONEMES,
                                   None, None)
        self._library.espeak_Synchronize()
        return b"".join(self._chunks)

    def _collect(self, samples, count: int, events) -> int:
        if samples and count > 0:
            self._chunks.append(ctypes.string_at(samples, count * 2))
        return 0  # go on


def _serve(texts: Sequence[str], speaker: _Voice, parallel: int, out: int) -> None:
    """Speak each text in its own fork, and send the PCM to `out` in order."""
    waiting = list(enumerate(texts))[::-1]
    running: dict[int, tuple[int, int, bytearray]] = {}  # pipe: text's index, process, PCM
    done: dict[int, bytes] = {}
    sent = 0
    with selectors.DefaultSelector() as selector:
        while sent < len(texts):
            while waiting and len(running) < parallel:
                index, text = waiting.pop()
                pipe, pid = speaker.fork(text)
                selector.register(pipe, selectors.EVENT_READ)
                running[pipe] = (index, pid, bytearray())
            ready = selector.select(SENTENCE_TIMEOUT)
            if not ready:
                index = min(index for index, _, _ in running.values())
                for _, pid, _ in running.values():
                    os.kill(pid, signal.SIGKILL)
                return _write(out, _error(f"espeak-ng took more than {SENTENCE_TIMEOUT} s "
                                          f"to speak: {texts[index]}"))
            for key, _ in ready:
                index, pid, pcm = running[key.fd]
                chunk = os.read(key.fd, 1 << 16)
                if chunk:
                    pcm += chunk
                    continue
                selector.unregister(key.fd)
                os.close(key.fd)
                del running[key.fd]
                status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
                if status < 0:
                    return _write(out, _error(f"espeak-ng crashed ({ended(status)}) "
                                              f"speaking: {texts[index]}"))
                if status != 0 or not pcm:
                    return _write(out, _error(f"espeak-ng gave no audio for: {texts[index]}"))
                done[index] = bytes(pcm)
            while sent in done:
                pcm = done.pop(sent)
                _write(out, _RECORD.pack(len(pcm)) + pcm)
                sent += 1


def _receive(descriptor: int) -> bytes | None:
    """The next sentence's PCM; None if the process speaking stopped first."""
    header = _read(descriptor, _RECORD.size)
    if header is None:
        return None
    (size,) = _RECORD.unpack(header)
    body = _read(descriptor, abs(size))
    if body is not None and size < 0:
        raise RenderError(body.decode(errors="replace"))
    return body


def _read(descriptor: int, size: int) -> bytes | None:
    """`size` bytes, or None if the pipe closes first."""
    data = bytearray()
    while len(data) < size:
        if not select.select([descriptor], [], [], 2 * SENTENCE_TIMEOUT)[0]:
            raise RenderError(f"espeak-ng spoke nothing for {2 * SENTENCE_TIMEOUT} s")
        chunk = os.read(descriptor, size - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def _error(message: str) -> bytes:
    encoded = message.encode()
    return _RECORD.pack(-len(encoded)) + encoded


def _fork() -> int:
    """os.fork, with the signals that stop a build held until it returns: a handler that raises
    must not run in the fork's hooks, which lose its exception."""
    held = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        return os.fork()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _write(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]
