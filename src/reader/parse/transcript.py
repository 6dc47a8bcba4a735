"""Transcripts in any of the formats people actually have, detected by content.

Formats (``Transcript.format``):

- ``text``: untimed caption text, one unit per non-blank line.
- ``article``: prose with very long lines; lines over ~400 characters are split into
  sentences that share the line's ``source_line``.
- ``speaker``: ``Name: text`` lines or ``Name (12:34): text`` / ``Name (12:34)`` turns
  (text may continue on the following lines until the next turn; long turns are split
  into sentences); a bare ``(12:34):`` header is a new turn of the same speaker; a name
  alone before a ``(12:34)`` line names the speaker (Lex Fridman). Also the Podcasting
  2.0 HTML transcript (``<cite>``/``<time>``/``<p>``).
- ``timed-text``: lines led by a time (``[mm:ss] text``, ``- [00:00] text``), no speakers.

YAML front matter is metadata and ``#`` headings of a Markdown transcript are titles:
neither is transcript text (see :mod:`reader.parse.timed_text`).
- ``vtt``, ``srt``: caption files (see :mod:`reader.parse.captions`).
- ``sbv``: YouTube SBV captions (see :mod:`reader.parse.captions`).
- ``yt-json``, ``podcast-json``: JSON transcripts (see :mod:`reader.parse.jsonfmt`).
- ``whisper-json``, ``whisper-cpp-json``, ``whisper-tsv``: :mod:`reader.parse.whisper`.
- ``assemblyai-json``: :mod:`reader.parse.assemblyai`.
- ``ttml``: TTML/DFXP, Apple Podcasts transcripts (:mod:`reader.parse.ttml`).

Formats it does not read (SAMI, SCC, MPD, MicroDVD, a Python repr) are refused by name
(:mod:`reader.parse.unsupported`).
"""

from __future__ import annotations

import bisect
import html
import re
from pathlib import Path
from typing import Any

from reader.errors import InputError
from reader.model import Transcript, TranscriptUnit, parse_clock
from reader.parse._common import (
    clean_raw,
    collapse,
    guarded,
    parse_file,
    prepare,
    split_lines,
)
from reader.parse.assemblyai import parse_assemblyai_json
from reader.parse.captions import CAPTION_KINDS, looks_sbv, parse_captions
from reader.parse.jsonfmt import (
    NotTranscriptJSON,
    detect_json_kind,
    load_json,
    parse_podcast_json,
    parse_yt_json,
)
from reader.parse.patterns import TAG, TRANSCRIPT_TIME
from reader.parse.sentences import split_sentences
from reader.parse.timed_text import (
    HEADING,
    front_matter_end,
    is_name_line,
    looks_stamp_led,
    stamp_line,
)
from reader.parse.ttml import TTML, looks_ttml, parse_ttml
from reader.parse.unsupported import refuse_unsupported
from reader.parse.whisper import (
    WHISPER_TSV,
    looks_whisper_tsv,
    parse_whisper_cpp_json,
    parse_whisper_json,
    parse_whisper_tsv,
)

_JSON_PARSERS = {
    "yt-json": parse_yt_json,
    "podcast-json": parse_podcast_json,
    "whisper-json": parse_whisper_json,
    "whisper-cpp-json": parse_whisper_cpp_json,
    "assemblyai-json": parse_assemblyai_json,
}

#: Every ``Transcript.format`` whose times come from the file's structure (caption cues,
#: TTML, JSON segments, TSV rows), built from the parsers dispatched below. The other
#: formats are text layouts (``text``, ``article``, ``speaker``, ``timed-text``) read
#: from prose; a summary can read as one of those too (``- [00:09] Frame rates`` is
#: timed-text), never as one of these.
TIMED_FORMATS = frozenset({*CAPTION_KINDS, *_JSON_PARSERS, TTML, WHISPER_TSV})

__all__ = ["parse_transcript", "parse_transcript_text", "LONG_LINE", "TIMED_FORMATS"]

LONG_LINE = 400  # characters; longer lines are prose to split into sentences

# --- speaker turns -------------------------------------------------------------------

