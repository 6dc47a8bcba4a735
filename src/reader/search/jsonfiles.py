"""Small JSON files beside the index (meta, manifest, caches): read forgivingly, written
atomically. No Whoosh here: freshness.py uses them before Whoosh is imported."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any


def read_json(path: Path) -> Any:
    """The parsed file, or None when it is missing, unreadable or not JSON (a file of
    100,000 ``[`` raises RecursionError in ``json``: also None)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None


def write_json(path: Path, data: Any) -> None:
    """Atomically (temporary file + rename); a failure leaves the old file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
