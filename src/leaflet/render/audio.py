"""Audio narration: each sentence synthesised (or taken from the cache), then MP3 and WebVTT."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from ..errors import LeafletError
from ..model import Leaflet
from ..narration import Chapter, easy_read_script, script
from ..tts import DEFAULT_ENGINE, DEFAULT_RATE, engine
from ..tts.cache import SentenceCache
from ..tts.voices import ISO_639_2
from . import mp3, vtt


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
    voice = settings.get("voice") or voices.get(language) or voices.get(language.split("-")[0])
    return Choice(settings.get("engine") or leaflet.audio.engine or DEFAULT_ENGINE, voice,
                  int(settings.get("rate") or leaflet.audio.rate or DEFAULT_RATE))


def can_speak(leaflet: Leaflet, settings: dict) -> bool:
    """Whether the narration can be made in the leaflet's language with the chosen engine and
    voice (asked when the build is planned, so that a page knows whether to offer it)."""
    chosen = choice(leaflet, settings)
    try:
        engine(chosen.engine).voice(leaflet.language, chosen.voice)
    except LeafletError:  # no voice, or no engine installed: the audio will not be there
        return False
    return True


def render(edition, options) -> dict[str, bytes]:
    leaflet = edition.leaflet
    return narrate(leaflet, options, script(leaflet), "")


def render_easy_read(edition, options) -> dict[str, bytes]:
    leaflet = edition.leaflet
    return narrate(leaflet, options, easy_read_script(leaflet), "-easy-read")


def narrate(leaflet: Leaflet, options, chapters, suffix: str) -> dict[str, bytes]:
    """The chapters spoken into `<id><suffix>.mp3`, and their transcript `<id><suffix>.vtt`."""
    chosen = choice(leaflet, options.settings)
    speaker = Speaker(chosen, leaflet, SentenceCache(options.cache))
    tags = {"title": leaflet.title.plain, "album": leaflet.publisher.name.plain,
            "artist": leaflet.publisher.name.plain, "genre": "Speech",
            "language": ISO_639_2.get(leaflet.language.split("-")[0], leaflet.language),
            "copyright": f"{leaflet.reviewed.year} {leaflet.publisher.name.plain}",
            "date": str(leaflet.reviewed.year)}
    with mp3.Recording(speaker.engine.sample_rate) as recording:
        markers, cues = speaker.narrate(chapters, recording.write, recording.lead,
                                        progress=options.progress)
        audio = recording.mp3(markers, tags)
    return {f"{suffix}.mp3": audio, f"{suffix}.vtt": vtt.transcript(cues, leaflet.language)}


class Speaker:
    """Speaks sentences with one engine and voice, through the sentence cache; counts the work."""

    def __init__(self, chosen: Choice, leaflet: Leaflet, cache: SentenceCache):
        self.engine = engine(chosen.engine)
        self.voice = self.engine.voice(leaflet.language, chosen.voice)
        self.rate = chosen.rate
        self.language = leaflet.language
        self.pronunciations = leaflet.pronunciations_for(leaflet.language)
        self.cache = cache
        self.synthesised = self.reused = 0

    def narrate(self, chapters: tuple[Chapter, ...], sink, lead: float = 0.0,
                progress: bool = False):
        """Send the narration's PCM to `sink` in order as it is made; its chapter markers and
        its cues, at exact times in a file that plays `lead` seconds before the first sample."""
        utterances = [(index, chapter, number, utterance)
                      for index, chapter in enumerate(chapters)
                      for number, utterance in enumerate(chapter.utterances)]
        sounds = self._sounds([utterance.text for *_, utterance in utterances], progress)
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

    def _sounds(self, sentences: list[str], progress: bool):
        """Each sentence's PCM in order, from the cache or synthesised (ahead, in parallel)."""
        spoken = [self.engine.spoken(sentence, self.pronunciations) for sentence in sentences]
        version = self.engine.version()
        keys = [SentenceCache.key(version, self.voice, self.rate, text) for text in spoken]
        sounds = [self.cache.get(key) for key in keys]
        first: dict[str, int] = {}  # a sentence said twice is synthesised once
        for index, key in enumerate(keys):
            if sounds[index] is None:
                first.setdefault(key, index)
        self.reused = sum(sound is not None for sound in sounds)
        bar = _bar(len(first), f"audio {self.language}", progress)
        made = self.engine.synthesise([spoken[index] for index in first.values()], self.voice,
                                      self.rate)
        try:
            new: dict[str, bytes] = {}
            for sound, key in zip(sounds, keys):
                if sound is None and key not in new:  # `made` yields them in this order
                    new[key] = next(made)
                    self.cache.put(key, new[key])  # whole sentences: a failure keeps the rest
                    bar.update()
                yield sound if sound is not None else new[key]
        finally:
            made.close()
            bar.close()
        self.synthesised = len(new)
        if progress:
            print(f"audio {self.language}: {self.synthesised} sentences synthesised, "
                  f"{self.reused} from the cache ({self.engine.name}, voice {self.voice}, "
                  f"{self.rate} words a minute)", file=sys.stderr, flush=True)


def _bar(total: int, label: str, progress: bool):
    if not progress:
        return _NoBar()
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: the offline voice forks this process
    # None: shown only on a terminal; the summary line says the same in a log
    return tqdm(total=total, desc=label, unit="sentence", disable=None, leave=False,
                file=sys.stderr)


class _NoBar:
    def update(self) -> None:
        pass

    def close(self) -> None:
        pass

