"""WebVTT and YouTube SBV (via webvtt-py) and SRT (via srt) caption files.

Both are read block by block (blocks are separated by blank lines) so that every cue
keeps the file line its text starts on, and one broken cue costs only that cue: it is
skipped with a warning "line N: skipped malformed cue". A file with no usable cue at all
is an InputError naming the first bad line.

Whisper's word-highlight WebVTT (``--word_timestamps True --highlight_words True``) writes
each segment once per word with that word in ``<u>``; consecutive cues with the same text
are folded back into one unit. Speakers come from ``<v>`` voices, from ``NAME:`` labels,
and from Google Meet's ``(Name)`` lines (a cue may hold two speakers, split by a ``-``
line and a line of one space) or ``(Name) text`` cues, when the cues use the style.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import srt
import webvtt

from reader.errors import InputError
from reader.model import Transcript, TranscriptUnit
from reader.parse._common import collapse, split_lines
from reader.parse.patterns import TAG


@dataclass
class _Cue:
    start: float
    end: float
    lines: list[tuple[int, str]]  # (file line, cleaned text) per non-empty text line
    voice: str | None = None
    highlight: bool = False  # the raw text underlined a word (<u>)


@dataclass
class _Block:
    first_line: int  # 1-based
    lines: list[str]


#: Transcript.format of each caption kind this module reads, and its name in messages.
CAPTION_KINDS = {"vtt": "WebVTT", "srt": "SRT", "sbv": "SBV"}

_ARROW = "-->"
_INDEX = re.compile(r"^\s*-?\d+\s*$")
_TAG = re.compile(rf"{TAG.pattern}|<\d[\d:.]*>")  # markup tags and karaoke times
_ASS = re.compile(r"\{\\[^{}]*\}")  # {\an8} positioning codes in SRT
_PAREN_SPEAKER = re.compile(r"^\(([A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*){0,3})\)\s*(\S.*)$")
_NAME_ALONE = re.compile(r"^\(([A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*){0,3})\)$")  # Google Meet
_SBV_TIMING = re.compile(r"^\s*\d+:\d{1,2}:\d{1,2}\.\d{3},\d+:\d{1,2}:\d{1,2}\.\d{3}\s*$")
_SPEAKER_LABEL = re.compile(
    r"^(?:>>\s*)?([A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*){0,2}|[A-Z][A-Z0-9 _'.-]{1,30}):\s+(\S.*)$"
)


def _blocks(lines: list[str], srt_mode: bool) -> Iterator[_Block]:
    """Split into blank-line separated blocks, one at a time. A timing line (or, for SRT,
    an index line right before one) also starts a new block when the current block
    already has one.

    In WebVTT a line of spaces right after the timing line is the cue's (empty) first text
    line, not its end: YouTube's rolling auto-captions open a cue that way (webvtt-py and
    the spec end a block only at an empty line)."""
    cur: _Block | None = None
    has_arrow = False
    n = len(lines)
    for i, line in enumerate(lines):
        if not line.strip():
            if line and not srt_mode and has_arrow and cur is not None and (
                _ARROW in cur.lines[-1] or not cur.lines[-1].strip()
            ):
                cur.lines.append(line)
                continue
            if cur is not None:
                yield cur
            cur = None
            continue
        if cur is not None and has_arrow:
            starts_new = _ARROW in line or (
                srt_mode and _INDEX.match(line) and i + 1 < n and _ARROW in lines[i + 1]
            )
            if starts_new:
                yield cur
                cur = None
        if cur is None:
            cur = _Block(i + 1, [])
            has_arrow = False
        cur.lines.append(line)
        has_arrow = has_arrow or _ARROW in line
    if cur is not None:
        yield cur


def _clean_cue_text(text: str) -> str:
    text = _ASS.sub("", text)
    text = _TAG.sub("", text)
    return collapse(html.unescape(text))


# --- WebVTT ------------------------------------------------------------------------


def _vtt_cues(text: str, path: Path, warnings: list[str]) -> tuple[list[_Cue], list[int]]:
    lines = split_lines(text)
    stream = _blocks(lines, srt_mode=False)
    cues: list[_Cue] = []
    bad: list[int] = []
    head = next(stream, None)
    blocks: Iterable[_Block] = stream
    if head is not None and head.lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        if any(_ARROW in x for x in head.lines):
            # header glued to the first cue (no blank line): keep the cue part
            k = next(i for i, x in enumerate(head.lines) if _ARROW in x)
            k = k - 1 if k >= 2 else k
            blocks = itertools.chain([_Block(head.first_line + k, head.lines[k:])], stream)
    else:
        if head is not None:
            blocks = itertools.chain([head], stream)
        warnings.append("missing WEBVTT header; read as WebVTT anyway")
    for block in blocks:
        first = block.lines[0].strip()
        if first.startswith(("NOTE", "STYLE", "REGION")) and _ARROW not in first:
            continue
        arrow_at = next((i for i, x in enumerate(block.lines[:2]) if _ARROW in x), None)
        if arrow_at is None:
            if cues and (first == "-" or _NAME_ALONE.match(first)):
                # Google Meet: a second speaker in the same cue, after a "-" and a line
                # holding one space (a blank line to us)
                for j, raw in enumerate(block.lines):
                    cleaned = _clean_cue_text(raw)
                    if cleaned:
                        cues[-1].lines.append((block.first_line + j, cleaned))
                continue
            bad.append(block.first_line)
            continue
        timing_line = block.lines[arrow_at]
        lineno = block.first_line + arrow_at
        start_s, _, rest = timing_line.partition(_ARROW)
        end_s = rest.strip().split()[0] if rest.strip() else ""
        text_lines = block.lines[arrow_at + 1 :]
        try:
            caption = webvtt.Caption(start_s.strip(), end_s, list(text_lines))
            start = caption.start_time.in_milliseconds() / 1000
            end = caption.end_time.in_milliseconds() / 1000
            voice = caption.voice
            raw_lines = caption.lines
        except Exception:  # noqa: BLE001 - webvtt raises several kinds on bad timings
            bad.append(lineno)
            continue
        cue_lines = []
        for j, raw in enumerate(raw_lines):
            cleaned = _clean_cue_text(raw)
            if cleaned:
                cue_lines.append((lineno + 1 + j, cleaned))
        cues.append(
            _Cue(start, max(start, end), cue_lines, voice.strip() if voice else None,
                 any("<u>" in r for r in raw_lines))
        )
    return cues, bad


# --- SBV -----------------------------------------------------------------------------


def looks_sbv(lines: list[str]) -> bool:
    first = next((x for x in lines[:5] if x.strip()), "")
    return bool(_SBV_TIMING.match(first.lstrip("\ufeff")))


def _sbv_cues(text: str, path: Path, warnings: list[str]) -> tuple[list[_Cue], list[int]]:
    """``0:00:00.378,0:00:11.378`` then the text lines; blocks end at a blank line."""
    cues: list[_Cue] = []
    bad: list[int] = []
    cur: _Cue | None = None
    stray_at: int | None = None
    for i, line in enumerate(split_lines(text), start=1):
        if not line.strip():
            cur, stray_at = None, None
            continue
        if cur is None and stray_at is None:
            if _SBV_TIMING.match(line.lstrip("\ufeff")):
                start_s, _, end_s = line.strip().lstrip("\ufeff").partition(",")
                try:
                    caption = webvtt.Caption(start_s, end_s, [])
                    start = caption.start_time.in_milliseconds() / 1000
                    end = caption.end_time.in_milliseconds() / 1000
                except Exception:  # noqa: BLE001 - webvtt raises several kinds on bad timings
                    bad.append(i)
                    stray_at = i
                    continue
                cur = _Cue(start, max(start, end), [])
                cues.append(cur)
                continue
            bad.append(i)  # a block without a (readable) timing line
            stray_at = i
            continue
        if cur is not None:
            cleaned = _clean_cue_text(line)
            if cleaned:
                cur.lines.append((i, cleaned))
    return cues, bad


# --- SRT -----------------------------------------------------------------------------


def _srt_cues(text: str, path: Path, warnings: list[str]) -> tuple[list[_Cue], list[int]]:
    lines = split_lines(text)
    cues: list[_Cue] = []
    bad: list[int] = []
    for block in _blocks(lines, srt_mode=True):
        arrow_at = next((i for i, x in enumerate(block.lines[:3]) if _ARROW in x), None)
        if arrow_at is None:
            # stray text (e.g. a cue's second paragraph after a blank line): attach it to
            # the previous cue rather than lose it
            if cues and not _INDEX.match(block.lines[0]):
                for j, raw in enumerate(block.lines):
                    cleaned = _clean_cue_text(raw)
                    if cleaned:
                        cues[-1].lines.append((block.first_line + j, cleaned))
            else:
                bad.append(block.first_line)
            continue
        lineno = block.first_line + arrow_at
        try:
            subs = list(srt.parse("\n".join(block.lines) + "\n"))
        except Exception:  # noqa: BLE001 - srt.SRTParseError, TimestampParseError, ...
            subs = []
        if len(subs) != 1:
            bad.append(lineno)
            continue
        sub = subs[0]
        start = sub.start.total_seconds()
        end = sub.end.total_seconds()
        cue_lines = []
        for j, raw in enumerate(block.lines[arrow_at + 1 :]):
            cleaned = _clean_cue_text(raw)
            if cleaned:
                cue_lines.append((lineno + 1 + j, cleaned))
        cues.append(_Cue(start, max(start, end), cue_lines))
    return cues, bad


# --- shared: rolling captions, speakers, units ------------------------------------------


def _is_rolling(cues: list[_Cue]) -> bool:
    """YouTube auto-captions: each cue repeats the previous cue's last line."""
    with_text = [c for c in cues if c.lines]
    if len(with_text) < 3:
        return False
    repeats = sum(
        1
        for prev, cur in itertools.pairwise(with_text)
        if cur.lines[0][1] == prev.lines[-1][1] and (len(cur.lines) > 1 or len(prev.lines) > 1)
    )
    return repeats >= 0.3 * (len(with_text) - 1)


