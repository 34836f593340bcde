"""The narration read back with real readers: ffprobe chapters and tags, ebur128, webvtt-py."""

from __future__ import annotations

import array
import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import webvtt

from conftest import ROOT, assert_in_order, leaflet, normalise
from leaflet.model import Callout, ItemList, Table
from leaflet.source import load

pytestmark = pytest.mark.slow
CYTOKINES = load(ROOT / "source" / "cytokines.yaml")
RATE = 150
SYNTHESISED = re.compile(r"audio [\w-]+: (\d+) sentences synthesised, (\d+) from the cache")


def probe(path: Path) -> dict:
    result = subprocess.run(["ffprobe", "-v", "error", "-show_chapters", "-show_format",
                             "-show_streams", "-of", "json", str(path)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def ebur128(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) as ffmpeg's ebur128 filter measures them."""
    log = subprocess.run(["ffmpeg", "-nostats", "-hide_banner", "-i", str(path), "-af",
                          "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
                         capture_output=True, text=True, check=True).stderr
    summary = log[log.rindex("Summary:"):]
    loudness = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary)[1])
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)[1])
    return loudness, peak


def seconds(timestamp: str) -> float:
    """A WebVTT timestamp in seconds (webvtt-py's start_in_seconds drops the milliseconds)."""
    *hours, minutes, rest = timestamp.split(":")
    return int(hours[0] if hours else 0) * 3600 + int(minutes) * 60 + float(rest)


def span(cue) -> tuple[float, float]:
    return seconds(cue.start), seconds(cue.end)


@pytest.fixture(scope="module")
def mp3(built: Path) -> Path:
    return built / "cytokines.mp3"


@pytest.fixture(scope="module")
def cues(built: Path):
    return list(webvtt.read(str(built / "cytokines.vtt")))


def expected_chapters(leaflet_model) -> list[str]:
    titles = [section.title.plain if section.title else leaflet_model.title.plain
              for section in leaflet_model.sections]
    return titles + ["Words to know", "About this leaflet"]


def spoken_texts(leaflet_model) -> list[str]:
    """Every paragraph, list item and sub-point, table cell, box, glossary term and definition
    a listener must hear, in order."""
    texts = []
    for section in leaflet_model.sections:
        if section.title:
            texts.append(section.title)
        texts += block_texts(section.blocks)
    from leaflet.languages import sorted_by

    for entry in sorted_by(leaflet_model.glossary, leaflet_model.language,
                           lambda entry: entry.term.plain):  # in dictionary order
        texts += [entry.term, entry.definition]
    return [normalise(text.plain) for text in texts
            if not all(run.href for run in text.runs)]  # a link alone is for screens


def block_texts(blocks) -> list:
    texts = []
    for block in blocks:
        if isinstance(block, ItemList):
            texts += [text for item in block.items for text in (item.text, *item.items)]
        elif isinstance(block, Table):
            texts += [*([block.caption] if block.caption else []),
                      *(cell for row in block.rows for cell in row)]
        elif isinstance(block, Callout):
            texts += [*([block.title] if block.title else []), *block_texts(block.blocks)]
        else:
            texts.append(block.text)
    return texts


def test_chapters_are_the_sections_in_order_and_cover_the_audio(mp3: Path):
    info = probe(mp3)
    chapters = info["chapters"]
    assert [c["tags"]["title"] for c in chapters] == expected_chapters(CYTOKINES)
    starts = [float(c["start_time"]) for c in chapters]
    ends = [float(c["end_time"]) for c in chapters]
    assert starts[0] == 0 and starts == sorted(starts)
    assert all(abs(end - start) < 0.002 for end, start in zip(ends, starts[1:]))
    assert abs(ends[-1] - float(info["format"]["duration"])) < 0.5


def test_tags_mono_and_bitrate(mp3: Path):
    info = probe(mp3)
    tags = info["format"]["tags"]
    assert tags["title"] == "Cytokines" and tags["album"] == "Riverside Health"
    assert tags["language"] == "eng" and "Riverside Health" in tags["copyright"]
    (stream,) = info["streams"]
    assert stream["codec_name"] == "mp3" and stream["channels"] == 1
    assert stream["bit_rate"] == "64000"
    assert "encoder" not in tags  # bitexact: no encoder version that would change the bytes


