"""Word's accessibility checker rules: the built document passes, and each rule fails a document
broken for it."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from leaflet.audit.docx import audit_docx
from test_docx import word_files  # noqa: F401 (a fixture: every Word file, en and ar)

PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHw"
                         "AFBQIAX8jx0gAAAABJRU5ErkJggg==")
CHECKS = ["every picture has alt text", "pictures are inline with the text",
          "headings start at Heading 1 and do not skip", "tables have a header row",
          "the document has a title", "the document has a language",
          "no blank paragraphs for spacing", "no tabs, runs of spaces or stacked breaks for layout",
          "text colours contrast with their background"]


def test_built_documents_pass_every_check(word_files: Path):
    paths = sorted(word_files.rglob("*.docx"))
    assert len(paths) == 9  # cytokines in en and ar, the blocks in en: 3 formats each
    for path in paths:
        result = audit_docx(path)
        assert [str(failure) for failure in result.failures] == [], path
        assert list(result.checks) == CHECKS and result.passed == len(CHECKS)


def _document():
    """A small document that passes every check; each test breaks one thing."""
    from docx.shared import RGBColor

    document = docx.Document()
    document.core_properties.title = "Methotrexate"
    for level in range(1, 5):  # the template's blue headings are 4.0:1 on white: too pale
        document.styles[f"Heading {level}"].font.color.rgb = RGBColor(0x1A, 0x1A, 0x1A)
    document.add_paragraph("Methotrexate", style="Title")
    document.add_heading("What it is", 1)
    document.add_paragraph("A medicine that calms the immune system.")
    document.add_heading("How you take it", 2)
    return document


def _failed(document, tmp_path: Path) -> dict[str, list[str]]:
    path = tmp_path / "example.docx"
    document.save(path)
    result = audit_docx(path)
    return {check: [f.message for f in failures]
            for check, failures in result.checks.items() if failures}


def test_the_example_passes(tmp_path):
    assert _failed(_document(), tmp_path) == {}


def test_a_skipped_heading_level_fails(tmp_path):
    document = _document()
    document.add_heading("Side effects", 4)
    assert _failed(document, tmp_path) == {"headings start at Heading 1 and do not skip": [
        "Heading 4 'Side effects' follows Heading 2"]}


def test_a_picture_without_alt_text_fails_and_with_it_passes(tmp_path):
    document = _document()
    document.add_picture(io.BytesIO(PIXEL))
    assert "every picture has alt text" in _failed(document, tmp_path)
    for properties in document.element.body.iter(qn("wp:docPr")):
        properties.set("descr", "A syringe")
    assert _failed(document, tmp_path) == {}


def test_a_table_without_a_header_row_fails(tmp_path):
    document = _document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Dose", "When"
    table.cell(1, 0).text, table.cell(1, 1).text = "5 mg", "Weekly"
    assert "tables have a header row" in _failed(document, tmp_path)
    header = OxmlElement("w:tblHeader")
    table.rows[0]._tr.get_or_add_trPr().append(header)
    assert _failed(document, tmp_path) == {}


def _layout_table(document):
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).paragraphs[0].add_run().add_picture(io.BytesIO(PIXEL))
    for properties in document.element.body.iter(qn("wp:docPr")):
        properties.set("descr", "A syringe")
    table.cell(0, 1).text = "You have the injection once a week."
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    look.set(qn("w:firstRow"), "0")
    return table


def test_a_table_that_declares_no_header_row_is_layout_and_passes(tmp_path):
    document = _document()
    _layout_table(document)
    assert _failed(document, tmp_path) == {}


def test_a_layout_table_with_a_caption_is_a_data_table_and_needs_a_header(tmp_path):
    document = _document()
    table = _layout_table(document)
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), "Doses")
    table._tbl.tblPr.append(caption)
    assert "tables have a header row" in _failed(document, tmp_path)


def test_a_layout_table_holding_a_table_fails(tmp_path):
    document = _document()
    table = _layout_table(document)
    inner = table.cell(0, 1).add_table(rows=1, cols=1)
    inner._tbl.tblPr.find(qn("w:tblLook")).set(qn("w:firstRow"), "0")
    assert _failed(document, tmp_path)["tables have a header row"] == [
        "layout table 1 (first row 'You have the injection once a week.') holds a table; "
        "lay it out in one table"]


def test_hard_to_read_text_colours_fail(tmp_path):
    from docx.shared import RGBColor

    document = _document()
    document.add_paragraph().add_run("Pale").font.color.rgb = RGBColor(0x99, 0x99, 0x99)
    assert _failed(document, tmp_path) == {"text colours contrast with their background": [
        "text colour #999999 (body) on #FFFFFF (the white page) is 2.85:1, below 4.5:1"]}


def test_the_templates_pale_blue_heading_fails(tmp_path):
    document = docx.Document()
    document.core_properties.title = "Methotrexate"
    document.add_heading("What it is", 1)
    document.add_heading("How you take it", 2)
    assert _failed(document, tmp_path) == {"text colours contrast with their background": [
        "text colour #4F81BD (styles) on #FFFFFF (the white page) is 4.03:1, below 4.5:1"]}


def test_a_floating_picture_fails(tmp_path):
    document = _document()
    document.add_picture(io.BytesIO(PIXEL))
    inline = next(document.element.body.iter(qn("wp:inline")))
    inline.tag = qn("wp:anchor")
    inline.find(qn("wp:docPr")).set("descr", "A syringe")
    assert list(_failed(document, tmp_path)) == ["pictures are inline with the text"]


def test_no_title_and_no_language_fail(tmp_path):
    document = _document()
    document.core_properties.title = ""
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    language = defaults.find(qn("w:rPr")).find(qn("w:lang"))
    language.getparent().remove(language)
    assert set(_failed(document, tmp_path)) == {"the document has a title",
                                                 "the document has a language"}


@pytest.mark.parametrize("lay_out, check", [
    (lambda d: (d.add_paragraph(""), d.add_paragraph("After a gap")),
     "no blank paragraphs for spacing"),
    (lambda d: d.add_paragraph("Dose:\t5 mg"), "no tabs, runs of spaces or stacked breaks for layout"),
    (lambda d: d.add_paragraph("Dose:     5 mg"), "no tabs, runs of spaces or stacked breaks for layout"),
    (lambda d: _two_breaks(d.add_paragraph("Dose")), "no tabs, runs of spaces or stacked breaks for layout"),
])
def test_layout_with_blank_paragraphs_tabs_spaces_or_breaks_fails(tmp_path, lay_out, check):
    document = _document()
    lay_out(document)
    assert list(_failed(document, tmp_path)) == [check]


def _two_breaks(paragraph):
    paragraph.add_run().add_break()
    paragraph.add_run().add_break()
    paragraph.add_run("5 mg")


def test_an_unreadable_file_is_one_failed_check(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    result = audit_docx(bad)
    assert result.run == 1 and result.passed == 0
