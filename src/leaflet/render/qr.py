"""The QR code from a printed leaflet to its web version: SVG for pages and PDFs, PNG for Word."""

from __future__ import annotations

import io
from functools import lru_cache

DARK = "#1a1a1a"  # the text colour of print: at least 4.5:1 on the white page
QUIET_ZONE = 4  # modules of white around the code, as ISO/IEC 18004 asks


def _code(address: str):
    import segno

    # Level M survives a fold or a smudge on paper and keeps the code small.
    return segno.make_qr(address, error="m", boost_error=False)


@lru_cache(maxsize=32)
def svg(address: str) -> bytes:
    """The code as a standalone SVG file that scales to any size (1 unit a module)."""
    out = io.BytesIO()
    _code(address).save(out, kind="svg", scale=1, border=QUIET_ZONE, dark=DARK, light="#fff",
                        xmldecl=False, svgns=True, nl=False, omitsize=True)
    return out.getvalue()


@lru_cache(maxsize=32)
def png(address: str, pixels: int = 600) -> bytes:
    """The code as a PNG about `pixels` wide (whole pixels a module, so it stays sharp)."""
    code = _code(address)
    modules = code.symbol_size(scale=1, border=QUIET_ZONE)[0]
    out = io.BytesIO()
    code.save(out, kind="png", scale=max(1, pixels // modules), border=QUIET_ZONE, dark=DARK,
              light="#fff")
    return out.getvalue()
