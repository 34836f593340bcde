"""Tagged PDF/UA-1 output through WeasyPrint of the HTML page: standard, large print, easy read."""

from __future__ import annotations

import hashlib
import io
from contextlib import contextmanager
from pathlib import Path

from ..errors import RenderError
from ..model import Leaflet
from .. import project
from ..paths import PACKAGE
from . import html

FONT_FAMILY = "Atkinson Hyperlegible Next"  # every Latin-script language, Welsh ŵ ŷ included
FONT_FILES = {  # (weight, style) -> file in FONT_DIR (scripts/fonts.py); the pages have no italics
    ("normal", "normal"): "AtkinsonHyperlegibleNext-Regular.ttf",
    ("bold", "normal"): "AtkinsonHyperlegibleNext-Bold.ttf",
}
FONT_DIR = PACKAGE / "data" / "fonts"


def warm_up() -> None:
    """Import WeasyPrint in a worker, early: most of a PDF's time is this import."""
    import weasyprint  # noqa: F401


def render(edition, options=None) -> bytes:
    """Standard print, with the QR code of the web version beside its address."""
    return write_pdf(edition, html.page(edition, "print", show_qr=True), ".pdf")


def render_large_print(edition, options=None) -> bytes:
    return write_pdf(edition, html.page(edition, "large-print", show_qr=True),
                     "-large-print.pdf")


def render_easy_read(edition, options=None) -> bytes:
    """The easy-read stylesheet; the pictures linked by file, which WeasyPrint draws as vectors."""
    page = html.page(edition, None, screen_style="easy-read", body_class="easy-read",
                     embed_pictures=False)
    return write_pdf(edition, page, "-easy-read.pdf")


def render_bilingual(edition, options=None) -> bytes:
    """The Welsh leaflet, then the English one from a new page, each tagged in its language."""
    return write_pdf(edition, html.bilingual_page(edition, "print", show_qr=True),
                     "-bilingual.pdf")


def write_pdf(edition, page: str, suffix: str) -> bytes:
    """The PDF of the HTML `page` of `edition`, fonts added, as the output <id><suffix>."""
    leaflet = edition.leaflet
    return html_to_pdf(with_font_faces(page), leaflet, f"{leaflet.id}{suffix}")


def with_font_faces(page: str) -> str:
    return page.replace("</style>\n</head>", f"{font_faces()}\n</style>\n</head>", 1)


def html_to_pdf(page: str, leaflet: Leaflet, name: str) -> bytes:
    """A tagged PDF/UA-1 of `page`, the output `name` of `leaflet`: a fixed identifier, page
    margin boxes as artifacts, Indic lines with their own text, sublists and table headers
    tagged as PDF/UA asks (the build checks it before writing it)."""
    from weasyprint import HTML

    document = HTML(
        string=page,
        base_url=project.current().root.as_uri() + "/",
        url_fetcher=project_fetcher(),
    )
    from .actualtext import lines_with_actual_text

    identifier = hashlib.sha256(f"{leaflet.id}/{leaflet.language}/{name}".encode())
    with margin_boxes_as_artifacts(), lines_with_actual_text():
        data = document.write_pdf(
            pdf_variant="pdf/ua-1",
            pdf_identifier=identifier.hexdigest()[:32].encode(),
            uncompressed_pdf=False,
        )
    return with_list_and_table_structure(data)


