"""Opening an episode (reader.opening): the decisions the reader makes, without the UI."""

from __future__ import annotations

import shutil
from pathlib import Path

from reader.length import alignment_length, length_text
from reader.library import load_episode
from reader.opening import HEAD_MIN_BYTES, fallback_alignment, open_episode, parse_head

BUNDLED = Path(__file__).resolve().parents[1] / "library" / "redpoint-douglas-claude-4"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "ep"
    shutil.copytree(BUNDLED, folder)
    return folder


def _align(transcript, summaries, duration_s):
    return fallback_alignment(transcript, summaries, duration_s)


def test_an_episode_opens_with_its_summaries_aligned(tmp_path):
    episode = load_episode(_copy(tmp_path))
    opened = open_episode(episode, _align)
    assert opened.error is None and opened.warnings == []
    assert opened.transcript is not None and opened.transcript.units
    assert len(opened.summaries) == 3
    assert opened.alignment is not None and len(opened.alignment.summaries) == 3
    assert episode.transcript_parsed and episode.summaries_parsed


def test_a_failing_sync_engine_gives_a_rough_alignment_and_a_warning(tmp_path):
    def broken(*_args):
        raise RuntimeError("engine bug")

    opened = open_episode(load_episode(_copy(tmp_path)), broken)
    assert opened.alignment is not None and opened.error is None
    assert opened.warnings and "engine bug" in opened.warnings[0] and "rough" in opened.warnings[0]
    # an untimed interview without a duration: its length is shown as an estimate (~)
    seconds, estimated = alignment_length(opened.alignment, opened.episode.known_duration_s)
    assert estimated and length_text(seconds, estimated).startswith("~")


def test_an_unreadable_transcript_is_an_error_naming_the_file_and_the_summaries_stay(tmp_path):
    folder = _copy(tmp_path)
    (folder / "003_75872830f222a075.txt").write_bytes(b"\x00\x01\x02" * 1000)
    opened = open_episode(load_episode(folder), _align)
    assert opened.transcript is None and opened.alignment is None
    assert opened.error is not None and "003_75872830f222a075.txt" in opened.error
    assert len(opened.summaries) == 3


def test_the_head_of_a_long_transcript_is_painted_first_and_a_short_one_has_none(tmp_path):
    folder = _copy(tmp_path)
    heads = []
    open_episode(load_episode(folder), _align, on_head=heads.append)
    assert heads == []  # 67 KB: parsed whole at once
    path = folder / "003_75872830f222a075.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text * (HEAD_MIN_BYTES // len(text) + 1), encoding="utf-8")
    episode = load_episode(folder)
    opened = open_episode(episode, _align, on_head=heads.append)
    assert len(heads) == 1 and 0 < len(heads[0].units) < len(opened.transcript.units)
    assert heads[0].units[0].text == opened.transcript.units[0].text
    assert parse_head(episode) is None  # parsed now: nothing to paint early


def test_the_head_is_not_read_from_a_binary_file(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "003_75872830f222a075.txt"
    path.write_bytes(b"hello\n\n" + b"\x00" * HEAD_MIN_BYTES)
    assert parse_head(load_episode(folder)) is None


def test_the_parsed_files_can_be_forgotten_and_are_parsed_again(tmp_path):
    episode = load_episode(_copy(tmp_path))
    first = episode.transcript
    episode.forget_parsed(summaries=False)
    assert not episode.transcript_parsed
    assert episode.transcript is not first and episode.transcript.units == first.units
