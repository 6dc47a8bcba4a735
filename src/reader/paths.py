"""Where reader keeps its own files (never inside the library).

platformdirs gives the XDG locations; ``READER_CACHE_DIR`` / ``READER_DATA_DIR`` /
``READER_STATE_DIR`` override them (tests use these).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

APP = "reader"


def _dir(env: str, default: str) -> Path:
    value = os.environ.get(env)
    path = Path(value) if value else Path(default)
    return path


def cache_dir() -> Path:
    """Search index and alignment cache: safe to delete."""
    return _dir("READER_CACHE_DIR", platformdirs.user_cache_dir(APP))


def data_dir() -> Path:
    """The user's own data: the quotes file."""
    return _dir("READER_DATA_DIR", platformdirs.user_data_dir(APP))


def state_dir() -> Path:
    """Where the user left off (last episode, position)."""
    return _dir("READER_STATE_DIR", platformdirs.user_state_dir(APP))


def library_key(library_root: Path) -> str:
    """A short stable key for a library path, for per-library cache folders."""
    resolved = str(Path(library_root).resolve())
    return hashlib.sha256(resolved.encode()).hexdigest()[:16]


def bundled_library() -> Path:
    """The library shipped with the source tree (``library/`` beside ``src/``)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "library"
        if (candidate / ".reader-library").exists():
            return candidate
    return here.parents[2] / "library"


def resolve_library(arg: str | os.PathLike[str] | None) -> Path:
    """Library location: the argument, else ``$READER_LIBRARY``, else the bundled one."""
    if arg:
        return Path(arg).expanduser()
    env = os.environ.get("READER_LIBRARY")
    if env:
        return Path(env).expanduser()
    return bundled_library()
