"""liblouis through ctypes: text to Unicode braille cells, with the character each cell came from."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import time
from dataclasses import dataclass
from functools import lru_cache

from ..errors import MissingTool, RenderError, ended

PACKAGES = "liblouis20 liblouis-data"
DISPLAY = "unicode.dis"  # cells come out as Unicode braille patterns, U+2800 to U+28FF
BLANK = "\u2800"
NO_UNDEFINED = 128  # liblouis mode: leave out characters the table does not define
_messages: list[str] = []  # liblouis's own log, for error messages


@dataclass(frozen=True, slots=True)
class Braille:
    """Braille cells translated from `text`, and for each cell the index of its source character."""

    text: str
    cells: str
    sources: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.cells)

    def __getitem__(self, key: slice) -> Braille:
        return Braille(self.text, self.cells[key], self.sources[key])


def translate(table: str, text: str, typeform: list[int] | None = None) -> Braille:
    """`text` in braille by `table`; raise RenderError for characters the table cannot braille."""
    cells, sources = _translate(table, text, typeform, 0)
    if cells:
        _, kept = _translate(table, text, typeform, NO_UNDEFINED)
        missing = sorted(set(sources) - set(kept))
        if missing:
            shown = ", ".join(f"'{text[i]}' (U+{ord(text[i]):04X})" for i in missing[:3])
            raise RenderError(f"no braille for {shown} in liblouis table {table}, in: {text!r}")
    return Braille(text, cells, sources)


@lru_cache(maxsize=None)
def emphasis_classes(table: str) -> tuple[str, ...]:
    """The table's emphasis classes (italic, underline, bold, ...); class i is typeform bit i."""
    lib, _ = _library()
    _check_table(table)
    names = lib.lou_getEmphClasses(_tables(table))
    if not names:
        return ()
    found = []
    while names[len(found)]:
        found.append(names[len(found)].decode())
    _free(names)  # the array is the caller's to free, its strings are not
    return tuple(found)


def _translate(table: str, text: str, typeform, mode: int) -> tuple[str, tuple[int, ...]]:
    lib, widechar = _library()
    _check_table(table)
    if not text:
        return "", ()
    capacity = max(64, 4 * len(text))
    while True:
        inbuf = _buffer(widechar, text)
        inlen, outlen = ctypes.c_int(len(text)), ctypes.c_int(capacity)
        outbuf = (widechar * capacity)()
        input_positions = (ctypes.c_int * capacity)()
        # liblouis writes the typeform of every output cell back into this array, so it must
        # be as long as the output, not the input (liblouis/liblouis#1982).
        forms = (ctypes.c_ushort * capacity)(*typeform) if typeform else None
        if not lib.lou_translate(_tables(table), inbuf, ctypes.byref(inlen), outbuf,
                                 ctypes.byref(outlen), forms, None, None, input_positions, None,
                                 mode):
            raise RenderError(f"liblouis could not translate with {table}: {_last_message()}")
        if inlen.value >= len(text):
            return _string(outbuf, outlen.value), tuple(input_positions[:outlen.value])
        capacity *= 2  # the output buffer was full


def _tables(table: str) -> bytes:
    return f"{DISPLAY},{table}".encode()


@lru_cache(maxsize=None)
def _check_table(table: str) -> None:
    lib, _ = _library()
    # Loaded in a fork first: a liblouis that crashes on the table is reported, not fatal.
    status = _in_fork(lambda: lib.lou_checkTable(_tables(table)))
    if status < 0:
        raise MissingTool(f"liblouis crashed ({ended(status)}) loading table {table}; "
                          f"reinstall the Debian packages {PACKAGES}")
    if not lib.lou_checkTable(_tables(table)):
        raise MissingTool(f"liblouis table {table} cannot be loaded ({_last_message()}); "
                          f"install the Debian package liblouis-data")


def _in_fork(call, timeout: float = 30) -> int:
    """Run `call` in a fork of this process; its exit status, negative for a signal."""
    pid = os.fork()
    if pid == 0:  # it never returns to the caller's code
        status = 1
        try:
            call()
            status = 0
        finally:
            os._exit(status)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.002)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise MissingTool(f"liblouis did not load its table in {timeout:.0f} s")


def _buffer(widechar, text: str):
    encoding = "utf-32-le" if ctypes.sizeof(widechar) == 4 else "utf-16-le"
    data = text.encode(encoding)
    return (widechar * (len(data) // ctypes.sizeof(widechar))).from_buffer_copy(data)


def _string(buffer, length: int) -> str:
    return "".join(map(chr, buffer[:length]))


def _free(pointer) -> None:
    libc = ctypes.CDLL(None)
    libc.free.argtypes = [ctypes.c_void_p]
    libc.free(ctypes.cast(pointer, ctypes.c_void_p))


def _last_message() -> str:
    return _messages[-1] if _messages else "no message from liblouis"


_LOG_CALLBACK = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p)


@_LOG_CALLBACK
def _log(level: int, message: bytes) -> None:
    _messages[:] = [*_messages[-9:], message.decode(errors="replace")]


@lru_cache(maxsize=1)
def _library():
    """The loaded liblouis and its character type; loaded on first use only."""
    name = ctypes.util.find_library("louis") or "liblouis.so.20"
    try:
        lib = ctypes.CDLL(name)
    except OSError as error:
        raise MissingTool(f"liblouis cannot be loaded ({error}); install the Debian packages "
                          f"{PACKAGES}") from None
    widechar = ctypes.c_uint32 if lib.lou_charSize() == 4 else ctypes.c_uint16
    pointer, integer = ctypes.POINTER, ctypes.POINTER(ctypes.c_int)
    lib.lou_translate.argtypes = [ctypes.c_char_p, pointer(widechar), integer, pointer(widechar),
                                  integer, pointer(ctypes.c_ushort), ctypes.c_char_p, integer,
                                  integer, integer, ctypes.c_int]
    lib.lou_checkTable.argtypes = [ctypes.c_char_p]
    lib.lou_getEmphClasses.argtypes = [ctypes.c_char_p]
    lib.lou_getEmphClasses.restype = pointer(ctypes.c_char_p)
    lib.lou_registerLogCallback(_log)
    return lib, widechar
