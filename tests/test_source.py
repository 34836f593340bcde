"""The YAML source: the cytokines leaflet loads, and every broken input gets its one-line error."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, leaflet, seed_paragraphs
from leaflet.model import ItemList
from leaflet.model import easy_read_texts
from leaflet.source import load
from leaflet.source.schema import texts_of

BAD = sorted((Path(__file__).parent / "bad").glob("*.yaml"))


def test_cytokines_loads_with_dates_sections_and_glossary():
    cytokines = load(ROOT / "source" / "cytokines.yaml")
    assert cytokines.title.plain == "Cytokines"
    assert (cytokines.reviewed, cytokines.next_review) == (date(2024, 10, 21), date(2027, 10, 21))
    assert [s.title.plain for s in cytokines.sections if s.title] == [
        "How do cytokine drugs work?",
        "Peginterferon to treat blood cancers",
        "How do you have peginterferon alpha 2a?",
        "What are the side effects of peginterferon alpha 2a?",
    ]
    side_effects = [b for b in cytokines.sections[-1].blocks if isinstance(b, ItemList)]
    assert len(side_effects) == 1 and len(side_effects[0].items) == 9
    assert {e.id for e in cytokines.glossary} >= {
        "immune-system", "clinical-trials", "immunotherapy", "myeloproliferative-neoplasms",
        "bone-marrow", "blood-cells", "spleen"}
    assert cytokines.publisher.contact == "leaflets@example.org"  # the organisation of leaflet.toml
    assert cytokines.code == "RH-HAEM-0042" and cytokines.version == "2"


def test_every_glossary_term_is_linked_where_the_web_page_had_its_artefact():
    cytokines = load(ROOT / "source" / "cytokines.yaml")
    easy_read = set(easy_read_texts(cytokines))
    linked = [run.term for text in texts_of(cytokines) if text not in easy_read
              for run in text.runs if run.term]
    assert linked == ["immune-system", "clinical-trials", "immunotherapy",
                      "myeloproliferative-neoplasms", "bone-marrow", "blood-cells", "spleen"]


def test_source_holds_the_seed_text_word_for_word():
    cytokines = load(ROOT / "source" / "cytokines.yaml")
    source_text = " ".join(" ".join(t.plain.split()) for t in texts_of(cytokines))
    source_text += " Last reviewed: 21 Oct 2024 Next review due: 21 Oct 2027"
    for paragraph in seed_paragraphs():
        words = paragraph.replace("Last reviewed: 21 Oct 2024", "").replace(
            "Next review due: 21 Oct 2027", "").strip()
        assert words in source_text, words


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_input_gives_its_one_line_error_and_writes_nothing(path: Path, tmp_path: Path):
    expected = path.read_bytes().split(b"\n", 1)[0].decode().removeprefix("# expect: ")
    relative = path.relative_to(ROOT)
    out = tmp_path / "build"
    result = leaflet("build", str(relative), "--out", str(out))
    assert result.returncode == 1
    assert result.stderr == f"leaflet: {relative}:{expected}\n"
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_check_reports_every_mistake_of_several_files():
    result = leaflet("check", "tests/bad/bad-date.yaml", "tests/bad/unknown-key.yaml")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and "bad-date.yaml:5:11" in lines[0] and "unknown-key.yaml:10:5" in lines[1]


def test_a_missing_file_is_a_clear_error():
    result = leaflet("check", "source/no-such-leaflet.yaml")
    assert result.returncode == 1
    assert result.stderr.startswith("leaflet: source/no-such-leaflet.yaml: cannot read the file")


def test_the_readme_example_is_a_valid_leaflet(tmp_path: Path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "methotrexate.yaml"
    path.write_text(example, encoding="utf-8")
    methotrexate = load(path)
    assert [s.id for s in methotrexate.sections] == ["what-it-is", "how-you-take-it"]
