"""The picture library: its index (names, OpenMoji codes, words), the project's own picture files,
and the near names an unknown picture name gets, by meaning and then by spelling."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from leaflet.errors import LeafletErrors
from leaflet.paths import PICTURE_INDEX
from leaflet.pictures import Library
from leaflet.pictures import picture_index
from leaflet.source import load


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> Library:
    """The library of the package's index, with no picture files of a project."""
    return Library(PICTURE_INDEX, tmp_path_factory.mktemp("no-pictures"))


@pytest.mark.parametrize("typed, meant", [
    ("tablet", "medicine"), ("tablets", "medicine"), ("pill", "medicine"),
    ("painkillers", "medicine"), ("jab", "injection"), ("needle", "injection"),
    ("vaccine", "injection"), ("syringe", "injection"), ("nauseous", "sick"), ("vomit", "sick"),
    ("exhausted", "tired"), ("gp", "doctor"), ("GP", "doctor"), ("a-and-e", "hospital"),
    ("e-mail", "email"), ("anxious", "worried"), ("loo", "toilet"), ("appointment", "calendar"),
])
def test_a_name_finds_the_picture_it_means(pictures, typed, meant):
    assert typed not in pictures
    assert pictures.near(typed)[0] == meant


def test_the_picture_sharing_most_words_comes_first(pictures):
    assert pictures.near("face-with-thermometer")[0] == "ill"  # two words of its Unicode name
    assert pictures.near("thermometer-reading")[0] == "thermometer"  # its name and a word
    assert set(pictures.near("blood-tests")[:2]) == {"blood", "lab"}


def test_then_names_and_words_that_look_alike(pictures):
    assert pictures.near("sleeping") == ["sleep"]  # by spelling, as before words
    assert pictures.near("injectoin")[0] == "injection"
    assert pictures.near("vacine") == ["injection"]  # a word misspelt
    assert pictures.near("diarhoea") == ["toilet"]
    assert pictures.near("trombone") == []


def test_near_names_are_at_most_three_without_repeats_in_a_fixed_order(pictures, tmp_path):
    near = pictures.near("face")
    assert len(near) == 3 and len(set(near)) == 3
    assert near == pictures.near("face") == Library(PICTURE_INDEX, tmp_path).near("face")
    assert pictures.near("pill") == ["medicine", "ill"]  # by meaning, then by spelling, once each
    assert pictures.near("medicine-tablet-pill-drug") == ["medicine"]
    assert len(pictures.near("-".join(["face"] * 10_000))) == 3  # a hostile name: still quick


def test_every_name_of_the_index_has_words(pictures):
    index = picture_index(PICTURE_INDEX)
    assert {name for name, entry in index.items() if len(entry.words) < 3} == set()
    assert pictures["medicine"].words[:2] == ("pill", "tablet")