_NAME = (
    r"(?:[A-Z][\w'’.-]*(?:\s(?:[A-Z0-9][\w'’.-]*|de|da|del|van|von|der|bin|al|la|le)){0,3}"
    r"|[A-Z][A-Z0-9_]{1,30})"
)
# "Name: text", "Name (12:34): text", "Name [12:34] text", "Name (12:34)" alone,
# and Otter-style "Name  12:34" alone on its line.
_TURN = re.compile(
    rf"^\s*(?P<name>{_NAME})\s*"
    rf"(?:(?:[\(\[](?P<time>{TRANSCRIPT_TIME})[\)\]])\s*(?::\s*|\s+|$)|:\s+|:$|\s+(?P<time2>{TRANSCRIPT_TIME})\s*$)"
    r"(?P<text>.*)$"
)
_NOT_NAMES = frozenset(
    "note notes warning update edit example examples source sources http https www "
    "transcript summary chapter chapters title tags tag date time link links".split()
)

_CUE_TIMING = re.compile(r"^\s*\d+:\d{2}:\d{2}[,.]\d{1,3}\s*-->", re.M)
_SRT_SNIFF = re.compile(r"^\s*\d+\s*\n\s*\d+:\d{2}:\d{2}[,.]\d+\s*-->", re.M)
_VTT_SNIFF = re.compile(r"^\s*(?:\d+:)?\d{2}:\d{2}\.\d{3}\s+-->", re.M)
_HTML_TURN = re.compile(
    r"<cite>(?P<name>.*?)</cite>\s*(?:<time>(?P<time>.*?)</time>)?\s*<p>(?P<text>.*?)</p>",
    re.S | re.I,
)