def test_loudness_for_speech(mp3: Path):
    loudness, true_peak = ebur128(mp3)
    assert abs(loudness - -16) <= 1, loudness
    assert true_peak <= -1, true_peak


def test_duration_fits_the_word_count_at_the_rate(mp3: Path, cues):
    words = sum(len(cue.text.split()) for cue in cues)
    speaking = sum(span(cue)[1] - span(cue)[0] for cue in cues)
    assert 0.75 < speaking / (words / RATE * 60) < 1.3, (words, speaking)
    assert speaking < float(probe(mp3)["format"]["duration"])


def test_cues_are_ordered_apart_and_within_the_audio(mp3: Path, cues):
    duration = float(probe(mp3)["format"]["duration"])
    assert len(cues) > 50
    for cue, following in zip(cues, cues[1:]):
        assert span(cue)[0] < span(cue)[1] <= span(following)[0]
    assert span(cues[-1])[1] <= duration


def test_transcript_holds_every_sentence_and_nothing_for_paper(cues):
    transcript = " ".join(cue.text for cue in cues)
    assert_in_order(spoken_texts(CYTOKINES), transcript)
    assert "https://" not in transcript and "Page " not in transcript
    assert "More about peginterferon alpha 2" not in transcript  # a link on its own
    assert "Last reviewed 21 October 2024." in transcript
    assert transcript.count("Phone: 0300 123 4567") == 2  # near the start, and at the end
    assert "Urgent: Contact your team straight away" in transcript


def test_the_last_chapter_gives_the_contact_details_the_phone_first(mp3: Path, cues):
    *_, last = probe(mp3)["chapters"]
    closing = [cue.text for cue in cues if span(cue)[0] >= float(last["start_time"])]
    assert closing[0] == last["tags"]["title"] == "About this leaflet"
    assert closing[-6:] == ["Contact us", "Phone: 0300 123 4567",
                            "Open: Monday to Friday, 9am to 5pm", "E-mail: leaflets@example.org",
                            "Address: Riverside Hospital, 1 River Road, Exampleton EX1 2AB",
                            "Website: www.example.org"]
    assert "Tell us what you think of this leaflet" in closing


def test_one_cue_per_sentence(cues):
    texts = [cue.text for cue in cues]
    assert "Cytokines are a group of proteins that occur naturally in the body." in texts
    assert "They play an important role in our immune system." in texts
    assert all(text.count(". ") == 0 for text in texts), [t for t in texts if ". " in t]


def test_each_chapter_starts_with_a_cue_of_its_title(mp3: Path, cues):
    first, *chapters = probe(mp3)["chapters"]
    assert cues[0].text == first["tags"]["title"] and 0 < span(cues[0])[0] < 0.06  # lead-in
    for chapter in chapters:
        start = float(chapter["start_time"])
        (cue,) = [cue for cue in cues if abs(span(cue)[0] - start) < 0.002]
        assert cue.text == chapter["tags"]["title"] and cue.identifier


def decoded(path: Path, sample_rate: int) -> array.array:
    """The MP3 as a player hears it: signed 16-bit samples."""
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
                          "-ar", str(sample_rate), "pipe:1"], capture_output=True, check=True)
    return array.array("h", pcm.stdout)


def test_each_sentence_is_heard_exactly_from_its_cue(mp3: Path, cues):
    """Speech never starts before its cue, and in each half of the file the sentences that
    start at once are heard at once: a shift of one MP3 frame (26 ms) anywhere, such as where
    the halves were encoded apart, would show."""
    rate = 22050
    audio = decoded(mp3, rate)
    delays = []
    for cue in cues:
        start, end = span(cue)
        onset = next(index for index in range(max(0, round((start - 0.2) * rate)), len(audio))
                     if abs(audio[index]) > 400)
        delays.append(onset / rate - start)
        quiet = audio[round((end + 0.01) * rate):round((end + 0.3) * rate)]
        assert max(map(abs, quiet)) < 400, cue.text  # and the pause after it is silent
    middle = len(cues) // 2
    assert min(delays) > -0.001 and max(delays) < 0.1
    assert min(delays[:middle]) < 0.002 and min(delays[middle:]) < 0.002


