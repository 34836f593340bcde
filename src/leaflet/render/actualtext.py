"""Lines of Indic text in a PDF carry their own text (ActualText), so that it extracts whole."""

from __future__ import annotations

import re
from contextlib import contextmanager

# WeasyPrint maps each glyph of a font to one piece of text, the first it drew it for. In
# Bengali and the other scripts of India a vowel sign is drawn before its consonant or in two
# parts around it, so that map gives "সাই টাকাইন" for সাইটোকাইন. A /Span with /ActualText
# around each such line gives text extractors and screen readers the line's own text instead.
# Checked against WeasyPrint 70.0 only: on another version nothing is wrapped.
_VERSIONS = {"70.0"}
_REORDERING_SCRIPTS = re.compile("[\u0900-\u0dff]")  # Devanagari to Sinhala


@contextmanager
def lines_with_actual_text():
    """While WeasyPrint writes a PDF, draw each line that has text of those scripts inside
    `/Span <</ActualText (the line)>> BDC ... EMC`. `draw.text.draw_first_line` is wrapped for
    the duration and restored after; rendering is single-threaded per process."""
    import weasyprint
    from weasyprint.draw import text

    if weasyprint.__version__ not in _VERSIONS:
        yield
        return
    import pydyf

    draw_first_line = text.draw_first_line

    def draw_line_with_actual_text(stream, textbox, *args, **kwargs):
        if not _REORDERING_SCRIPTS.search(textbox.text):
            return draw_first_line(stream, textbox, *args, **kwargs)
        stream.begin_marked_content(
            "Span", pydyf.Dictionary({"ActualText": pydyf.String(textbox.text)}))
        try:
            return draw_first_line(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    text.draw_first_line = draw_line_with_actual_text
    try:
        yield
    finally:
        text.draw_first_line = draw_first_line
