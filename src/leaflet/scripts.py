"""Writing systems: the script a language is written in, and Latin words inside another script."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from .model import Span

# Latin letters (with their accented forms), then digits and joiners that stay inside a run of
# them: "peginterferon alfa-2a", "2a", "Pegasys"; a number after a space is the sentence's own.
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_LATIN_RUN = re.compile(rf"[0-9]*[{_LATIN}](?:[{_LATIN}0-9]|[-'’./](?=[{_LATIN}0-9])| (?=[{_LATIN}]))*")


@lru_cache(maxsize=None)
def script(language: str) -> str:
    """The ISO 15924 code of the script `language` is usually written in: Latn, Arab, Beng."""
    import icu

    found = icu.Locale(language.replace("-", "_"))
    found.addLikelySubtags()
    return found.getScript() or "Latn"


def mark_latin_runs(runs: tuple[Span, ...], language: str, latin_language: str) -> tuple[Span, ...]:
    """In a text in `language`, written in a script other than Latin, the Latin words (a drug's
    name kept as written in the source) become runs in `latin_language`, so that every medium can
    isolate their direction and read them in their own language. Runs already marked stay so."""
    if script(language) == "Latn" or script(latin_language) != "Latn":
        return runs
    plain = "".join("\n" if run.line_break else run.text for run in runs)
    latin = [found.span() for found in _LATIN_RUN.finditer(plain)]
    cuts = sorted({edge for span in latin for edge in span})
    marked: list[Span] = []
    start = 0
    for run in runs:
        end = start + (1 if run.line_break else len(run.text))
        if run.language or run.line_break:
            marked.append(run)
        else:
            edges = [start, *(cut for cut in cuts if start < cut < end), end]
            for left, right in zip(edges, edges[1:]):
                inside = any(begin <= left and right <= finish for begin, finish in latin)
                marked.append(replace(run, text=plain[left:right],
                                      language=latin_language if inside else None))
        start = end
    return tuple(marked)