def test_halves_encoded_apart_play_every_sample_in_place(tmp_path: Path, monkeypatch):
    """Tone bursts apart by silences, encoded in two halves at once: each burst starts in the
    MP3 exactly where it was, after the delay every MP3 starts with."""
    from leaflet.render import mp3

    rate, starts, pcm = 22050, [], array.array("h")
    for burst in range(12):
        pcm.extend(bytes(2 * (rate // 2 + 37 * burst)))
        starts.append(len(pcm))
        pcm.extend(round(8000 * math.sin(2 * math.pi * 440 * n / rate)) for n in range(rate // 2))
    pcm.extend(bytes(2 * rate))
    splits, encode = [], mp3.Recording._encode
    monkeypatch.setattr(mp3.Recording, "_encode",
                        lambda self, measured, split: splits.append(split) or encode(
                            self, measured, split))
    with mp3.Recording(rate) as recording:
        recording.write(pcm.tobytes())
        (tmp_path / "tones.mp3").write_bytes(
            recording.mp3([mp3.Marker("Tones", 0, len(pcm) / rate)], {"title": "Tones"}))
    assert len(splits) == 1 and starts[5] < splits[0] < starts[7]  # in two, kept
    audio = decoded(tmp_path / "tones.mp3", rate)
    heard = [next(index for index in range(start - 2000, len(audio)) if abs(audio[index]) > 500)
             for start in starts]
    (offset,) = {index - start for index, start in zip(heard, starts)}
    assert 0 <= offset - mp3.START_DELAY < 4  # the sine's first samples are the quiet ones
    assert len(audio) - mp3.START_DELAY - len(pcm) < 2 * 576  # and nothing added on the way


def test_a_narration_the_likely_limit_does_not_suit_is_limited_at_its_own(tmp_path: Path,
                                                                         monkeypatch):
    """A quiet tone with a full-scale click in each second: far louder peaks for its loudness
    than synthetic speech has, so it is limited again, and still meets the loudness targets."""
    from leaflet.render import mp3

    rate, pcm = 22050, array.array("h")
    for _ in range(20):
        pcm.extend(round(1000 * math.sin(2 * math.pi * 440 * n / rate)) for n in range(rate // 2))
        pcm.extend([32000, -32000] + [0] * (rate // 2 - 2))
    limits, limited = [], mp3.Recording._limited
    monkeypatch.setattr(mp3.Recording, "_limited", lambda self, pieces, limit: limits.append(
        limit) or limited(self, pieces, limit))
    with mp3.Recording(rate) as recording:
        recording.write(pcm.tobytes())
        (tmp_path / "clicks.mp3").write_bytes(
            recording.mp3([mp3.Marker("Clicks", 0, len(pcm) / rate)], {"title": "Clicks"}))
    assert len(limits) == 1 and limits[0] < mp3.LIKELY_LIMIT - mp3.LIKELY_RANGE
    loudness, true_peak = ebur128(tmp_path / "clicks.mp3")
    assert abs(loudness - -16) <= 1 and true_peak <= -1, (loudness, true_peak)


def test_synthetic_speech_keeps_the_limiting_done_while_it_was_made(monkeypatch):
    from leaflet.edition import full
    from leaflet.render import Options, audio, mp3

    monkeypatch.setattr(mp3.Recording, "_limited", lambda *_: pytest.fail("limited again"))
    files = audio.render(full(load(ROOT / "tests" / "roots" / "narration.yaml")),
                         Options(cache=None, settings={}))
    assert files[".mp3"][:3] == b"ID3"


def test_progress_goes_to_the_meter_given_and_nothing_is_printed(capsys):
    from leaflet.edition import full
    from leaflet.render import Options, audio

    class Meter:
        made = []

        def __init__(self, label, total, unit):
            self.events = [(label, total, unit)]
            Meter.made.append(self)

        def update(self):
            self.events.append("update")

        def close(self, summary=None):
            self.events.append(summary)

    audio.render(full(load(ROOT / "tests" / "roots" / "narration.yaml")),
                 Options(cache=None, settings={}, meter=Meter))
    ((label, total, unit), *updates, summary), = [meter.events for meter in Meter.made]
    assert (label, unit) == ("audio en-GB", "sentence") and updates == ["update"] * total
    assert SYNTHESISED.match(f"{label}: {summary}")
    assert capsys.readouterr() == ("", "")


def test_the_page_offers_the_audio_with_its_transcript(built: Path):
    import lxml.html

    page = lxml.html.parse(str(built / "cytokines.html")).getroot()
    (player,) = page.iter("audio")
    assert player.get("controls") is not None and player.get("src") == "cytokines.mp3"
    assert player.get("aria-label") == "Listen to this leaflet"
    (track,) = player.iter("track")
    assert (track.get("kind"), track.get("src"), track.get("srclang")) == (
        "captions", "cytokines.vtt", "en-GB")
    assert page.xpath("//a[@href='cytokines-transcript.html']")  # a page, not the raw cues


def test_the_arabic_narration_meets_the_loudness_targets_too(tmp_path: Path):
    """Arabic has the most sibilance of the languages shipped: MP3 coding lifts its peaks most."""
    result = leaflet("build", "source/cytokines.yaml", "--lang", "ar", "--format", "audio",
                     "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    loudness, true_peak = ebur128(tmp_path / "cytokines" / "ar" / "cytokines.mp3")
    assert abs(loudness - -16) <= 1 and true_peak <= -1, (loudness, true_peak)


def test_a_page_offers_the_narration_only_when_the_build_makes_it(tmp_path: Path):
    folder = tmp_path / "narration" / "en"
    for formats, offered in (("html", False), ("html,audio", True), ("html", False)):
        result = leaflet("build", "tests/roots/narration.yaml", "--format", formats, "--out",
                         str(tmp_path))
        assert result.returncode == 0, result.stderr
        page = (folder / "narration.html").read_bytes()
        assert (b'<audio' in page and b'src="narration.mp3"' in page) == offered, formats
    assert (folder / "narration.mp3").exists()  # left from the second build, but not offered


def test_a_rebuild_with_nothing_changed_synthesises_nothing(built: Path, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    shutil.copytree(built.parents[1] / ".cache", out / ".cache")
    said_before = {cue.text for cue in webvtt.read(str(built / "cytokines.vtt"))}
    made = []
    for _ in range(2):
        result = leaflet("build", "source/cytokines.yaml", "--format", "audio", "--lang", "en",
                         "--force", "--out", str(out))
        assert result.returncode == 0, result.stderr
        made.append([(out / "cytokines" / "en" / name).read_bytes()
                     for name in ("cytokines.mp3", "cytokines.vtt")])
        synthesised, reused = map(int, SYNTHESISED.search(result.stderr).groups())
        if len(made) == 1:
            # Only the sentences naming the other versions differ: this build makes only audio.
            new = [cue.text for cue in webvtt.read(str(out / "cytokines" / "en" /
                                                       "cytokines.vtt"))
                   if cue.text not in said_before]
            assert synthesised == len(new) and reused > 50, new
            assert all(text.startswith("This leaflet is also available in:") for text in new)
        else:
            assert synthesised == 0
    assert made[0] == made[1]  # and the cache gives the same bytes


def test_one_changed_sentence_is_the_only_one_synthesised(tmp_path: Path):
    source = tmp_path / "narration.yaml"
    shutil.copy(ROOT / "tests" / "roots" / "narration.yaml", source)
    out = tmp_path / "out"
    first = leaflet("build", str(source), "--format", "audio", "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert int(SYNTHESISED.search(first.stderr)[2]) == 0
    source.write_text(source.read_text().replace("a sore mouth", "a dry mouth"))
    second = leaflet("build", str(source), "--format", "audio", "--out", str(out))
    assert second.returncode == 0, second.stderr
    assert int(SYNTHESISED.search(second.stderr)[1]) == 1
    assert "a dry mouth" in (out / "narration" / "en" / "narration.vtt").read_text()


def test_the_rate_changes_the_pace(tmp_path: Path):
    durations = {}
    for rate in ("120", "240"):
        out = tmp_path / rate
        result = leaflet("build", "tests/roots/narration.yaml", "--format", "audio", "--rate",
                         rate, "--out", str(out))
        assert result.returncode == 0, result.stderr
        cues = webvtt.read(str(out / "narration" / "en" / "narration.vtt"))
        durations[rate] = sum(span(c)[1] - span(c)[0] for c in cues)
    assert 1.5 < durations["120"] / durations["240"] < 2.5, durations


def test_a_language_without_a_voice_is_skipped_or_fails_when_asked_for(tmp_path: Path):
    every = leaflet("build", "tests/roots/somali.yaml", "--format", "html,audio", "--out",
                    str(tmp_path))
    assert every.returncode == 1  # asked for by name
    assert every.stderr.strip().endswith("leaflet: no espeak-ng voice for Somali")
    result = leaflet("build", "tests/roots/somali.yaml", "--out", str(tmp_path / "all"))
    assert result.returncode == 0, result.stderr
    assert "somali.mp3 (skipped: no espeak-ng voice for Somali)" in result.stderr
    folder = tmp_path / "all" / "somali" / "so"
    assert not (folder / "somali.mp3").exists() and not (folder / "somali.vtt").exists()
    assert b"<audio" not in (folder / "somali.html").read_bytes()


def test_pronunciations_reach_the_engine():
    from leaflet.tts import engine, pronounce

    entries = CYTOKINES.pronunciations_for("en-GB")
    ssml = pronounce.ssml("Peginterferon treats PV; also called Pegasys.", entries)
    assert "[[p,EgInt3f'I@r0n]]" in ssml and "PVs" not in ssml
    assert '<say-as interpret-as="characters">PV</say-as>' in ssml
    espeak = engine("espeak-ng")
    voice = espeak.voice("en-GB")
    plain, spelt = espeak.synthesise([pronounce.ssml("Peginterferon", ()),
                                      ssml.split(" treats ")[0] + "</speak>"], voice, RATE)
    assert plain != spelt
    assert pronounce.respelled("PV and Pegasys", entries) == "P V and peg a sis"


def test_the_easy_read_version_is_narrated_too(tmp_path: Path):
    result = leaflet("build", "source/cytokines.yaml", "--lang", "en", "--format",
                     "easy-read-audio", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "cytokines" / "en"
    chapters = [c["tags"]["title"] for c in probe(folder / "cytokines-easy-read.mp3")["chapters"]]
    headings = [(s.easy_read_title or s.title).plain for s in CYTOKINES.sections]
    assert chapters == ["Cytokines: Easy read version", *headings, "Who can help",
                        "Hard words", "About this leaflet"]
    assert probe(folder / "cytokines-easy-read.mp3")["format"]["tags"]["title"] == (
        "Cytokines – Easy read")  # not the full version's title
    cues = [cue.text for cue in webvtt.read(str(folder / "cytokines-easy-read.vtt"))]
    spoken = normalise(" ".join(cues))
    points = [normalise(point.text.plain) for s in CYTOKINES.sections for point in s.easy_read]
    assert_in_order(points, spoken)
    assert cues.count("Phone: 0300 123 4567") == 2  # near the start, and under Who can help
    assert "Urgent: Call your team straight away if your temperature is 37.5°C or more." in cues
    loudness, peak = ebur128(folder / "cytokines-easy-read.mp3")
    assert abs(loudness + 16) <= 1 and peak <= -1


# -- the new blocks, narrated: tests/roots/blocks.yaml ----------------------------------------
@pytest.fixture(scope="module")
def blocks_audio(tmp_path_factory) -> Path:
    """Both narrations of the leaflet with every kind of block, built once."""
    out = tmp_path_factory.mktemp("blocks-audio")
    result = leaflet("build", "tests/roots/blocks.yaml", "--format", "audio,easy-read-audio",
                     "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "blocks" / "en"


def chapter_of(chapters: list[dict], cue) -> str:
    """The title of the MP3 chapter (ffprobe) that a cue is heard in."""
    start = span(cue)[0]
    (found,) = [c["tags"]["title"] for c in chapters
                if float(c["start_time"]) <= start < float(c["end_time"])]
    return found


@pytest.mark.parametrize("suffix, urgent, urgent_chapter, contact_chapter", [
    ("", "Urgent: Call 999 if you have chest pain or find it hard to breathe.",
     "How to give the injection", "About this leaflet"),
    ("-easy-read", "Urgent: Call straight away if your temperature is 37.5°C or more.",
     "Giving your injection at home", "Who can help"),
])
def test_the_phone_and_the_urgent_box_are_heard_where_they_belong(
        blocks_audio: Path, suffix, urgent, urgent_chapter, contact_chapter):
    cues = list(webvtt.read(str(blocks_audio / f"blocks{suffix}.vtt")))
    chapters = probe(blocks_audio / f"blocks{suffix}.mp3")["chapters"]
    phones = [cue for cue in cues if cue.text == "Phone: 0300 123 4567"]
    assert [chapter_of(chapters, cue) for cue in phones] == [
        chapters[0]["tags"]["title"], contact_chapter]  # whom to call first, then at the end
    (box,) = [cue for cue in cues if cue.text == urgent]  # the label said before the text
    assert chapter_of(chapters, box) == urgent_chapter
    hours = cues[cues.index(phones[-1]) + 1]
    assert hours.text == "Open: Monday to Friday, 9am to 5pm"


def test_the_full_narration_ends_with_the_contact_and_reads_the_table_by_rows(blocks_audio):
    cues = list(webvtt.read(str(blocks_audio / "blocks.vtt")))
    chapters = probe(blocks_audio / "blocks.mp3")["chapters"]
    assert [c["tags"]["title"] for c in chapters] == [
        "Giving your injection at home", "How to give the injection", "About this leaflet"]
    texts = [cue.text for cue in cues]
    contact = texts.index("Contact us")
    assert texts[contact:] == ["Contact us", "Phone: 0300 123 4567",
                               "Open: Monday to Friday, 9am to 5pm",
                               "E-mail: leaflets@example.org",
                               "Address: Riverside Hospital, 1 River Road, Exampleton EX1 2AB",
                               "Website: www.example.org"]
    assert {chapter_of(chapters, cue) for cue in cues[contact:]} == {"About this leaflet"}
    rows = texts.index("How often you have it")
    assert texts[rows:rows + 7] == [
        "How often you have it", "Weeks: 1 to 4", "Dose: 180 micrograms",
        "How often: Once a week", "Weeks: 5 onwards", "Dose: 90 micrograms",
        "How often: Every 2 weeks"]
    assert texts[texts.index("1. Wash your hands."):][:3] == [
        "1. Wash your hands.", "2. Choose a place to inject, such as", "your tummy"]


def phonemes(text: str, voice: str) -> str:
    """What espeak-ng says for an SSML text, in its phoneme mnemonics."""
    return subprocess.run(["espeak-ng", "-v", voice, "-m", "-q", "-x", text], capture_output=True,
                          text=True, check=True, timeout=60).stdout


def test_the_phone_number_and_the_code_are_said_digit_by_digit():
    """Said by the voice as they stand, 0300 is "three hundred" and TEST the word "test":
    the narration has them said character by character, the groups apart."""
    from leaflet.edition import full
    from leaflet.narration import read_as_characters
    from leaflet.render.audio import Speaker, choice
    from leaflet.tts.cache import SentenceCache

    model = load(ROOT / "tests" / "roots" / "blocks.yaml")
    speaker = Speaker(choice(model, {}), model, SentenceCache(None),
                      spelt=read_as_characters(full(model)))
    # The sentence, what is spelt in it, and espeak-ng's phonemes for its reading as written.
    for sentence, spelt, as_a_word in (("Phone: 0300 123 4567", "0300 123 4567", "VndrI2d"),
                                       ("Leaflet code: TEST-0001", "TEST-0001", "t'Est")):
        spoken = speaker.engine.spoken(sentence, speaker.pronunciations)
        assert f'<say-as interpret-as="characters">{spelt}</say-as>' in spoken
        assert as_a_word in phonemes(sentence, speaker.voice)
        said = phonemes(spoken, speaker.voice)
        assert as_a_word not in said and "aUz@nd" not in said, said  # nor "thousand"
        assert said.count("i@roU") == spelt.count("0"), said  # each zero said as "zero"


def test_a_word_said_letter_by_letter_at_the_end_of_a_sentence_keeps_its_full_stop_silent():
    from leaflet.tts import pronounce

    entries = CYTOKINES.pronunciations_for("en-GB")
    for sentence in ("This includes polycythaemia vera (PV) and essential thrombocythaemia (ET).",
                     "A blood cancer called PV."):
        said = phonemes(pronounce.ssml(sentence, entries), "en-gb")
        assert "p,i:_|v'i:" in said or ",i:_|t'i:" in said, said  # the letters
        assert "d'0t" not in said, said  # and not "dot"
