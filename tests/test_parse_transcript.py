"""Transcripts in every supported format: real bench files, seeds, synthetic edge cases."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from material import bench as _bench
from material import seed as _seed
from material import write_file as _write
from reader.errors import InputError
from reader.parse.transcript import parse_transcript, parse_transcript_text


def _clock(s: str) -> float:
    h, m, rest = s.split(":")
    sec, ms = re.split(r"[,.]", rest)
    return int(h) * 3600 + int(m) * 60 + int(sec) + int(ms) / 1000


# --- real bench files ------------------------------------------------------------------


@pytest.fixture(scope="module")
def lecun_srt():
    return parse_transcript(_bench("lecun-416/captions.srt"))


def test_lecun_srt_every_cue_timed(lecun_srt):
    raw = _bench("lecun-416/captions.srt").read_text(encoding="utf-8")
    timings = re.findall(r"^(\S+) --> (\S+)$", raw, re.M)
    assert lecun_srt.format == "srt"
    assert lecun_srt.timed is True
    assert len(lecun_srt.units) == 4047 == len(timings)
    first, last = lecun_srt.units[0], lecun_srt.units[-1]
    assert first.start == pytest.approx(_clock(timings[0][0]))
    assert first.end == pytest.approx(_clock(timings[0][1]))
    assert last.start == pytest.approx(_clock(timings[-1][0]))
    assert last.end == pytest.approx(_clock(timings[-1][1]))
    assert lecun_srt.last_time == pytest.approx(_clock(timings[-1][1]))
    assert first.text == "I see the danger of this concentration"
    assert first.source_line == 3
    assert lecun_srt.source_line_count == len(raw.splitlines())
    assert lecun_srt.warnings == []
    starts = [u.start for u in lecun_srt.units]
    assert starts == sorted(starts)


def test_lecun_txt_matches_srt_line_for_line(lecun_srt):
    txt = parse_transcript(_bench("lecun-416/captions.txt"))
    assert txt.format == "text"
    assert txt.timed is False
    assert len(txt.units) == 4047
    assert all(u.start is None and u.end is None for u in txt.units)
    # the two files come from the same captions (the .txt has two name spellings fixed)
    differ = [a.text for a, b in zip(txt.units, lecun_srt.units, strict=True) if a.text != b.text]
    assert len(differ) <= 5
    # cues are separated by blank lines: unit N sits on file line 2N-1
    assert txt.units[10].source_line == 21


def test_podcast_namespace_json_merges_words_into_lines():
    t = parse_transcript(_bench("podcast-namespace-examples/transcripts-example.json"))
    assert t.format == "podcast-json" and t.timed
    assert [(u.speaker, u.text) for u in t.units] == [
        ("Darth Vader", "I am your father."),
        ("Luke", "Nooooo"),
    ]
    vader, luke = t.units
    assert (vader.start, vader.end) == (0.5, 2.5)
    assert (luke.start, luke.end) == (2.75, 3.0)
    assert vader.source_line == 4 and vader.source_line_end == 22  # the objects' lines
    assert luke.source_line == 28
    assert t.source_line_count == 35


def test_podcast_namespace_vtt_voice_spans():
    t = parse_transcript(_bench("podcast-namespace-examples/transcripts-example.vtt"))
    assert t.format == "vtt" and t.timed
    assert [u.speaker for u in t.units] == ["Sarah"] * 5 + ["Gillian"] * 2
    assert t.units[0].text == "In today's episode, you'll learn whether or not you"
    assert "Q&A" in t.units[2].text and "&amp;" not in t.units[2].text
    assert "<v" not in " ".join(u.text for u in t.units)
    assert t.units[5].start == pytest.approx(19.08)
    assert t.units[0].source_line == 4


def test_podcast_namespace_srt_speaker_labels():
    t = parse_transcript(_bench("podcast-namespace-examples/transcripts-example.srt"))
    assert t.format == "srt" and t.timed
    assert t.units[0].speaker == "Travis"
    assert t.units[0].text == "When you first get started in podcasting, it's"
    assert (t.units[0].source_line, t.units[0].source_line_end) == (3, 4)
    # the label carries to the following cues until another speaker is named
    assert t.units[1].speaker == "Travis"
    speakers = {u.speaker for u in t.units}
    assert {"Travis", "Sarah"} <= speakers
    assert not any(u.text.startswith(("Travis:", "Sarah:")) for u in t.units)


def test_podcast_namespace_html_agrees_with_srt():
    html_t = parse_transcript(_bench("podcast-namespace-examples/transcripts-example.html"))
    srt_t = parse_transcript(_bench("podcast-namespace-examples/transcripts-example.srt"))
    assert html_t.format == "speaker" and html_t.timed
    assert html_t.units[0].speaker == "Travis"
    assert html_t.units[0].text.startswith("When you first get started in podcasting, it's")
    assert "&#39;" not in html_t.units[0].text and "<p>" not in html_t.units[0].text
    # same speakers in the same order of first appearance, same words roughly
    def order(t):
        seen = []
        for u in t.units:
            if u.speaker not in seen:
                seen.append(u.speaker)
        return seen

    assert order(html_t) == order(srt_t)
    words = lambda t: set(re.findall(r"[a-z']+", " ".join(u.text for u in t.units).lower()))  # noqa: E731
    overlap = len(words(html_t) & words(srt_t)) / len(words(srt_t))
    assert overlap > 0.9


def test_chapters_json_is_refused_clearly():
    with pytest.raises(InputError, match="chapters") as info:
        parse_transcript(_bench("podcast-namespace-examples/chapters-example.json"))
    assert "chapters-example.json" in str(info.value)


# --- seeds -------------------------------------------------------------------------------


def test_seed_003_caption_text_one_unit_per_line():
    p = _seed("003")
    t = parse_transcript(p)
    nonblank = [i for i, x in enumerate(p.read_text(encoding="utf-8").split("\n"), 1) if x.strip()]
    assert t.format == "text" and not t.timed
    assert 1700 <= len(t.units) < 1800
    assert len(t.units) == len(nonblank)
    assert [u.source_line for u in t.units] == nonblank
    assert t.units[0].text == "But also Douglas was a key part of"
    assert t.source_line_count == 1776


def test_seed_004_article_split_into_sentences():
    t = parse_transcript(_seed("004"))
    assert t.format == "article" and not t.timed
    on9 = [u for u in t.units if u.source_line == 9]
    assert len(on9) > 50
    assert all(len(u.text) <= 600 for u in on9)
    texts = [u.text for u in on9]
    # glued sentences ("the same.The models") are separated; decimals are not split
    assert "The strengths of these models are the same." in texts
    assert not any(x.endswith("3.") for x in texts)
    # short lines stay whole
    assert any(u.text == "NOW PLAYING" and u.source_line == 11 for u in t.units)


# --- synthetic formats ---------------------------------------------------------------------

ROLLING_VTT = """WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.000 align:start position:0%
so<00:00:00.500><c> today</c><00:00:01.000><c> we</c>

