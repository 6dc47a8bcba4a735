"""Loaders for the alignment benchmark: the real parsers when present, else a tiny
stand-in (each non-blank line = one unit; one claim per [HH:MM:SS])."""

from __future__ import annotations

import re
from pathlib import Path

from reader.model import Claim, Summary, Transcript, TranscriptUnit, parse_clock

_TS = re.compile(r"\[(\d{1,2}:\d\d(?::\d\d)?)\]")


def _clean(text: str) -> str:
    text = re.sub(r"\[\[([^\]|]*\|)?\s*([^\]]*)\]\]", r"\2", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("**", "").replace("*", " ")
    return re.sub(r"\s+", " ", text).strip(" .:-•")


def local_transcript(path: Path) -> Transcript:
    raw = path.read_text(encoding="utf-8").split("\n")
    lines = [TranscriptUnit(t.strip(), i + 1) for i, t in enumerate(raw) if t.strip()]
    return Transcript(path, lines, False, len(raw) if raw[-1] else len(raw) - 1)


def local_summary(path: Path) -> Summary:
    claims: list[Claim] = []
    seen: set[tuple[str, str]] = set()
    section = ""
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if line.startswith("#"):
            section = line.lstrip("# ").strip()
            continue
        pos = 0
        for m in _TS.finditer(line):
            text = _clean(line[pos : m.start()])
            pos = m.end()
            key = (text, m.group(1))
            if key in seen or not text:
                continue
            seen.add(key)
            claims.append(
                Claim(len(claims), section, text, m.group(1), parse_clock(m.group(1)) or 0.0, n)
            )
    return Summary(path, claims)


def load_transcript(path: Path) -> Transcript:
    try:
        from reader.parse.transcript import parse_transcript
    except ImportError:
        return local_transcript(path)
    return parse_transcript(path) or local_transcript(path)


def load_summary(path: Path) -> Summary:
    try:
        from reader.parse.summary import parse_summary
    except ImportError:
        return local_summary(path)
    result = parse_summary(path)
    return result if result is not None and result.claims else local_summary(path)
