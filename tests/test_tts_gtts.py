"""The gTTS engine against its HTTP protocol served by `responses`: no network is touched."""

from __future__ import annotations

import base64
import re
import subprocess
from pathlib import Path

import pytest
import responses

from conftest import ROOT
from leaflet import build
from leaflet.errors import RenderError
from leaflet.tts import google

URL = re.compile(r"https://translate\.google\.co\.uk/_/TranslateWebserverUi/data/batchexecute")
SENTENCE = ("You usually have it once a week, but the frequency might reduce to every 2 to 3 "
            "weeks, depending on your blood results.")  # over 100 characters: several chunks


@pytest.fixture(scope="module")
def tone() -> bytes:
    """Half a second of MP3, as the service sends."""
    return subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                           "sine=frequency=440:duration=0.5:sample_rate=24000", "-ac", "1",
                           "-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "pipe:1"],
                          capture_output=True, check=True).stdout


def answer(mp3: bytes) -> str:
    audio = base64.b64encode(mp3).decode()
    return f')]}}\'\n\n[["wrb.fr","jQ1olc","[\\"{audio}\\"]",null,null,null,"generic"]]'


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(google.ENGINE, "sleep", slept.append)
    return slept


def seconds(pcm: bytes) -> float:
    return len(pcm) / 2 / google.ENGINE.sample_rate


@responses.activate
def test_a_long_sentence_is_sent_in_chunks_and_joined(tone, waits):
    responses.add(responses.POST, URL, body=answer(tone))
    [pcm] = google.ENGINE.synthesise([SENTENCE], "en:co.uk", 150)
    chunks = len(responses.calls)
    assert chunks >= 2 and all("f.req=" in call.request.body for call in responses.calls)
    assert abs(seconds(pcm) - 0.5 * chunks) < 0.1 * chunks and not waits


@responses.activate
def test_429_is_retried_after_a_wait(tone, waits):
    responses.add(responses.POST, URL, status=429)
    responses.add(responses.POST, URL, body=answer(tone))
    [pcm] = google.ENGINE.synthesise(["Take it once a week."], "en:co.uk", 150)
    assert len(responses.calls) == 2 and waits == [google.BACKOFF]
    assert 0.4 < seconds(pcm) < 0.7


@responses.activate
def test_a_lasting_failure_is_one_clear_line(waits):
    responses.add(responses.POST, URL, status=503)
    with pytest.raises(RenderError) as raised:
        list(google.ENGINE.synthesise(["Take it once a week."], "en:co.uk", 150))
    message = str(raised.value)
    assert "\n" not in message and "HTTP 503" in message and "translate.google.co.uk" in message
    assert f"after {google.RETRIES + 1} tries" in message
    assert len(responses.calls) == google.RETRIES + 1
    assert waits == [google.BACKOFF * 2 ** n for n in range(google.RETRIES)]


@responses.activate
def test_an_answer_without_audio_is_an_error(waits):
    responses.add(responses.POST, URL, body=')]}\'\n\n[["wrb.fr","other",null]]')
    with pytest.raises(RenderError, match="sent no audio"):
        list(google.ENGINE.synthesise(["Take it once a week."], "en:co.uk", 150))


@responses.activate
def test_an_unreachable_service_names_the_cause(waits):  # responses refuses unknown requests
    with pytest.raises(RenderError, match=r"^gtts: cannot connect to translate\.google\.co\.uk"):
        list(google.ENGINE.synthesise(["Take it once a week."], "en:co.uk", 150))
    assert len(waits) == 1  # a lost connection is tried once more


@responses.activate
def test_a_failed_build_leaves_no_file_behind(tmp_path: Path, waits):
    responses.add(responses.POST, URL, body=answer(b""))  # audio that is empty
    jobs = build.plan([ROOT / "tests" / "roots" / "narration.yaml"], ["audio"], tmp_path, ["en"],
                      settings={"audio": {"engine": "gtts"}}).jobs
    with pytest.raises(RenderError):
        build.run(jobs)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@responses.activate
def test_a_whole_narration_through_the_service(tone, tmp_path: Path, waits):
    responses.add(responses.POST, URL, body=answer(tone))
    jobs = build.plan([ROOT / "tests" / "roots" / "narration.yaml"], ["audio"], tmp_path, ["en"],
                      settings={"audio": {"engine": "gtts"}}).jobs
    statuses = build.run(jobs)
    assert list(statuses.values())[0].startswith("built")
    folder = tmp_path / "narration" / "en"
    assert (folder / "narration.mp3").stat().st_size > 1000
    bodies = " ".join(call.request.body for call in responses.calls)
    assert "meth%20oh%20trex%20ate" in bodies or "meth+oh+trex+ate" in bodies  # the respelling
    calls = len(responses.calls)
    build.run(jobs, force=True)
    assert len(responses.calls) == calls  # every sentence from the cache


def test_somali_has_no_gtts_voice():
    from leaflet.errors import Unsupported

    with pytest.raises(Unsupported, match="no gtts voice for Somali"):
        google.ENGINE.voice("so")
