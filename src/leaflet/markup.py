"""Inline markup of a text: a small Markdown subset parsed with markdown-it-py."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from . import characters
from .errors import MarkupError
from .model import Span

ALLOWED = ("**strong**, [text](term:id), [text](https://...), [text](mailto:...) and "
           "[text]{lang=en}")
_LINK_SCHEMES = ("https://", "http://", "mailto:")
_REJECTED = {
    "em_open": "*emphasis* (italics are hard to read; use **strong**)",
    "code_inline": "`code`",
    "html_inline": "HTML tags",
    "image": "images (use a picture in the easy-read layer)",
    "s_open": "~~strike-through~~",
}
_MARKUP_CHARACTERS = re.compile(r"[*_\[\]`<>&\\!~\n]")  # text without them is plain
_UNPARSED_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)")
_UNPARSED_SPAN = re.compile(r"\]\s*\{[^}]*lang\b")  # "[text]{lang=..." that did not parse


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    from mdit_py_plugins.attrs import attrs_plugin

    # Only bracketed spans take attributes: [peginterferon alfa-2a]{lang=en}.
    return MarkdownIt("commonmark").use(attrs_plugin, spans=True, after=("span_close",))


def parse(markup: str) -> tuple[Span, ...]:
    """Parse `markup` into runs; raise MarkupError for anything outside the subset, and for
    a character no output may hold, written as itself or as an entity (`&#x202E;`)."""
    complaint = characters.problem(markup, "the text")
    if complaint:
        raise MarkupError(complaint)
    if not _MARKUP_CHARACTERS.search(markup):
        return (Span(markup),)
    tokens = _parser().parseInline(markup)[0].children or []
    runs: list[Span] = []
    strong = False
    term = href = language = None
    for token in tokens:
        kind = token.type
        if kind in _REJECTED:
            raise MarkupError(f"unknown inline markup: {_REJECTED[kind]}; allowed: {ALLOWED}")
        if kind == "strong_open":
            strong = True
        elif kind == "strong_close":
            strong = False
        elif kind == "link_open":
            term, href = _link_target(str(token.attrs.get("href", "")))
        elif kind == "link_close":
            term = href = None
        elif kind == "span_open":
            language = _span_language(dict(token.attrs))
        elif kind == "span_close":
            language = None
        elif kind in ("softbreak", "hardbreak"):
            runs.append(Span("", line_break=True))
        elif kind == "text":
            if not token.content:
                continue
            if _UNPARSED_LINK.search(token.content):
                raise MarkupError(
                    f"link target not allowed in '{_UNPARSED_LINK.search(token.content)[0]}'; "
                    f"use term:, https:// or mailto:"
                )
            if _UNPARSED_SPAN.search(token.content):
                raise MarkupError("a language span must read [text]{lang=en}: its words in "
                                  "brackets, then {lang=...} right after them, nothing else")
            runs.append(Span(token.content, strong=strong, term=term, href=href,
                             language=language))
        else:
            raise MarkupError(f"unknown inline markup ({kind}); allowed: {ALLOWED}")
    for run in runs:
        complaint = characters.problem(run.text + (run.href or ""), "the text (through an entity)")
        if complaint:
            raise MarkupError(complaint)
    return _merge(runs)


def _link_target(href: str) -> tuple[str | None, str | None]:
    if href.startswith("term:"):
        return href.removeprefix("term:"), None
    if href.startswith(_LINK_SCHEMES):
        return None, href
    raise MarkupError(f"link target '{href}' not allowed; use term:<glossary id>, https:// or mailto:")


def _span_language(attributes: dict) -> str:
    """The language of a [text]{lang=...} span: the only attribute a span may have."""
    from .languages import is_known

    tag = str(attributes.pop("lang", ""))
    if attributes or not tag:
        raise MarkupError(f"a span takes one attribute, its language, as in [text]{{lang=en}}; "
                          f"not {{{' '.join(f'{key}={value}' for key, value in attributes.items())}}}")
    if not is_known(tag):
        shown = tag if len(tag) <= 20 else f"{tag[:20]}…"
        raise MarkupError(f"'{shown}' in {{lang={shown}}} is not a language code; use one such as "
                          "en, cy or ar")
    return tag.replace("_", "-")


def _merge(runs: list[Span]) -> tuple[Span, ...]:
    """Join neighbouring runs with the same properties (entities split text tokens)."""
    merged: list[Span] = []
    for run in runs:
        last = merged[-1] if merged else None
        if (
            last
            and not run.line_break
            and not last.line_break
            and (last.strong, last.term, last.href, last.language)
            == (run.strong, run.term, run.href, run.language)
        ):
            merged[-1] = replace(last, text=last.text + run.text)
        else:
            merged.append(run)
    return tuple(merged)


def term_ids(runs: tuple[Span, ...]) -> list[str]:
    return [run.term for run in runs if run.term]


def link_targets(runs: tuple[Span, ...]) -> list[str]:
    """Glossary ids and addresses in order, one per link (not per run)."""
    targets: list[str] = []
    previous = None
    for run in runs:
        target = f"term:{run.term}" if run.term else run.href
        if target and target != previous:
            targets.append(target)
        previous = target
    return targets
