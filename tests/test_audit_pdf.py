"""The PDF/UA-1 checks: the built PDFs pass all of them, and each check fails a PDF broken for it."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import pikepdf
import pytest

from conftest import ROOT
from test_pdf import _elements
from leaflet.audit.pdf import audit_pdf
from leaflet.errors import RenderError

PDFS = ["cytokines.pdf", "cytokines-large-print.pdf"]
CHECKS = [
    "tagged content is in the structure tree",
    "content is tagged or an artifact",
    "page headers and footers are artifacts",
    "heading levels start at H1 and do not skip",
    "lists are L, LI, Lbl and LBody",
    "figures have /Alt",
    "link annotations are in the structure tree",
    "pages use the structure tab order (/Tabs /S)",
    "title in the metadata and shown",
    "document language is a known language tag",
    "fonts embedded with Unicode maps",
    "text extracts as Unicode",
    "structure order is reading order",
]


@pytest.mark.parametrize("name", PDFS)
def test_built_pdfs_pass_every_check(built: Path, name: str):
    result = audit_pdf(built / name)
    assert [str(failure) for failure in result.failures] == []
    for check in CHECKS:
        assert check in result.checks
    pdfua = [check for check in result.checks if check.startswith("pdfua ")]
    assert len(pdfua) == 12  # every rule of pdfua 0.1.3 ran, none skipped
    assert result.run == result.passed == len(CHECKS) + len(pdfua)


def test_footers_are_pagination_artifacts(built: Path):
    with pikepdf.open(built / "cytokines.pdf") as pdf:
        for page in pdf.pages:
            artifacts = [operands[1] for operands, operator in pikepdf.parse_content_stream(page)
                         if str(operator) == "BDC" and str(operands[0]) == "/Artifact"]
            assert {(str(a.Type), str(a.Subtype)) for a in artifacts} == {
                ("/Pagination", "/Footer")}


def _broken(built: Path, tmp_path: Path, change) -> Path:
    target = tmp_path / "broken.pdf"
    with pikepdf.open(built / "cytokines.pdf") as pdf:
        change(pdf)
        pdf.save(target)
    return target


def _failed(path: Path) -> dict[str, list]:
    result = audit_pdf(path)
    return {check: failures for check, failures in result.checks.items() if failures}


def test_a_pdf_without_a_language_fails(built, tmp_path):
    failed = _failed(_broken(built, tmp_path, lambda pdf: pdf.Root.__delattr__("Lang")))
    assert "pdfua UA-06-001 Document declares a natural language" in failed


def test_a_made_up_language_fails(built, tmp_path):
    def made_up(pdf):
        pdf.Root.Lang = pikepdf.String("xx-Nowhere")
    failures = _failed(_broken(built, tmp_path, made_up))["document language is a known language tag"]
    assert failures[0].message == "/Lang 'xx-Nowhere' is not a known language tag"


def test_content_painted_through_a_form_xobject_counts_where_it_is_painted(built, tmp_path):
    def wrap(pdf):
        # Move page 1's content into a form XObject painted outside any marked content: its
        # own marked content still tags it.
        page = pdf.pages[0]
        form = pdf.make_stream(page.Contents.read_bytes(), Type=pikepdf.Name.XObject,
                               Subtype=pikepdf.Name.Form, BBox=page.MediaBox,
                               Resources=page.Resources)
        page.Resources.XObject = pikepdf.Dictionary(Page=form)
        page.Contents = pdf.make_stream(b"/Page Do")
    failed = _failed(_broken(built, tmp_path, wrap))
    assert "content is tagged or an artifact" not in failed, failed


def test_a_skipped_heading_level_fails_naming_the_page(built, tmp_path):
    def skip(pdf):
        _elements(pdf, "/H2")[0].S = pikepdf.Name("/H4")
    failures = _failed(_broken(built, tmp_path, skip))["heading levels start at H1 and do not skip"]
    assert str(failures[0]) == ("check 'heading levels start at H1 and do not skip' on page 1: "
                                "H4 follows H1")


def test_a_figure_without_alt_text_fails(built, tmp_path):
    def figure(pdf):
        _elements(pdf, "/P")[0].S = pikepdf.Name("/Figure")
    failed = _failed(_broken(built, tmp_path, figure))
    assert "pdfua UA-13-004 Figure elements have alternative text" in failed
    assert [f.page for f in failed["figures have /Alt"]] == [1]


def test_a_list_item_outside_the_list_structure_fails(built, tmp_path):
    def unlist(pdf):
        _elements(pdf, "/LBody")[0].S = pikepdf.Name("/P")
    failures = _failed(_broken(built, tmp_path, unlist))["lists are L, LI, Lbl and LBody"]
    assert "LI contains P" in str(failures[0])


def test_a_page_without_structure_tab_order_fails(built, tmp_path):
    failures = _failed(_broken(built, tmp_path, lambda pdf: pdf.pages[1].obj.__delitem__("/Tabs")))
    assert [f.page for f in failures["pages use the structure tab order (/Tabs /S)"]] == [2]


def test_a_title_missing_from_the_metadata_fails(built, tmp_path):
    def untitle(pdf):
        with pdf.open_metadata(set_pikepdf_as_editor=False) as metadata:
            del metadata["dc:title"]
    assert "title in the metadata and shown" in _failed(_broken(built, tmp_path, untitle))


def test_a_font_without_unicode_map_fails(built, tmp_path):
    def unmap(pdf):
        for font in pdf.pages[0].Resources.Font.values():
            del font["/ToUnicode"]
    assert "fonts embedded with Unicode maps" in _failed(_broken(built, tmp_path, unmap))


def test_unmarked_content_fails(built, tmp_path):
    def scribble(pdf):
        pdf.pages[2].contents_add(pdf.make_stream(b"0 0 m 100 100 l S"), prepend=False)
    failures = _failed(_broken(built, tmp_path, scribble))["content is tagged or an artifact"]
    assert failures[0].page == 3 and "outside any marked content" in failures[0].message


def test_tagged_content_inside_an_artifact_fails(built, tmp_path):
    def hide(pdf):
        pdf.pages[0].contents_add(pdf.make_stream(
            b"/Artifact BMC /Span <</MCID 0>> BDC 0 0 m 1 1 l S EMC EMC"), prepend=False)
    failures = _failed(_broken(built, tmp_path, hide))["content is tagged or an artifact"]
    assert [(f.page, f.message) for f in failures] == [
        (1, "1 tagged marked-content sequence(s) are inside an artifact")]


def test_structure_out_of_reading_order_fails(built, tmp_path):
    def reverse(pdf):
        document = pdf.Root.StructTreeRoot.K[0]
        document.K = pikepdf.Array(list(document.K)[::-1])
    assert "structure order is reading order" in _failed(_broken(built, tmp_path, reverse))


def test_untagged_footers_fail_the_build_naming_check_and_page(monkeypatch, tmp_path):
    """Without our margin-box adaptation, WeasyPrint's footer is content outside the tree."""
    from leaflet.edition import FULL, edition
    from leaflet.render import FORMATS, pdf
    from leaflet.source import load

    leaflet = load(ROOT / "source" / "cytokines.yaml")
    monkeypatch.setattr(pdf, "margin_boxes_as_artifacts", nullcontext)
    data = pdf.render(edition(leaflet, FULL))
    with pytest.raises(RenderError) as caught:
        FORMATS["pdf"].checker()(leaflet, {".pdf": data})  # what the build runs before writing
    message = str(caught.value)
    assert "cytokines.pdf (en-GB) fails check 'tagged content is in the structure tree' on page 1" \
        in message, message
    untagged = tmp_path / "untagged.pdf"
    untagged.write_bytes(data)
    failed = _failed(untagged)
    pages = [f.page for f in failed["page headers and footers are artifacts"]]
    with pikepdf.open(untagged) as document:
        every_page = list(range(1, len(document.pages) + 1))
    assert len(every_page) >= 2 and sorted(set(pages)) == every_page  # the footer, on every page
    assert "content is tagged or an artifact" in failed


