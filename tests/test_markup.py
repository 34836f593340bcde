"""Inline markup: the small Markdown subset, and everything else rejected."""

from __future__ import annotations

import pytest

from leaflet.errors import MarkupError
from leaflet.markup import link_targets, parse
from leaflet.model import Span


def test_plain_strong_and_links():
    runs = parse("Take **one** tablet; see [bone marrow](term:bone-marrow) or "
                 "[our site](https://example.org) and [mail us](mailto:a@example.org).")
    assert Span("one", strong=True) in runs
    assert Span("bone marrow", term="bone-marrow") in runs
    assert link_targets(runs) == ["term:bone-marrow", "https://example.org", "mailto:a@example.org"]


def test_strong_inside_a_link_stays_one_link():
    runs = parse("[**very** important](term:x)")
    assert runs == (Span("very", strong=True, term="x"), Span(" important", term="x"))
    assert link_targets(runs) == ["term:x"]


def test_newlines_are_line_breaks_and_entities_are_text():
    runs = parse("Line one\nLine two & 3 < 4")
    assert [r.line_break for r in runs] == [False, True, False]
    assert runs[2].text == "Line two & 3 < 4"


@pytest.mark.parametrize("markup, word", [
    ("Take it *with* food", "emphasis"),
    ("Run `code`", "code"),
    ("A <b>tag</b>", "HTML"),
    ("![pill](pill.png)", "images"),
    ("[x](javascript:alert(1))", "not allowed"),
    ("[x](www.example.org)", "not allowed"),
    ("[x](ftp://example.org)", "not allowed"),
])
def test_anything_else_is_an_error(markup, word):
    with pytest.raises(MarkupError, match=word):
        parse(markup)
