"""Show notes and video descriptions: HTML or text -> plain text lines, and whether they
hold enough timestamps to serve as a summary."""

from __future__ import annotations

import html
import re

_BREAK = re.compile(r"<\s*(?:br|/p|/li|/h[1-6]|/div|/tr)\b[^>]*>", re.I)
_ITEM = re.compile(r"<\s*li\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_STAMP = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])")


def notes_text(value: str) -> str:
    """Readable text of show notes (feedparser has already sanitised the HTML)."""
    if "<" in value:
        value = _ITEM.sub("\n- ", value)
        value = _BREAK.sub("\n", value)
        value = _TAG.sub("", value)
        value = html.unescape(value)
    lines = [" ".join(line.split()) for line in value.replace("\r", "").split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def timestamp_count(text: str) -> int:
    return len(_STAMP.findall(text))