def test_an_unreadable_file_is_one_failed_check(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    result = audit_pdf(bad)
    assert result.run == 1 and result.passed == 0


@pytest.mark.parametrize("alt, failing", [
    (' alt="A syringe"', set()),
    ("", {"figures have /Alt", "pdfua UA-13-004 Figure elements have alternative text"}),
])
def test_pictures_as_easy_read_has_them(tmp_path, alt, failing):
    """A page with a picture beside each line, as WeasyPrint tags it: a Figure, with /Alt from
    the alt text; the picture's paint is tagged content like the text."""
    import base64

    from weasyprint import HTML

    from leaflet.render.pdf import margin_boxes_as_artifacts

    picture = tmp_path / "syringe.png"
    picture.write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="))
    lines = "".join(f'<p><img src="syringe.png"{alt} style="width: 2cm"> Line {n}.</p>'
                    for n in range(40))
    page = (f'<html lang="en-GB"><head><title>Pictures</title><style>@page {{ @bottom-right '
            f'{{ content: "Page " counter(page) }} }}</style></head><body><h1>Pictures</h1>'
            f'{lines}</body></html>')
    with margin_boxes_as_artifacts():
        data = HTML(string=page, base_url=tmp_path.as_uri() + "/").write_pdf(
            pdf_variant="pdf/ua-1")
    path = tmp_path / "pictures.pdf"
    path.write_bytes(data)
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) >= 2
    assert set(_failed(path)) == failing


def test_a_sublist_beside_its_item_fails(tmp_path):
    """WeasyPrint's own tree puts a sublist beside its item (L > L); the writer moves it into
    the item's LBody, and the audit holds it to that."""
    from weasyprint import HTML

    from leaflet.render.pdf import margin_boxes_as_artifacts, with_list_and_table_structure

    page = ('<html lang="en-GB"><head><title>Lists</title></head><body><h1>Lists</h1><ul>'
            '<li>An item<ul><li>a sub-point</li><li>another</li></ul></li>'
            '<li>Another item</li></ul></body></html>')
    with margin_boxes_as_artifacts():
        written = HTML(string=page).write_pdf(pdf_variant="pdf/ua-1")
    beside, nested = tmp_path / "beside.pdf", tmp_path / "nested.pdf"
    beside.write_bytes(written)
    nested.write_bytes(with_list_and_table_structure(written))
    failures = _failed(beside)["lists are L, LI, Lbl and LBody"]
    assert [failure.message for failure in failures] == ["L contains L"]
    assert "lists are L, LI, Lbl and LBody" not in _failed(nested)
