"""Open the moment at its source: the browser via $BROWSER, mpv for media."""

from __future__ import annotations

import stat
from pathlib import Path

from reader.library import Library
from reader.opener import open_at, open_url
from test_app import write_episode


def script(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def episode(tmp_path: Path, **meta):
    root = tmp_path / "lib"
    write_episode(root, "ep", "Hello there.\n", {}, title="Ep")
    if meta:
        toml = root / "ep" / "episode.toml"
        extra = "".join(f'{k} = "{v}"\n' for k, v in meta.items())
        toml.write_text(toml.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return Library.load(root).get("ep")


def test_browser_env_is_honoured_when_called(tmp_path, monkeypatch):
    log = tmp_path / "log"
    browser = script(tmp_path, "b.sh", f'printf "%s\\n" "$1" >> "{log}"')
    monkeypatch.setenv("BROWSER", str(browser))
    ep = episode(tmp_path, video_id="W1aGV4K3A8Y")
    opened = open_at(ep, 754.6, estimated=True)
    assert opened.ok and opened.target == "https://youtu.be/W1aGV4K3A8Y?t=754"
    assert log.read_text().split() == ["https://youtu.be/W1aGV4K3A8Y?t=754"]
    assert opened.message == "Opened the video at ~12:34 in the browser: https://youtu.be/W1aGV4K3A8Y?t=754"
    # another $BROWSER later in the same process is used, not the first one
    log2 = tmp_path / "log2"
    monkeypatch.setenv("BROWSER", str(script(tmp_path, "c.sh", f'printf "%s\\n" "$1" >> "{log2}"')))
    assert open_url("https://example.org/") and log2.read_text().split() == ["https://example.org/"]


def test_failing_browser_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER", str(script(tmp_path, "bad.sh", "exit 3")))
    opened = open_at(episode(tmp_path, video_id="W1aGV4K3A8Y"), 10)
    assert not opened.ok and opened.message.startswith("No browser to open https://youtu.be/W1aGV4K3A8Y?t=10")


def test_local_media_plays_in_mpv_from_the_time(tmp_path):
    ep = episode(tmp_path, video_id="W1aGV4K3A8Y")
    media = ep.folder / "audio.mp3"
    media.write_bytes(b"ID3")
    calls = []
    opened = open_at(
        ep, 125.9, which=lambda name: "/usr/bin/mpv", popen=lambda args, **kw: calls.append(args)
    )
    assert opened.ok and calls == [
        ["/usr/bin/mpv", "--start=125", "--force-window=immediate", "--", str(media)]
    ]
    assert opened.message == "Playing audio.mp3 in mpv from 02:05"


def test_without_mpv_the_video_opens_and_the_reason_is_given(tmp_path, monkeypatch):
    log = tmp_path / "log"
    monkeypatch.setenv("BROWSER", str(script(tmp_path, "b.sh", f'printf "%s\\n" "$1" >> "{log}"')))
    ep = episode(tmp_path, video_id="W1aGV4K3A8Y")
    (ep.folder / "audio.mp3").write_bytes(b"ID3")
    opened = open_at(ep, 60, which=lambda name: None)
    assert opened.ok and log.exists()
    assert opened.message.startswith(
        "Mpv is not installed, so audio.mp3 cannot play here; opened the video at 01:00"
    )


def test_podcast_audio_url_needs_mpv(tmp_path):
    ep = episode(tmp_path, url="https://cdn.example.org/show/ep1.mp3")
    opened = open_at(ep, 90, which=lambda name: None)
    assert not opened.ok
    assert opened.message == "mpv is not installed: install mpv to play the audio from 01:30 (https://cdn.example.org/show/ep1.mp3)"
    calls = []
    opened = open_at(
        ep, 90, which=lambda name: "/bin/mpv", popen=lambda args, **kw: calls.append(args)
    )
    assert opened.ok and calls[0][1] == "--start=90" and calls[0][-1] == "https://cdn.example.org/show/ep1.mp3"


def test_no_source_says_so(tmp_path):
    opened = open_at(episode(tmp_path), 5)
    assert not opened.ok and "no source to open" in opened.message


def test_no_browser_and_no_display_starts_nothing_over_the_app(tmp_path, monkeypatch):
    import sys

    import pytest

    if not sys.platform.startswith("linux"):
        pytest.skip("the display check is for Linux")
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    opened = open_at(episode(tmp_path, video_id="W1aGV4K3A8Y"), 75, estimated=True)
    assert not opened.ok
    assert (
        opened.message
        == "No browser to open https://youtu.be/W1aGV4K3A8Y?t=75 (set $BROWSER; Y copies the link)"
    )
