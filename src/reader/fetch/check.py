"""Would reader read these bytes as a transcript? (Used to choose among a source's formats.)"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..errors import InputError


def readable_transcript(data: bytes, name: str) -> str | None:
    """None if reader's transcript parser reads ``data``; else the one-line reason."""
    from ..parse.transcript import parse_transcript

    with tempfile.TemporaryDirectory(prefix="reader-fetch-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            transcript = parse_transcript(path)
        except InputError as exc:
            return exc.message
    return None if transcript.units else "no transcript text"
