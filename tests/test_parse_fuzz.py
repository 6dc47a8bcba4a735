"""Property tests: whatever the input, parsers return a result or raise InputError."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.errors import InputError
from reader.model import Summary, Transcript
from reader.parse.summary import parse_summary, parse_summary_text
from reader.parse.transcript import parse_transcript, parse_transcript_text

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

SUFFIXES = [".txt", ".md", ".vtt", ".srt", ".json", ".sbv", ".ttml", ".tsv", ""]

# Fragments that steer random text into each format's code paths.
FRAGMENTS = [
    "WEBVTT\n",
    "WEBVTT\n\n",
    "00:00:01.000 --> 00:00:02.000",
    "00:00:0x.000 --> 00:00:02.000",
    "1\n00:00:01,000 --> 00:00:02,000\n",
    " --> ",
    "<v Alice>",
    "</v>",
    "<00:00:01.500><c> word</c>",
    "{",
    "}",
    "[",
    "]",
    '{"segments": [',
    '{"speaker": "A", "startTime": 1, "endTime": "x", "body": "hi."}',
    '[{"text": "hi", "start": 1, "duration": 2}',
    '"start": -1',
    "Alice: ",
    "Bob (00:01:02): ",
    "Name (12:34)\n",
    "---\n",
    "title: [x\n",
    "# ",
    "## ",
    "**bold**",
    "[00:01:02]",
    "[1:02]",
    "(00:12) ",
    "01:02:03 - ",
    "[[target|label]]",
    "[[",
    '<a class="yt-timestamp" data-t="00:01:06">[00:01:06]</a>',
    "<br/>",
    "<cite>A:</cite><time>0:01</time><p>x</p>",
    "\n",
    "\n\n",
    ". ",
    "e.g. ",
    "Mr. ",
    "\x1b[2J",
    "\x1b]52;c;UFdORUQ=\x07",
    "Pok√©mon",
    "\ufeff",
    "\u2028",
    "\r",
    "x" * 450,
    # formats of issue 9
    '<tt xmlns="http://www.w3.org/ns/ttml"><body><div>',
    '<p begin="0.5" end="1s" ttm:agent="S1">',
    '<p begin="00:00:01:12" dur="30f">',
    "</p>",
    '<ttm:agent xml:id="S1"><ttm:name>Maya</ttm:name></ttm:agent>',
    "<!DOCTYPE tt [<!ENTITY a \"aaaa\">]>",
    "0:00:00.378,0:00:11.378\n",
    "0:00:13.f89,0:00:15.489\n",
    "start\tend\ttext\n",
    "520\t4180\t",
    '{"text": "x", "segments": [{"start": 0, "end": "1", "text": " hi", "speaker": 3}',
    '{"transcription": [{"offsets": {"from": 0, "to": 1000}, "text": " a"}',
    '{"words": [{"text": "Hi.", "start": 10, "end": 20, "speaker": "A"}',
    '{"version": "1.2.0", "chapters": [{"startTime": 1, "title": "T"}',
    "(00:01:21):\n",
    "- [00:04] ",
    "Lex Fridman\n(00:00:00) ",
    "(Ana Lopez)\n",
    "-\n \n",
    "<u>word</u>",
    "[00:12:34](https://youtu.be/x?t=754) ",
    "[Scaling](https://youtu.be/x?t=754)",
    "https://youtu.be/x?t=1h2m3s",
    "| 00:00 | Intro |\n|---|---|\n",
    "Title 1:51\n",
    "Timestamps 00:00:00 Intro 00:02:29 Guest 00:05:00 ",
    "(timestamp: 03:10)",
    "[00:00–01:51] ",
    "### Title (01:51)\n",
    "<SAMI>",
    "Scenarist_SCC V1.0",
    "{1}{2}",
    "[{'text': ",
]

structured_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=30
).map("".join)
any_text = st.one_of(st.text(max_size=400), structured_text)


def _check_summary(result: Summary) -> None:
    assert isinstance(result, Summary)
    for i, c in enumerate(result.claims):
        assert c.index == i
        assert c.source_line >= 1
        assert c.seconds >= 0
        assert "\x1b" not in c.text


def _check_transcript(result: Transcript) -> None:
    assert isinstance(result, Transcript)
    assert result.units, "a transcript without units must be an InputError"
    for u in result.units:
        assert u.text.strip()
        assert 1 <= u.source_line <= max(1, result.source_line_count)
        assert "\x1b" not in u.text and "\x00" not in u.text


@FUZZ
@given(text=any_text, suffix=st.sampled_from(SUFFIXES))
def test_summary_text_only_raises_input_error(text, suffix):
    try:
        result = parse_summary_text(text, Path(f"fuzz{suffix}"))
    except InputError as exc:
        assert "could not read" not in exc.message  # an internal error, wrapped
        return
    _check_summary(result)


@FUZZ
@given(text=any_text, suffix=st.sampled_from(SUFFIXES))
def test_transcript_text_only_raises_input_error(text, suffix):
    try:
        result = parse_transcript_text(text, Path(f"fuzz{suffix}"))
    except InputError as exc:
        assert "could not read" not in exc.message  # an internal error, wrapped
        return
    _check_transcript(result)


any_bytes = st.one_of(
    st.binary(max_size=400),
    structured_text.map(lambda s: s.encode("utf-8", "surrogatepass")),
    structured_text.map(lambda s: s.encode("utf-16")),
    structured_text.map(lambda s: s.encode("latin-1", "replace")),
)


@FUZZ
@given(data=any_bytes, suffix=st.sampled_from(SUFFIXES))
def test_files_of_arbitrary_bytes_only_raise_input_error(data, suffix):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            _check_summary(parse_summary(path))
        except InputError as exc:
            assert exc.path == path
        try:
            _check_transcript(parse_transcript(path))
        except InputError as exc:
            assert exc.path == path
