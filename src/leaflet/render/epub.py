"""EPUB 3 with media overlays: the narration's text, each sentence highlighted as it is read."""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass, field


from ..errors import RenderError
from ..narration import Chapter, Group, other_languages, parts, script
from ..pictures import library
from . import html, mp3, vtt

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ACTIVE_CLASS = "-epub-media-overlay-active"  # the class a reading system gives the sentence read


@dataclass(frozen=True)
class Clip:
    """Where a sentence is in the recording, in milliseconds: from its start to the next
    sentence's (its pause is part of it, so that a reading system plays the pauses too)."""

    sentence: str  # the sentence's id in its document
    begin: int
    end: int


@dataclass(frozen=True)
class Run:
    """Groups of one kind one after the other: one list, one glossary, or paragraphs."""

    kind: str
    groups: list = field(default_factory=list)  # (Group, first sentence's number)


@dataclass(frozen=True)
class Box:
    """Runs in the same box (an urgent or important note), or in none."""

    kind: str | None
    runs: list[Run] = field(default_factory=list)


@dataclass(frozen=True)
class Document:
    number: int
    chapter: Chapter
    boxes: list[Box]
    clips: tuple[Clip, ...]  # empty without a narration

    @property
    def name(self) -> str:
        return f"{self.number:02d}"

    @property
    def duration(self) -> int:
        return sum(clip.end - clip.begin for clip in self.clips)


def render(edition, options) -> bytes:
    return book(edition, options, "")


def render_easy_read(edition, options) -> bytes:
    return book(edition, options, "-easy-read")


def book(edition, options, suffix: str) -> bytes:
    """The edition as `<id><suffix>.epub`: a content document and an overlay per chapter of the
    narration, the narration's MP3 (from this build, or made here) and the pictures."""
    from ..i18n.labels import translations

    _ = translations(edition.language).gettext
    leaflet = edition.leaflet
    chapters = script(edition)
    recording = _recording(edition, options, suffix)
    timings = _clips(chapters, *recording) if recording else [()] * len(chapters)
    documents = [Document(number, chapter, _boxes(chapter), clips)
                 for number, (chapter, clips) in enumerate(zip(chapters, timings), 1)]
    pictures = {group.picture: library()[group.picture] for chapter in chapters
                for group in chapter.groups if group.picture}
    audio = f"{leaflet.id}{suffix}.mp3" if recording else None
    fields = {
        "_": _, "language": edition.language, "direction": edition.direction,
        "title": edition.title, "documents": documents, "audio": audio,
        "pictures": {name: f"pictures/{name}{picture.path.suffix}"
                     for name, picture in pictures.items()},
        "clock": clock, "active_class": ACTIVE_CLASS,
        "marked": _marker(other_languages(edition)),
    }
    members = {
        "META-INF/container.xml": _template("container.xml", fields),
        "EPUB/package.opf": _template("package.opf", {
            **fields, **_metadata(edition, suffix, documents, bool(pictures), _),
            "media_types": {name: picture.media_type for name, picture in pictures.items()}}),
        "EPUB/nav.xhtml": _template("nav.xhtml", fields),
        "EPUB/styles/book.css": _template("book.css", fields),
    }
    for document in documents:
        members[f"EPUB/text/{document.name}.xhtml"] = _template(
            "chapter.xhtml", {**fields, "document": document})
        if recording:
            members[f"EPUB/overlays/{document.name}.smil"] = _template(
                "overlay.smil", {**fields, "document": document})
    for name, picture in pictures.items():
        members[f"EPUB/{fields['pictures'][name]}"] = picture.path.read_bytes()
    if recording:
        members[f"EPUB/audio/{audio}"] = recording[0]
    return packaged(members)


def _recording(edition, options, suffix: str) -> tuple[bytes, list[vtt.Cue]] | None:
    """The narration's MP3 and cues: the build's files, or spoken here; None without a voice."""
    if options.narration:
        recording, transcript = options.narration
        return recording.read_bytes(), vtt.cues(transcript.read_bytes())
    if not options.listen:
        return None
    from .audio import narrate

    files = narrate(edition, options, suffix)
    return files[f"{suffix}.mp3"], vtt.cues(files[f"{suffix}.vtt"])


