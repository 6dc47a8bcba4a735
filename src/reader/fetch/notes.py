"""Show notes and video descriptions: HTML or text -> plain text lines, and whether they
hold enough timestamps to serve as a summary."""

from __future__ import annotations

import html
import re

from ..parse.patterns import SUMMARY_TIME, TAG

_BREAK = re.compile(r"<\s*(?:br|/p|/li|/h[1-6]|/div|/tr)\b[^>]*>", re.I)
_ITEM = re.compile(r"<\s*li\b[^>]*>", re.I)
# the parsers' tag ("1 < 2 and 3 > 2" is text), and comments (feedparser keeps them)
_MARKUP = re.compile(rf"<!--.*?-->|{TAG.pattern}", re.S)
# what the summary parser will read as a time (the notes become a summary)
_STAMP = re.compile(rf"(?<![\d:]){SUMMARY_TIME}(?![\d:])")


def notes_text(value: str) -> str:
    """Readable text of show notes (feedparser has already sanitised the HTML)."""
    if "<" in value:
        value = _ITEM.sub("\n- ", value)
        value = _BREAK.sub("\n", value)
        value = _MARKUP.sub("", value)
        value = html.unescape(value)
    lines = [" ".join(line.split()) for line in value.replace("\r", "").split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def timestamp_count(text: str) -> int:
    return len(_STAMP.findall(text))
