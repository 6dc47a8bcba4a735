"""Pieces of the text transcript layouts that carry their own times or metadata.

- a bare stamp line starts a new turn at its time, the speaker going on: Rev/Lenny's
  ``(00:01:21):`` continuation headers, ``[mm:ss] text``, ``- [00:00] text``,
  Lex Fridman's ``(00:12:34) text`` (or the stamp alone, the text below);
- a name alone on its line right before a stamp line names the speaker (Lex Fridman);
- YAML front matter (``---`` ... ``---`` holding a mapping) is metadata, not text;
- Markdown ``#`` headings in a Markdown transcript are titles, not speech.
"""

from __future__ import annotations

import re

import yaml

from reader.parse.patterns import TRANSCRIPT_TIME

STAMP_LINE = re.compile(
    rf"^\s*(?:[-*+•]\s+)?(?:\((?P<t1>{TRANSCRIPT_TIME})\)|\[(?P<t2>{TRANSCRIPT_TIME})\])\s*:?\s*(?P<text>.*)$"
)
_NAME_LINE = re.compile(
    r"^\s*(?:[A-Z][\w'’.-]*(?:\s(?:[A-Z0-9][\w'’.-]*|de|da|del|van|von|der|bin|al|la|le)){0,3})"
    r"\s*:?\s*$"
)
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S")


def stamp_line(line: str) -> tuple[str, str] | None:
    """(time as written, rest of the line) for a line led by a bracketed time."""
    m = STAMP_LINE.match(line)
    if not m:
        return None
    return m.group("t1") or m.group("t2"), m.group("text").strip()


def is_name_line(line: str) -> bool:
    return bool(_NAME_LINE.match(line)) and len(line.strip()) <= 40


def looks_stamp_led(lines: list[str]) -> bool:
    """Most lines (or many) begin with a bracketed time."""
    nonblank = 0
    hits = 0
    for line in lines:
        if not line.strip():
            continue
        nonblank += 1
        if STAMP_LINE.match(line):
            hits += 1
    return hits >= 2 and (hits >= 0.25 * nonblank or hits >= 10)


def front_matter_end(lines: list[str]) -> int:
    """Index of the first line after YAML front matter (0 when there is none)."""
    if not lines or lines[0].strip() != "---":
        return 0
    end = next(
        (i for i in range(1, min(len(lines), 300)) if lines[i].strip() in ("---", "...")), None
    )
    if end is None:
        return 0
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except Exception:  # noqa: BLE001 - not YAML: then it is text
        return 0
    return end + 1 if isinstance(data, dict) else 0
