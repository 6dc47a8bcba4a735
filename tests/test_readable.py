"""Readable text: caption lines joined into paragraphs, wrapped, mapped back to units."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.model import TranscriptUnit
from reader.readable import Readable

CAPTIONS = [
    "But also Douglas was a key part of",
    "the new models. It was",
    "really fun to sit down with him.",
]


def lines(texts, **kw):
    return [TranscriptUnit(t, i + 1, **kw) for i, t in enumerate(texts)]


def test_caption_lines_join_into_one_paragraph():
    doc = Readable(lines(CAPTIONS))
    assert doc.paragraphs() == [
        "But also Douglas was a key part of the new models. It was really fun to sit down with him."
    ]
    rows = doc.layout(40)
    assert [r.text for r in rows] == [
        "But also Douglas was a key part of the",
        "new models. It was really fun to sit",
        "down with him.",
    ]
    assert all(len(r.text) <= 40 for r in rows)


def test_row_unit_spans_are_exact_even_mid_row():
    doc = Readable(lines(CAPTIONS))
    rows = doc.layout(40)
    row = rows[0]
    assert row.unit == 0
    assert row.spans == ((0, 0, 34), (1, 35, 38))
    assert row.text[35:38] == "the"
    assert rows[1].unit == 1  # "new models. It was" is still unit 1
    assert rows.range_columns(1, 2, 2) == (19, 36)
    assert rows[1].text[19:36] == "really fun to sit"
    assert rows.range_columns(0, 2, 2) is None


def test_unit_row_lookups():
    doc = Readable(lines(CAPTIONS))
    rows = doc.layout(40)
    assert [rows.row_of_unit(u) for u in range(3)] == [0, 0, 1]
    assert rows.last_row_of_unit(2) == 2
    assert [rows.unit_of_row(r) for r in range(3)] == [0, 1, 2]


def test_paragraph_breaks_after_sentence_once_long_enough():
    sentence = "one two three four five six seven eight nine ten."  # 10 words
    doc = Readable(lines([sentence] * 20))
    paras = doc.paragraphs()
    assert len(paras) > 1
    assert all(70 <= len(p.split()) <= 150 for p in paras[:-1])
    assert all(p.endswith(".") for p in paras)
    rows = doc.layout(60)
    blanks = [r.index for r in rows if r.blank]
    assert len(blanks) == len(paras) - 1
    assert rows[blanks[0]].text == ""


def test_paragraph_break_inside_a_caption_line():
    # 70 words without a sentence end, then "end. next" inside one caption line
    texts = ["word " * 9 + "word"] * 7 + ["end. Next part starts here"]
    doc = Readable(lines(texts))
    paras = doc.paragraphs()
    assert paras[0].endswith("end.")
    assert paras[1] == "Next part starts here"
    rows = doc.layout(80)
    second = rows.row_of_unit(7)  # the unit starts in the first paragraph
    assert rows[second].text.endswith("end.")
    next_para_row = next(r for r in rows if r.text.startswith("Next"))
    assert next_para_row.unit == 7


def test_no_punctuation_at_all_breaks_at_about_120_words():
    doc = Readable(lines(["and so on and so forth"] * 100))  # 600 words, no full stop
    paras = doc.paragraphs()
    assert len(paras) >= 5
    assert all(100 <= len(p.split()) <= 120 for p in paras[:-1])


def test_lecun_captions_without_punctuation_get_paragraphs():
    from pathlib import Path

    path = Path("/work/shared/bench/lecun/captions.txt")
    if not path.exists():
        bench = Path("/work/shared/bench")
        candidates = list(bench.rglob("captions.txt")) if bench.exists() else []
        if not candidates:
            import pytest

            pytest.skip("lecun captions not present")
        path = candidates[0]
    texts = [t for t in path.read_text(encoding="utf-8").splitlines() if t.strip()]
    doc = Readable(lines(texts))
    paras = doc.paragraphs()
    assert len(paras) > 10
    assert max(len(p.split()) for p in paras) <= 130


def test_paragraphs_never_break_mid_sentence_at_the_cap():
    # the seen bug: "...off the Lego | (blank) | bricks and it had the shadows..."
    long_sentence = ["and it was reflecting the light in the right way off the Lego"] + [
        "bricks and it had the shadows in the right place and this is something"
    ] * 8 + ["it has never seen before."]
    texts = ["We talked about models. " + "It was fine and good. " * 20] + long_sentence
    doc = Readable(lines(texts))
    for para in doc.paragraphs():
        assert para.endswith((".", "?", "!")), para[-60:]
    assert not any(p.startswith("bricks") for p in doc.paragraphs())


def test_run_on_sentence_breaks_only_at_a_clause_well_past_the_cap():
    clause = "so we kept going with the plan"  # 7 words, no sentence end
    intro = ["It was fine. We agreed. " * 5]  # a punctuated transcript
    # then one ~540-word sentence
    texts = intro + [f"{clause}, and then" for _ in range(60)] + ["done."]
    doc = Readable(lines(texts))
    paras = doc.paragraphs()
    assert len(paras) >= 2
    for p in paras[:-1]:
        assert len(p.split()) >= 250
        assert p.endswith((",", "then")) or p.rstrip().endswith(",")


def test_speaker_change_breaks_and_labels():
    units = [
        TranscriptUnit("Hello there.", 1, speaker="Alice"),
        TranscriptUnit("How are you?", 2, speaker="Alice"),
        TranscriptUnit("Fine.", 3, speaker="Bob"),
    ]
    doc = Readable(units)
    assert doc.paragraphs() == ["Alice: Hello there. How are you?", "Bob: Fine."]
    rows = doc.layout(80)
    assert rows.row_of_unit(2) == 2  # after the blank row
    assert rows[2].unit == 2


def test_pause_breaks_timed_paragraphs():
    units = [
        TranscriptUnit("First thought", 1, start=0.0, end=1.0),
        TranscriptUnit("continues here.", 2, start=1.2, end=2.0),
        TranscriptUnit("After a silence.", 3, start=6.0, end=7.0),
    ]
    assert Readable(units, timed=True).paragraphs() == [
        "First thought continues here.",
        "After a silence.",
    ]


def test_width_change_relayouts_and_keeps_unit_map():
    doc = Readable(lines(CAPTIONS * 10))
    narrow, wide = doc.layout(20), doc.layout(100)
    assert len(narrow) > len(wide)
    assert all(len(r.text) <= 20 for r in narrow)
    for u in (0, 7, 29):
        assert u in narrow[narrow.row_of_unit(u)].units
        assert u in wide[wide.row_of_unit(u)].units
    assert doc.layout(20) is narrow  # cached per width


def test_hundred_thousand_char_line_hard_wraps():
    doc = Readable([TranscriptUnit("x" * 100_000, 1)])
    rows = doc.layout(80)  # (how fast: benchmarks/ui_bench.py, never a timed test)
    assert len(rows) == 1250
    assert all(r.text == "x" * 80 for r in rows)
    assert rows.unit_of_row(1249) == 0


def test_controls_and_escape_are_removed():
    doc = Readable(lines(["evil \x1b[31mred\x1b[0m text\ttab", "   ", "[bold]x[/]"]))
    assert "\x1b" not in doc.text
    assert doc.paragraphs() == ["evil red text tab [bold]x[/]"]  # escapes go whole
    rows = doc.layout(80)
    assert rows.row_of_unit(1) == rows.row_of_unit(2)  # the empty unit maps to the next


def test_wide_characters_wrap_by_cells():
    from rich.cells import cell_len

    doc = Readable(lines(["日本語のテキスト " * 20]))
    for r in doc.layout(21):
        assert cell_len(r.text) <= 21


def test_ten_hours_lay_out_to_their_last_unit():
    texts = [f"caption number {i} says something about agents and models" for i in range(100_000)]
    doc = Readable(lines(texts))
    rows = doc.layout(80)  # (how fast: the 10-hour row of benchmarks/ui_bench.py)
    assert rows.last_row_of_unit(99_999) == len(rows) - 1
    assert 99_999 in rows[len(rows) - 1].units


_word = st.text(alphabet="abcxyz.!?,'[]/ 日é", min_size=0, max_size=30)


@settings(max_examples=150, deadline=None)
@given(st.lists(_word, min_size=0, max_size=40), st.integers(min_value=1, max_value=50))
def test_layout_keeps_every_word_and_maps_every_unit(texts, width):
    from rich.cells import cell_len

    doc = Readable(lines(texts), min_words=5, max_words=12)
    rows = doc.layout(width)
    # no text lost or invented: rows hold the words of the units, in order
    shown = "".join(r.text.replace(" ", "") for r in rows)
    assert shown == "".join("".join(t.split()) for t in texts)
    for r in rows:
        assert cell_len(r.text) <= max(width, 2)  # a wide char never splits
    for u, t in enumerate(texts):
        if t.split():
            assert u in rows[rows.row_of_unit(u)].units


def test_caption_speaker_marks_start_new_turns():
    # "- " / ">>" at the start of a cue (or after a sentence end inside one) is a change
    # of speaker: a new paragraph, the mark shown as a styled dash
    doc = Readable(lines([
        "so we have to solve it.",
        "- The following is a conversation",
        "with Douglas.",
        "- Many knobs. - Many knobs.",
        ">> Yes, and a well-known -5 trick.",
    ]))
    assert doc.paragraphs() == [
        "so we have to solve it.",
        "\u2013 The following is a conversation with Douglas.",
        "\u2013 Many knobs.",
        "\u2013 Many knobs.",
        "\u2013 Yes, and a well-known -5 trick.",
    ]
    marks = [doc.text[a:b] for a, b in doc.label_spans(0, len(doc.text))]
    assert marks == ["\u2013"] * 4
    rows = doc.layout(40)
    assert rows.unit_of_row(rows.row_of_unit(3)) == 3
    # both turns of the one cue map back to it
    assert doc.unit_at_offset(doc.text.index("Many knobs.", doc.text.index("Many knobs.") + 1)) == 3


def test_a_dash_inside_a_sentence_is_not_a_turn():
    doc = Readable(lines(["it was - you know - fine", "and -5 degrees out there"]))
    assert doc.paragraphs() == ["it was - you know - fine and -5 degrees out there"]
