"""`reader add` takes the new formats as they come, and `reader list --json` reports each
with its real `timed` value and format."""

from __future__ import annotations

import json

import pytest

from material import bench, seed
from reader.cli import main
from reader.errors import InputError
from reader.parse.transcript import TIMED_FORMATS, parse_transcript


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


TIMED_AS_SUMMARY = [
    ("formats/written/written_apple_podcasts_sample.ttml", "ttml"),
    ("formats/transcripts/pycaption_example.xml", "ttml"),
    ("formats/transcripts/webvttpy_two_captions.sbv", "sbv"),
    ("formats/transcripts/podscribe_whisper_segments_fixture.json", "whisper-json"),
    ("formats/written/written_whisper_sample.tsv", "whisper-tsv"),
    ("formats/transcripts/assemblyai_huberman_transcript.json", "assemblyai-json"),
    ("formats/transcripts/p20_example.json", "podcast-json"),
    ("formats/generated/yta_nova.json", "yt-json"),
    ("formats/transcripts/p20_example.srt", "srt"),
    ("formats/transcripts/webvttpy_sample.vtt", "vtt"),
]


@pytest.mark.parametrize("rel, fmt", TIMED_AS_SUMMARY)
def test_a_timed_transcript_given_as_the_summary_is_named_as_one(capsys, tmp_path, rel, fmt):
    lib = tmp_path / "lib"
    code, _, err = run(capsys, "add", str(seed("003")), "--summary", str(bench(rel)),
                       "--library", str(lib))
    assert code == 2
    (line,) = err.strip().splitlines()
    assert f"{rel.rsplit('/', 1)[1]}: is a timed transcript ({fmt}), not a summary" in line
    assert not lib.exists()


def test_a_ttml_transcript_and_a_summary_swapped_says_swap(capsys, tmp_path):
    lib = tmp_path / "lib"
    ttml = bench("formats/written/written_apple_podcasts_sample.ttml")
    code, _, err = run(
        capsys, "add", str(seed("000")), "--summary", str(ttml), "--library", str(lib)
    )
    assert code == 2
    assert "is a timed transcript (ttml)" in err and "did you swap" in err
    assert not lib.exists()


LAYOUTS = {"text", "article", "speaker", "timed-text"}  # read from prose, as summaries are


@pytest.mark.parametrize("folder", ["formats/transcripts", "formats/written", "formats/generated"])
def test_every_timed_format_the_parsers_give_on_real_files_is_known_as_timed(folder, tmp_path):
    # TIMED_FORMATS is built from the parsers; each real file must land in it or be a layout
    formats = set()
    for path in sorted(bench(folder).iterdir()):
        try:
            t = parse_transcript(path)
        except InputError:
            continue
        formats.add(t.format)
        assert t.format in TIMED_FORMATS or t.format in LAYOUTS, (path.name, t.format)
        if t.format in TIMED_FORMATS:
            assert t.timed, path.name
    assert formats & TIMED_FORMATS


def test_a_whisper_cpp_json_given_as_the_summary_is_named_as_one(capsys, tmp_path):
    # no real whisper.cpp file in the bench: the shape its --output-json writes
    cpp = tmp_path / "talk.json"
    cpp.write_text(json.dumps({"transcription": [
        {"timestamps": {"from": "00:00:00,000", "to": "00:00:04,200"},
         "offsets": {"from": 0, "to": 4200}, "text": " And so my fellow Americans"}]}))
    lib = tmp_path / "lib"
    code, _, err = run(
        capsys, "add", str(seed("003")), "--summary", str(cpp), "--library", str(lib)
    )
    assert code == 2 and "is a timed transcript (whisper-cpp-json)" in err
    assert not lib.exists()
