"""Hostile and broken files: an episode reads only regular files inside its own folder,
within size limits; one bad episode (or value) is that episode's problem; the state
file heals; a quote is saved whole or not at all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

import hostile
from reader.errors import InputError
from reader.files import MAX_LINE_BYTES, read_limited
from reader.length import episode_length
from reader.library import Library
from reader.model import format_clock, format_timestamp
from reader.parse.transcript import parse_transcript


@pytest.fixture
def corpus(tmp_path):
    return hostile.build(tmp_path)


def problems_of(library: Library) -> dict[str, str]:
    """Library problems by the episode folder they name."""
    out = {}
    for problem in library.problems:
        name = problem.split(str(library.root) + "/", 1)[1].split("/")[0].split(":")[0]
        out[name] = problem
    return out


def test_one_bad_episode_never_hides_the_others(corpus):
    library = Library.load(corpus)
    loaded = {ep.id for ep in library.episodes}
    assert hostile.LOADS <= loaded
    problems = problems_of(library)
    assert set(problems) == hostile.REFUSED
    for problem in library.problems:
        assert "\n" not in problem and "\x1b" not in problem


@pytest.mark.parametrize(
    "episode, reason",
    [
        ("abs-path", "is outside the episode folder"),
        ("dotdot", "'../../outside/secret.txt' is outside the episode folder"),
        ("symlink", "outside the episode folder"),
        ("linked-folder", "episode folder is a link to outside the library"),
        ("meta-link", "episode.toml is outside the episode folder"),
        ("dev-zero", "outside the episode folder"),
        ("fifo", "not a regular file"),
        ("fifo-meta", "not a regular file"),
        ("folder-transcript", "is a folder"),
        ("toml-bomb", "invalid TOML: nested too deeply"),
        ("toml-table-bomb", "invalid TOML: nested too deeply"),
        ("transcript-type", "missing 'transcript'"),
    ],
)
def test_each_refusal_is_one_clear_line(corpus, episode, reason):
    problem = problems_of(Library.load(corpus))[episode]
    assert reason in problem
    assert hostile.SECRET not in problem


def test_nothing_outside_the_episode_is_read(corpus):
    library = Library.load(corpus)
    texts = []
    for ep in library.episodes:
        try:
            texts += [line.text for line in ep.transcript.units]
        except InputError:
            pass
        texts += [c.text for s in ep.summaries for c in s.claims]
    assert not any(hostile.SECRET in t or "root:x" in t for t in texts)
    next_door = library.get("summary-next-door")
    assert next_door.summary_paths == []
    assert any("'../good/s.md' is outside the episode folder" in p for p in next_door.problems)


def test_a_summary_link_to_etc_shadow_is_refused(tmp_path):
    folder = hostile.write_episode(
        tmp_path, "ep", hostile.meta("T", summaries=["s.md"]), {"t.txt": "one line\n"}
    )
    os.symlink("/etc/shadow", folder / "s.md")
    episode = Library.load(tmp_path).get("ep")
    assert episode.summary_paths == []
    assert "outside the episode folder" in episode.problems[0]


def test_links_inside_the_episode_folder_still_work(tmp_path):
    folder = hostile.write_episode(
        tmp_path, "ep", hostile.meta("T", transcript="link.txt"), {"real.txt": "one line\n"}
    )
    os.symlink("real.txt", folder / "link.txt")
    episode = Library.load(tmp_path).get("ep")
    assert [line.text for line in episode.transcript.units] == ["one line"]


@pytest.mark.parametrize(
    "name, value",
    [("dur-inf", "inf"), ("dur-nan", "nan"), ("dur-neg", "-100"), ("dur-huge", "1e+308")],
)
def test_bad_duration_is_ignored_with_a_note(corpus, name, value):
    episode = Library.load(corpus).get(name)
    assert episode.meta.duration_s is None
    assert episode.known_duration_s is None
    seconds, estimated = episode_length(episode)  # the engine's estimate, not -2 min
    assert seconds is None or (seconds >= 0 and estimated)
    assert any(f"duration {value} is not a length" in p for p in episode.problems)


def test_wrong_types_are_ignored_with_notes(corpus):
    episode = Library.load(corpus).get("wrong-types")
    assert episode.title == "wrong-types"  # the folder name stands in for a list title
    assert (
        episode.meta.show == "" and episode.meta.video_id == "" and episode.meta.duration_s is None
    )
    assert len(episode.problems) == 4


def test_toml_bomb_is_quick(tmp_path):
    folder = hostile.write_episode(tmp_path, "bomb", "")
    (folder / "episode.toml").write_text("x = " + "[" * 100_000, encoding="utf-8")
    started = time.perf_counter()
    library = Library.load(tmp_path)
    assert time.perf_counter() - started < 10
    assert "nested too deeply" in library.problems[0]


def test_only_regular_files_are_read(tmp_path):
    with pytest.raises(InputError, match="not a regular file"):
        parse_transcript("/dev/zero")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        parse_transcript(fifo)  # would block forever on open() without O_NONBLOCK
    with pytest.raises(InputError, match="is a folder"):
        parse_transcript(tmp_path)


def test_size_limits(tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(500 * 1024 * 1024)  # sparse
    with pytest.raises(InputError, match=r"file is 500 MB; reader reads files of up to 64 MB"):
        parse_transcript(huge)
    line = tmp_path / "line.txt"
    line.write_text("word " * (MAX_LINE_BYTES // 5 + 10), encoding="utf-8")
    with pytest.raises(
        InputError, match=r"line\.txt:1: line is 1 MB long; reader reads lines of up to 1 MB"
    ):
        parse_transcript(line)
    ok = tmp_path / "ok.txt"
    ok.write_text("short line\n" + "word " * (MAX_LINE_BYTES // 6) + "\n", encoding="utf-8")
    assert len(parse_transcript(ok).units) > 1
    # a file that grows past the limit while read stops at the limit
    grown = tmp_path / "grown.txt"
    grown.write_bytes(b"x" * 100)
    with pytest.raises(InputError, match="over"):
        read_limited_growing(grown)


def read_limited_growing(path):
    """read_limited on a file that is appended to between stat and read (simulated by
    a limit smaller than what is read)."""
    import reader.files as files

    real_fstat = os.fstat

    class Small:
        def __init__(self, info):
            self.st_mode, self.st_size = info.st_mode, 10

    try:
        files.os.fstat = lambda fd: Small(real_fstat(fd))
        return read_limited(path, 50)
    finally:
        files.os.fstat = real_fstat


def test_summary_size_limit(tmp_path):
    folder = hostile.write_episode(
        tmp_path, "ep", hostile.meta("T", summaries=["s.md"]), {"t.txt": "one line\n"}
    )
    with open(folder / "s.md", "wb") as fh:
        fh.truncate(9 * 1024 * 1024)
    episode = Library.load(tmp_path).get("ep")
    assert episode.summaries == []
    assert "summary is 9 MB; reader reads summaries of up to 8 MB" in episode.problems[0]


@pytest.mark.parametrize(
    "value",
    [None, float("inf"), float("-inf"), float("nan"), -100, 1e308, 10**400, "x", True, 754.2],
)
def test_time_formatters_never_raise(value):
    assert format_clock(value) in {"--:--", "00:00", "12:34", "99999:00:00"}
    assert format_timestamp(value) in {"--:--:--", "00:00:00", "00:12:34", "99999:00:00"}


# --- state.json ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        "[" * 100_000,
        '{"libraries": ' + "[" * 100_000,
        '{"libraries": {"k": {"episode": "x", "unit": "NaN", "library": [[[[1]]]]}}, "junk": '
        + "[" * 50
        + "]" * 50
        + "}",
        "\x00\xff",
    ],
)
def test_state_file_is_validated_on_read_and_healed(isolated_dirs, tmp_path, content):
    from reader.state import Place, load_place, save_place, state_path

    path = state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8", errors="surrogateescape")
    assert load_place(tmp_path) is None
    assert save_place(tmp_path, Place("ep", 3))
    assert load_place(tmp_path) == Place("ep", 3)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) == {"libraries"}


def test_state_file_that_is_a_fifo_is_ignored(isolated_dirs, tmp_path):
    from reader.state import load_place, state_path

    path = state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    assert load_place(tmp_path) is None


# --- quotes.md -------------------------------------------------------------------------


FULL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    from reader.errors import ReaderError
    from reader.quote import QuoteBook

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
    book = QuoteBook(sys.argv[1])
    book.append('"first quote" — T [00:00:01]')
    size = len(open(sys.argv[1], "rb").read())
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 20, size + 20))  # 20 bytes left
    try:
        book.append('"a second quote that does not fit in twenty bytes" — T [00:00:02]')
    except ReaderError as exc:
        print(exc)
    """
)


def test_quote_append_is_whole_or_nothing_on_a_full_disk(tmp_path):
    path = tmp_path / "quotes.md"
    proc = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(path)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "cannot save the quote" in proc.stdout
    from reader.quote import QuoteBook

    book = QuoteBook(path)
    assert len(book.entries()) == 1 and path.read_text(encoding="utf-8").endswith("[00:00:01]\n")
    book.append('"third" — T [00:00:03]')
    assert [e.split(" · ", 1)[1] for e in book.entries()] == [
        '"first quote" — T [00:00:01]',
        '"third" — T [00:00:03]',
    ]


def test_quote_is_never_glued_onto_a_cut_line(tmp_path):
    from reader.quote import QuoteBook

    path = tmp_path / "quotes.md"
    path.write_text('# Quotes\n\n- 2026-01-01 00:00 · "half a quo', encoding="utf-8")
    QuoteBook(path).append('"next" — T [00:00:03]')
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[-2].endswith("half a quo") and lines[-1].endswith('"next" — T [00:00:03]')
