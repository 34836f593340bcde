"""Audio narration: each sentence synthesised (or taken from the cache), then MP3 and WebVTT."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ..errors import LeafletError
from ..model import Leaflet
from ..narration import Chapter, script
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
    """The command line's choices over the source's over the defaults."""
    voices = dict(leaflet.audio.voices)
    language = leaflet.language
    voice = settings.get("voice") or voices.get(language) or voices.get(language.split("-")[0])
    return Choice(settings.get("engine") or leaflet.audio.engine or DEFAULT_ENGINE, voice,
                  int(settings.get("rate") or leaflet.audio.rate or DEFAULT_RATE))


def offered(leaflet: Leaflet, settings: dict) -> bool:
    """Whether the narration can be made in the leaflet's language (the web page links to it)."""
    chosen = choice(leaflet, settings)
    try:
        engine(chosen.engine).voice(leaflet.language, chosen.voice)
    except LeafletError:  # no voice, or no engine installed: the audio will not be there
        return False
    return True


def render(leaflet: Leaflet, options) -> dict[str, bytes]:
    chosen = choice(leaflet, options.settings)
    speaker = Speaker(chosen, leaflet, SentenceCache(options.cache))
    chapters = script(leaflet)
    pcm, markers, cues = speaker.narrate(chapters, progress=getattr(options, "progress", False))
    tags = {"title": leaflet.title.plain, "album": leaflet.publisher.name.plain,
            "artist": leaflet.publisher.name.plain, "genre": "Speech",
            "language": ISO_639_2.get(leaflet.language.split("-")[0], leaflet.language),
            "copyright": f"{leaflet.reviewed.year} {leaflet.publisher.name.plain}",
            "date": str(leaflet.reviewed.year)}
    audio = mp3.encode(pcm, speaker.engine.sample_rate, markers, tags)
    return {".mp3": audio, ".vtt": vtt.transcript(cues, leaflet.language)}


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

    def narrate(self, chapters: tuple[Chapter, ...], progress: bool = False):
        """The PCM of the whole narration, its chapter markers and its cues (exact times)."""
        utterances = [u for chapter in chapters for u in chapter.utterances]
        sounds = self._sounds([u.text for u in utterances], progress)
        width = 2 * self.engine.sample_rate  # bytes a second
        parts, markers, cues, position, index = [], [], [], 0, 0
        for chapter in chapters:
            chapter_start = position
            for number, utterance in enumerate(chapter.utterances):
                sound = sounds[index]
                index += 1
                start, position = position, position + len(sound)
                silence = round(utterance.pause * self.engine.sample_rate) * 2
                parts += [sound, bytes(silence)]
                identifier = chapter.id if number == 0 else f"{chapter.id}-{number}"
                cues.append(vtt.Cue(identifier, start / width, position / width, utterance.text))
                position += silence
            markers.append(mp3.Marker(chapter.title, chapter_start / width, position / width))
        return b"".join(parts), markers, cues

    def _sounds(self, sentences: list[str], progress: bool) -> list[bytes]:
        spoken = [self.engine.spoken(sentence, self.pronunciations) for sentence in sentences]
        version = self.engine.version()
        keys = [SentenceCache.key(version, self.voice, self.rate, text) for text in spoken]
        sounds = [self.cache.get(key) for key in keys]
        first: dict[str, int] = {}  # a sentence said twice is synthesised once
        for index, key in enumerate(keys):
            if sounds[index] is None:
                first.setdefault(key, index)
        missing = list(first.values())
        self.reused = sum(sound is not None for sound in sounds)
        bar = _bar(len(missing), f"audio {self.language}", progress)

        def speak(index: int) -> bytes:
            sound = self.engine.synthesise(spoken[index], self.voice, self.rate)
            self.cache.put(keys[index], sound)  # whole sentences only: a failure keeps the rest
            bar.update()
            return sound

        try:
            with ThreadPoolExecutor(self.engine.parallel) as pool:
                made = dict(zip(missing, pool.map(speak, missing)))
        finally:
            bar.close()
        self.synthesised = len(made)
        made_by_key = {keys[i]: sound for i, sound in made.items()}
        if progress:
            print(f"audio {self.language}: {self.synthesised} sentences synthesised, "
                  f"{self.reused} from the cache ({self.engine.name}, voice {self.voice}, "
                  f"{self.rate} words a minute)", file=sys.stderr, flush=True)
        return [sound if sound is not None else made_by_key[key] for sound, key in zip(sounds, keys)]


def _bar(total: int, label: str, progress: bool):
    from tqdm import tqdm

    # None: shown only on a terminal; the summary line says the same in a log
    return tqdm(total=total, desc=label, unit="sentence", disable=None if progress else True,
                leave=False, file=sys.stderr)

