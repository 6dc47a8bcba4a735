"""`reader add` takes the new formats as they come, and `reader list --json` reports each
with its real `timed` value and format."""

from __future__ import annotations

import json

import pytest

from reader.cli import main

from material import bench


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "rel, timed, fmt",
    [
        ("formats/written/written_apple_podcasts_sample.ttml", True, "ttml"),
        ("formats/transcripts/pycaption_example.xml", True, "ttml"),
        ("formats/written/written_whisper_sample.tsv", True, "whisper-tsv"),
        ("formats/transcripts/webvttpy_two_captions.sbv", True, "sbv"),
        ("formats/transcripts/podscribe_whisper_segments_fixture.json", True, "whisper-json"),
        ("formats/transcripts/assemblyai_huberman_transcript.json", True, "assemblyai-json"),
        ("formats/transcripts/lenny_ada-chen-rekhi_transcript.md", True, "speaker"),
        ("formats/written/written_bracket_timed_transcript.md", True, "timed-text"),
        ("formats/transcripts/assemblyai_huberman_transcript.txt", False, "article"),
    ],
)
def test_add_then_list_reports_the_real_timed_value(capsys, tmp_path, rel, timed, fmt):
    transcript = bench(rel)
    lib = tmp_path / "lib"
    code, _, err = run(capsys, "add", str(transcript), "--title", "Episode", "--library", str(lib))
    assert code == 0, err
    code, out, err = run(capsys, "list", "--json", "--library", str(lib))
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["transcript"]["timed"] is timed
    assert row["transcript"]["format"] == fmt
    assert row["transcript"]["lines"] > 0


def test_add_with_a_chapters_json_summary(capsys, tmp_path):
    lib = tmp_path / "lib"
    transcript = bench("formats/written/written_apple_podcasts_sample.ttml")
    chapters = bench("formats/refuse/p20_chapters_example.json")
    code, _, err = run(capsys, "add", str(transcript), "--summary", str(chapters), "--title", "E",
                       "--library", str(lib))
    assert code == 0, err
    code, out, _ = run(capsys, "list", "--json", "--library", str(lib))
    (row,) = json.loads(out)
    assert [s["claims"] for s in row["summaries"]] == [9]


@pytest.mark.parametrize(
    "rel, says",
    [
        ("formats/transcripts/pycaption_example.sami", "SAMI"),
        ("formats/written/written_sample.scc", "SCC"),
        ("formats/refuse/ytdlp_subtitles.mpd", "MPD"),
        ("formats/refuse/p20_chapters_example.json", "chapters"),
    ],
)
def test_add_refuses_unsupported_formats_in_one_line(capsys, tmp_path, rel, says):
    lib = tmp_path / "lib"
    code, out, err = run(capsys, "add", str(bench(rel)), "--library", str(lib))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and says in lines[0] and rel.rsplit("/", 1)[1] in lines[0]
    assert "Traceback" not in err
    assert not lib.exists() or not any(lib.iterdir())