def _clips(chapters: tuple[Chapter, ...], recording: bytes, cues: list[vtt.Cue]):
    """Each chapter's clips, a sentence's from its cue's start to the next cue's (the first
    from the recording's start, the last to its end). The cues must say the chapters'
    sentences in order: a recording of another version of the text is refused."""
    said = [(chapter.id if number == 0 else f"{chapter.id}.{number}", utterance.text)
            for chapter in chapters for number, utterance in enumerate(chapter.utterances)]
    heard = [(cue.identifier, " ".join(cue.text.split())) for cue in cues]
    if [(identifier, " ".join(text.split())) for identifier, text in said] != heard:
        raise RenderError("the narration does not say this edition's sentences in order; "
                          "build the audio again with the book (--format audio,epub)")
    starts = [0, *(round(cue.start * 1000) for cue in cues[1:])]
    ends = [*starts[1:], round(mp3.duration(recording) * 1000)]
    clips, position = [], 0
    for chapter in chapters:
        count = len(chapter.utterances)
        clips.append(tuple(Clip(f"s{number}", starts[position + number], ends[position + number])
                           for number in range(count)))
        position += count
    return clips


def _boxes(chapter: Chapter) -> list[Box]:
    """The chapter's groups after its title, as boxes of runs; each group with the number of
    its first sentence (the title is sentence 0)."""
    boxes: list[Box] = []
    number = 1
    for group in chapter.groups:
        if not boxes or boxes[-1].kind != group.box:
            boxes.append(Box(group.box))
        runs = boxes[-1].runs
        kind = _run_kind(group)
        if group.kind == "meaning" and runs and runs[-1].kind == "point":
            pass  # beside its point's picture, under the point
        elif not runs or runs[-1].kind != kind or kind == "point":
            runs.append(Run(kind))
        runs[-1].groups.append((group, number))
        number += len(group.sentences)
    return boxes


def _run_kind(group: Group) -> str:
    """Items make a list, steps a numbered list, words a glossary, a point its picture and
    text; the rest are paragraphs."""
    return group.kind if group.kind in ("item", "step", "term", "point") else "paragraph"


def _metadata(edition, suffix: str, documents: list[Document], pictures: bool, _) -> dict:
    """The package's identifier, dates and accessibility metadata (EPUB Accessibility 1.1)."""
    from ..edition import Masthead

    leaflet = edition.leaflet
    masthead = edition.find(Masthead)
    narrated = any(document.clips for document in documents)
    modes = ["textual", *(["auditory"] if narrated else []), *(["visual"] if pictures else [])]
    features = ["structuralNavigation", "tableOfContents", "readingOrder",
                "displayTransformability", *(["synchronizedAudioText"] if narrated else []),
                *(["alternativeText"] if pictures else [])]
    summary = [_("The text is in reading order, with a heading for each part and a contents "
                 "list that leads to each.")]
    if narrated:
        summary.append(_("A recording reads the whole text, and each sentence is highlighted "
                         "as it is read."))
    if pictures:
        summary.append(_("Every picture is described in words."))
    name = f"{masthead.publisher.plain}/{leaflet.id}/{edition.language}/{suffix or 'full'}"
    return {
        "identifier": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'leaflet:' + name)}",
        "publisher": masthead.publisher.plain,
        "description": edition.description,
        "reviewed": leaflet.reviewed.isoformat(),
        "modified": f"{leaflet.reviewed.isoformat()}T00:00:00Z",
        "access_modes": modes,
        "sufficient": ["textual", *(["auditory"] if narrated else [])],
        "features": features,
        "summary": " ".join(summary),
        "total": sum(document.duration for document in documents),
        "narrated": narrated,
    }


def _marker(phrases: tuple[tuple[str, str], ...]):
    """A sentence as XHTML, its phrases in another language marked with it and its direction."""
    from markupsafe import Markup, escape

    def marked(sentence: str) -> Markup:
        return Markup("").join(
            Markup('<span lang="%s" xml:lang="%s" dir="%s">%s</span>')
            % (language, language, html.direction(language), piece) if language
            else escape(piece)
            for piece, language in parts(sentence, phrases))

    return marked


def clock(milliseconds: int) -> str:
    """A SMIL clock value: 0:01:23.456."""
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _template(name: str, fields: dict) -> bytes:
    text = html.environment().get_template(f"epub/{name}").render(**fields)
    return text.encode("utf-8")


def packaged(members: dict[str, bytes]) -> bytes:
    """The book's zip: `mimetype` first and stored, then every member in name order, each with
    the same timestamp, so that the same book is the same bytes. The recording is stored (an
    MP3 does not compress)."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for name, data in [("mimetype", b"application/epub+zip"), *sorted(members.items())]:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            stored = name == "mimetype" or name.endswith(".mp3")
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
    return output.getvalue()
