"""What Whisper and its relatives write: JSON segments, whisper.cpp JSON, TSV.

- ``whisper-json``: openai-whisper's ``--output_format json`` (``{"text", "segments":
  [{"start", "end", "text", "words"?}]}``), also what whisperX (``"speaker"`` on a
  segment) and faster-whisper scripts write, and a bare list of such segments. One unit
  per segment (segments are already phrase-sized); the top-level ``text`` is the same
  words again and is not read.
- ``whisper-cpp-json``: whisper.cpp's ``-oj`` (``{"transcription": [{"offsets": {"from",
  "to"} (ms), "timestamps", "text"}]}``).
- ``whisper-tsv``: Whisper's ``--output_format tsv``: a ``start<TAB>end<TAB>text`` header,
  then one row per segment with times in milliseconds.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reader.errors import InputError
from reader.model import Transcript, TranscriptUnit, parse_clock
from reader.parse._common import collapse
from reader.parse.jsonfmt import _object_lines, _seconds, _text, keyed_object_lines, with_lines

WHISPER_TSV = "whisper-tsv"  # Transcript.format of the .tsv; the JSON kinds are jsonfmt's
_TSV_HEADER = re.compile(r"^\s*start\tend\ttext\s*$")
_TSV_ROW = re.compile(r"^\s*(\d+(?:\.\d+)?)\t(\d+(?:\.\d+)?)\t(.*)$")


def _speaker(value: Any) -> str | None:
    return (_text(value) or None) if isinstance(value, (str, int)) else None


def parse_whisper_json(data: Any, raw: str, path: Path, line_count: int) -> Transcript:
    if isinstance(data, dict):
        segments = data["segments"]
        lines_at = keyed_object_lines(raw, "segments")
    else:
        segments = data
        lines_at = _object_lines(raw, 2)
    units: list[TranscriptUnit] = []
    warnings: list[str] = []
    for src, seg in with_lines(segments, lines_at):
        if not isinstance(seg, dict):
            continue
        body = _text(seg.get("text"))
        if not body and isinstance(seg.get("words"), list):
            body = collapse(
                " ".join(_text(w.get("word")) for w in seg["words"] if isinstance(w, dict))
            )
        if not body:
            continue
        start = _seconds(seg.get("start"))
        if start is None:
            warnings.append(f"line {src}: skipped segment without a usable start time")
            continue
        end = _seconds(seg.get("end"))
        units.append(
            TranscriptUnit(body, src, start, end if end is not None and end >= start else None,
                           _speaker(seg.get("speaker")))
        )
    if not units:
        raise InputError(path, "no usable segments in the Whisper JSON", 1)
    return Transcript(path, units, True, line_count, "whisper-json", warnings)


def parse_whisper_cpp_json(
    data: dict[str, Any], raw: str, path: Path, line_count: int
) -> Transcript:
    lines_at = keyed_object_lines(raw, "transcription")
    units: list[TranscriptUnit] = []
    warnings: list[str] = []
    for src, item in with_lines(data["transcription"], lines_at):
        if not isinstance(item, dict):
            continue
        body = _text(item.get("text"))
        if not body:
            continue
        start = end = None
        offsets = item.get("offsets")
        if isinstance(offsets, dict):
            start, end = _seconds(offsets.get("from")), _seconds(offsets.get("to"))
            start = start / 1000 if start is not None else None
            end = end / 1000 if end is not None else None
        stamps = item.get("timestamps")
        if start is None and isinstance(stamps, dict):
            start = parse_clock(str(stamps.get("from", "")))
            end = parse_clock(str(stamps.get("to", "")))
        if start is None:
            warnings.append(f"line {src}: skipped entry without usable offsets")
            continue
        units.append(
            TranscriptUnit(body, src, start, end if end is not None and end >= start else None)
        )
    if not units:
        raise InputError(path, "no usable entries in the whisper.cpp JSON", 1)
    return Transcript(path, units, True, line_count, "whisper-cpp-json", warnings)


def looks_whisper_tsv(lines: list[str]) -> bool:
    first = next((x for x in lines[:5] if x.strip()), "")
    return bool(_TSV_HEADER.match(first))


def parse_whisper_tsv(lines: list[str], path: Path) -> Transcript:
    units: list[TranscriptUnit] = []
    warnings: list[str] = []
    header_seen = False
    for i, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if not header_seen and _TSV_HEADER.match(line):
            header_seen = True
            continue
        m = _TSV_ROW.match(line)
        if not m:
            warnings.append(f"line {i}: skipped a row that is not start<TAB>end<TAB>text")
            continue
        body = collapse(m.group(3))
        if not body:
            continue
        start, end = float(m.group(1)) / 1000, float(m.group(2)) / 1000
        units.append(TranscriptUnit(body, i, start, end if end >= start else None))
    if not units:
        raise InputError(path, "no rows in the Whisper TSV")
    return Transcript(path, units, True, len(lines), WHISPER_TSV, warnings)
