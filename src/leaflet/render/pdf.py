"""Tagged PDF/UA-1 output through WeasyPrint, standard and large print."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from ..errors import RenderError
from ..model import Leaflet
from ..paths import PROJECT, SOURCE, STYLES
from . import html

FONT_FAMILY = "Atkinson Hyperlegible"
FONT_FILES = {  # (weight, style) -> file of the font package
    ("normal", "normal"): "AtkinsonHyperlegible-Regular.ttf",
    ("bold", "normal"): "AtkinsonHyperlegible-Bold.ttf",
    ("normal", "italic"): "AtkinsonHyperlegible-Italic.ttf",
    ("bold", "italic"): "AtkinsonHyperlegible-BoldItalic.ttf",
}


def render(leaflet: Leaflet, options=None) -> bytes:
    return write_pdf(leaflet, "print")


def render_large_print(leaflet: Leaflet, options=None) -> bytes:
    return write_pdf(leaflet, "large-print")


def print_html(leaflet: Leaflet, print_style: str) -> str:
    """The HTML WeasyPrint lays out, fonts included, for `print_style`."""
    return with_font_faces(html.page(leaflet, print_style))


def with_font_faces(page: str) -> str:
    return page.replace("</style>\n</head>", f"{font_faces()}\n</style>\n</head>", 1)


def write_pdf(leaflet: Leaflet, print_style: str) -> bytes:
    return html_to_pdf(print_html(leaflet, print_style),
                       f"{leaflet.id}/{leaflet.language}/{print_style}")


def html_to_pdf(page: str, identity: str) -> bytes:
    """A tagged PDF/UA-1 of `page`, with a fixed identifier derived from `identity`."""
    from weasyprint import HTML

    document = HTML(
        string=page,
        base_url=PROJECT.as_uri() + "/",
        url_fetcher=project_fetcher(),
    )
    identifier = hashlib.sha256(identity.encode())
    return document.write_pdf(
        pdf_variant="pdf/ua-1",
        pdf_identifier=identifier.hexdigest()[:32].encode(),
        uncompressed_pdf=False,
    )


@lru_cache(maxsize=1)
def font_dir() -> Path:
    import fontpkg_atkinson_hyperlegible

    return Path(fontpkg_atkinson_hyperlegible.__file__).parent / "files"


def font_faces() -> str:
    """@font-face rules for the body font, loaded from its Python package."""
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
        f'font-style: {style}; src: url("{(font_dir() / name).as_uri()}"); }}'
        for (weight, style), name in FONT_FILES.items()
    )


def project_fetcher():
    """A WeasyPrint URL fetcher that serves the project's own files, the font and OpenMoji."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    from ..pictures import openmoji_dir

    allowed_roots = (STYLES, SOURCE, font_dir(), openmoji_dir())

    class ProjectFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            from urllib.parse import unquote, urlparse

            parsed = urlparse(url)
            path = Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None
            if path is None or not any(path.is_relative_to(root) for root in allowed_roots):
                raise FatalURLFetchingError(RenderError(
                    f"the page asked for {url}, which is outside the project; "
                    "use pictures from source/pictures/ and styles from styles/"))
            return super().fetch(url, headers)

    return ProjectFetcher(allowed_protocols=("file",))
