"""The easy-read version: one point per row, its picture at the line's start, its text beside it.

HTML (pictures embedded) and tagged PDF/UA-1 through WeasyPrint (pictures as vectors, each a
Figure with /Alt).
"""

from __future__ import annotations

import base64
from functools import lru_cache

from markupsafe import Markup

from ..i18n.labels import format_date, review_dates, translations
from ..model import Leaflet, hard_word_entries
from ..pictures import Picture, library
from . import html

POINTS_PER_PAGE = 4  # at most this many rows on a page, in every format
PICTURE_PX = 160  # picture size in the HTML (CSS px); print and Word size it in mm


def render_html(edition, options=None) -> bytes:
    leaflet = edition.leaflet
    spoken = options and options.listen
    return page(leaflet, embed=True, listen=f"{leaflet.id}-easy-read" if spoken else None).encode()


def render_pdf(edition, options=None) -> bytes:
    leaflet = edition.leaflet
    from . import pdf

    return pdf.html_to_pdf(pdf.with_font_faces(page(leaflet, embed=False)), leaflet,
                           f"{leaflet.id}-easy-read.pdf")


# -- the page (HTML, and the input of the PDF) ---------------------------------------------
def page(leaflet: Leaflet, embed: bool, listen: str | None = None) -> str:
    """The easy-read page; `embed` puts the pictures inside it, else links them by file;
    `listen` names the narration beside it (without .mp3), if there is one."""
    labels = translations(leaflet.language)
    _ = labels.gettext
    pictures = library()
    footer = f"{leaflet.title.plain} · {_('Easy read')}\n{review_dates(leaflet)[0]}"
    return html._template("easy-read.html").render(
        leaflet=leaflet,
        _=_,
        styles=Markup(html.stylesheet("base") + html.stylesheet("easy-read")),
        page_footer=Markup(html.css_string(footer)),
        page_number=Markup(html.page_counter(_("Page %(page)s of %(pages)s"))),
        reviewed=format_date(leaflet.reviewed, leaflet.language),
        next_review=format_date(leaflet.next_review, leaflet.language),
        picture_src=lambda name: (data_uri(pictures[name]) if embed
                                  else pictures[name].path.as_uri()),
        picture_size=PICTURE_PX,
        points_per_page=POINTS_PER_PAGE,
        hard_words=hard_word_entries(leaflet),
        credit=credit(leaflet),
        listen=listen,
    )


def credit(leaflet: Leaflet) -> str | None:
    """The picture credit that CC BY-SA asks for, when any OpenMoji picture is used."""
    pictures = library()
    used = {point.picture for section in leaflet.sections for point in section.easy_read}
    if not any(pictures[name].source == "openmoji" for name in used):
        return None
    _ = translations(leaflet.language).gettext
    return _("Pictures: OpenMoji, the open-source emoji and icon project. Licence: CC BY-SA 4.0.")


@lru_cache(maxsize=None)
def data_uri(picture: Picture) -> str:
    encoded = base64.b64encode(picture.path.read_bytes()).decode("ascii")
    return f"data:{picture.media_type};base64,{encoded}"