def _unescape(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def _match_turn(line: str) -> re.Match[str] | None:
    m = _TURN.match(line)
    if not m:
        return None
    name = m.group("name").strip()
    if name.lower() in _NOT_NAMES or len(name) > 40:
        return None
    return m


def _looks_speaker_labelled(lines: list[str]) -> bool:
    nonblank = [x for x in lines if x.strip()]
    if not nonblank:
        return False
    hits = timed = 0
    names: dict[str, int] = {}
    first_is_turn = False
    for i, line in enumerate(nonblank):
        m = _match_turn(line)
        if not m:
            continue
        if i == 0:
            first_is_turn = True
        hits += 1
        if m.group("time") or m.group("time2"):
            timed += 1
        name = m.group("name").strip()
        names[name] = names.get(name, 0) + 1
    if hits < 2:
        return False
    repeated = sum(1 for c in names.values() if c >= 2)
    if timed >= 2:
        return True
    if hits >= 0.2 * len(nonblank) and repeated >= 1:
        return True
    return first_is_turn and hits >= 3 and repeated >= 1 and len(names) <= 12


def _next_starts(starts: list[float | None]) -> list[float | None]:
    """Each turn's end: the next known start, when it is not earlier (one backward pass)."""
    ends: list[float | None] = [None] * len(starts)
    nxt: float | None = None
    for k in range(len(starts) - 1, -1, -1):
        start = starts[k]
        if start is not None:
            ends[k] = nxt if nxt is not None and nxt >= start else None
            nxt = start
    return ends


def _split_unit(
    pieces: list[tuple[int, str]],
    speaker: str | None,
    start: float | None,
    end: float | None,
) -> list[TranscriptUnit]:
    """One turn (list of (file line, text)) -> units; long turns become sentences."""
    pieces = [(ln, collapse(_unescape(t))) for ln, t in pieces if t.strip()]
    if not pieces:
        return []
    joined = " ".join(t for _, t in pieces)
    first, last = pieces[0][0], pieces[-1][0]
    if len(joined) <= LONG_LINE:
        return [
            TranscriptUnit(joined, first, start, end, speaker, last if last != first else None)
        ]
    # offsets of each piece in the joined text, to find where every sentence starts/ends
    offsets: list[tuple[int, int]] = []
    pos = 0
    for ln, t in pieces:
        offsets.append((pos, ln))
        pos += len(t) + 1

    starts_at = [off for off, _ in offsets]

    def line_at(offset: int) -> int:
        return offsets[max(0, bisect.bisect_right(starts_at, offset) - 1)][1]

    units: list[TranscriptUnit] = []
    cursor = 0
    for sentence in split_sentences(joined):
        at = joined.find(sentence, cursor)
        if at < 0:
            at = cursor
        s_line = line_at(at)
        e_line = line_at(at + max(0, len(sentence) - 1))
        cursor = at + len(sentence)
        units.append(
            TranscriptUnit(
                sentence, s_line, start, end, speaker, e_line if e_line != s_line else None
            )
        )
    return units


def _parse_speaker(lines: list[str], path: Path, line_count: int, skip: int = 0,
                   markdown: bool = False) -> Transcript:
    """Speaker turns and stamp-led lines. ``skip``: lines of front matter to pass over;
    ``markdown``: ``#`` headings are titles, not text."""
    turns: list[dict[str, Any]] = []
    cur: dict[str, Any] | None = None
    speaker: str | None = None  # the speaker going on, for bare stamp lines
    n = len(lines)
    for i, line in enumerate(lines, start=1):
        if i <= skip or not line.strip():
            continue
        if markdown and HEADING.match(line):
            continue
        stamp = stamp_line(line)
        if stamp is not None:
            t, rest = stamp
            cur = {"speaker": speaker, "start": parse_clock(t), "pieces": []}
            turns.append(cur)
            if rest:
                cur["pieces"].append((i, rest))
            continue
        if is_name_line(line) and i < n:
            nxt = next((x for x in lines[i:i + 3] if x.strip()), "")
            if stamp_line(nxt) is not None:
                speaker = line.strip().rstrip(":").strip()  # Lex Fridman: the name alone
                continue
        m = _match_turn(line)
        if m:
            t = m.group("time") or m.group("time2")
            speaker = m.group("name").strip()
            cur = {
                "speaker": speaker,
                "start": parse_clock(t) if t else None,
                "pieces": [],
            }
            turns.append(cur)
            rest = m.group("text").strip()
            if rest:
                cur["pieces"].append((i, rest))
            elif not t:
                cur["label_line"] = i
        else:
            if cur is None:
                cur = {"speaker": None, "start": None, "pieces": []}
                turns.append(cur)
            cur["pieces"].append((i, line))
    timed = any(t["start"] is not None for t in turns)
    units: list[TranscriptUnit] = []
    ends = _next_starts([t["start"] for t in turns])
    for turn, end in zip(turns, ends, strict=True):
        units.extend(_split_unit(turn["pieces"], turn["speaker"], turn["start"], end))
    kind = "speaker" if any(u.speaker for u in units) else ("timed-text" if timed else "text")
    return Transcript(path, units, timed, line_count, kind, [])


def _parse_html_turns(text: str, path: Path, line_count: int) -> Transcript | None:
    """The Podcasting 2.0 HTML transcript: <cite>Name:</cite><time>0:53</time><p>..</p>."""
    matches = list(_HTML_TURN.finditer(text))
    if len(matches) < 1:
        return None
    units: list[TranscriptUnit] = []
    turns = []
    for m in matches:
        who = collapse(html.unescape(TAG.sub("", m.group("name")))).rstrip(":").strip()
        t = m.group("time")
        start = parse_clock(collapse(TAG.sub("", t))) if t else None
        body = collapse(html.unescape(TAG.sub(" ", m.group("text"))))
        line = text.count("\n", 0, m.start("text")) + 1
        turns.append((who or None, start, body, line))
    for (name, start, body, line), end in zip(
        turns, _next_starts([t[1] for t in turns]), strict=True
    ):
        units.extend(_split_unit([(line, body)], name, start, end))
    timed = any(t[1] is not None for t in turns)
    return Transcript(path, units, timed, line_count, "speaker", [])


# --- plain text and articles -------------------------------------------------------------


def _parse_plain(lines: list[str], path: Path, line_count: int, html_like: bool,
                 skip: int = 0, markdown: bool = False) -> Transcript:
    units: list[TranscriptUnit] = []
    article = False
    for i, line in enumerate(lines, start=1):
        if i <= skip or (markdown and HEADING.match(line)):
            continue
        if html_like:
            line = TAG.sub(" ", line)
        text = collapse(_unescape(line))
        if not text:
            continue
        if len(text) > LONG_LINE:
            article = True
            units.extend(TranscriptUnit(s, i) for s in split_sentences(text))
        else:
            units.append(TranscriptUnit(text, i))
    return Transcript(path, units, False, line_count, "article" if article else "text", [])


def _looks_html(text: str) -> bool:
    head = text[:5000].lower()
    return head.lstrip().startswith(("<!doctype html", "<html")) or (
        len(TAG.findall(head)) >= 5 and any(t in head for t in ("<p>", "<p ", "<div", "<br"))
    )


# --- entry points ----------------------------------------------------------------------


@guarded
def parse_transcript_text(text: str, path: Path) -> Transcript:
    """Parse an already-decoded transcript. Raises only InputError."""
    path = Path(path)
    result = _detect_and_parse(text, path)
    if not result.units:
        raise InputError(path, f"no transcript text found ({result.format})")
    return result


def _detect_and_parse(text: str, path: Path) -> Transcript:
    if not isinstance(text, str):
        raise InputError(path, "not text")
    raw = clean_raw(text)
    stripped = raw.lstrip()
    suffix = path.suffix.lower()
    refuse_unsupported(stripped, path)

    if stripped[:1] in "[{" or suffix == ".json":
        if not stripped:
            raise InputError(path, "empty file")
        line_count = len(split_lines(raw))
        try:
            data = load_json(raw, path)
        except InputError:
            if suffix == ".json" or stripped[:1] == "{":
                raise
            data = None  # e.g. a caption text starting with "[Music]"
        if data is not None:
            try:
                kind = detect_json_kind(data)
            except NotTranscriptJSON as exc:
                raise InputError(path, str(exc)) from None
            return _JSON_PARSERS[kind](data, raw, path, line_count)

    if stripped[:1] == "<" and looks_ttml(stripped):
        return parse_ttml(raw, path, len(split_lines(raw)))

    text = prepare(text, path)
    lines = split_lines(text)
    line_count = len(lines)
    if text.lstrip().startswith("WEBVTT"):
        return parse_captions(text, path, "vtt", line_count)
    if suffix == ".sbv" or looks_sbv(lines):
        return parse_captions(text, path, "sbv", line_count)
    if looks_whisper_tsv(lines):
        return parse_whisper_tsv(lines, path)

    has_arrow = "-->" in text
    if suffix == ".srt" and has_arrow or _SRT_SNIFF.search(text):
        return parse_captions(text, path, "srt", line_count)
    if suffix == ".vtt" and has_arrow or _VTT_SNIFF.search(text) or _CUE_TIMING.search(text):
        return parse_captions(text, path, "vtt", line_count)

    warnings: list[str] = []
    if suffix in (".srt", ".vtt"):
        label = "SRT" if suffix == ".srt" else "WebVTT"
        if all(not x.strip() or x.strip().isdigit() for x in lines):
            raise InputError(path, f"no {label} cues (cue numbers only, no timings or text)")
        warnings.append(f"named {suffix} but holds no caption cues; read as plain text")

    html_like = _looks_html(text)
    if html_like:
        result = _parse_html_turns(text, path, line_count)
        if result is not None and result.units:
            result.warnings[:0] = warnings
            return result

    skip = front_matter_end(lines)
    body = lines[skip:]
    markdown = suffix in (".md", ".markdown") or skip > 0
    if not html_like and (_looks_speaker_labelled(body) or looks_stamp_led(body)):
        result = _parse_speaker(lines, path, line_count, skip, markdown)
    else:
        result = _parse_plain(lines, path, line_count, html_like, skip, markdown)
    result.warnings[:0] = warnings
    return result


def parse_transcript(path: Path) -> Transcript:
    """Read and parse a transcript file. Raises only InputError."""
    return parse_file(path, parse_transcript_text)
