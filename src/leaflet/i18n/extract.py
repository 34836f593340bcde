"""The Babel extractor for leaflet sources: every text a reader sees or hears, with its role."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from .. import limits, markup
from ..model import Leaflet, Text, texts

# What each field is, for the translator (shown as a `#.` comment in Poedit and Weblate).
ROLES = {
    "Leaflet.title": "Title of the leaflet.",
    "Leaflet.summary": "Description of the leaflet for screen readers and search; not printed.",
    "Leaflet.keywords": "A search keyword, in the properties of the PDF and Word file; not printed.",
    "Publisher.name": "Name of the organisation that publishes the leaflet.",
    "Section.title": "Heading of a section.",
    "Paragraph.text": "Paragraph.",
    "ListItem.text": "List item.",
    "ListItem.items": "Sub-point of the list item above it.",
    "Table.caption": "Caption of a table: what the table shows.",
    "Table.header": "Table: heading of a column.",
    "Table.rows": "Table: one cell.",
    "Callout.title": "Heading of a boxed note the reader must not miss.",
    "Publisher.hours": "When the phone line is answered.",
    "GlossaryEntry.term": "Glossary: the word or phrase as the text uses it.",
    "GlossaryEntry.definition": "Glossary: what the word means, in plain words.",
    "Leaflet.references": "Reference to a published source: keep titles of works as published.",
    "Leaflet.references_note": "Note about the references.",
    "Link.text": "Text of a link.",
    "Section.easy_read_title": "Easy read: heading of a section.",
    "EasyReadPoint.text": "Easy read: one point beside its picture.",
    "EasyReadPoint.alt": "Easy read: what the picture shows, read out by screen readers.",
    "GlossaryEntry.easy_read": "Easy read: the hard word explained in plain words.",
}
EASY_READ_NOTE = ("Easy read: plain everyday words, at most 15 words in a sentence and at most "
                  "2 sentences; keep it as short as the English.")
LINK_NOTE = ("Keep every [words](target) link: translate the words in brackets, keep the "
             "target in parentheses exactly as it is.")
STRONG_NOTE = "Keep **...** around the words that must stand out."


def messages(leaflet: Leaflet) -> Iterator[tuple[Text, list[str]]]:
    """Each translatable text with the comments a translator needs."""
    for text, path in texts(leaflet):
        comments = [ROLES.get(path[-1], f"{path[-1].replace('.', ': ')}.")]
        if "easy_read" in path[-1] or any(step.startswith("Section.easy_read") for step in path):
            comments.append(EASY_READ_NOTE)
        if markup.link_targets(text.runs):
            comments.append(LINK_NOTE)
        if any(run.strong for run in text.runs):
            comments.append(STRONG_NOTE)
        yield text, comments


def extract_leaflet(fileobj, keywords, comment_tags, options):
    """Babel extractor (entry point `leaflet`): yields (line, funcname, message, comments).

    A YAML file that is not a leaflet source (a picture index, a CI workflow) gives nothing;
    a leaflet source with mistakes stops pybabel with one line for each, never a traceback.
    """
    from ..errors import LeafletError, display
    from ..source import load

    name = display(getattr(fileobj, "name", "<leaflet>"))
    content = fileobj.read()
    if not is_leaflet_source(name, content):
        return
    try:
        leaflet = load(name, content=content)
    except LeafletError as error:
        for line in error.lines():
            print(f"leaflet: {line}", file=sys.stderr)
        print(f"leaflet: {name}: not extracted; correct it and extract again", file=sys.stderr)
        raise SystemExit(1) from None
    for text, comments in messages(leaflet):
        if Path(text.origin.path).name == "leaflet.toml":  # the organisation's, not the source's
            yield 0, None, text.markup, [*comments, "From leaflet.toml: the organisation."]
        else:
            yield text.origin.line, None, text.markup, comments


def is_leaflet_source(name: str, content: bytes) -> bool:
    """A YAML file whose top level has a leaflet's id and sections; one that is not YAML at
    all only when it is in a source/ folder (then its mistakes are reported)."""
    import yaml

    try:
        root = yaml.compose(content[:limits.SOURCE_BYTES], Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return Path(name).parent.name == "source"
    if not isinstance(root, yaml.MappingNode):
        return False
    keys = {key.value for key, _ in root.value if isinstance(key, yaml.ScalarNode)}
    return {"id", "sections"} <= keys
