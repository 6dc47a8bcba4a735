"""The yt-dlp routes: a download on disk (`reader add VIDEO.info.json`, with the checked-in
info.json and its .vtt, see tests/data/ytdlp/README.md) and a URL through the fetcher
interface with recorded responses in place of yt-dlp and youtube-transcript-api."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import reader.fetch
from cli_run import one_error_line, run
from fetch_fakes import RecordedTranscripts, RecordedTransport, RecordedVideoSite, fetchers
from libtree import tree_digest
from local_http import serve
from reader.fetch.ytdlp import subtitle_choices
from reader.library import Library
from reader.paths import user_library

DATA = Path(__file__).resolve().parent / "data" / "ytdlp"
STEM = "How captions drift, and how to read them anyway [rDr7cAp0n5Q]"
INFO = DATA / f"{STEM}.info.json"
VTT = DATA / f"{STEM}.en.vtt"
URL = "https://www.youtube.com/watch?v=rDr7cAp0n5Q"


def recorded_info() -> dict:
    return json.loads(INFO.read_text(encoding="utf-8"))


def use(monkeypatch, **kwargs) -> None:
    recorded = fetchers(**kwargs)
    monkeypatch.setattr(reader.fetch, "default_fetchers", lambda: recorded)


def check_video_episode(episode) -> None:
    assert episode.title == "How captions drift, and how to read them anyway"
    assert episode.meta.show == "Reader Test Channel"
    assert episode.meta.date == "2025-11-14"
    assert episode.meta.duration_s == 84
    assert episode.meta.video_id == "rDr7cAp0n5Q"
    assert episode.meta.url == URL
    assert episode.link_at(42) == "https://youtu.be/rDr7cAp0n5Q?t=42"
    t = episode.transcript
    assert t.timed and t.format == "vtt"
    text = " ".join(line.text for line in t.units)
    assert text.count("welcome back to the channel") == 1  # rolling duplicates removed
    assert text.count("the fix for rolling captions") == 1
    (chapters,) = episode.summaries
    assert [c.text for c in chapters.claims] == [
        "Why captions drift",
        "Frame rate",
        "Edits",
        "Rolling automatic captions",
        "What to do about it",
    ]
    assert (
        (episode.folder / "description.txt")
        .read_text()
        .startswith("Why the captions of a long video")
    )


def test_a_ytdlp_download_on_disk_becomes_an_episode(capsys, tmp_path):
    download = tmp_path / "Downloads"
    download.mkdir()
    for f in (INFO, VTT):
        shutil.copy(f, download / f.name)
    before = tree_digest(download)
    code, out, err = run(capsys, "add", str(download / INFO.name))
    assert code == 0, err
    for step in (
        "reader: metadata:",
        "reader: subtitles: automatic en (vtt)",
        "reader: chapters: 5 chapters",
    ):
        assert step in err
    (episode,) = Library.load(user_library()).episodes
    check_video_episode(episode)
    assert tree_digest(download) == before  # the download is only read


def test_ytdlp_chapters_land_at_their_time(capsys):
    from reader.sync import align

    code, _, err = run(capsys, "add", str(INFO))
    assert code == 0, err
    (episode,) = Library.load(user_library()).episodes
    alignment = align(episode.transcript, episode.summaries, episode.known_duration_s)
    lines = episode.transcript.units
    for placed in alignment.summaries[0]:
        line = lines[placed.unit_start]
        nxt = lines[placed.unit_start + 1].start if placed.unit_start + 1 < len(lines) else 1e9
        # the line being spoken at the chapter's time (chapters are stamped to the second;
        # the first line's time comes late, see the report on the first rolling cue)
        assert placed.claim.seconds < nxt, (placed.claim.text, line.text)
        assert placed.unit_start == 0 or line.start - 1 <= placed.claim.seconds
        assert placed.status == "ok"


def test_a_video_url_goes_through_ytdlp(capsys, monkeypatch):
    info = recorded_info()
    site = RecordedVideoSite(
        info=info, files={info["requested_subtitles"]["en"]["url"]: VTT.read_bytes()}
    )
    use(monkeypatch, video_site=site)
    code, out, err = run(capsys, "add", URL)
    assert code == 0, err
    (episode,) = Library.load(user_library()).episodes
    check_video_episode(episode)
    assert site.read_urls == [info["requested_subtitles"]["en"]["url"]]
    # the same video again is refused, naming the episode
    before = tree_digest(user_library())
    code, _, err = run(capsys, "add", "https://youtu.be/rDr7cAp0n5Q")  # another URL, same video
    assert code == 2 and "already in the library as 'how-captions-drift" in one_error_line(err)
    assert tree_digest(user_library()) == before


def test_manual_subtitles_are_preferred_to_automatic_captions():
    info = recorded_info()
    info["subtitles"] = {
        "en": [{"ext": "json3", "url": "m.json3"}, {"ext": "vtt", "url": "manual.vtt"}]
    }
    kinds = [(kind, lang, fmt["url"]) for kind, lang, fmt in subtitle_choices(info)]
    assert kinds[0] == ("manual", "en", "manual.vtt")
    assert kinds[1][0] == "automatic" and kinds[1][1] == "en"
    assert all(fmt_url.endswith("fmt=vtt") for kind, _, fmt_url in kinds[1:])
    # original-language tracks before translations
    assert [lang for kind, lang, _ in kinds if kind == "automatic"][:2] == ["en", "en-orig"]


def test_without_subtitles_youtube_transcript_api_is_the_fallback(capsys, monkeypatch):
    info = recorded_info()
    info["automatic_captions"] = {}
    segments = [{"text": "welcome back to the channel", "start": 1.2, "duration": 3.1},
                {"text": "today we talk about caption drift", "start": 4.3, "duration": 3.0},
                {"text": "first the frame rate", "start": 14.28, "duration": 4.0}]
    transcripts = RecordedTranscripts(segments=segments)
    use(monkeypatch, video_site=RecordedVideoSite(info=info), transcripts=transcripts)
    code, out, err = run(capsys, "add", URL)
    assert code == 0, err
    assert "youtube-transcript-api" in err
    assert transcripts.asked == ["rDr7cAp0n5Q"]
    (episode,) = Library.load(user_library()).episodes
    assert episode.transcript.format == "yt-json"
    assert [line.start for line in episode.transcript.units][:1] == [1.2]


@pytest.mark.parametrize("case", ["private", "offline", "no-transcript", "playlist", "not-a-page"])
def test_bad_video_sources_are_one_line_exit_2_and_nothing_written(capsys, monkeypatch, case):
    code, _, err = run(capsys, "add", str(INFO))  # a library with one episode in it
    assert code == 0, err
    lib = user_library()
    before = tree_digest(lib)
    info = recorded_info()
    url = "https://www.youtube.com/watch?v=pr1vat3v1d0"
    if case == "private":
        site = RecordedVideoSite(
            error="Private video. Sign in if you've been granted access to this video"
        )
    elif case == "offline":
        site = RecordedVideoSite(error="cannot reach www.youtube.com (offline, or no such host)")
    elif case == "no-transcript":
        info.update(id="n0capt1ons00", webpage_url=url, automatic_captions={}, subtitles={})
        site = RecordedVideoSite(info=info)
    elif case == "playlist":
        site = RecordedVideoSite(info={"_type": "playlist", "title": "Uploads", "entries": []})
    else:
        url = "https://example.org/article"
        site = RecordedVideoSite(error="neither a podcast feed nor a page yt-dlp can read")
    transport = RecordedTransport(
        responses={"https://example.org/article": b"<html><body>hello</body></html>"}
    )
    use(monkeypatch, video_site=site, transport=transport)
    code, out, err = run(capsys, "add", url)
    line = one_error_line(err)
    assert code == 2, (out, err)
    expected = {"private": "Private video", "offline": "cannot reach www.youtube.com (offline",
                "no-transcript": "no subtitles or transcript", "playlist": "playlist",
                "not-a-page": "neither a podcast feed nor a page"}[case]
    assert expected in line and url in line
    assert tree_digest(lib) == before


def test_ctrl_c_during_a_fetch_is_one_line_and_nothing_is_written(capsys, monkeypatch):
    class Interrupted(RecordedVideoSite):
        def read(self, url: str) -> bytes:
            raise KeyboardInterrupt

    use(monkeypatch, video_site=Interrupted(info=recorded_info()))
    code, out, err = run(capsys, "add", URL)
    assert code == 130
    assert err.strip().splitlines()[-1] == "reader: interrupted: nothing was added"
    assert tree_digest(user_library()) == {}


def test_an_info_json_without_its_subtitle_files_is_refused(capsys, tmp_path):
    lonely = tmp_path / INFO.name
    shutil.copy(INFO, lonely)
    code, _, err = run(capsys, "add", str(lonely))
    assert code == 2 and "no subtitles or transcript" in one_error_line(err)
    broken = tmp_path / "broken.info.json"
    broken.write_text('{"id": "x", "title": ')
    code, _, err = run(capsys, "add", str(broken))
    assert code == 2 and "not valid JSON" in one_error_line(err)
    assert tree_digest(user_library()) == {}


def test_ytdlp_errors_become_one_short_line():
    from yt_dlp.utils import DownloadError

    from reader.fetch.ytdlp import _clean_ytdlp_message

    offline = DownloadError(
        "\x1b[0;31mERROR:\x1b[0m [youtube] W1aGV4K3A8Y: Unable to download API page: "
        "HTTPSConnection(host='www.youtube.com', port=443): Failed to resolve 'www.youtube.com' "
        "([Errno -2] Name or service not known) (caused by TransportError(\"...\"))"
    )
    assert (
        _clean_ytdlp_message(offline) == "cannot reach www.youtube.com (offline, or no such host)"
    )
    private = DownloadError(
        "ERROR: [youtube] pr1vat3v1d0: Private video. Sign in if you've been granted access\nmore"
    )
    assert _clean_ytdlp_message(private) == "Private video. Sign in if you've been granted access"


def test_without_chapters_a_description_with_timestamps_is_the_summary(capsys, monkeypatch):
    info = recorded_info()
    del info["chapters"]
    site = RecordedVideoSite(
        info=info, files={info["requested_subtitles"]["en"]["url"]: VTT.read_bytes()}
    )
    use(monkeypatch, video_site=site)
    code, out, err = run(capsys, "add", URL)
    assert code == 0, err
    (episode,) = Library.load(user_library()).episodes
    (summary,) = episode.summaries
    assert summary.path.name == "description.txt"
    assert [c.seconds for c in summary.claims] == [0, 14, 30, 42, 65]


def test_the_real_ytdlp_reads_a_page_with_a_video_and_its_captions(capsys, tmp_path):
    """No fake: yt-dlp's own Python API (its generic HTML5 extractor) on a local page whose
    <video> has a <track> of captions, through `reader add URL`."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(VTT, site / "talk.en.vtt")
    (site / "talk.mp4").write_bytes(b"not really a video")
    (site / "talk.html").write_text(
        '<!DOCTYPE html><html><head><meta property="og:title" content="How captions drift">'
        '</head><body><video controls src="talk.mp4">'
        '<track kind="captions" src="talk.en.vtt" srclang="en" label="English">'
        "</video></body></html>"
    )
    with serve(site) as base:
        code, out, err = run(capsys, "add", f"{base}/talk.html")
        assert code == 0, err
        assert "reader: subtitles: manual en (vtt)" in err
        (episode,) = Library.load(user_library()).episodes
        assert episode.title.startswith("How captions drift")
        assert episode.meta.url == f"{base}/talk.html"
        assert episode.transcript.timed
        assert episode.transcript.path.read_bytes() == VTT.read_bytes()
        # a page without captions: one line, exit 2, nothing written
        (site / "silent.html").write_text(
            '<html><body><video src="talk.mp4"></video></body></html>'
        )
        before = tree_digest(user_library())
        code, out, err = run(capsys, "add", f"{base}/silent.html")
        assert code == 2 and "no subtitles or transcript" in one_error_line(err)
        assert tree_digest(user_library()) == before
