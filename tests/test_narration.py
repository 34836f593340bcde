"""What the narration says: sentences, chapters, pauses, and what is left to paper and screens."""

from __future__ import annotations

import pytest

from conftest import ROOT
from leaflet import narration
from leaflet.edition import full
from leaflet.source import load


@pytest.mark.parametrize("text, expected", [
    ("One. Two? Three!", ["One.", "Two?", "Three!"]),
    ("Take it e.g. daily. Then stop.", ["Take it e.g. daily.", "Then stop."]),
    ("Ask Dr. Jones. She helps.", ["Ask Dr. Jones.", "She helps."]),
    ("By L. Yang and others. 2017.", ["By L. Yang and others.", "2017."]),
    ("A dose of 2.5 mg. Once.", ["A dose of 2.5 mg.", "Once."]),
    ("He said “stop.” Then left.", ["He said “stop.”", "Then left."]),
    ("Line one\nLine two", ["Line one", "Line two"]),
    ("ما هو الدواء؟ هذا الدواء يساعد.", ["ما هو الدواء؟", "هذا الدواء يساعد."]),
    ("loss of appetite", ["loss of appetite"]),
])
def test_sentences(text, expected):
    assert narration.sentences(text) == expected


@pytest.fixture(scope="module")
def chapters():
    return narration.script(full(load(ROOT / "tests" / "roots" / "narration.yaml")))


def test_chapters_intro_sections_words_to_know_and_outro(chapters):
    assert [c.title for c in chapters] == ["Methotrexate", "Side effects", "Words to know",
                                           "About this leaflet"]
    intro = [u.text for u in chapters[0].utterances]
    assert intro[:3] == ["Methotrexate", "From Our Hospital.", "Last reviewed 1 March 2025."]
    outro = " ".join(u.text for u in chapters[-1].utterances)
    assert "Next review due 1 March 2028." in outro and "info@example.org" in outro


def test_a_link_alone_is_not_read_but_a_link_in_a_sentence_is(chapters):
    said = [u.text for c in chapters for u in c.utterances]
    assert "More about methotrexate" not in " ".join(said)
    assert "Methotrexate calms the immune system." in said


def test_pauses_separate_items_paragraphs_and_chapters(chapters):
    side_effects = chapters[1].utterances
    items = [u for u in side_effects if u.text in ("a sore mouth", "feeling sick")]
    assert all(u.pause == narration.BLOCK for u in items)
    assert side_effects[0].pause == narration.HEADING
    assert all(c.utterances[-1].pause == narration.CHAPTER for c in chapters)
    words = chapters[2].utterances
    assert [u.text for u in words[1:]] == ["immune system", "The body's defence against infection."]
    assert words[1].pause == narration.TERM
