"""Summaries -> claims: the seed files, every notation, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from material import seed as _seed
from material import write_file as _write
from reader.errors import InputError
from reader.parse.summary import parse_summary, parse_summary_text


@pytest.fixture(scope="module")
def s000():
    return parse_summary(_seed("000"))


@pytest.fixture(scope="module")
def s001():
    return parse_summary(_seed("001"))


@pytest.fixture(scope="module")
def s002():
    return parse_summary(_seed("002"))


# --- seed 000: markdown, wiki links, duplicated body -------------------------------------


def test_000_claim_count_drops_repeated_copy(s000):
    assert len(s000.claims) == 79
    assert [c.index for c in s000.claims] == list(range(79))
    assert any("repeated" in w for w in s000.warnings)
    # the repetition starts on line 87/89; nothing from the second copy survives
    assert max(c.source_line for c in s000.claims) <= 87


def test_000_front_matter(s000):
    assert s000.title == "Impact and future of Anthropics Claude 4 models"
    assert s000.video_id == "W1aGV4K3A8Y"


def test_000_first_claim_under_capabilities(s000):
    first = next(c for c in s000.claims if c.section == "Claude 4 Capabilities")
    assert first.seconds == 58
    assert first.timestamp == "00:00:58"
    assert first.text.startswith("Claude 4, particularly its Opus version")
    assert first.text.endswith("software engineering capabilities.")
    assert first.source_line == 11


def test_000_nested_sections(s000):
    c = next(c for c in s000.claims if c.timestamp == "00:01:38")
    assert c.section == "Claude 4 Capabilities › Key Improvements"
    # bold markup is gone, the timestamp too, and no " ." artifact is left
    assert c.text == "Absolute Intellectual Complexity: The difficulty of the task itself."


def test_000_wiki_link_shows_label(s000):
    c = s000.claims[0]
    assert "AI models" in c.text
    assert "[[" not in c.text and "|" not in c.text
    assert "advancements_and_implications" not in c.text
    assert c.section == ""


def test_000_claim_at_20_minutes(s000):
    hits = [c for c in s000.claims if c.timestamp == "00:20:00"]
    assert len(hits) == 1
    assert hits[0].seconds == 1200
    assert hits[0].section == "Domain-Specific Advancements"
    assert hits[0].text.startswith("While coding is a leading indicator")


def test_000_two_timestamps_in_a_sentence_give_two_claims(s000):
    a = next(c for c in s000.claims if c.timestamp == "00:04:32")
    b = next(c for c in s000.claims if c.timestamp == "00:04:39")
    assert a.source_line == b.source_line == 25
    assert a.text.endswith('"fleet of models"')
    assert b.text.startswith("enabling significant parallelism")


def test_000_no_markup_or_timestamps_left(s000):
    for c in s000.claims:
        assert "[" not in c.text and "**" not in c.text and "<" not in c.text, c
        assert not c.text.endswith(" ."), c
        assert c.text and (c.text[0].isalnum() or c.text[0] == '"'), c  # no leading junk
        assert c.timestamp not in c.text


def test_000_glued_heading_does_not_leak_into_last_claim(s000):
    last = s000.claims[-1]
    assert last.timestamp == "00:54:25"
    assert last.text.endswith("the most important endeavor.")
    assert "#" not in last.text


# --- seed 001: plain text, title-like headings, colon labels --------------------------------


def test_001_claim_count(s001):
    assert len(s001.claims) == 51
    assert s001.title is None and s001.video_id is None


def test_001_plain_headings_and_labels(s001):
    by_ts = {c.timestamp: c for c in s001.claims}
    assert by_ts["00:00:06"].section == ""
    assert by_ts["00:00:58"].section == "Claude 4 and its Capabilities in Software Engineering"
    assert by_ts["00:12:38"].section == (
        "Reliability and the Future of AI Agents in Coding › Leading Indicator"
    )
    assert by_ts["00:02:37"].section.endswith("› Advice for first-time users")
    assert by_ts["00:42:55"].section.endswith("› Pace of Progress")
    # a later heading resets the label
    assert by_ts["00:15:02"].section == "Impact on Software Engineering and Research"
    # "From: redpointai" and "Examples ... include:" are not sections
    assert all("From" not in c.section and "include" not in c.section for c in s001.claims)


def test_001_bullets_and_numbered_items(s001):
    by_ts = {c.timestamp: c for c in s001.claims}
    assert by_ts["00:03:15"].text.startswith("Cursor: A coding tool")
    assert by_ts["00:01:38"].text == "Absolute intellectual complexity of the task."
    assert "•" not in by_ts["00:03:15"].text


# --- seed 002: HTML timestamp anchors, mojibake ---------------------------------------------


def test_002_claim_count_and_front_matter(s002):
    assert len(s002.claims) == 53
    assert s002.video_id == "W1aGV4K3A8Y"
    assert s002.title == "AI advancements in coding and software engineering"


def test_002_mojibake_repaired(s002):
    texts = " ".join(c.text for c in s002.claims)
    assert "Pokémon" in texts
    assert "√" not in texts


def test_002_anchor_timestamps(s002):
    c = s002.claims[1]
    assert c.timestamp == "00:01:04" and c.seconds == 64
    assert "yt-timestamp" not in c.text and "data-t" not in c.text
    assert c.section == "Overview of Latest Models"


def test_002_bold_line_is_a_subsection(s002):
    c = next(c for c in s002.claims if c.timestamp == "00:11:06")
    assert c.section == "AI Agents and Reliability › Reliability of AI Agents"
    assert c.text.startswith("The bar for AI agents is reliability")


# --- notations ------------------------------------------------------------------------


def test_chapter_list_notations():
    text = (
        "# Episode 12\n\n"
        "## Chapters\n"
        "(00:00) Intro\n"
        "(05:30) Why **search** matters\n"
        "01:02:03 - The long tail\n"
        "- 1:10:00 Wrap-up\n"
        "1:15:00 Credits\n"
    )
    s = parse_summary_text(text, Path("notes.md"))
    assert [c.text for c in s.claims] == [
        "Intro",
        "Why search matters",
        "The long tail",
        "Wrap-up",
        "Credits",
    ]
    assert [c.seconds for c in s.claims] == [0, 330, 3723, 4200, 4500]
    assert [c.timestamp for c in s.claims] == ["00:00", "05:30", "01:02:03", "1:10:00", "1:15:00"]
    assert [c.source_line for c in s.claims] == [4, 5, 6, 7, 8]
    assert {c.section for c in s.claims} == {"Chapters"}
    assert s.title == "Episode 12"


def test_mm_ss_brackets_links_code_and_adjacent_stamps():
    text = (
        "First point with `code` and *emphasis* [01:05]. Second with [[page]] and "
        "[[target|label]] [02:10][02:15]. A [link](https://example.com) here [03:00]."
    )
    s = parse_summary_text(text, Path("x.md"))
    assert [c.seconds for c in s.claims] == [65, 130, 135, 180]
    assert s.claims[0].text == "First point with code and emphasis."
    assert s.claims[1].text == "Second with page and label."
    assert s.claims[2].text == s.claims[1].text  # two stamps, same sentence
    assert s.claims[3].text == "A link here."


def test_from_line_and_br_are_not_claims():
    s = parse_summary_text("From: [[redpointai]] <br/>\n\nOnly one [00:00:10].\n", Path("a.md"))
    assert len(s.claims) == 1
    assert s.claims[0].text == "Only one."


def test_no_timestamps_is_a_warning_not_an_error():
    s = parse_summary_text("# Title\n\nJust prose, no times at all.\n", Path("plain.md"))
    assert s.claims == []
    assert "no timestamps found" in s.warnings


def test_broken_front_matter_is_tolerated():
    text = "---\ntitle: [unclosed\nvideoId: abc\n---\n\nA claim [00:00:05].\n"
    s = parse_summary_text(text, Path("bad.md"))
    assert len(s.claims) == 1
    assert s.claims[0].source_line == 6
    assert any("front matter" in w for w in s.warnings)
    assert s.title is None


def test_repeated_block_inside_file_is_dropped_once():
    body = "## A\nOne [00:00:01]. Two [00:00:02]. Three [00:00:03].\n"
    s = parse_summary_text(body + "\n" + body, Path("dup.md"))
    assert [c.seconds for c in s.claims] == [1, 2, 3]
    assert len(s.warnings) == 1 and "repeated" in s.warnings[0]


def test_same_timestamp_with_different_text_is_kept():
    s = parse_summary_text("Alpha [00:00:01]. Beta [00:00:01].\n", Path("x.md"))
    assert [c.text for c in s.claims] == ["Alpha.", "Beta."]


# --- bad input --------------------------------------------------------------------------


def test_empty_file(tmp_path):
    with pytest.raises(InputError, match="empty file") as info:
        parse_summary(_write(tmp_path, "empty.md", "  \n\n\t\n"))
    assert "empty.md" in str(info.value)


def test_binary_file(tmp_path):
    with pytest.raises(InputError, match="binary file, not text"):
        parse_summary(_write(tmp_path, "x.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20))


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        parse_summary(tmp_path / "nope.md")


def test_latin1_decoded_with_warning(tmp_path):
    p = _write(tmp_path, "l1.md", "Le café est bon [00:01:00].\n".encode("latin-1"))
    s = parse_summary(p)
    assert s.claims[0].text == "Le café est bon."
    assert any("not valid UTF-8" in w for w in s.warnings)


def test_control_characters_removed(tmp_path):
    p = _write(tmp_path, "ctl.md", "Evil \x1b[2Jclear \x1b]52;c;UFdORUQ=\x07text [00:00:03].\n")
    s = parse_summary(p)
    assert s.claims[0].text == "Evil clear text."
    assert "\x1b" not in s.claims[0].text and "52;c" not in s.claims[0].text


def test_markdown_link_timestamps_and_parenthesised_times():
    text = (
        "- Opening remarks [00:01](https://youtu.be/abc?t=1)\n"
        "- The main argument (12:34).\n"
        "- Range given [00:20:00 - 00:21:00].\n"
    )
    s = parse_summary_text(text, Path("links.md"))
    assert [(c.text, c.timestamp) for c in s.claims] == [
        ("Opening remarks", "00:01"),
        ("The main argument.", "12:34"),
        ("Range given.", "00:20:00"),
    ]
    assert [c.source_line for c in s.claims] == [1, 2, 3]


def test_multi_line_paragraph_reports_the_timestamp_line():
    text = "## S\nA claim that is wrapped\nover two lines [00:00:07]. Another\none [00:00:09].\n"
    s = parse_summary_text(text, Path("w.md"))
    assert [c.text for c in s.claims] == ["A claim that is wrapped over two lines.", "Another one."]
    assert [c.source_line for c in s.claims] == [3, 4]


# --- Markdown read by markdown-it-py; AI notations by reader's rules ---------------------


def _claims(text: str) -> list[tuple[str, str, str, int]]:
    s = parse_summary_text(text, Path("md.md"))
    return [(c.section, c.text, c.timestamp, c.source_line) for c in s.claims]


def test_emphasis_around_two_stamps_leaves_no_markers():
    text = "Some *italic claim [00:00:10] continues* here [00:00:20].\n"
    assert _claims(text) == [
        ("", "Some italic claim", "00:00:10", 1),
        ("", "continues here.", "00:00:20", 1),
    ]


def test_markdown_escapes_and_entities_read_as_their_characters():
    text = "Price \\$4 \\*not em\\* &amp; more [00:01:06]\nLine one\\\nline two [00:01:08]\n"
    assert [t for _, t, _, _ in _claims(text)] == ["Price $4 *not em* & more", "Line one line two"]
    # the same on a line with a link (links are read first, escapes kept for later)
    text = "See [the docs](https://x.org) \\*as is\\* &amp; more [00:01:06]\n"
    assert [t for _, t, _, _ in _claims(text)] == ["See the docs *as is* & more"]


def test_bold_times_are_chapter_lines():
    assert _claims("**0:00** Intro\n**1:30** Main part\n[**00:02:10**] Outro\n") == [
        ("", "Intro", "0:00", 1),
        ("", "Main part", "1:30", 2),
        ("", "Outro", "00:02:10", 3),
    ]


def test_heading_in_a_list_item_names_a_section():
    assert _claims("- ## Item heading\n  text [00:01]\n") == [("Item heading", "text", "00:01", 2)]


def test_quote_after_a_line_is_its_own_block():
    text = "# Doc\n\n## Part\nA paragraph claim [00:00:05]\n> quoted line [00:00:07]\n"
    assert _claims(text) == [
        ("Part", "A paragraph claim", "00:00:05", 4),
        ("Part", "quoted line", "00:00:07", 5),
    ]


def test_not_markdown_in_ai_summaries():
    # a rule under a line is no setext heading; "[00:01]: Intro" is no link definition;
    # a sentence opening with a year is no list item; a summary wrapped in a fence and an
    # indented heading are text
    assert _claims("Intro line [00:00:01]\n---\nNext [00:00:02].\n") == [
        ("", "Intro line", "00:00:01", 1),
        ("", "Next.", "00:00:02", 3),
    ]
    assert _claims("[00:01]: Intro\n[00:30]: Middle\n") == [
        ("", "Intro", "00:01", 1),
        ("", "Middle", "00:30", 2),
    ]
    year = [("", "2024. A year of growth.", "00:01", 1)]
    assert _claims("2024. A year of growth [00:01].\n") == year
    fenced = "```markdown\n## Part\n- claim one [00:01]\n```\n"
    assert _claims(fenced) == [("Part", "claim one", "00:01", 3)]
    assert _claims("• first [00:01]\n• second [00:02]\n") == [
        ("", "first", "00:01", 1),
        ("", "second", "00:02", 2),
    ]
    assert _claims("Claim text [[00:01:06]] more.\n")[0][2] == "00:01:06"


def test_bold_lines_are_sections_but_bold_bullets_are_claims():
    text = "**Key Points**:\nText here [00:00:05].\n\n- **Point**: explained [00:00:07]\n"
    assert _claims(text) == [
        ("Key Points", "Text here.", "00:00:05", 2),
        ("Key Points", "Point: explained", "00:00:07", 4),
    ]


def test_deeply_nested_lines_are_all_read():
    # markdown-it stops reading containers 20 deep; reader reads those lines itself
    text = "".join("  " * (i % 30) + f"- point {i} [00:00:{i:02d}]\n" for i in range(40))
    text += ">" * 50 + " deep quote [00:01:00]\n"
    s = parse_summary_text(text, Path("deep.md"))
    assert [c.text for c in s.claims] == [f"point {i}" for i in range(40)] + ["deep quote"]
    assert [c.source_line for c in s.claims] == list(range(1, 42))


def test_a_lone_stamped_h1_is_a_claim_not_the_title():
    s = parse_summary_text("# Intro [00:00]\n\nText [00:01].\n", Path("h1.md"))
    assert s.title is None
    assert [(c.section, c.text, c.seconds) for c in s.claims] == [
        ("", "Intro", 0),
        ("Intro", "Text.", 1),
    ]
