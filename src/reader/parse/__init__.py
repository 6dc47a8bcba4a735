"""Parsers: files -> model objects. Every parser raises only ``InputError``.

The entry points are loaded on first use (PEP 562), so that importing one small module
of this package (``reader.parse.patterns`` on the first-paint path) does not load every
parser.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.parse.summary import parse_summary as parse_summary
    from reader.parse.summary import parse_summary_text as parse_summary_text
    from reader.parse.transcript import parse_transcript as parse_transcript
    from reader.parse.transcript import parse_transcript_text as parse_transcript_text

__all__ = ["parse_summary", "parse_summary_text", "parse_transcript", "parse_transcript_text"]

_HOME = {
    "parse_summary": "reader.parse.summary",
    "parse_summary_text": "reader.parse.summary",
    "parse_transcript": "reader.parse.transcript",
    "parse_transcript_text": "reader.parse.transcript",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
