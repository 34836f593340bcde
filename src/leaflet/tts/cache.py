"""Synthesised sentences kept on disk by (engine, voice, rate, spoken text with pronunciations)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..files import write_atomically


class SentenceCache:
    """PCM files named by the digest of everything that changes the sound; None keeps nothing."""

    def __init__(self, folder: Path | None):
        self.folder = folder / "audio" if folder else None

    @staticmethod
    def key(*parts: str | int) -> str:
        return hashlib.sha256("\0".join(map(str, parts)).encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pcm"

    def get(self, key: str) -> bytes | None:
        if self.folder is None:
            return None
        try:
            return self._path(key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, pcm: bytes) -> None:
        """Written beside its place and renamed, so a parallel build never reads half a file."""
        if self.folder is None or not pcm:
            return
        write_atomically(self._path(key), pcm, shown=self.folder)
