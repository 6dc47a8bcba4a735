"""The podcast feed route end to end: a real feed, transcripts and chapters served over
HTTP by a local http.server on 127.0.0.1 (the Podcasting 2.0 example files), read with
`reader add URL --episode ...`, then opened in the app."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from cli_run import one_error_line, run
from libtree import tree_digest
from local_http import serve
from material import bench
from reader.library import Library
from reader.paths import user_library

DATA = Path(__file__).resolve().parent / "data" / "feed"


@pytest.fixture
def feed_server(tmp_path):
    """Serve feed.xml and the example files; yields the base URL."""
    site = tmp_path / "site"
    (site / "transcripts").mkdir(parents=True)
    (site / "chapters").mkdir()
    examples = "podcast-namespace-examples"
    for ext in ("html", "srt", "vtt"):
        shutil.copy(
            bench(f"{examples}/transcripts-example.{ext}"),
            site / "transcripts" / f"episode-8.{ext}",
        )
    shutil.copy(
        bench(f"{examples}/transcripts-example.json"), site / "transcripts" / "episode-7.json"
    )
    shutil.copy(
        bench(f"{examples}/chapters-exampleComplex.json"), site / "chapters" / "episode-7.json"
    )
    shutil.copy(DATA / "episode-8-chapters.json", site / "chapters" / "episode-8.json")
    with serve(site) as base:
        (site / "feed.xml").write_text((DATA / "feed.xml").read_text().replace("{BASE}", base))
        yield base


def test_latest_episode_of_a_feed_has_its_transcript_chapters_duration_and_url(capsys, feed_server):
    code, out, err = run(capsys, "add", f"{feed_server}/feed.xml", "--episode", "latest")
    assert code == 0, err
    # one progress line per step
    for step in ("reader: metadata: Do You Need a Podcast Trailer?", "reader: transcript: text/vtt",
                 "reader: chapters:", "reader: show notes:"):
        assert step in err, err
    (episode,) = Library.load(user_library()).episodes
    assert episode.title == "Do You Need a Podcast Trailer?"
    assert episode.meta.show == "Podcasting Q&A"
    assert episode.meta.date == "2025-06-09"
    assert episode.meta.duration_s == 26
    assert episode.meta.url == f"{feed_server}/media/episode-8.mp3"
    assert episode.link_at(19) == f"{feed_server}/media/episode-8.mp3#t=19"
    t = episode.transcript
    assert t.format == "vtt" and t.timed  # VTT chosen over the HTML and SRT offers
    assert t.units[0].speaker == "Sarah"
    chapters, notes = episode.summaries
    assert [(c.seconds, c.text) for c in chapters.claims] == [
        (0, "Welcome to Podcasting Q&A"), (19.08, "Gillian asks: do we need a podcast trailer?")]
    assert [c.seconds for c in notes.claims] == [0, 19]  # show notes with timestamps


def test_list_gives_a_26_second_episode_in_seconds(capsys, feed_server):
    code, _, err = run(capsys, "add", f"{feed_server}/feed.xml", "--episode", "latest")
    assert code == 0, err
    code, out, err = run(capsys, "list")
    assert code == 0, err
    assert "\n  26 s · " in out and "0 min" not in out, out


def _gillian(transcript) -> int:
    return next(i for i, line in enumerate(transcript.units) if "Hi Buzzsprout" in line.text)


def test_feed_chapters_land_where_they_belong(capsys, feed_server):
    from reader.sync import align

    code, _, err = run(capsys, "add", f"{feed_server}/feed.xml")
    assert code == 0, err
    (episode,) = Library.load(user_library()).episodes
    alignment = align(episode.transcript, episode.summaries, episode.known_duration_s)
    welcome, gillian = alignment.summaries[0]
    assert welcome.unit_start == 0
    assert gillian.unit_start <= _gillian(episode.transcript) <= gillian.unit_end
    assert gillian.status == "ok"


def test_a_chapter_starts_at_the_line_spoken_at_its_time(capsys, feed_server):
    from reader.sync import align

    code, _, err = run(capsys, "add", f"{feed_server}/feed.xml")
    assert code == 0, err
    (episode,) = Library.load(user_library()).episodes
    alignment = align(episode.transcript, episode.summaries, episode.known_duration_s)
    assert alignment.summaries[0][1].unit_start == _gillian(episode.transcript)


async def test_a_feed_episode_opens_in_the_app_at_its_chapter(capsys, feed_server, clipboard):
    from reader.ui.app import ReaderApp
    from reader.ui.screens.picker import PickerScreen
    from test_app import main_of, settle

    code, _, err = run(capsys, "add", f"{feed_server}/feed.xml", "--episode", "8")
    assert code == 0, err
    app = ReaderApp(user_library())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        if isinstance(app.screen, PickerScreen):
            await pilot.press("enter")
            await settle(app, pilot)
        main = main_of(app)
        assert main.episode.title == "Do You Need a Podcast Trailer?"
        summary = main.summary_view
        summary.focus()
        summary.select_claim(1)
        await pilot.press("enter")
        await settle(app, pilot)
        view = main.transcript_view
        shown = summary.claim_alignment(1)  # the range the app shows for the chapter
        assert view.cursor_unit == shown.unit_start  # where Enter put the cursor
        assert shown.unit_start <= _gillian(main.transcript) <= shown.unit_end
        assert main.transcript.units[_gillian(main.transcript)].speaker == "Gillian"


def test_pick_an_episode_by_number_or_title(capsys, feed_server):
    code, out, err = run(capsys, "add", f"{feed_server}/feed.xml", "--episode", "7")
    assert code == 0, err
    code, out, err = run(capsys, "add", f"{feed_server}/feed.xml", "--episode", "trailer")
    assert code == 0, err
    library = Library.load(user_library())
    by_title = {e.title: e for e in library.episodes}
    seven = by_title["Making Progress"]
    assert seven.transcript.format == "podcast-json"
    assert seven.meta.duration_s == 1 * 3600 + 42 * 60 + 10
    (chapters,) = seven.summaries  # the show notes have no timestamps: kept, not a summary
    assert len(chapters.claims) == 10  # the untitled toc:false marker is no chapter
    assert chapters.claims[-1].text == "Outro" and chapters.claims[1].seconds == 168
    assert "Do You Need a Podcast Trailer?" in by_title


@pytest.mark.parametrize(
    "case",
    [
        "no-transcript",
        "no-such-episode",
        "ambiguous",
        "same-twice",
        "not-found",
        "blocked",
        "offline",
        "not-a-feed-episode",
    ],
)
def test_bad_feed_adds_are_one_line_exit_2_and_the_library_is_unchanged(capsys, feed_server, case):
    code, _, err = run(capsys, "add", f"{feed_server}/feed.xml", "--episode", "latest")
    assert code == 0, err
    lib = user_library()
    before = tree_digest(lib)
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    argv, expected = {
        "no-transcript": (
            [f"{feed_server}/feed.xml", "--episode", "Bonus"],
            "has no podcast:transcript",
        ),
        "no-such-episode": ([f"{feed_server}/feed.xml", "--episode", "12"], "no episode 12"),
        "ambiguous": ([f"{feed_server}/feed.xml", "--episode", "o"], "be more precise"),
        "same-twice": ([f"{feed_server}/feed.xml", "--episode", "8"], "already in the library"),
        "not-found": ([f"{feed_server}/missing.xml"], "HTTP 404"),
        "blocked": ([f"{feed_server}/private/feed.xml"], "access denied (HTTP 403)"),
        "offline": ([f"http://127.0.0.1:{closed}/feed.xml"], "cannot connect"),
        "not-a-feed-episode": (
            [f"{feed_server}/chapters/episode-8.json", "--episode", "2"],
            "not a podcast feed",
        ),
    }[case]
    code, out, err = run(capsys, "add", *argv)
    line = one_error_line(err)
    assert code == 2, (out, err)
    assert expected in line, line
    assert tree_digest(lib) == before


def test_a_feed_cannot_make_reader_copy_local_files(capsys, tmp_path):
    from reader.fetch.base import FetchError
    from reader.fetch.http import UrllibTransport

    secret = tmp_path / "secret.txt"
    secret.write_text("not for the library")
    with pytest.raises(FetchError, match="only http and https"):
        UrllibTransport().get(secret.as_uri())


def test_show_notes_keep_comparisons_and_drop_comments():
    from reader.fetch.notes import notes_text

    html = "<p>Latency went 1 < 2 and 3 > 2 ms.<!-- tracking <b>pixel</b> --></p>"
    assert notes_text(html) == "Latency went 1 < 2 and 3 > 2 ms.\n"
