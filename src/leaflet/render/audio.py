"""Audio narration: each sentence synthesised (or taken from the cache), then MP3 and WebVTT."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..edition import Masthead, ReviewDates
from ..errors import LeafletError, RenderError
from ..languages import candidates, primary
from ..model import Leaflet, Pronunciation
from ..narration import Chapter, other_languages, read_as_characters, script
from ..spoken import say
from ..tts import DEFAULT_ENGINE, DEFAULT_RATE, engine
from ..tts.cache import SentenceCache
from ..tts.voices import ISO_639_2
from . import mp3, transcript, vtt


@dataclass(frozen=True)
class Choice:
    engine: str
    voice: str | None  # None: the table's voice for the language
    rate: int


def choice(leaflet: Leaflet, settings: dict) -> Choice:
    """The command line's choices (`settings["audio"]`) over the source's over the defaults."""
    settings = settings.get("audio", {})
    voices = dict(leaflet.audio.voices)
    language = leaflet.language
    voice = settings.get("voice") or next(
        (voices[tag] for tag in candidates(language) if tag in voices), None)
    return Choice(settings.get("engine") or leaflet.audio.engine or DEFAULT_ENGINE, voice,
                  int(settings.get("rate") or leaflet.audio.rate or DEFAULT_RATE))


def audio_settings(raw: dict) -> dict:
    """The narration's settings (engine, voice, rate), checked; RenderError if one is wrong."""
    from ..source.audio import RATES
    from ..tts import ENGINES

    given = dict(raw or {})
    unknown = sorted(set(given) - {"engine", "voice", "rate"})
    if unknown:
        raise RenderError(f"unknown audio setting '{unknown[0]}'; use engine, voice, rate")
    if "engine" in given and given["engine"] not in ENGINES:
        raise RenderError(f"audio setting engine must be {' or '.join(ENGINES)}, not "
                          f"{given['engine']!r}")
    if "rate" in given and (not isinstance(given["rate"], int) or isinstance(given["rate"], bool)
                            or given["rate"] not in RATES):
        raise RenderError(f"audio setting rate must be words a minute from {RATES.start} to "
                          f"{RATES.stop - 1}, not {given['rate']!r}")
    voice = given.get("voice")
    if voice is not None and not (isinstance(voice, str) and _VOICE.match(voice)):
        raise RenderError(f"audio setting voice {voice!r} is not a voice name, e.g. en-gb-x-rp "
                          "or en:co.uk")
    return given


_VOICE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:+._-]{0,39}$")


def why_unspoken(leaflet: Leaflet, settings: dict) -> str | None:
    """Why the narration cannot be made in the leaflet's language with the chosen engine and
    voice, or None if it can (asked when the build is planned, so that a page or a book knows
    whether to carry it)."""
    chosen = choice(leaflet, settings)
    try:
        engine(chosen.engine).voice(leaflet.language, chosen.voice)
    except LeafletError as error:  # no voice, or no engine installed: the audio will not be there
        return error.message
    return None


def render(edition, options) -> dict[str, bytes]:
    return narrate(edition, options, "")


def render_easy_read(edition, options) -> dict[str, bytes]:
    return narrate(edition, options, "-easy-read")


def narrate(edition, options, suffix: str) -> dict[str, bytes]:
    """The edition spoken into `<id><suffix>.mp3`, and its transcript `<id><suffix>.vtt` and
    `<id><suffix>-transcript.html`."""
    leaflet = edition.leaflet  # the voice chosen in the source, and its pronunciations
    chosen = choice(leaflet, options.settings)
    speaker = Speaker(chosen, leaflet, SentenceCache(options.cache),
                      spelt=read_as_characters(edition), others=other_languages(edition))
    with mp3.Recording(speaker.engine.sample_rate) as recording:
        chapters = script(edition)
        markers, cues = speaker.narrate(chapters, recording.write, recording.lead,
                                        meter=_meter(options))
        audio = recording.mp3(markers, tags(edition))
    page = f"{leaflet.id}{suffix}.html" if PAGES[suffix] in options.versions.formats else None
    return {f"{suffix}.mp3": audio, f"{suffix}.vtt": vtt.transcript(cues, edition.language),
            f"{suffix}-transcript.html": transcript.page(edition, chapters, cues,
                                                         f"{leaflet.id}{suffix}", page,
                                                         options.cache)}


PAGES = {"": "html", "-easy-read": "easy-read-html"}  # the page each narration belongs to


def tags(edition) -> dict[str, str]:
    """The MP3's ID3 tags: the edition's title ("Cytokines – Easy read" for easy read), its
    publisher, language and year of review."""
    masthead, review = edition.find(Masthead), edition.find(ReviewDates)
    publisher = masthead.publisher.plain
    return {"title": edition.title, "album": publisher, "artist": publisher,
            "genre": "Speech",
            "language": ISO_639_2.get(primary(edition.language), edition.language),
            "copyright": f"{review.last.year} {publisher}", "date": str(review.last.year)}