def _speaker_labels_used(cues: list[_Cue]) -> re.Pattern[str] | None:
    """The label style the cues use: ``NAME: text`` (two are enough) or Google Meet's
    ``(Name) text`` (most cues: "(Laughter)" alone must not make a speaker)."""
    hits = paren = with_text = 0
    for c in cues:
        if not c.lines:
            continue
        with_text += 1
        if _SPEAKER_LABEL.match(c.lines[0][1]):
            hits += 1
            if hits >= 2:
                return _SPEAKER_LABEL
        if _PAREN_SPEAKER.match(c.lines[0][1]):
            paren += 1
    if paren >= 2 and paren >= 0.5 * with_text:
        return _PAREN_SPEAKER
    return None


def _meet_style(cues: list[_Cue]) -> bool:
    """Google Meet WebVTT: the speaker's name alone in parentheses opens the cue text."""
    hits = 0
    for c in cues:
        if c.lines and _NAME_ALONE.match(c.lines[0][1]):
            hits += 1
            if hits >= 2:
                return True
    return False


def _meet_pieces(cue: _Cue, speaker: str | None) -> list[tuple[int, int, str, str | None]]:
    """A Google Meet cue -> (first line, last line, text, speaker) per speaker in it."""
    pieces: list[tuple[int, int, str, str | None]] = []
    cur: list[tuple[int, str]] = []

    def flush() -> None:
        if cur:
            pieces.append((cur[0][0], cur[-1][0], " ".join(t for _, t in cur), speaker))
            cur.clear()

    for ln, t in cue.lines:
        m = _NAME_ALONE.match(t)
        if m:
            flush()
            speaker = m.group(1)
        elif t != "-":
            cur.append((ln, t))
    flush()
    return pieces


