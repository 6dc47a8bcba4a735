"""Minimal stand-ins used only while ``reader.parse`` is not importable.

They exist so the index can be built and tested before the real parsers land; as soon as
``reader.parse.transcript`` / ``reader.parse.summary`` import, they are never used.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..model import Claim, Summary, Transcript, TranscriptLine, parse_clock

_TS = re.compile(
    r'<a[^>]*data-t="(?P<a>[\d:.]+)"[^>]*>.*?</a>|\[(?P<b>\d{1,2}:\d{2}(?::\d{2})?)\]'
)
_WIKI = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]")
_TAG = re.compile(r"<[^>]+>")


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from None
    if b"\x00" in data[:8192]:
        raise InputError(path, "binary file, not a transcript")
    return data.decode("utf-8", errors="replace")


def parse_transcript(path: Path) -> Transcript:
    text = _read(path)
    lines = [
        TranscriptLine(text=line.strip(), source_line=i)
        for i, line in enumerate(text.splitlines(), 1)
        if line.strip()
    ]
    return Transcript(path=path, lines=lines, timed=False, source_line_count=text.count("\n") + 1)


def _plain(text: str) -> str:
    text = _WIKI.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = re.sub(r"[*_`#>]+", "", text)
    return re.sub(r"\s+", " ", text).strip(" -")


def parse_summary(path: Path) -> Summary:
    text = _read(path)
    claims: list[Claim] = []
    section: list[str] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        heading = re.match(r"^(#{1,6})\s+(.*)", line)
        if heading:
            level = len(heading.group(1))
            section = section[: max(0, level - 2)] + [_plain(heading.group(2))]
            continue
        pos = 0
        for m in _TS.finditer(line):
            stamp = m.group("a") or m.group("b")
            seconds = parse_clock(stamp)
            body = _plain(line[pos : m.start()])
            pos = m.end()
            if seconds is None or not body:
                continue
            claims.append(
                Claim(
                    index=len(claims),
                    section=" › ".join(section),
                    text=body,
                    timestamp=stamp,
                    seconds=seconds,
                    source_line=lineno,
                )
            )
    return Summary(path=path, claims=claims)
