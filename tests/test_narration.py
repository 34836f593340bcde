"""What the narration says: sentences, chapters, pauses, and what is left to paper and screens."""

from __future__ import annotations

import pytest

from conftest import ROOT
from leaflet import narration
from leaflet.edition import EASY_READ, FULL, Versions, edition, full
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


# -- the blocks of the cover, the boxes, lists, tables and the contact details ------------
VERSIONS = Versions(("html", "pdf", "braille", "audio", "easy-read"), ("en", "cy"))


def said(leaflet_model, kind: str) -> tuple[narration.Chapter, ...]:
    return narration.script(edition(leaflet_model, kind, VERSIONS))


def texts(chapters) -> list[str]:
    return [u.text for c in chapters for u in c.utterances]


def assert_said_in_a_row(expected: list[str], spoken: list[str]) -> None:
    start = spoken.index(expected[0])
    assert spoken[start:start + len(expected)] == expected, spoken[start:start + len(expected)]


@pytest.fixture(scope="module")
def blocks():
    return load(ROOT / "tests" / "roots" / "blocks.yaml")


@pytest.fixture(scope="module")
def cytokines():
    return load(ROOT / "source" / "cytokines.yaml")


@pytest.mark.parametrize("kind", [FULL, EASY_READ])
def test_the_cover_and_the_help_line_come_first(blocks, kind):
    intro = [u.text for u in said(blocks, kind)[0].utterances]
    assert intro[1:5] == ["From Riverside Health.", "Leaflet code: TEST-0001", "Version: 1.2",
                          "Last reviewed 1 March 2025."]
    assert_said_in_a_row(["If you have questions or feel unwell, contact your team:",
                          "Phone: 0300 123 4567", "Open: Monday to Friday, 9am to 5pm"], intro)
    assert not any("Mar 2025" in text or "https://" in text for text in intro)


def test_the_full_leaflet_ends_with_its_other_versions_feedback_and_contact(blocks):
    *_, last = said(blocks, FULL)
    assert last.title == "About this leaflet"
    assert [u.text for u in last.utterances][1:] == [
        "This information is from Riverside Health.", "Next review due 1 March 2028.",
        "This leaflet is also available in: Braille, Easy read, Audio, Welsh",
        "Read and listen online: leaflets.example.org/blocks/en/blocks.html",
        "Tell us what you think of this leaflet",
        "Send your comments to: www.example.org/leaflet-feedback",
        "Contact us", "Phone: 0300 123 4567", "Open: Monday to Friday, 9am to 5pm",
        "E-mail: leaflets@example.org",
        "Address: Riverside Hospital, 1 River Road, Exampleton EX1 2AB",
        "Website: www.example.org"]


def test_the_easy_read_says_who_can_help_before_the_hard_words(cytokines):
    chapters = said(cytokines, EASY_READ)
    titles = [c.title for c in chapters]
    assert titles[-3:] == ["Who can help", "Hard words", "About this leaflet"]
    helpers = [u.text for u in chapters[-3].utterances]
    assert helpers[1:3] == ["Phone: 0300 123 4567", "Open: Monday to Friday, 9am to 5pm"]
    closing = texts(chapters[-1:])
    assert "Send your comments to: www.example.org/leaflet-feedback" in closing


@pytest.mark.parametrize("kind, boxes", [
    (FULL, [["Important: Keep your injections in the fridge",
             "Store them between 2°C and 8°C. Do not freeze them."],
            ["Urgent: Call 999 if you have chest pain or find it hard to breathe."]]),
    (EASY_READ, [["Urgent: Call straight away if your temperature is 37.5°C or more."]]),
])
def test_a_box_is_said_with_its_label_first(blocks, kind, boxes):
    spoken = texts(said(blocks, kind))
    for box in boxes:
        assert_said_in_a_row(box, spoken)


def test_the_urgent_box_of_the_example_is_said_in_both_editions(cytokines):
    assert_said_in_a_row(["Urgent: Contact your team straight away",
                          "Contact your team straight away if you have a temperature of 37.5°C "
                          "or above, or if you feel unwell."], texts(said(cytokines, FULL)))
    assert_said_in_a_row(["Urgent: Call your team straight away if your temperature is 37.5°C "
                          "or more.", "Or if you feel ill."], texts(said(cytokines, EASY_READ)))


def test_a_table_is_read_row_by_row_each_cell_after_its_heading(blocks):
    assert_said_in_a_row(["How often you have it",
                          "Weeks: 1 to 4", "Dose: 180 micrograms", "How often: Once a week",
                          "Weeks: 5 onwards", "Dose: 90 micrograms", "How often: Every 2 weeks"],
                         texts(said(blocks, FULL)))


def test_steps_are_said_with_their_numbers_and_sub_points_after_their_item(blocks):
    spoken = texts(said(blocks, FULL))
    assert_said_in_a_row(["1. Wash your hands.", "2. Choose a place to inject, such as",
                          "your tummy", "your thigh",
                          "3. Push the needle in and press the plunger slowly."], spoken)
    assert_said_in_a_row(["you have signs of an infection, such as",
                          "a temperature of 37.5°C or above", "shivering",
                          "the skin around the injection is red"], spoken)


def test_an_easy_read_point_is_followed_by_the_hard_words_it_first_uses(cytokines):
    spoken = texts(said(cytokines, EASY_READ))
    assert_said_in_a_row(["Cytokines are proteins that your body makes naturally.",
                          "cytokines: Proteins your body makes.",
                          "They carry messages between cells and help your body fight illness.",
                          "They play an important part in your immune system.",
                          "immune system: The parts of your body that protect you from germs "
                          "and illness, like cancer."], spoken)
    assert spoken.count("cytokines: Proteins your body makes.") == 1  # beside its first use


def test_phone_numbers_and_the_code_are_said_character_by_character(blocks, cytokines):
    assert narration.read_as_characters(edition(blocks, FULL)) == ("0300 123 4567", "TEST-0001")
    assert narration.read_as_characters(edition(cytokines, EASY_READ)) == ("0300 123 4567",
                                                                           "RH-HAEM-0042")


def test_the_welsh_narration_names_the_other_languages_in_welsh(cytokines):
    from leaflet.i18n.catalog import translate

    welsh = translate(cytokines, "cy").leaflet
    chapters = narration.script(edition(welsh, FULL, Versions(("audio",), ("en", "cy", "ar"))))
    closing = texts(chapters[-1:])
    assert any(text.endswith("Saesneg, Arabeg") for text in closing), closing
    assert chapters[-1].title != "About this leaflet"  # in Welsh
