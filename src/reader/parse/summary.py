"""AI-written summaries -> one Claim per timestamp.

``summary_blocks`` reads optional YAML front matter (title, videoId) and normalises each
line (links, anchors, URLs, tables); ``summary_markdown`` has markdown-it-py read the
Markdown (block structure with source lines; inline markup -> plain text) and splits the
body into blocks (headings, paragraphs, list items, chapter lines); this module tracks the
section path from headings and cuts every timestamped block (plain text) into claims:

- trailing timestamps (``... a sentence [00:01:06].``): a claim's text runs from the
  previous timestamp (or the start of its paragraph/bullet) up to its timestamp;
- leading timestamps (chapter lists ``(12:34) Title``, ``12:34 - Title``, ``[00:01] text``):
  the text runs from the timestamp to the next one or the end of the block.

Sections come from markdown headings (nested ones joined with " › "), from whole-line
bold labels (``**Reliability of AI Agents**``), and, in files without markdown headings,
from short title-like lines standing alone before a paragraph. A short line ending in
":" that stands alone before a paragraph (``Leading Indicator:``) is a subsection label.

A file that holds the same run of claims twice keeps the first copy (with a warning).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from reader.model import Claim, Summary, parse_clock
from reader.parse._common import guarded, parse_file, prepare, split_lines
from reader.parse.chapters_json import looks_chapters_json, parse_chapters_json
from reader.parse.patterns import END_PUNCT, SENTENCE_MARKS, SUMMARY_TIME
from reader.parse.summary_blocks import (
    _BARE_TIME,
    _CHAPTER,
    _TIME_RE,
    _TS_BRACKET,
    _TS_PAREN,
    _Block,
    _front_matter,
    _has_timestamp,
    _logical_lines,
    _table_lines,
    _tidy,
)
from reader.parse.summary_markdown import _blocks

__all__ = ["parse_summary", "parse_summary_text", "SECTION_SEP"]

SECTION_SEP = " › "

_RANGE_SEP = re.compile(rf"({SUMMARY_TIME})\s*(?:[-–—]|to)\s*{SUMMARY_TIME}")
_CLUSTER_GAP = re.compile(r"[\s,;&]*")
# a line ending like a sentence or a clause is no heading
_CLAUSE_END = re.compile(rf"[{SENTENCE_MARKS}:;,][\"'”’)]*$")
# used with match(text, pos); no "]" after it: there a stamp's bracket closes
_FOLLOWING_PUNCT = re.compile(rf"\s*({END_PUNCT}+[\"'”’)]*)")


# --- sections ----------------------------------------------------------------------------

_LABEL_MAX_WORDS = 8
_PLAIN_HEADING_MAX_WORDS = 14


def _single_untimed_line(block: _Block) -> str | None:
    if block.kind != "para" or len(block.lines) != 1:
        return None
    text = block.lines[0][1]
    if _has_timestamp(text):
        return None
    return text


def _is_label(block: _Block, nxt: _Block | None) -> bool:
    text = _single_untimed_line(block)
    if text is None or not text.rstrip().endswith(":"):
        return False
    plain = text
    return len(plain.split()) <= _LABEL_MAX_WORDS and nxt is not None and nxt.kind == "para"


def _is_plain_heading(block: _Block, nxt: _Block | None) -> bool:
    text = _single_untimed_line(block)
    if text is None or nxt is None or nxt.kind in ("heading",):
        return False
    plain = text
    if not plain or len(plain) > 120 or len(plain.split()) > _PLAIN_HEADING_MAX_WORDS:
        return False
    if _CLAUSE_END.search(plain):
        return False
    return plain[0].isupper() or plain[0].isdigit()


# --- claims ------------------------------------------------------------------------------


@dataclass
class _Stamp:
    start: int  # offset in block text
    end: int
    written: str
    seconds: float


def _find_stamps(text: str) -> list[_Stamp]:
    stamps: list[_Stamp] = []
    taken_starts: list[int] = []  # bracket matches, in order (they never overlap each other)
    taken_ends: list[int] = []
    for regex in (_TS_BRACKET, _TS_PAREN):
        for m in regex.finditer(text):
            if regex is _TS_PAREN and taken_starts:
                i = bisect.bisect_left(taken_starts, m.end()) - 1
                if i >= 0 and taken_ends[i] > m.start():
                    continue  # inside "[00:01](https://...)" or similar
            # a range "00:01 - 00:30" is one timestamp (its start); a list is several
            times = _RANGE_SEP.sub(r"\1", m.group("times"))
            for w in _TIME_RE.findall(times):
                secs = parse_clock(w)
                if secs is None:
                    continue
                stamps.append(_Stamp(m.start(), m.end(), w, secs))
            if regex is _TS_BRACKET:
                taken_starts.append(m.start())
                taken_ends.append(m.end())
    stamps.sort(key=lambda s: s.start)
    return stamps


@dataclass
class _RawClaim:
    section: str
    text: str
    timestamp: str
    seconds: float
    line: int


def _block_claims(block: _Block, section: str) -> list[_RawClaim]:
    text_parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for _, t in block.lines:
        starts.append(pos)
        text_parts.append(t)
        pos += len(t) + 1
    text = " ".join(text_parts)
    line_nos = [no for no, _ in block.lines]

    def line_at(offset: int) -> int:
        return line_nos[max(0, bisect.bisect_right(starts, offset) - 1)]

    out: list[_RawClaim] = []
    if block.kind == "stamplist":
        stamps = [
            _Stamp(m.start(), m.end(), m.group(), parse_clock(m.group()) or 0.0)
            for m in _BARE_TIME.finditer(text)
            if parse_clock(m.group()) is not None
        ]
        leading = True
    elif block.kind == "chapter":
        m = _CHAPTER.match(text)
        if m is None:  # cannot happen: chapter blocks are made from matching lines
            return out
        # further stamps in a chapter line split it like any leading-timestamp block
        first = _Stamp(
            m.start("time"), m.end(), m.group("time"), parse_clock(m.group("time")) or 0.0
        )
        stamps = [first] + [s for s in _find_stamps(text) if s.start >= m.end()]
        leading = True
    else:
        stamps = _find_stamps(text)
        if not stamps:
            return out
        prefix = text[: stamps[0].start]
        leading = not re.sub(r"^[\s\-*+•\d.)]*", "", prefix)
    if leading:
        for k, s in enumerate(stamps):
            seg_end = stamps[k + 1].start if k + 1 < len(stamps) else len(text)
            seg = _tidy(text[s.end : seg_end])
            if not seg and out:
                seg = out[-1].text
            out.append(_RawClaim(section, seg, s.written, s.seconds, line_at(s.start)))
        return out
    seg_start = 0
    k = 0
    while k < len(stamps):
        # a cluster of stamps with nothing between them ("[02:10][02:15]", "[01:00], [01:05]")
        j = k
        while j + 1 < len(stamps) and _CLUSTER_GAP.fullmatch(
            text[stamps[j].end : max(stamps[j].end, stamps[j + 1].start)]
        ):
            j += 1
        seg = text[seg_start : stamps[k].start]
        cluster_end = max(s.end for s in stamps[k : j + 1])
        seg_start = cluster_end
        follow = _FOLLOWING_PUNCT.match(text, cluster_end)
        if follow and (j + 1 >= len(stamps) or stamps[j + 1].start >= follow.end()):
            seg = seg.rstrip() + follow.group(1)
            seg_start = follow.end()
        tidy = _tidy(seg)
        if not re.search(r"\w", tidy):
            tidy = ""
        if not tidy and out:
            tidy = out[-1].text  # nothing between two stamps: both mark the same text
        elif not tidy:
            nxt = stamps[j + 1].start if j + 1 < len(stamps) else len(text)
            tidy = _tidy(text[cluster_end:nxt])
        for s in stamps[k : j + 1]:
            out.append(_RawClaim(section, tidy, s.written, s.seconds, line_at(s.start)))
        k = j + 1
    return out


def _dedupe(claims: list[_RawClaim], warnings: list[str]) -> list[_RawClaim]:
    """Drop a repeated run (>= 2) of identical (timestamp, text) claims."""
    keys = [(c.seconds, c.text.casefold()) for c in claims]
    first_seen: dict[tuple[float, str], int] = {}
    keep: list[_RawClaim] = []
    k = 0
    n = len(claims)
    while k < n:
        j = first_seen.get(keys[k])
        if j is not None:
            run = 0
            while k + run < n and j + run < k and keys[j + run] == keys[k + run]:
                run += 1
            if run >= 2:
                warnings.append(
                    f"line {claims[k].line}: dropped a repeated copy of {run} claims "
                    f"(first copy starts at line {claims[j].line})"
                )
                k += run
                continue
        first_seen.setdefault(keys[k], k)
        keep.append(claims[k])
        k += 1
    return keep


# --- entry points --------------------------------------------------------------------------


@guarded
def parse_summary_text(text: str, path: Path) -> Summary:
    """Parse an already-decoded summary. Raises only InputError."""
    path = Path(path)
    text = prepare(text, path)
    lines = split_lines(text)
    warnings: list[str] = []
    if looks_chapters_json(text):
        chapters = parse_chapters_json(text, path)
        if chapters is not None:
            return chapters
    title, video_id, body_at = _front_matter(lines, warnings)
    logical = _logical_lines(lines[body_at:], body_at + 1)
    table = _table_lines(logical)
    if table:
        logical = [(no, table.get(no, line)) for no, line in logical]
    blocks = _blocks(logical)

    has_md_headings = any(b.kind == "heading" for b in blocks)
    h1 = [b for b in blocks if b.kind == "heading" and b.level == 1]
    doc_title_block = None
    first_heading = next((b for b in blocks if b.kind == "heading"), None)
    if len(h1) == 1 and h1[0] is first_heading and not _has_timestamp(h1[0].text):
        # a lone leading "# Title" names the document, not a section ("# Intro [00:00]" is
        # a claim)
        doc_title_block = h1[0]
        if title is None:
            title = h1[0].text or None

    stack: list[tuple[int, str]] = []  # (level, title)
    raw: list[_RawClaim] = []
    for i, block in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if block.kind == "heading":
            if block is doc_title_block:
                continue
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            name = block.text
            if _has_timestamp(block.text):
                # "### Title (01:51)", "## Part 1 [0:00]": a claim, and a section named
                # without its time
                kind = "chapter" if _CHAPTER.match(block.text.strip()) else "para"
                parent = SECTION_SEP.join(n for _, n in stack)
                found = _block_claims(_Block(kind, block.lines), parent)
                raw.extend(found)
                if found:
                    name = found[0].text
            if name:
                stack.append((block.level, name))
            continue
        if block.kind == "boldline":
            name = block.text.rstrip(":").strip()
            while stack and stack[-1][0] >= 7:
                stack.pop()
            if name:
                stack.append((7, name))
            continue
        if block.kind == "meta":
            continue
        if _is_label(block, nxt):
            name = block.text.rstrip(":").strip()
            level = 7 if has_md_headings else 2
            while stack and stack[-1][0] >= level:
                stack.pop()
            if name:
                stack.append((level, name))
            continue
        if not has_md_headings and _is_plain_heading(block, nxt):
            stack = [(1, block.text)]
            continue
        section = SECTION_SEP.join(name for _, name in stack)
        raw.extend(_block_claims(block, section))

    if raw:
        raw = _dedupe(raw, warnings)
    else:
        warnings.append("no timestamps found")
    claims = [
        Claim(i, c.section, c.text, c.timestamp, c.seconds, c.line) for i, c in enumerate(raw)
    ]
    return Summary(path=path, claims=claims, title=title, video_id=video_id, warnings=warnings)


def parse_summary(path: Path) -> Summary:
    """Read and parse a summary file. Raises only InputError."""
    return parse_file(path, parse_summary_text)