class Speaker:
    """Speaks sentences with one engine and voice, through the sentence cache; counts the work."""

    def __init__(self, chosen: Choice, leaflet: Leaflet, cache: SentenceCache,
                 spelt: tuple[str, ...] = (), others: tuple[tuple[str, str], ...] = ()):
        """`spelt`: words said character by character, besides the source's own (PV);
        `others`: phrases in another language (narration.other_languages), said in its voice
        with its pronunciations."""
        self.engine = engine(chosen.engine)
        self.voice = self.engine.voice(leaflet.language, chosen.voice)
        self.rate = chosen.rate
        self.language = leaflet.language
        own = leaflet.pronunciations_for(leaflet.language)
        self.pronunciations = (*own, *(Pronunciation(leaflet.language, word, spell=True)
                                       for word in spelt
                                       if word not in {entry.word for entry in own}))
        self.others = tuple((phrase, language, leaflet.pronunciations_for(language))
                            for phrase, language in others)
        self.cache = cache
        self.synthesised = self.reused = 0

    def narrate(self, chapters: tuple[Chapter, ...], sink, lead: float = 0.0, meter=None):
        """Send the narration's PCM to `sink` in order as it is made; its chapter markers and
        its cues, at exact times in a file that plays `lead` seconds before the first sample.
        `meter(label, total, unit)` is the bar that follows the synthesis (Options.meter)."""
        utterances = [(index, chapter, number, utterance)
                      for index, chapter in enumerate(chapters)
                      for number, utterance in enumerate(chapter.utterances)]
        sounds = self._sounds([utterance.text for *_, utterance in utterances],
                             meter or _Quiet)
        width = 2 * self.engine.sample_rate  # bytes a second
        cues, starts, position = [], {}, 0
        for sound, (index, chapter, number, utterance) in zip(sounds, utterances):
            starts.setdefault(index, lead + position / width)
            silence = bytes(round(utterance.pause * self.engine.sample_rate) * 2)
            # "." is in no id, so "x.1" never meets the cue of a section "x-1"
            identifier = chapter.id if number == 0 else f"{chapter.id}.{number}"
            cues.append(vtt.Cue(identifier, lead + position / width,
                                lead + (position + len(sound)) / width, utterance.text))
            sink(sound)
            sink(silence)
            position += len(sound) + len(silence)
        starts[0] = 0.0  # the first chapter holds the lead-in too
        ends = [*(starts[index] for index in range(1, len(chapters))), lead + position / width]
        markers = [mp3.Marker(chapter.title, starts[index], end)
                   for index, (chapter, end) in enumerate(zip(chapters, ends))]
        return markers, cues

    def _sounds(self, sentences: list[str], meter):
        """Each sentence's PCM in order, from the cache or synthesised (ahead, in parallel):
        as it is said, numbers and units in words, then the pronunciations and the phrases in
        another language (the cache is keyed on what the engine is given)."""
        spoken = [self.engine.spoken(say(sentence, self.language), self.pronunciations,
                                     self.others)
                  for sentence in sentences]
        version = self.engine.version()
        keys = [SentenceCache.key(version, self.voice, self.rate, text) for text in spoken]
        sounds = [self.cache.get(key) for key in keys]
        first: dict[str, int] = {}  # a sentence said twice is synthesised once
        for index, key in enumerate(keys):
            if sounds[index] is None:
                first.setdefault(key, index)
        self.reused = sum(sound is not None for sound in sounds)
        bar = meter(f"audio {self.language}", len(first), "sentence")
        made = self.engine.synthesise([spoken[index] for index in first.values()], self.voice,
                                      self.rate)
        summary = None  # said only when every sentence was made
        try:
            new: dict[str, bytes] = {}
            for sound, key in zip(sounds, keys):
                if sound is None and key not in new:  # `made` yields them in this order
                    new[key] = next(made)
                    self.cache.put(key, new[key])  # whole sentences: a failure keeps the rest
                    bar.update()
                yield sound if sound is not None else new[key]
            self.synthesised = len(new)
            summary = (f"{self.synthesised} sentences synthesised, {self.reused} from the cache "
                       f"({self.engine.name}, voice {self.voice}, {self.rate} words a minute)")
        finally:
            made.close()
            bar.close(summary)


def _meter(options):
    """The bar the caller gives, or one that shows nothing."""
    return options.meter or _Quiet


class _Quiet:
    """A meter that shows nothing."""

    def __init__(self, label: str, total: int, unit: str):
        pass

    def update(self) -> None:
        pass

    def close(self, summary: str | None = None) -> None:
        pass
