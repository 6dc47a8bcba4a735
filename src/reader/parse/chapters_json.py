"""Podcasting 2.0 chapters JSON (``{"version", "chapters": [{"startTime", "title"}]}``)
read as a summary: one claim per titled chapter. An untitled entry (``"toc": false``
markers) is no claim. Recognised by content: an object whose ``chapters`` is a list.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from reader.model import Claim, Summary, format_clock
from reader.parse.jsonfmt import _text, keyed_object_lines, with_lines


def looks_chapters_json(text: str) -> bool:
    head = text.lstrip()[:4096]
    return head.startswith("{") and '"chapters"' in head


def parse_chapters_json(text: str, path: Path) -> Summary | None:
    """The summary, or None when the text is not a chapters JSON file."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("chapters"), list):
        return None
    lines_at = keyed_object_lines(text, "chapters")
    claims: list[Claim] = []
    warnings: list[str] = []
    for line, ch in with_lines(data["chapters"], lines_at):
        if not isinstance(ch, dict):
            continue
        title = _text(ch.get("title"))
        start = ch.get("startTime")
        if not title:
            continue  # a toc:false marker or an image change: not a claim
        if (
            isinstance(start, bool)
            or not isinstance(start, (int, float))
            or not math.isfinite(start)
            or start < 0
        ):
            warnings.append(f"line {line}: skipped chapter without a usable startTime")
            continue
        claims.append(Claim(len(claims), "", title, format_clock(start), float(start), line))
    if not claims:
        warnings.append("no timestamps found")
    name = _text(data.get("title")) or None if isinstance(data.get("title"), str) else None
    return Summary(path=path, claims=claims, title=name, warnings=warnings)
