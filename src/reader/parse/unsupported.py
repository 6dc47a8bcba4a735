"""Formats reader does not read, recognised by content so the refusal names them.

Each sniffer looks at the first few kilobytes only; ``refuse_unsupported`` raises an
InputError such as "SAMI captions are not supported" instead of letting the file be read
as untimed text with markup debris (or refused as "invalid JSON").
"""

from __future__ import annotations

import re
from pathlib import Path

from reader.errors import InputError

_HEAD = 4096

_SAMI = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<sami\b", re.I | re.S)
_MPD = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<MPD\b", re.S)
_SCC = re.compile(r"^\s*Scenarist_SCC\b")
_MICRODVD = re.compile(r"^\s*\{\d+\}\{\d*\}", re.M)
# pprint/repr of Python data: a list or dict whose first key or item is a '...' string
_PY_REPR = re.compile(r"^\s*[\[(]?\s*\{\s*'[^'\n]*'\s*:|^\s*\[\s*\(\s*'", re.S)


def unsupported_format(text: str) -> str | None:
    """The refusal message for a known format reader does not read, else None."""
    head = text[:_HEAD]
    if _SAMI.match(head):
        return f"SAMI captions are not supported ({_count(text, '<sync')} <SYNC> blocks)"
    if _MPD.match(head):
        return "a DASH manifest (MPD), not a transcript"
    if _SCC.match(head):
        return "Scenarist SCC captions are not supported"
    lines = [x for x in head.split("\n", 6)[:5] if x.strip()]
    if lines and all(_MICRODVD.match(x) for x in lines):
        return "MicroDVD {frame}{frame} subtitles are not supported (their times need a frame rate)"
    if _PY_REPR.match(head):
        return "a Python repr (pprint) of transcript data, not a transcript"
    return None


def _count(text: str, tag: str) -> str:
    return f"{text.lower().count(tag):,}"


def refuse_unsupported(text: str, path: Path) -> None:
    message = unsupported_format(text)
    if message:
        raise InputError(path, message)
