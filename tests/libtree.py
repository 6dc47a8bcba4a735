"""A library's whole tree as {relative path: sha256}, to show a refused add wrote nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path


def tree_digest(root: Path) -> dict[str, str]:
    root = Path(root)
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)) + ("/" if p.is_dir() else ""): (
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        )
        for p in sorted(root.rglob("*"))
    }
