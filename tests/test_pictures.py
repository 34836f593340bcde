"""The picture library: its index (names, OpenMoji codes or Health Icons names, words), the Health
Icons the package ships, the project's own picture files, and the near names an unknown picture
name gets, by meaning and then by spelling."""

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
    near = pictures.near("blood-tests")
    assert near[0] == "blood-test" and set(near[1:]) == {"blood", "lab"}  # all its words first


def test_then_names_and_words_that_look_alike(pictures):
    assert pictures.near("sleeping") == ["sleep", "spleen"]  # by spelling, as before words
    assert pictures.near("injectoin")[0] == "injection"
    assert pictures.near("vacine") == ["injection"]  # a word misspelt
    assert pictures.near("diarhoea") == ["toilet"]
    assert pictures.near("trombone") == []


def test_near_names_are_at_most_three_without_repeats_in_a_fixed_order(pictures, tmp_path):
    near = pictures.near("face")
    assert len(near) == 3 and len(set(near)) == 3
    assert near == pictures.near("face") == Library(PICTURE_INDEX, tmp_path).near("face")
    assert pictures.near("pill") == ["medicine", "ill"]  # by meaning, then by spelling, once each
    assert pictures.near("medicine-tablet-pill-drug") == ["medicine", "medicine-bottle"]
    assert len(pictures.near("-".join(["face"] * 10_000))) == 3  # a hostile name: still quick


def test_every_name_of_the_index_has_words(pictures):
    index = picture_index(PICTURE_INDEX)
    assert {name for name, entry in index.items() if len(entry.words) < 3} == set()
    assert pictures["medicine"].words[:2] == ("pill", "tablet")


def test_a_picture_file_of_the_project_is_found_by_spelling_and_by_its_words(tmp_path):
    (tmp_path / "kidney.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "swollen-ankle.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    pictures = Library(PICTURE_INDEX, tmp_path)
    assert pictures["swollen-ankle"].words == ("swollen", "ankle")
    assert pictures.near("kidnney") == ["kidney"]
    assert pictures.near("kidneys")[0] == "kidney"
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
     "names.yaml:1:11: missing key 'code' (an OpenMoji code point) or 'healthicons' (a Health "
     "Icons name) in picture 'medicine'; add one"),
    ("medicine: {code: 1F48A, healthicons: medicine-bottle}\n",
     "names.yaml:1:38: picture 'medicine' has both an OpenMoji code and a Health Icons name; "
     "keep one"),
    ("flu: {healthicons: chills-and-fever}\n",
     "names.yaml:1:20: no Health Icons picture 'chills-and-fever' for 'flu' in the package; "
     "write an icon's name as healthicons.org spells it, like syringe, then copy it in with "
     "scripts/healthicons.py"),
    ("flu: {healthicons: ../LICENSE}\n",
     "names.yaml:1:20: no Health Icons picture '../LICENSE' for 'flu' in the package; "
     "write an icon's name as healthicons.org spells it, like syringe, then copy it in with "
     "scripts/healthicons.py"),
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


# -- Health Icons ---------------------------------------------------------------------------
def health_icons_of_index() -> dict[str, str]:
    """Index name -> Health Icons name, for each Health Icons picture of the package's index."""
    from leaflet.pictures import HEALTHICONS

    return {name: entry.code for name, entry in picture_index(PICTURE_INDEX).items()
            if entry.source == HEALTHICONS}


def test_an_index_names_a_health_icon_by_its_name(tmp_path):
    index = tmp_path / "names.yaml"
    index.write_text("flu: {healthicons: chills-fever, words: [chills, shivering]}\n"
                     "injection: 1F489\n")
    entries = picture_index(index)
    assert (entries["flu"].source, entries["flu"].code) == ("healthicons", "chills-fever")
    assert (entries["injection"].source, entries["injection"].code) == ("openmoji", "1F489")
    pictures = Library(index, tmp_path)
    assert pictures["flu"].path.name == "chills-fever.svg"
    assert pictures["flu"].source == "healthicons" and pictures["injection"].source == "openmoji"
    assert pictures.near("shivering") == ["flu"]  # its words
    assert pictures.near("fever") == ["flu"]  # a word of the icon's own name


