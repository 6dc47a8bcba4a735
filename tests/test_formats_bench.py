"""Every real file in ``shared/bench/formats/`` does what its EXPECTED.md line says.

Each case parses the real file as `reader add` would: counts, the file's own times
(spot-checked), speakers, and for the formats reader does not read a refusal that names
the format. One test makes sure no file in the folder goes without a case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from material import bench
from reader.errors import InputError
from reader.model import Transcript
from reader.parse import parse_summary, parse_transcript

FORMATS = "formats"


@dataclass
class Timed:
    n: int | tuple[int, int]  # units, or an inclusive range
    first: float
    last: float
    last_end: float | None = None
    speakers: set[str] | None = None  # exactly these (None: none required)
    first_text: str | None = None
    last_text: str | None = None
    warn: str | None = None  # a warning containing this
    check: Callable[[Transcript], None] | None = None
    timed: bool = True


@dataclass
class Untimed:
    n: int | tuple[int, int]
    first_text: str | None = None
    check: Callable[[Transcript], None] | None = None


@dataclass
class Refused:
    says: str  # the message names the format / the problem
    line: int | None = None
    alt: list[str] = field(default_factory=list)


def _no(substr: str) -> Callable[[Transcript], None]:
    def check(t: Transcript) -> None:
        assert not any(substr in u.text for u in t.units), substr

    return check


def _has(text: str) -> Callable[[Transcript], None]:
    def check(t: Transcript) -> None:
        assert any(text in u.text for u in t.units), text

    return check


def _all(*checks: Callable[[Transcript], None]) -> Callable[[Transcript], None]:
    def check(t: Transcript) -> None:
        for c in checks:
            c(t)

    return check


def _distinct_turns(n: int) -> Callable[[Transcript], None]:
    def check(t: Transcript) -> None:
        assert len({(u.start, u.speaker) for u in t.units}) == n

    return check


def _lenny(t: Transcript) -> None:
    turns = {(u.start, u.speaker) for u in t.units}
    assert len(turns) == 162 + 40
    assert t.units[0].source_line in (42, 43) and t.units[0].start == 0
    assert not any(
        "guest:" in u.text or u.text.startswith("#") for u in t.units
    )  # front matter, headings
    bare = next(u for u in t.units if u.source_line in (48, 49))  # the first bare "(00:01:21):"
    assert bare.start == 81 and bare.speaker == "Lenny" and not bare.text.startswith("(")
    assert not any(u.text.lstrip().startswith("(0") for u in t.units)
    # no turn spans minutes with one start any more: each bare header has its own time
    assert bare.end == 100
    last = t.units[-1]
    assert last.speaker == "Lenny" and last.start == 78 * 60 + 1


CASES: dict[str, Timed | Untimed | Refused] = {
    # --- transcripts/ --------------------------------------------------------------
    "transcripts/assemblyai_huberman_transcript.json": Timed(
        (250, 450),
        0.410,
        None,
        1743.010,
        check=lambda t: (
            (
                # built from the words: ~5,174 words once, not the text field again
                abs(sum(len(u.text.split()) for u in t.units) - 5174) < 10,
                max(len(u.text) for u in t.units) < 400,
            )
            == (True, True)
            or pytest.fail("words not merged once into short units")
        ),
    ),
    "transcripts/assemblyai_huberman_transcript.txt": Untimed(
        (200, 400), "Welcome to the Huberman Lab"
    ),
    "transcripts/lenny_ada-chen-rekhi_transcript.md": Timed(
        (600, 900), 0.0, 78 * 60 + 1, speakers={"Ada Chen Rekhi", "Lenny"}, check=_lenny
    ),
    "transcripts/p20_example.html": Timed(
        (10, 200), 0.0, 691.0, speakers={"Travis", "Sarah", "Gilon"}, check=_distinct_turns(10)
    ),
    "transcripts/p20_example.json": Timed(
        2,
        0.5,
        2.75,
        speakers={"Darth Vader", "Luke"},
        first_text="I am your father.",
        last_text="Nooooo",
    ),
    "transcripts/p20_example.srt": Timed(222, 0.179, 752.671, 754.769),
    "transcripts/p20_example.vtt": Timed(
        7, 0.0, 21.45, speakers={"Sarah", "Gillian"}, check=_all(_has("Q&A"), _no("&amp;"))
    ),
    "transcripts/podscribe_whisper_segments_fixture.json": Timed(
        4,
        0.0,
        15.1,
        18.0,
        first_text="Welcome back to the show.",
        check=lambda t: t.units[2].start == 12.0 or pytest.fail("third segment time"),
    ),
    "transcripts/pycaption_example.sami": Refused("SAMI captions are not supported"),
    "transcripts/pycaption_example.srt": Timed(1847, 9.209, 6534.661, 6537.731),
    "transcripts/pycaption_example.sub": Refused("MicroDVD"),
    "transcripts/pycaption_example.vtt": Timed(1847, 9.209, 6534.661),
    "transcripts/pycaption_example.xml": Timed(
        1847,
        9.209,
        6534.661,
        6537.731,
        check=_all(_has("MAN: When we think of E equals"), _no("<")),
    ),
    "transcripts/pysubs2_ttml_example.ttml": Timed(11, 0.760, 53.5, 58.7),
    "transcripts/pysubs2_ttml_example2.ttml": Timed(
        10, 1.375, 45.325, 50.041, check=_has("- Did he tell you what it was about? - He did")
    ),
    "transcripts/srt_ascii.srt": Timed(
        3,
        27.0,
        34.1,
        36.57,
        check=lambda t: [u.start for u in t.units] == [27.0, 31.5, 34.1] or pytest.fail(),
    ),
    "transcripts/webvttpy_captions_with_bom.vtt": Timed(4, 0.5, 16.32),
    "transcripts/webvttpy_comments.vtt": Timed(
        3, 135.0, 145.0, check=_all(_has("Det är inte varmt."), _no("NOTE"))
    ),
    "transcripts/webvttpy_cue_tags.vtt": Timed(
        3,
        16.5,
        20.5,
        first_text="When the moon hits your eye",
        last_text="That's amore",
        check=_no("<"),
    ),
    "transcripts/webvttpy_empty.vtt": Refused("empty file"),
    "transcripts/webvttpy_invalid.vtt": Timed(7, 0.5, 27.28, warn="WEBVTT header"),
    "transcripts/webvttpy_invalid_format.sbv": Refused("SBV", line=1),
    "transcripts/webvttpy_invalid_format1.srt": Refused("no SRT cues"),
    "transcripts/webvttpy_invalid_format2.srt": Untimed(1, "some text"),
    "transcripts/webvttpy_invalid_format3.srt": Untimed((1, 2), check=_has("some text")),
    "transcripts/webvttpy_invalid_format4.srt": Refused("SRT cue", line=2),
    "transcripts/webvttpy_invalid_timeframe.sbv": Timed(4, 0.378, 17.484, warn="line 7"),
    "transcripts/webvttpy_invalid_timeframe.srt": Timed(5, 0.5, 21.58),
    "transcripts/webvttpy_invalid_timeframe.vtt": Timed(6, 0.5, 27.28, warn="line 6"),
    "transcripts/webvttpy_invalid_timeframe_in_cue_text.vtt": Timed(
        3,
        0.5,
        11.89,
        check=lambda t: (
            [u.start for u in t.units] == [0.5, 7.0, 11.89] or pytest.fail(),
            _no("-->")(t),
        ),
    ),
    "transcripts/webvttpy_metadata_headers.vtt": Timed(
        2, 0.5, 7.0, check=_all(_no("Kind:"), _no("Language:"))
    ),
    "transcripts/webvttpy_metadata_headers_multiline.vtt": Timed(
        2, 0.5, 7.0, check=_all(_no("Style"), _no("::cue"))
    ),
    "transcripts/webvttpy_missing_caption_text.sbv": Timed(
        4,
        0.378,
        17.484,
        check=lambda t: (
            [u.start for u in t.units] == [0.378, 13.489, 15.489, 17.484] or pytest.fail()
        ),
    ),
    "transcripts/webvttpy_missing_caption_text.srt": Timed(
        4,
        0.5,
        21.58,
        check=lambda t: [u.start for u in t.units] == [0.5, 11.89, 16.32, 21.58] or pytest.fail(),
    ),
    "transcripts/webvttpy_missing_caption_text.vtt": Timed(
        4,
        0.5,
        21.58,
        check=lambda t: [u.start for u in t.units] == [0.5, 11.89, 16.32, 21.58] or pytest.fail(),
    ),
    "transcripts/webvttpy_missing_timeframe.sbv": Timed(4, 0.378, 17.484, warn="skipped"),
    "transcripts/webvttpy_missing_timeframe.srt": Timed(
        4,
        0.5,
        21.58,
        check=lambda t: [u.start for u in t.units] == [0.5, 11.89, 16.32, 21.58] or pytest.fail(),
    ),
    "transcripts/webvttpy_missing_timeframe.vtt": Timed(6, 0.5, 27.28, warn="skipped"),
    "transcripts/webvttpy_netflix_chicas_del_cable.vtt": Timed(
        865, 7.96, 3147.32, check=_all(_has("fácil"), _no("<i>"), _no("NOTE"))
    ),
    "transcripts/webvttpy_no_captions.vtt": Refused("no WebVTT cues"),
    "transcripts/webvttpy_one_caption.srt": Timed(1, 0.5, 0.5, 7.0),
    "transcripts/webvttpy_one_caption.vtt": Timed(1, 0.5, 0.5, 7.0),
    "transcripts/webvttpy_sample.srt": Timed(5, 0.5, 21.58),
    "transcripts/webvttpy_sample.vtt": Timed(16, 0.5, 61.35),
    "transcripts/webvttpy_styles.vtt": Timed(
        1, 0.0, 0.0, first_text="- Hello world.", check=_no("STYLE")
    ),
    "transcripts/webvttpy_two_captions.sbv": Timed(
        2, 0.378, 11.378, last_text="Caption text #2 (line 1) Caption text #2 (line 2)"
    ),
    "transcripts/webvttpy_using_identifiers.vtt": Timed(6, 0.5, 23.88, check=_no("crédit")),
    "transcripts/webvttpy_youtube_dl.vtt": Timed(
        3,
        286.07,
        304.08,
        check=lambda t: (
            [u.text for u in t.units] == ["yeah", "what", "this will happen is I'm telling"]
            or pytest.fail()
        ),
    ),
    # --- refuse/ ---------------------------------------------------------------------
    "refuse/p20_chapters_example.json": Refused("chapters file"),
    "refuse/p20_chapters_exampleComplex.json": Refused("chapters file"),
    "refuse/ytdlp_subtitles.mpd": Refused("DASH manifest (MPD)"),
    # --- generated/ ------------------------------------------------------------------
    "generated/whisper_writer_huberman.srt": Timed(318, 0.41, 1740.53, 1743.01),
    "generated/whisper_writer_huberman.vtt": Timed(318, 0.41, 1740.53, 1743.01),
    "generated/whisper_writer_huberman.txt": Untimed(318),
    "generated/yta_asset.json": Timed(
        3, 0.0, 5.7, check=lambda t: t.units[1].start == 1.54 or pytest.fail()
    ),
    "generated/yta_asset.srt": Timed(
        3, 0.0, 5.7, check=lambda t: t.units[1].start == 1.54 or pytest.fail()
    ),
    "generated/yta_asset.vtt": Timed(
        3, 0.0, 5.7, check=lambda t: t.units[1].start == 1.54 or pytest.fail()
    ),
    "generated/yta_asset.txt": Untimed(3),
    "generated/yta_asset_pretty.txt": Refused("Python repr"),
    "generated/yta_asset_raw.json": Timed(3, 0.0, 5.7),
    "generated/yta_nova.json": Timed(
        1847, 9.209, 6534.661, check=_all(_has("MAN: When we think of E"), _no("\n"))
    ),
    "generated/yta_nova.srt": Timed(1847, 9.209, 6534.661),
    "generated/yta_nova.vtt": Timed(1847, 9.209, 6534.661),
    "generated/yta_nova.txt": Untimed(3143),
    "generated/yta_nova_pretty.txt": Refused("Python repr"),
    "generated/yta_nova_raw.json": Timed(1847, 9.209, 6534.661),
    # --- written/ --------------------------------------------------------------------
    "written/written_whisper_sample.tsv": Timed(
        4,
        0.52,
        61.25,
        check=lambda t: (
            [u.start for u in t.units] == [0.52, 4.3, 9.9, 61.25] or pytest.fail(),
            _no("start")(t),
        ),
    ),
    "written/written_whisper_highlight_sample.vtt": Timed(
        2,
        0.52,
        4.3,
        first_text="Welcome back to the workshop.",
        last_text="Captions drift.",
        check=_no("<u>"),
    ),
    "written/written_apple_podcasts_sample.ttml": Timed(
        3,
        0.52,
        61.25,
        65.0,
        speakers={"Maya", "Tom"},
        first_text="Welcome back to the show.",
        check=lambda t: (
            [u.speaker for u in t.units] == ["Maya", "Tom", "Maya"]
            and t.units[1].start == 4.3
            or pytest.fail()
        ),
    ),
    "written/written_bracket_timed_transcript.md": Timed(
        4,
        0.0,
        61.0,
        check=lambda t: (
            [u.start for u in t.units] == [0, 4, 9, 61] or pytest.fail(),
            _no("[0")(t),
            _no("Transcript")(t),
        ),
    ),
    "written/written_gb2312.srt": Timed(
        3,
        1.2,
        61.0,
        first_text="欢迎收听本期节目",
        check=lambda t: t.units[1].start == 4.0 or pytest.fail(),
    ),
    "written/written_sample.scc": Refused("Scenarist SCC captions are not supported"),
}

SUMMARIES = {"written/written_chapters_reading_summary.md"}


def _rel(rel: str) -> str:
    return f"{FORMATS}/{rel}"


def test_every_bench_file_has_a_case():
    root = bench(FORMATS)
    files = {
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.parent != root
    }
    assert files == set(CASES) | SUMMARIES


def _approx(value: float | None, expected: float) -> None:
    assert value is not None and abs(value - expected) < 0.002, (value, expected)


def _count_ok(n: int, expected: int | tuple[int, int]) -> bool:
    return n == expected if isinstance(expected, int) else expected[0] <= n <= expected[1]


@pytest.mark.parametrize("rel", sorted(CASES))
def test_bench_file(rel):
    path = bench(_rel(rel))
    case = CASES[rel]
    if isinstance(case, Refused):
        with pytest.raises(InputError) as info:
            parse_transcript(path)
        message = str(info.value)
        assert str(path) in message and case.says in message, message
        if case.line is not None:
            assert info.value.line == case.line
        assert "\n" not in message and "Traceback" not in message
        return
    t = parse_transcript(path)
    assert _count_ok(len(t.units), case.n), (len(t.units), case.n)
    if isinstance(case, Untimed):
        assert not t.timed and all(u.start is None for u in t.units)
        if case.first_text:
            assert t.units[0].text.startswith(case.first_text)
    else:
        assert t.timed and all(u.start is not None for u in t.units)
        _approx(t.units[0].start, case.first)
        if case.last is not None:
            _approx(t.units[-1].start, case.last)
        if case.last_end is not None:
            _approx(t.last_time, case.last_end)
        if case.speakers is not None:
            assert {u.speaker for u in t.units if u.speaker} == case.speakers
        if case.first_text is not None:
            assert t.units[0].text == case.first_text
        if case.last_text is not None:
            assert t.units[-1].text == case.last_text
        if case.warn is not None:
            assert any(case.warn in w for w in t.warnings), t.warnings
        starts = [u.start for u in t.units]
        assert starts == sorted(starts) or rel.endswith(
            ("invalid_timeframe.sbv", "missing_timeframe.sbv")
        )
    if case.check is not None:
        case.check(t)


def test_chapters_summary_written_four_ways():
    s = parse_summary(bench(_rel("written/written_chapters_reading_summary.md")))
    assert s.title == "Why captions drift"
    assert [(c.seconds, c.text) for c in s.claims][:3] == [
        (0, "Welcome"), (9, "Frame rates"), (61, "Questions")
    ]
    assert 3 <= len(s.claims) <= 12
    assert {c.text for c in s.claims} == {"Welcome", "Frame rates", "Questions"}
    for c in s.claims:  # no URL, no range end, no time in any text
        assert "http" not in c.text and "–" not in c.text and ":" not in c.text, c.text


@pytest.mark.parametrize(
    "rel, n, first, last",
    [
        ("refuse/p20_chapters_example.json", 9, (0, "Intro"), (6089, "Outro")),
        ("refuse/p20_chapters_exampleComplex.json", 10, (0, "Intro"), (6089, "Outro")),
    ],
)
def test_chapters_json_is_a_summary(rel, n, first, last):
    s = parse_summary(bench(_rel(rel)))
    assert len(s.claims) == n
    assert (s.claims[0].seconds, s.claims[0].text) == first
    assert (s.claims[-1].seconds, s.claims[-1].text) == last
    assert 4826 not in [c.seconds for c in s.claims]  # the untitled toc:false marker
    assert (s.claims[1].seconds, s.claims[1].text) == (168, "Hearing Aids")