def test_a_picture_file_of_the_project_is_found_by_spelling_and_by_its_words(tmp_path):
    (tmp_path / "spleen.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "swollen-ankle.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    pictures = Library(PICTURE_INDEX, tmp_path)
    assert pictures["swollen-ankle"].words == ("swollen", "ankle")
    assert pictures.near("spleeen") == ["spleen"]
    assert pictures.near("spleens")[0] == "spleen"
    assert pictures.near("ankles")[0] == "swollen-ankle"
    assert pictures.near("swelling-ankle")[0] == "swollen-ankle"


def test_an_unknown_picture_in_a_leaflet_names_the_pictures_it_may_mean():
    path = ROOT / "tests" / "bad" / "unknown-picture.yaml"
    content = path.read_bytes().replace(b"picture: syringe", b"picture: tablets")
    with pytest.raises(LeafletErrors) as caught:
        load(path, content)
    assert str(caught.value) == (
        f"{path}:12:18: unknown picture 'tablets' (near names: medicine); use a name of the "
        "picture library (see the README) or add a picture file: pictures/tablets.svg")


def index_errors(tmp_path: Path, text: str) -> str:
    index = tmp_path / "names.yaml"
    index.write_text(text, encoding="utf-8")
    with pytest.raises(LeafletErrors) as caught:
        Library(index, tmp_path)
    return str(caught.value).replace(str(index), "names.yaml")


def test_an_index_takes_both_forms(tmp_path):
    index = tmp_path / "names.yaml"
    index.write_text("injection: 1f489\n"
                     "medicine: {code: 1F48A, words: [pill, tablet, pill]}\n"
                     "bed:\n  code: 1F6CC\n")
    entries = picture_index(index)
    assert {name: (entry.code, entry.words) for name, entry in entries.items()} == {
        "injection": ("1F489", ()), "medicine": ("1F48A", ("pill", "tablet")),
        "bed": ("1F6CC", ())}
    assert str(entries["bed"].origin) == f"{index}:4:9"
    pictures = Library(index, tmp_path)
    assert pictures.near("tablet") == ["medicine"] and pictures.near("syringe") == ["injection"]


@pytest.mark.parametrize("text, message", [
    ("medicine: {code: 1F48A, words: pill}\n",
     "names.yaml:1:32: words of picture 'medicine' must be a list, not a single value"),
    ("medicine: {code: 1F48A, words: [pill, [tablet]]}\n",
     "names.yaml:1:39: word of picture 'medicine' must be a single value, not a list"),
    ('medicine: {code: 1F48A, words: [pill, "tab\\x07let"]}\n',
     "names.yaml:1:39: word of picture 'medicine' holds U+0007, a control character; delete it"),
    ("medicine: {code: 1F48A, words: [pill, tab\u202elet]}\n",
     "names.yaml:1:42: word of picture 'medicine' holds U+202E RIGHT-TO-LEFT OVERRIDE, an "
     "invisible direction control that can print text in another order than it is read; "
     "delete it"),
    ("medicine: {code: 1F48A, words: [pill, Tablet]}\n",
     "names.yaml:1:39: word 'Tablet' of picture 'medicine' must be lower-case letters, digits "
     "and hyphens, like 'blood-test'"),
    ("medicine: {code: 1F48A, words: [pill, ~]}\n",
     "names.yaml:1:39: empty word of picture 'medicine'; write the text or remove the entry"),
    (f"medicine: {{code: 1F48A, words: [{'a' * 41}]}}\n",
     "names.yaml:1:33: word of picture 'medicine' is longer than 40 characters; write one word"),
    ("medicine: {code: 1F48A, words: [%s]}\n" % ", ".join(f"w{n}" for n in range(31)),
     "names.yaml:1:173: words of picture 'medicine': 31 words, more than the 30 a picture may "
     "have; keep the words people use most"),
    ("medicine: {code: 1F48A, word: [pill]}\n",
     "names.yaml:1:25: unknown key 'word' in picture 'medicine' (did you mean 'words'?)"),
    ("medicine: {words: [pill]}\n",
     "names.yaml:1:11: missing required key 'code' in picture 'medicine'; add it"),
    ("medicine: [1F48A, pill]\n",
     "names.yaml:1:11: picture 'medicine' must be an OpenMoji code, like 1F489, or a mapping "
     "such as {code: 1F489, words: [needle, jab]}, not a list"),
    ("medicine: {code: 1F4890, words: [pill]}\n",
     "names.yaml:1:18: no OpenMoji picture '1F4890' for 'medicine'; write its code point in "
     "hex, like 1F489 for a syringe"),
    ("? [medicine]\n: 1F48A\n",
     "names.yaml:1:3: picture name must be a single value, not a list"),
    ("medicine: 1F48A\nmedicine: {code: 1F48A}\n",
     "names.yaml:2:1: duplicate picture name 'medicine'; keep only one"),
])
def test_a_broken_index_entry_names_its_line_and_column(tmp_path, text, message):
    assert index_errors(tmp_path, text) == message


def test_a_project_picture_file_must_have_a_name_a_leaflet_can_use(tmp_path):
    from leaflet.errors import LeafletErrors
    from leaflet.pictures import Library

    (tmp_path / "My Spleen.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    with pytest.raises(LeafletErrors) as caught:
        Library(PICTURE_INDEX, tmp_path)
    assert str(caught.value).endswith(
        "My Spleen.svg: picture file 'My Spleen.svg': name it in lower-case letters, digits and "
        "hyphens, at most 60 characters, like clinic-door.svg; a leaflet uses it by that name")


def test_a_huge_picture_name_in_a_source_is_one_short_line(tmp_path):
    from leaflet.errors import LeafletError

    text = (ROOT / "tests" / "bad" / "unknown-picture.yaml").read_text()
    source = tmp_path / "unknown-picture.yaml"
    source.write_text(text.replace("picture: syringe", "picture: " + "a" * 50_000))
    with pytest.raises(LeafletError) as caught:
        load(source)
    line = str(caught.value)
    assert len(line) < 400 and "must be lower-case letters" in line