def test_the_library_resolves_every_health_icon_of_the_index(pictures):
    from leaflet.pictures import HEALTHICONS_DIR

    icons = health_icons_of_index()
    assert {"flu", "headache", "body"} <= set(icons)
    for name, icon in icons.items():
        picture = pictures[name]
        assert picture.source == "healthicons" and picture.description == icon
        assert picture.path == HEALTHICONS_DIR / f"{icon}.svg" and picture.path.is_file()
        assert picture.media_type == "image/svg+xml"


def test_the_package_ships_only_the_health_icons_its_index_names_with_licence_and_credit():
    from leaflet.pictures import HEALTHICONS_DIR

    used = set(health_icons_of_index().values())
    assert {path.stem for path in HEALTHICONS_DIR.glob("*.svg")} == used
    assert {path.name for path in HEALTHICONS_DIR.iterdir()} == {
        *(f"{icon}.svg" for icon in used), "LICENSE", "README.md"}
    licence = (HEALTHICONS_DIR / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "Resolve to Save Lives" in licence
    assert "THE SOFTWARE IS PROVIDED \"AS IS\"" in licence
    credit = (HEALTHICONS_DIR / "README.md").read_text(encoding="utf-8")
    assert "https://healthicons.org/" in credit and "MIT" in credit
    assert {line[2:] for line in credit.splitlines() if line.startswith("- ")} == used


def test_the_maintainer_script_would_write_the_shipped_icons_again(tmp_path):
    """The shipped glyphs are what scripts/healthicons.py makes of the npm package."""
    import json
    import sys

    from leaflet.pictures import HEALTHICONS_DIR

    package = ROOT / "node_modules" / "@iconify-json" / "healthicons" / "icons.json"
    if not package.is_file():
        pytest.skip("npm ci brings @iconify-json/healthicons (a maintainer's tool)")
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import healthicons
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    icons = json.loads(package.read_text(encoding="utf-8"))
    for icon in health_icons_of_index().values():
        assert (HEALTHICONS_DIR / f"{icon}.svg").read_text(encoding="utf-8") == \
            healthicons.svg(icons, icon), icon


def ink(png: bytes) -> tuple[float, list[tuple[int, int, int]]]:
    """The drawn part of a square picture: its larger side as a share of the picture's, and
    the colours of its opaque pixels."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGBA")
    alpha = image.getchannel("A").point(lambda value: 255 if value > 40 else 0)
    left, top, right, bottom = alpha.getbbox()
    data = image.tobytes()
    opaque = [tuple(data[i:i + 3]) for i in range(0, len(data), 4) if data[i + 3] == 255]
    return max(right - left, bottom - top) / image.width, opaque


def test_health_icons_are_dark_on_white_and_as_big_as_openmoji_pictures(pictures):
    """Through the rasteriser Word's pictures go through: each glyph's colour keeps 4.5:1 on
    white, and the glyphs fill their square as much as the OpenMoji pictures fill theirs."""
    from statistics import median

    from leaflet.audit.contrast import contrast
    from leaflet.render.word import png

    extents = {"healthicons": [], "openmoji": []}
    for picture in pictures.pictures.values():
        extent, opaque = ink(png(picture, 144))
        extents[picture.source].append(extent)
        if picture.source == "healthicons":
            assert "currentColor" not in picture.path.read_text(encoding="utf-8")
            weakest = min(contrast(tuple(c / 255 for c in pixel), (1.0, 1.0, 1.0))
                          for pixel in set(opaque))
            assert weakest >= 4.5, f"{picture.name}: {weakest:.1f}:1 on white"
    ratio = median(extents["healthicons"]) / median(extents["openmoji"])
    # Drawn as the npm package has them, without the margin scripts/healthicons.py adds: 1.10.
    assert 0.94 <= ratio <= 1.06, f"Health Icons drawn {ratio:.2f} times as big as OpenMoji"
