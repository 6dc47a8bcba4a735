"""Layouts people bring that the bench has no real file for: each summary layout of
issue 9, Whisper/whisperX/faster-whisper/whisper.cpp JSON, timed text layouts, YAML front
matter in a transcript, Google Meet ``(Name)`` cues."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from material import write_file
from reader.errors import InputError
from reader.parse.summary import parse_summary_text
from reader.parse.transcript import parse_transcript, parse_transcript_text
from reader.text import decode


def claims(text: str, name: str = "s.md") -> list[tuple[float, str]]:
    return [(c.seconds, c.text) for c in parse_summary_text(text, Path(name)).claims]


# --- summaries -------------------------------------------------------------------------


def test_markdown_link_timestamps_keep_their_time_and_lose_the_url():
    text = (
        "## Chapters\n\n"
        "[00:12:34](https://youtu.be/x?t=754) Scaling\n"
        "[01:02:03](https://youtu.be/x?t=3723) Outro\n"
    )
    assert claims(text) == [(754, "Scaling"), (3723, "Outro")]


def test_title_first_chapters():
    assert claims("Intro 0:00\nGuest background 1:51\nThe big question - 12:34\n") == [
        (0, "Intro"), (111, "Guest background"), (754, "The big question")
    ]


def test_a_lone_sentence_ending_in_a_time_is_not_a_chapter():
    assert claims("We met at the station at 10:30\n\nThen we left.\n") == []


def test_one_line_stamp_list():
    text = (
        "Timestamps 00:00:00 Introduction: Lex Fridman 00:02:29 Sponsors: AG1, LMNT "
        "00:07:35 What is AI?\n"
    )
    assert claims(text) == [
        (0, "Introduction: Lex Fridman"), (149, "Sponsors: AG1, LMNT"), (455, "What is AI?")
    ]


def test_table_with_a_time_column():
    text = (
        "| Time | Topic | Notes |\n|---|---|---|\n"
        "| 00:00 | Intro | |\n"
        "| [12:34](https://youtu.be/x?t=754) | Scaling laws | why they hold |\n"
        "| 1:01:00 | Outro | |\n"
    )
    assert claims(text) == [(0, "Intro"), (754, "Scaling laws — why they hold"), (3660, "Outro")]


def test_stamps_in_headings_are_claims_and_name_their_section():
    s = parse_summary_text(
        "# Doc\n\n## Part 1 [0:00]\n\n### Title (01:51)\n\nThe point [00:02:00].\n", Path("h.md")
    )
    got = [(c.seconds, c.text, c.section) for c in s.claims]
    assert got == [
        (0, "Part 1", ""),
        (111, "Title", "Part 1"),
        (120, "The point.", "Part 1 › Title"),
    ]


def test_timestamp_colon_in_parentheses():
    assert claims("- The guest explains scaling (timestamp: 03:10)\n") == [
        (190, "The guest explains scaling")
    ]


def test_bare_t_links_give_the_time():
    text = "- [Scaling](https://youtu.be/x?t=754)\n- [Outro](https://www.youtube.com/watch?v=x&t=1h2m3s)\n"
    assert claims(text) == [(754, "Scaling"), (3723, "Outro")]


def test_range_end_stays_out_of_the_text():
    assert claims("- [00:00–01:51] Title\n- [01:51 - 05:00] Guest\n") == [
        (0, "Title"),
        (111, "Guest"),
    ]


def test_urls_stay_out_of_claim_text():
    text = "- 00:00 Intro https://example.com/page\n- [00:09] Frame rates — https://youtu.be/x?t=9\n"
    assert claims(text) == [(0, "Intro"), (9, "Frame rates")]


def test_chapters_json_as_a_summary():
    data = {"version": "1.2.0", "chapters": [
        {"startTime": 0, "title": "Intro"}, {"startTime": 90.5, "title": "Guest"},
        {"startTime": 120, "toc": False},
    ]}
    assert claims(json.dumps(data, indent=1), "c.json") == [(0, "Intro"), (90.5, "Guest")]


# --- transcripts -------------------------------------------------------------------------


def test_whisper_json_with_words_and_whisperx_speakers(tmp_path):
    data = {"text": " Hello there. General Kenobi.", "language": "en", "segments": [
        {"id": 0, "start": 0.0, "end": 1.5, "text": " Hello there.", "speaker": "SPEAKER_00",
         "words": [{"word": "Hello", "start": 0.0, "end": 0.5}]},
        {"id": 1, "start": 1.6, "end": 3.0, "text": " General Kenobi.", "speaker": "SPEAKER_01"},
    ], "word_segments": []}
    t = parse_transcript(write_file(tmp_path, "w.json", json.dumps(data, indent=2)))
    assert t.format == "whisper-json" and t.timed
    assert [(u.start, u.end, u.text, u.speaker) for u in t.units] == [
        (0.0, 1.5, "Hello there.", "SPEAKER_00"), (1.6, 3.0, "General Kenobi.", "SPEAKER_01")
    ]
    assert t.units[1].source_line > t.units[0].source_line > 1


def test_faster_whisper_segment_list(tmp_path):
    data = [
        {"start": 0.0, "end": 2.0, "text": " One."},
        {"start": 2.5, "end": 4.0, "text": " Two."},
    ]
    t = parse_transcript(write_file(tmp_path, "fw.json", json.dumps(data)))
    assert t.format == "whisper-json" and [(u.start, u.end) for u in t.units] == [(0, 2), (2.5, 4)]


def test_whisper_cpp_json(tmp_path):
    data = {"model": {"type": "base"}, "result": {"language": "en"}, "transcription": [
        {"timestamps": {"from": "00:00:00,000", "to": "00:00:04,200"},
         "offsets": {"from": 0, "to": 4200}, "text": " And so my fellow Americans"},
        {"timestamps": {"from": "00:01:02,500", "to": "00:01:05,000"},
         "offsets": {"from": 62500, "to": 65000}, "text": " ask not."},
    ]}
    t = parse_transcript(write_file(tmp_path, "cpp.json", json.dumps(data, indent=2)))
    assert t.format == "whisper-cpp-json"
    assert [(u.start, u.end, u.text) for u in t.units] == [
        (0, 4.2, "And so my fellow Americans"), (62.5, 65.0, "ask not.")
    ]


def test_assemblyai_speakers_kept_when_there_are_several(tmp_path):
    words = [
        {"text": "Hi", "start": 0, "end": 300, "speaker": "A"},
        {"text": "there.", "start": 300, "end": 600, "speaker": "A"},
        {"text": "Hello.", "start": 900, "end": 1400, "speaker": "B"},
    ]
    t = parse_transcript(
        write_file(tmp_path, "aai.json", json.dumps({"text": "x", "words": words}))
    )
    assert [(u.start, u.text, u.speaker) for u in t.units] == [
        (0, "Hi there.", "A"),
        (0.9, "Hello.", "B"),
    ]


def test_lex_fridman_layout(tmp_path):
    text = (
        "Lex Fridman\n(00:00:00) The following is a conversation with a guest.\n"
        "(00:00:08) Now a quick mention of each sponsor.\n\n"
        "Guest Name\n(00:01:20)\nThank you for having me.\n"
    )
    t = parse_transcript(write_file(tmp_path, "lex.txt", text))
    assert [(u.start, u.speaker, u.text) for u in t.units] == [
        (0, "Lex Fridman", "The following is a conversation with a guest."),
        (8, "Lex Fridman", "Now a quick mention of each sponsor."),
        (80, "Guest Name", "Thank you for having me."),
    ]


def test_dash_bracket_lines_and_front_matter(tmp_path):
    text = (
        "---\ntitle: An episode\nguest: Someone\n---\n\n"
        "# An episode\n\n- [00:00] Hello.\n- [00:04] Then.\n"
    )
    t = parse_transcript(write_file(tmp_path, "t.md", text))
    assert t.timed and [(u.start, u.text, u.source_line) for u in t.units] == [
        (0, "Hello.", 8),
        (4, "Then.", 9),
    ]


def test_front_matter_in_a_plain_transcript_is_not_text(tmp_path):
    t = parse_transcript(
        write_file(tmp_path, "t.txt", "---\ntitle: X\n---\nJust words.\nMore words.\n")
    )
    assert [u.text for u in t.units] == ["Just words.", "More words."]


def test_google_meet_name_cues(tmp_path):
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n(Ana Lopez) Shall we start?\n\n"
        "00:00:03.500 --> 00:00:05.000\n(Ben) Yes.\n\n"
        "00:00:06.000 --> 00:00:08.000\n(Ana Lopez) Good.\n"
    )
    t = parse_transcript(write_file(tmp_path, "meet.vtt", text))
    assert [(u.speaker, u.text) for u in t.units] == [
        ("Ana Lopez", "Shall we start?"), ("Ben", "Yes."), ("Ana Lopez", "Good.")
    ]


def test_a_sound_label_alone_is_no_speaker(tmp_path):
    text = (
        "WEBVTT\n\n00:01.000 --> 00:02.000\n(Laughter) ha\n\n00:02.000 --> 00:03.000\nso yes\n\n"
        "00:03.000 --> 00:04.000\nand then\n\n00:04.000 --> 00:05.000\n(Applause) done\n\n"
        "00:05.000 --> 00:06.000\nthe end\n"
    )
    t = parse_transcript(write_file(tmp_path, "s.vtt", text))
    assert all(u.speaker is None for u in t.units)


@pytest.mark.parametrize(
    "name, data, says",
    [
        ("x.smi", "<SAMI><BODY><SYNC Start=0><P>Hi</SYNC></BODY></SAMI>", "SAMI"),
        ("x.scc", "Scenarist_SCC V1.0\n\n00:00:00:15\t9420 9420\n", "Scenarist SCC"),
        ("x.sub", "{0}{25}Hello\n{30}{50}World\n", "MicroDVD"),
        ("x.txt", "[{'text': 'hi', 'start': 0.0, 'duration': 1.0}]\n", "Python repr"),
    ],
)
def test_unsupported_formats_are_refused_by_name(tmp_path, name, data, says):
    with pytest.raises(InputError, match=says):
        parse_transcript(write_file(tmp_path, name, data))


def test_gb2312_bytes_are_detected_not_cp1252(tmp_path):
    body = "1\n00:00:01,000 --> 00:00:02,000\n欢迎收听本期节目今天我们谈谈字幕\n"
    t = parse_transcript(write_file(tmp_path, "c.srt", body.encode("gb2312")))
    assert t.units[0].text == "欢迎收听本期节目今天我们谈谈字幕"
    assert any("gb" in w.lower() for w in t.warnings)


def test_latin1_still_falls_back_to_cp1252():
    t = parse_transcript_text("un café noir\n", Path("x.txt"))
    assert t.units[0].text == "un café noir"


# --- TTML edge cases -----------------------------------------------------------------------

_TT = '<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter"{attrs}><body>{body}</body></tt>'


def test_ttml_times_relative_to_their_div_when_outside_it():
    text = _TT.format(attrs="", body='<div begin="10s"><p begin="1s" end="2s">late</p></div>')
    t = parse_transcript_text(text, Path("r.ttml"))
    assert [(u.start, u.end) for u in t.units] == [(11, 12)]


def test_ttml_frames_ticks_and_offsets():
    body = (
        '<div><p begin="00:00:01:12" end="00:00:02:00">frames</p>'
        '<p begin="50t" end="60t">ticks</p><p begin="750ms" dur="1.5s">dur</p></div>'
    )
    text = _TT.format(attrs=' ttp:frameRate="24" ttp:tickRate="10"', body=body)
    t = parse_transcript_text(text, Path("f.ttml"))
    assert [(u.text, u.start, u.end) for u in t.units] == [
        ("frames", 1.5, 2.0), ("ticks", 5.0, 6.0), ("dur", 0.75, 2.25)
    ]


def test_ttml_entity_bomb_is_refused_and_external_entities_are_never_read():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE tt [<!ENTITY a0 "aaaaaaaaaa">'
        + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
        + ']>' + _TT.format(attrs="", body='<div><p begin="1s" end="2s">&a9;</p></div>')
    )
    with pytest.raises(InputError, match="malformed TTML"):
        parse_transcript_text(bomb, Path("bomb.ttml"))
    ext = (
        '<?xml version="1.0"?><!DOCTYPE tt [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + _TT.format(attrs="", body='<div><p begin="1s" end="2s">hi &x;</p></div>')
    )
    assert [u.text for u in parse_transcript_text(ext, Path("ext.ttml")).units] == ["hi"]


def test_ttml_broken_midway_keeps_the_whole_cues_with_a_warning():
    text = (
        '<tt xmlns="http://www.w3.org/ns/ttml"><body><div>'
        '<p begin="1s" end="2s">ok</p><p begin="3s">brok'
    )
    t = parse_transcript_text(text, Path("b.ttml"))
    assert [u.text for u in t.units] == ["ok"] and any("malformed" in w for w in t.warnings)


def test_a_source_line_with_a_t_link_is_no_claim():
    assert claims("Source: https://youtube.com/watch?v=x&t=30s\n\n- Point one [00:01:00]\n") == [
        (60, "Point one")
    ]


def test_a_big_gb2312_file_is_detected_too(tmp_path):
    # over the detector's 256 KiB sample, whose cut must not split a character, and so
    # regular that charset-normalizer ranks UTF-16 (no BOM) first
    cue = "{n}\n00:00:01,000 --> 00:00:02,000\n欢迎收听本期节目今天我们谈谈字幕\n\n"
    body = "".join(cue.format(n=i + 1) for i in range(6000)).encode("gb2312")
    assert len(body) > 262144
    t = parse_transcript(write_file(tmp_path, "big.srt", body))
    assert t.units[0].text == "欢迎收听本期节目今天我们谈谈字幕" and len(t.units) == 6000


@pytest.mark.parametrize("word", [b"caf\xe9", "Le café est prêt, très bien.".encode("cp1252")])
def test_short_western_text_is_not_taken_for_an_exotic_code_page(word):
    text, warning = decode(word)
    assert "cp1252" in warning and text == word.decode("cp1252")


def test_google_meet_vtt_name_lines_and_two_speakers_in_one_cue(tmp_path):
    text = (
        "WEBVTT\n\n"
        "00:00:08.000 --> 00:00:12.000\n(Ana Lopez)\nI wanted to start with a little background\n\n"
        "00:00:12.000 --> 00:00:16.000\nabout you. What is your\n\n"
        "00:00:16.000 --> 00:00:20.000\n(Ana Lopez)\nbackground?\n-\n \n"
        "(Ben Ode)\nWork or life?\n\n"
        "00:00:20.000 --> 00:00:24.000\n(Ana Lopez)\nLet's go with work.\n"
    )
    t = parse_transcript(write_file(tmp_path, "meet.vtt", text))
    assert [(u.start, u.speaker, u.text) for u in t.units] == [
        (8, "Ana Lopez", "I wanted to start with a little background"),
        (12, "Ana Lopez", "about you. What is your"),
        (16, "Ana Lopez", "background?"),
        (16, "Ben Ode", "Work or life?"),
        (20, "Ana Lopez", "Let's go with work."),
    ]
    assert not t.warnings