def with_list_and_table_structure(data: bytes) -> bytes:
    """Two repairs of the structure tree WeasyPrint 70 writes: a nested list goes into the
    LBody of the item it belongs to (WeasyPrint puts it beside the item, as L > L), and each
    column header gets /Scope /Column (WeasyPrint gives only the cells /Headers)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        for element in list(_structure_elements(pdf.Root.StructTreeRoot)):
            role = element.get("/S")
            if role == pikepdf.Name.L:
                _nest_sublists(pdf, element)
            elif role == pikepdf.Name.TH and isinstance(element.get("/A"), pikepdf.Dictionary):
                element.A.Scope = pikepdf.Name.Column
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _structure_elements(node):
    """Every structure element under `node`, parents before their kids."""
    import pikepdf

    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _structure_elements(kid)


def _nest_sublists(pdf, list_element) -> None:
    """L > LI, L becomes L > LI > LBody > L: a sublist moves into the body of the item before
    it; one with no item before it on its page (the rest of an item split by a page break)
    gets an item of its own."""
    import pikepdf

    kept = []
    for kid in list_element.K:
        if not (isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == pikepdf.Name.L):
            kept.append(kid)
            continue
        before = kept[-1] if kept else None
        item = before if isinstance(before, pikepdf.Dictionary) and \
            before.get("/S") == pikepdf.Name.LI else None
        if item is None:
            item = _element(pdf, "LI", list_element, kid)
            kept.append(item)
        body = _last_kid(item, pikepdf.Name.LBody) or _element(pdf, "LBody", item, kid)
        _append_kid(body, kid)
        kid.P = body
    list_element.K = pikepdf.Array(kept)


def _element(pdf, role: str, parent, like):
    """A new structure element `role` at the end of `parent`, on the page of `like`."""
    import pikepdf

    element = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + role), P=parent, K=pikepdf.Array()))
    if "/Pg" in like:
        element.Pg = like.Pg
    if role != "LI":  # a new LI is placed by the caller, in the list's kids
        _append_kid(parent, element)
    return element


def _append_kid(parent, kid) -> None:
    import pikepdf

    if not isinstance(parent.get("/K"), pikepdf.Array):
        parent.K = pikepdf.Array([] if parent.get("/K") is None else [parent.K])
    parent.K.append(kid)


def _last_kid(element, role):
    import pikepdf

    kids = element.get("/K")
    found = [kid for kid in (kids if isinstance(kids, pikepdf.Array) else [kids])
             if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == role]
    return found[-1] if found else None


# WeasyPrint versions whose page margin boxes (our "Page X of Y" footer) are drawn as tagged
# Spans in a structure tree that is never linked to the document's (weasyprint/pdf/tags.py, the
# MarginBox case). PDF/UA-1 needs such content to be an artifact. Checked against 70.0 only: on
# another version nothing is patched, and the audit after rendering fails the build if the
# footer is still neither in the structure tree nor an artifact.
_MARGIN_BOX_VERSIONS = {"70.0"}


@contextmanager
def margin_boxes_as_artifacts():
    """While WeasyPrint writes a PDF, draw page margin boxes as pagination artifacts.

    Two module functions are wrapped for the duration and restored after:
    - `draw.draw_stacking_context`: a margin box is drawn inside
      `/Artifact <</Type /Pagination /Subtype /Header|/Footer>> BDC ... EMC` (no subtype on the
      sides), with the stream's tag table hidden so nothing inside it is tagged as content (the
      same trick as the stream's own `artifact()` helper, which lacks the pagination properties);
    - `pdf.tags._build_box_tree`: a margin box gets no structure elements at all, since its
      content registered no marked-content ids; an element with a `lang` attribute (a run in
      another language) gives its structure element that /Lang, which WeasyPrint leaves out.
    Rendering is single-threaded per process, so the swap is safe.
    """
    import weasyprint
    from weasyprint import draw
    from weasyprint.formatting_structure.boxes import MarginBox
    from weasyprint.pdf import tags

    if weasyprint.__version__ not in _MARGIN_BOX_VERSIONS:
        yield
        return
    import pydyf

    draw_stacking_context, build_box_tree = draw.draw_stacking_context, tags._build_box_tree

    def draw_margin_box_as_artifact(stream, stacking_context):
        box = stacking_context.box
        if not isinstance(box, MarginBox) or stream._tags is None:
            return draw_stacking_context(stream, stacking_context)
        properties = pydyf.Dictionary({"Type": "/Pagination"})
        if box.at_keyword.startswith(("@top", "@bottom")):  # PDF 1.7 names no side subtypes
            properties["Subtype"] = "/Header" if box.at_keyword.startswith("@top") else "/Footer"
        stream.begin_marked_content("Artifact", properties)
        page_tags, stream._tags = stream._tags, None
        try:
            return draw_stacking_context(stream, stacking_context)
        finally:
            stream._tags = page_tags
            stream.end_marked_content()

    def build_box_tree_without_margin_boxes(box, *args, **kwargs):
        if isinstance(box, MarginBox):
            return iter(())
        elements = build_box_tree(box, *args, **kwargs)
        element = getattr(box, "element", None)
        language = (element.get("lang") if element is not None
                    and getattr(box, "element_tag", None) not in ("html", "body") else None)
        return _in_language(elements, language) if language else elements

    def _in_language(elements, language: str):
        for element in elements:
            if "Lang" not in element:
                element["Lang"] = pydyf.String(language)
            yield element

    draw.draw_stacking_context = draw_margin_box_as_artifact
    tags._build_box_tree = build_box_tree_without_margin_boxes
    try:
        yield
    finally:
        draw.draw_stacking_context = draw_stacking_context
        tags._build_box_tree = build_box_tree


def font_faces() -> str:
    """@font-face rules for the body font, loaded from the package."""
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
        f'font-style: {style}; src: url("{(FONT_DIR / name).as_uri()}"); }}'
        for (weight, style), name in FONT_FILES.items()
    )


def project_fetcher():
    """A WeasyPrint URL fetcher that serves the project's pictures, styles and branding, the
    package's own files (the body font among them), OpenMoji and data: URLs (what the page holds itself):
    nothing else, and nothing from the network."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    from ..pictures import openmoji_dir

    own = project.current()
    allowed_roots = (own.pictures, own.styles, own.branding, PACKAGE, openmoji_dir())

    class ProjectFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            from urllib.parse import unquote, urlparse

            parsed = urlparse(url)
            if parsed.scheme == "data":  # the page's own logo and QR code, inside it
                return super().fetch(url, headers)
            path = Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None
            if path is None or not any(path.is_relative_to(root) for root in allowed_roots):
                raise FatalURLFetchingError(RenderError(
                    f"the page asked for {url}, which is outside the project; "
                    "use pictures from pictures/, styles from styles/ and the logo from "
                    "branding/"))
            return super().fetch(url, headers)

    return ProjectFetcher(allowed_protocols=("file", "data"))
