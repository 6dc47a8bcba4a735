"""Chapters as a summary: a list of (start, title) becomes a chapter-list text reader's
summary parser reads (``(00:12:34) Title`` per line).

Podcasting 2.0 chapters JSON is kept byte for byte when reader's summary parser reads it;
otherwise (``to_chapter_text``) it is converted to the chapter-list text, keeping every
chapter with a title and a start time (``toc: false`` markers are not chapters).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from ..errors import InputError
from ..model import format_timestamp


def _stamp(seconds: float) -> str:
    """``00:12:34``, with hundredths where the source has them (``00:00:19.08``)."""
    hundredths = int(round(seconds * 100))
    whole = format_timestamp(hundredths // 100)
    return f"{whole}.{hundredths % 100:02d}" if hundredths % 100 else whole


def chapter_text(chapters: list[tuple[float, str]]) -> str:
    lines = []
    for start, title in chapters:
        title = " ".join(str(title).split())
        if title:
            lines.append(f"({_stamp(start)}) {title}")
    return "\n".join(lines) + "\n" if lines else ""


def podcast_chapters(data: bytes) -> list[tuple[float, str]]:
    """(start, title) pairs of a Podcasting 2.0 chapters file; [] if it is not one."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return []
    items = doc.get("chapters") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        return []
    result = []
    for item in items:
        if not isinstance(item, dict) or item.get("toc") is False:
            continue
        start, title = item.get("startTime"), item.get("title")
        if (
            isinstance(start, (int, float))
            and not isinstance(start, bool)
            and start >= 0
            and isinstance(title, str)
        ):
            result.append((float(start), title))
    return sorted(result, key=lambda c: c[0])


def summary_parser_reads(data: bytes, name: str) -> bool:
    """True if reader's summary parser finds timestamped claims in ``data``."""
    from ..parse.summary import parse_summary

    with tempfile.TemporaryDirectory(prefix="reader-chapters-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            return bool(parse_summary(path).claims)
        except InputError:
            return False


def podcast_chapters_summary(data: bytes) -> tuple[str, bytes] | None:
    """(file name, bytes) of a summary made from a Podcasting 2.0 chapters file: the JSON
    itself where the summary parser reads it, else the converted chapter list."""
    if summary_parser_reads(data, "chapters.json"):
        return "chapters.json", data
    text = chapter_text(podcast_chapters(data))
    return ("chapters.txt", text.encode("utf-8")) if text else None