00:00:02.000 --> 00:00:02.010 align:start position:0%
so today we
 

00:00:02.010 --> 00:00:04.000 align:start position:0%
so today we
talk<00:00:02.500><c> about</c><00:00:03.000><c> search</c>

00:00:04.000 --> 00:00:04.010 align:start position:0%
talk about search
 

00:00:04.010 --> 00:00:06.000 align:start position:0%
talk about search
and<00:00:04.500><c> why</c><00:00:05.000><c> it</c><00:00:05.500><c> matters</c>
"""  # noqa: W293 (the lines of one space are YouTube's)


def test_youtube_rolling_vtt_deduplicated(tmp_path):
    t = parse_transcript(_write(tmp_path, "auto.en.vtt", ROLLING_VTT))
    assert t.format == "vtt" and t.timed
    assert [u.text for u in t.units] == ["so today we", "talk about search", "and why it matters"]
    assert [u.start for u in t.units] == [0.0, 2.01, 4.01]
    assert [u.source_line for u in t.units] == [6, 14, 22]


YTDLP_VTT = (Path(__file__).resolve().parent / "data" / "ytdlp"
             / "How captions drift, and how to read them anyway [rDr7cAp0n5Q].en.vtt")


def test_rolling_vtt_first_cue_opening_with_a_line_of_one_space_keeps_its_time():
    # YouTube's first rolling cue: the timing line, a line holding one space, then the
    # words. The space is cue text (webvtt-py agrees), not the cue's end.
    t = parse_transcript(YTDLP_VTT)
    assert t.warnings == []
    first = t.units[0]
    assert first.text.startswith("welcome back to the channel")
    assert (first.start, first.end, first.source_line) == (1.2, 8.61, 7)
    assert t.units[1].start == 8.62
    assert sum("welcome back to the channel" in u.text for u in t.units) == 1


def test_vtt_line_of_spaces_after_cue_text_still_ends_the_cue():
    text = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n \nHello there.\n   \n"
            "2\n00:00:03.000 --> 00:00:04.000\nGeneral.\n")
    t = parse_transcript_text(text, Path("x.vtt"))
    assert [(u.text, u.start) for u in t.units] == [("Hello there.", 1.0), ("General.", 3.0)]
    assert t.warnings == []


def test_plain_vtt_keeps_repeated_short_cues():
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nYeah.\n\n"
        "00:00:02.000 --> 00:00:03.000\nYeah.\n\n00:00:03.000 --> 00:00:04.000\nRight.\n"
    )
    t = parse_transcript_text(text, Path("x.vtt"))
    assert [u.text for u in t.units] == ["Yeah.", "Yeah.", "Right."]


def test_speaker_labelled_text_untimed():
    text = "Alice: Hi there.\nBob: Hello!\nAlice: How are you?\nI mean really.\n\nBob: Fine.\n"
    t = parse_transcript_text(text, Path("talk.txt"))
    assert t.format == "speaker" and not t.timed
    assert [(u.speaker, u.text, u.source_line) for u in t.units] == [
        ("Alice", "Hi there.", 1),
        ("Bob", "Hello!", 2),
        ("Alice", "How are you? I mean really.", 3),
        ("Bob", "Fine.", 6),
    ]
    assert t.units[2].source_line_end == 4


def test_speaker_turns_with_times():
    text = (
        "Lex Fridman (00:00:05): Welcome to the show.\n"
        "Yann LeCun (00:01:10): Thanks for having me.\n"
        "It is a pleasure.\n"
        "Lex Fridman (01:15:00)\n"
        "Let us talk about open source.\n"
    )
    t = parse_transcript_text(text, Path("t.txt"))
    assert t.format == "speaker" and t.timed
    assert [u.speaker for u in t.units] == ["Lex Fridman", "Yann LeCun", "Lex Fridman"]
    assert [u.start for u in t.units] == [5, 70, 4500]
    assert [u.end for u in t.units] == [70, 4500, None]
    assert t.units[1].text == "Thanks for having me. It is a pleasure."
    assert t.units[2].text == "Let us talk about open source."
    assert t.units[2].source_line == 5


def test_youtube_transcript_api_json(tmp_path):
    data = [
        {"text": "hello &amp; welcome", "start": 0.0, "duration": 1.5},
        {"text": "to the\nshow", "start": 1.5, "duration": 2.0},
        {"text": "[Music]", "start": 3.5, "duration": 1.0},
    ]
    t = parse_transcript(_write(tmp_path, "yt.json", json.dumps(data, indent=2)))
    assert t.format == "yt-json" and t.timed
    assert [u.text for u in t.units] == ["hello & welcome", "to the show", "[Music]"]
    assert [(u.start, u.end) for u in t.units] == [(0.0, 1.5), (1.5, 3.5), (3.5, 4.5)]
    assert [u.source_line for u in t.units] == [2, 7, 12]


def test_podcast_json_merges_until_pause_or_fifteen_words():
    segs = [
        {"speaker": "A", "startTime": i * 0.5, "endTime": i * 0.5 + 0.4, "body": f"w{i}"}
        for i in range(20)
    ]
    segs.append({"speaker": "A", "startTime": 20.0, "endTime": 20.5, "body": "later"})
    t = parse_transcript_text(json.dumps({"version": "1.0.0", "segments": segs}), Path("p.json"))
    assert [len(u.text.split()) for u in t.units] == [15, 5, 1]
    assert t.units[2].start == 20.0


def test_sentence_splitter_in_articles():
    long = (
        "Mr. Smith met Dr. Jones in the U.S. capital on Jan. 5. They discussed e.g. budgets "
        "worth 3.5 billion dollars. Was it enough? Nobody knew! " * 6
    )
    t = parse_transcript_text("Title\n" + long + "\n", Path("a.txt"))
    assert t.format == "article"
    body = [u.text for u in t.units if u.source_line == 2]
    assert body[:4] == [
        "Mr. Smith met Dr. Jones in the U.S. capital on Jan. 5.",
        "They discussed e.g. budgets worth 3.5 billion dollars.",
        "Was it enough?",
        "Nobody knew!",
    ]
    assert t.units[0].text == "Title"


# --- bad input ------------------------------------------------------------------------------


def test_empty_and_whitespace_files(tmp_path):
    for name, data in [("e.txt", b""), ("w.srt", b" \n\t\r\n  ")]:
        with pytest.raises(InputError, match="empty file") as info:
            parse_transcript(_write(tmp_path, name, data))
        assert name in str(info.value)


def test_binary_file(tmp_path):
    with pytest.raises(InputError, match="binary file, not text"):
        parse_transcript(_write(tmp_path, "a.vtt", bytes(range(256)) * 4))


def test_latin1_text_decoded_with_warning(tmp_path):
    p = _write(tmp_path, "l1.txt", "un café noir\ns'il vous plaît\n".encode("latin-1"))
    t = parse_transcript(p)
    assert [u.text for u in t.units] == ["un café noir", "s'il vous plaît"]
    assert any("not valid UTF-8" in w and "cp1252" in w for w in t.warnings)


def test_vtt_with_broken_time_line_keeps_good_cues(tmp_path):
    text = (
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:02.000\nfirst\n\n"
        "00:00:0x.000 --> 00:00:03.000\nbroken\n\n"
        "00:00:04.000 --> 00:00:05.000\nlast\n"
    )
    t = parse_transcript(_write(tmp_path, "b.vtt", text))
    assert [u.text for u in t.units] == ["first", "last"]
    assert "line 6: skipped malformed cue" in t.warnings


def test_vtt_with_only_broken_cues_names_file_and_line(tmp_path):
    text = "WEBVTT\n\n00:00:01.000 --> banana\nbroken\n"
    with pytest.raises(InputError) as info:
        parse_transcript(_write(tmp_path, "bad.vtt", text))
    assert info.value.line == 3
    assert str(info.value).startswith(str(tmp_path / "bad.vtt") + ":3:")


def test_srt_with_broken_cue(tmp_path):
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nok one\n\n2\n00:00:02,000 -> 00:00:03,000\nbad\n\n"
        "3\n00:00:04,000 --> 00:00:05,000\nok two\n"
    )
    t = parse_transcript(_write(tmp_path, "s.srt", text))
    assert [u.text for u in t.units] == ["ok one", "ok two"]
    assert any(w.startswith("line 5") or w.startswith("line 6") for w in t.warnings)


def test_truncated_json_names_the_file(tmp_path):
    p = _write(
        tmp_path, "cut.json", '{"version": "1.0.0", "segments": [\n  {"speaker": "A", "body": "hi"'
    )
    with pytest.raises(InputError, match="invalid JSON") as info:
        parse_transcript(p)
    assert "cut.json" in str(info.value)
    assert info.value.line == 2


def test_control_characters_removed(tmp_path):
    p = _write(tmp_path, "c.txt", "hello \x1b[2Jworld\nclip \x1b]52;c;UFdORUQ=\x07board\n")
    t = parse_transcript(p)
    assert [u.text for u in t.units] == ["hello world", "clip board"]


def test_control_characters_removed_inside_json(tmp_path):
    data = [{"text": "a\u001b]52;c;UFdORUQ=\u0007b", "start": 0, "duration": 1}]
    t = parse_transcript(_write(tmp_path, "x.json", json.dumps(data)))
    assert t.units[0].text == "ab"


def test_json_with_entities_and_accents_is_not_corrupted_by_repairs(tmp_path):
    # A raw line holding both non-ASCII text and "&quot;" must still parse as JSON.
    raw = '[{"text": "playing &quot;Pok√©mon&quot; again", "start": 0, "duration": 1}]'
    t = parse_transcript(_write(tmp_path, "yt.json", raw))
    assert t.units[0].text == 'playing "Pokémon" again'


def test_unknown_json_shape_is_refused(tmp_path):
    with pytest.raises(InputError, match="not a known transcript format"):
        parse_transcript(_write(tmp_path, "x.json", '{"hello": 1}'))


def test_caption_text_starting_with_bracket_is_not_json():
    t = parse_transcript_text("[Music]\nwelcome back everyone\n", Path("c.txt"))
    assert t.format == "text"
    assert [u.text for u in t.units] == ["[Music]", "welcome back everyone"]


def test_vtt_without_header_read_with_warning(tmp_path):
    text = "00:00:01.000 --> 00:00:02.000\nhello\n\n00:00:02.000 --> 00:00:03.000\nagain\n"
    t = parse_transcript(_write(tmp_path, "n.vtt", text))
    assert t.format == "vtt"
    assert [u.text for u in t.units] == ["hello", "again"]
    assert any("WEBVTT" in w for w in t.warnings)