def _fold_highlights(cues: list[_Cue]) -> list[_Cue]:
    """Whisper word-highlight captions: runs of cues with the same text become one cue."""
    if sum(1 for c in cues if c.highlight) < 2:
        return cues
    out: list[_Cue] = []
    for c in cues:
        if not c.lines:
            continue
        if out and [t for _, t in out[-1].lines] == [t for _, t in c.lines]:
            out[-1].end = max(out[-1].end, c.end)
            continue
        out.append(_Cue(c.start, c.end, list(c.lines), c.voice, c.highlight))
    return out


def _units(cues: list[_Cue]) -> list[TranscriptUnit]:
    units: list[TranscriptUnit] = []
    cues = _fold_highlights(cues)
    rolling = _is_rolling(cues)
    labels = _speaker_labels_used(cues)
    meet = not rolling and _meet_style(cues)
    speaker: str | None = None
    recent: list[str] = []  # text lines already shown (rolling mode)
    for cue in cues:
        if not cue.lines:
            continue
        if rolling:
            new = [(ln, t) for ln, t in cue.lines if t not in recent]
            recent = [t for _, t in cue.lines][-3:] + [t for _, t in new][-3:]
            pieces = [(ln, ln, t, cast("str | None", None)) for ln, t in new]
        elif meet:
            pieces = _meet_pieces(cue, speaker)
            speaker = pieces[-1][3] if pieces else speaker
        else:
            text = " ".join(t for _, t in cue.lines)
            pieces = [(cue.lines[0][0], cue.lines[-1][0], text, None)]
        for first, last, text, named in pieces:
            unit_speaker = cue.voice or named
            if labels and unit_speaker is None:
                m = labels.match(text)
                if m:
                    speaker, text = m.group(1).strip(), m.group(2).strip()
                unit_speaker = speaker
            if not text:
                continue
            units.append(
                TranscriptUnit(
                    text=text,
                    source_line=first,
                    start=cue.start,
                    end=cue.end,
                    speaker=unit_speaker,
                    source_line_end=last if last != first else None,
                )
            )
    return units


def parse_captions(text: str, path: Path, kind: str, line_count: int) -> Transcript:
    """kind: "vtt", "srt" or "sbv". ``text`` is already cleaned."""
    warnings: list[str] = []
    reader = {"vtt": _vtt_cues, "srt": _srt_cues, "sbv": _sbv_cues}[kind]
    cues, bad = reader(text, path, warnings)
    label = CAPTION_KINDS[kind]
    if not cues:
        if bad:
            raise InputError(path, f"malformed {label} cue; no usable cues", bad[0])
        raise InputError(path, f"no {label} cues found")
    for lineno in bad:
        warnings.append(f"line {lineno}: skipped malformed cue")
    units = _units(cues)
    return Transcript(
        path=path,
        units=units,
        timed=True,
        source_line_count=line_count,
        format=kind,
        warnings=warnings,
    )
