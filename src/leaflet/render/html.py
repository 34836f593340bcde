"""The accessible HTML page: one self-contained file, also the input of the PDFs."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from itertools import groupby
from markupsafe import Markup, escape

from ..i18n.labels import format_date, review_dates, translations
from ..model import Leaflet, Text
from .. import project
from ..paths import STYLES


def render(edition, options=None) -> bytes:
    leaflet = edition.leaflet
    listen = leaflet.id if options and options.listen else None
    return page(leaflet, "print", listen=listen).encode("utf-8")


def page(leaflet: Leaflet, print_style: str, listen: str | None = None) -> str:
    """The HTML page, with `print_style` (print or large-print) as its print stylesheet."""
    _ = translations(leaflet.language).gettext
    last_reviewed, next_review_due = review_dates(leaflet)
    # Two lines: the review dates of many languages (and large type) do not fit on one.
    footer = f"{leaflet.title.plain} · {last_reviewed}\n{next_review_due}"
    return _template().render(
        leaflet=leaflet,
        _=_,
        styles=Markup(stylesheet("base") + stylesheet("screen")),
        print_styles=Markup(stylesheet(print_style)),
        page_footer=Markup(css_string(footer)),
        page_number=Markup(page_counter(_("Page %(page)s of %(pages)s"))),
        reviewed=format_date(leaflet.reviewed, leaflet.language),
        next_review=format_date(leaflet.next_review, leaflet.language),
        listen=listen,  # the narration's file name beside the page, without .mp3 / .vtt
    )


@lru_cache(maxsize=None)
def _template(name: str = "leaflet.html"):
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("leaflet", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["inline"] = inline
    return env.get_template(name)


@lru_cache(maxsize=None)
def stylesheet(name: str) -> str:
    """The stylesheet `name`: the project's own styles/<name>.css if it has one, else the
    package's; the base one ends with the project's accent colour."""
    text = style_path(name).read_text(encoding="utf-8")
    if name == "base":
        text += accent_rules(project.current().accent)
    return text


def style_path(name: str) -> Path:
    own = project.current().styles / f"{name}.css"
    return own if own.is_file() else STYLES / f"{name}.css"


def accent_rules(accent: str | None) -> str:
    """Links and the main headings in the organisation's colour (checked at 4.5:1 on white
    when leaflet.toml is read; every background in the styles is white)."""
    if not accent:
        return ""
    return (f"/* The accent colour of leaflet.toml. */\na, h1, h2 {{ color: {accent}; }}\n"
            f"@media screen {{ .skip-link {{ color: {accent}; border-color: {accent}; }} }}\n")


def inline(text: Text) -> Markup:
    """The runs of a text as HTML: strong, glossary links and web links."""
    html = []
    for (term, href), runs in groupby(text.runs, key=lambda run: (run.term, run.href)):
        inner = Markup("").join(
            Markup("<br>") if run.line_break
            else Markup("<strong>%s</strong>") % run.text if run.strong
            else escape(run.text)
            for run in runs
        )
        if term:
            html.append(Markup('<a class="term" href="#term-%s">%s</a>') % (term, inner))
        elif href:
            html.append(Markup('<a href="%s">%s</a>') % (href, inner))
        else:
            html.append(inner)
    marked = Markup("").join(html)
    if text.language:  # an untranslated part: a screen reader must read it in its own language
        return Markup('<span lang="%s">%s</span>') % (text.language, marked)
    return marked


def css_string(value: str) -> str:
    """`value` as a quoted CSS string that stays text wherever it lands, a <style> included:
    every character but letters, digits and spaces is a hex escape, ended by the space that
    CSS reads as part of the escape (a newline is `\\A `)."""
    return '"' + "".join(character if character.isalnum() or character == " "
                         else f"\\{ord(character):X} " for character in value) + '"'


def page_counter(label: str) -> str:
    """A translated "Page %(page)s of %(pages)s" as a CSS content value with counters."""
    parts = []
    rest = label
    while rest:
        before, marker, rest = _split_at_placeholder(rest)
        if before:
            parts.append(css_string(before))
        if marker:
            parts.append(f"counter({marker})")
    return " ".join(parts)


def _split_at_placeholder(label: str) -> tuple[str, str, str]:
    positions = [(label.find(f"%({name})s"), name) for name in ("page", "pages")]
    found = [(index, name) for index, name in positions if index >= 0]
    if not found:
        return label, "", ""
    index, name = min(found)
    return label[:index], name, label[index + len(f"%({name})s"):]
