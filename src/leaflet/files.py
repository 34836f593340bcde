"""Atomic writes: a file is written beside its place, then renamed, so no reader sees half of it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import cannot_write


def write_atomically(target: Path, data: bytes, shown: Path | None = None) -> None:
    """Write `data` to `target` through a temporary file in the same folder; on failure the
    temporary file is removed and an OSError becomes one line naming `shown` (or `target`)."""
    temporary = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException as error:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise cannot_write(shown or target, error) from error
        raise
