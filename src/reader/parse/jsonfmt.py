"""JSON transcripts: youtube-transcript-api lists and Podcasting 2.0 segment files.

source_line of a unit is the file line where its (first) JSON object starts; the lines
are found by a light scan of the raw text that skips over strings.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reader.errors import InputError
from reader.model import Transcript, TranscriptUnit, parse_clock
from reader.parse._common import clean_fragment, collapse
from reader.parse.patterns import SENTENCE_END

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]]|\n')

MERGE_MAX_WORDS = 15
MERGE_MAX_PAUSE = 1.5


class NotTranscriptJSON(Exception):
    """Valid JSON, but not a transcript shape we know (message says what it is)."""


def load_json(text: str, path: Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"invalid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise InputError(path, "invalid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. huge integers
        raise InputError(path, f"invalid JSON: {exc}") from None


def _object_lines(text: str, depth: int) -> list[int]:
    """1-based lines of every '{' that opens at nesting ``depth`` inside an array."""
    out: list[int] = []
    stack: list[str] = []
    line = 1
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok == "\n":
            line += 1
        elif tok[0] == '"':
            continue
        elif tok in "{[":
            if tok == "{" and len(stack) + 1 == depth and stack and stack[-1] == "[":
                out.append(line)
            stack.append(tok)
        elif stack:
            stack.pop()
    return out


_KEYED_TOKEN = re.compile(r'"((?:[^"\\\n]|\\.)*)"([ \t]*:)?|[{}\[\]]|\n')


def keyed_object_lines(text: str, key: str) -> list[int]:
    """1-based lines of every object that is an item of an array held under ``key`` in a
    top-level object (``{"segments": [{...}, ...]}``), in file order. One linear scan."""
    out: list[int] = []
    stack: list[str | None] = []  # per open container: the key it was opened under
    pending: str | None = None
    line = 1
    for m in _KEYED_TOKEN.finditer(text):
        tok = m.group()
        if tok == "\n":
            line += 1
        elif tok[0] == '"':
            pending = m.group(1) if m.group(2) else None
        elif tok in "{[":
            if tok == "{" and len(stack) == 2 and stack[1] == key:
                out.append(line)
            stack.append(pending if len(stack) == 1 else None)
            pending = None
        elif stack:
            stack.pop()
    return out


def with_lines(items: list[Any], lines_at: list[int]) -> Iterator[tuple[int, Any]]:
    """Each item of a JSON list with the file line where it starts (``lines_at``, from
    :func:`keyed_object_lines` or the like; 1 past what the scan found)."""
    for i, item in enumerate(items):
        yield (lines_at[i] if i < len(lines_at) else 1), item


def _seconds(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    v: float | None
    if isinstance(value, (int, float)):
        v = float(value)
    elif isinstance(value, str):
        v = parse_clock(value)
    else:
        return None
    if v is None:
        return None
    if not math.isfinite(v) or v < 0:
        return None
    return v


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    return collapse(html.unescape(clean_fragment(value)))


def _dicts(items: list[Any]) -> list[dict[str, Any]]:
    return [x for x in items[:50] if isinstance(x, dict)]


def detect_json_kind(data: Any) -> str:
    """yt-json | podcast-json | whisper-json | whisper-cpp-json | assemblyai-json."""
    if isinstance(data, list):
        items = _dicts(data)
        if items and all("text" in x for x in items) and len(items) == len(data[:50]):
            if all("start" in x and "end" in x and "duration" not in x for x in items):
                return "whisper-json"  # faster-whisper / whisperX segment lists
            return "yt-json"
        if not data:
            return "yt-json"
    if isinstance(data, dict):
        segments = data.get("segments")
        if isinstance(segments, list):
            items = _dicts(segments)
            if items and any("startTime" in x or "body" in x for x in items):
                return "podcast-json"
            if items and any("start" in x and ("text" in x or "words" in x) for x in items):
                return "whisper-json"
            return "podcast-json"
        if isinstance(data.get("transcription"), list):
            return "whisper-cpp-json"
        if isinstance(data.get("words"), list) or isinstance(data.get("utterances"), list):
            return "assemblyai-json"
        if isinstance(data.get("snippets"), list):  # newer youtube-transcript-api dumps
            return "yt-json"
        if isinstance(data.get("chapters"), list):
            raise NotTranscriptJSON(
                "a chapters file (Podcasting 2.0 JSON chapters), not a transcript; "
                "add it as a summary (--summary)"
            )
    raise NotTranscriptJSON("JSON that is not a known transcript format")


def parse_yt_json(data: Any, text: str, path: Path, line_count: int) -> Transcript:
    depth = 2
    if isinstance(data, dict):
        data = data["snippets"]
        depth = 3
    lines_at = _object_lines(text, depth)
    warnings: list[str] = []
    units: list[TranscriptUnit] = []
    skipped = 0
    for src, item in with_lines(data, lines_at):
        if not isinstance(item, dict):
            skipped += 1
            continue
        body = _text(item.get("text"))
        if not body:
            continue
        start = _seconds(item.get("start"))
        if start is None:
            skipped += 1
            warnings.append(f"line {src}: skipped entry without a usable start time")
            continue
        duration = _seconds(item.get("duration"))
        end = start + duration if duration is not None else None
        units.append(TranscriptUnit(body, src, start, end))
    if not units and skipped:
        raise InputError(path, "no usable entries in the youtube transcript JSON", 1)
    return Transcript(path, units, True, line_count, "yt-json", warnings)


def parse_podcast_json(data: dict[str, Any], text: str, path: Path, line_count: int) -> Transcript:
    segments = data["segments"]
    lines_at = _object_lines(text, 3)
    warnings: list[str] = []
    units: list[TranscriptUnit] = []

    group: list[tuple[int, float, float, str]] = []  # (line, start, end, body)
    group_speaker: str | None = None

    def flush() -> None:
        nonlocal group
        if group:
            body = " ".join(g[3] for g in group)
            first, last = group[0][0], group[-1][0]
            units.append(
                TranscriptUnit(
                    text=body,
                    source_line=first,
                    start=group[0][1],
                    end=max(g[2] for g in group),
                    speaker=group_speaker,
                    source_line_end=last if last != first else None,
                )
            )
        group = []

    bad = 0
    for src, seg in with_lines(segments, lines_at):
        if not isinstance(seg, dict):
            bad += 1
            continue
        body = _text(seg.get("body"))
        if not body:
            continue
        start = _seconds(seg.get("startTime"))
        end = _seconds(seg.get("endTime"))
        if start is None:
            bad += 1
            warnings.append(f"line {src}: skipped segment without a usable startTime")
            continue
        if end is None or end < start:
            end = start
        speaker_raw = seg.get("speaker")
        speaker = (_text(speaker_raw) or None) if speaker_raw is not None else None
        if group and (
            speaker != group_speaker
            or start - group[-1][2] > MERGE_MAX_PAUSE
        ):
            flush()
        if not group:
            group_speaker = speaker
        group.append((src, start, end, body))
        words = sum(len(g[3].split()) for g in group)
        if SENTENCE_END.search(body) or words >= MERGE_MAX_WORDS:
            flush()
    flush()
    if not units and bad:
        raise InputError(path, "no usable segments in the transcript JSON", 1)
    return Transcript(path, units, True, line_count, "podcast-json", warnings)
