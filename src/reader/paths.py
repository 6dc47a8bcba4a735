"""Where reader keeps its own files, and which library it opens.

platformdirs gives the XDG locations; ``READER_CACHE_DIR`` / ``READER_DATA_DIR`` /
``READER_STATE_DIR`` override them (tests use these).

Two libraries exist side by side and are never mixed:

- the **user's library**, ``data_dir()/library`` (``~/.local/share/reader/library`` on
  Linux): where ``reader add`` writes and what ``reader`` opens;
- the **samples**, shipped inside the package (``reader/samples`` in a wheel, the
  repository's ``library/`` in a source tree): read-only, shown until the user has
  episodes of their own, and always reachable with ``--samples``.

``--library DIR`` and ``$READER_LIBRARY`` override both.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

APP = "reader"
MARKER = ".reader-library"  # the file that marks a folder as a reader library


def _dir(env: str, default: str) -> Path:
    value = os.environ.get(env)
    path = Path(value) if value else Path(default)
    return path


def cache_dir() -> Path:
    """Search index and alignment cache: safe to delete."""
    return _dir("READER_CACHE_DIR", platformdirs.user_cache_dir(APP))


def data_dir() -> Path:
    """The user's own data: the library and the quotes file."""
    return _dir("READER_DATA_DIR", platformdirs.user_data_dir(APP))


def state_dir() -> Path:
    """Where the user left off (last episode, position)."""
    return _dir("READER_STATE_DIR", platformdirs.user_state_dir(APP))


def library_key(library_root: Path) -> str:
    """A short stable key for a library path, for per-library cache folders."""
    resolved = str(Path(library_root).resolve())
    return hashlib.sha256(resolved.encode()).hexdigest()[:16]


def user_library() -> Path:
    """The user's own library: where ``reader add`` writes by default."""
    return data_dir() / "library"


def bundled_library() -> Path:
    """The read-only sample episodes that ship with reader.

    A wheel install has them as package data (``reader/samples``); in a source tree or an
    editable install they are the repository's ``library/`` beside ``src/``.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "samples"
    if (packaged / MARKER).is_file():
        return packaged
    for parent in here.parents:
        candidate = parent / "library"
        if (candidate / MARKER).is_file():
            return candidate
    return packaged


def is_samples(root: Path) -> bool:
    """True if ``root`` is the samples library or lies inside it."""
    try:
        root = Path(root).resolve()
        samples = bundled_library().resolve()
    except OSError:
        return False
    return root == samples or samples in root.parents


def has_episodes(root: Path) -> bool:
    """True if ``root`` holds at least one episode folder (cheap: no parsing)."""
    try:
        return any(
            p.is_dir() and not p.name.startswith(".") and (p / "episode.toml").is_file()
            for p in Path(root).iterdir()
        )
    except OSError:
        return False


def resolve_library(arg: str | os.PathLike[str] | None, samples: bool = False) -> Path:
    """The library to read: the argument, else (with ``samples``, asked for explicitly) the
    samples, else ``$READER_LIBRARY``, else the user's library if it has episodes, else
    the samples."""
    if arg:
        return Path(arg).expanduser()
    if samples:
        return bundled_library()
    env = os.environ.get("READER_LIBRARY")
    if env:
        return Path(env).expanduser()
    user = user_library()
    return user if has_episodes(user) else bundled_library()


def target_library(arg: str | os.PathLike[str] | None) -> Path:
    """The library to write to (``add``, ``remove``): the argument, else
    ``$READER_LIBRARY``, else the user's library. Never the samples."""
    if arg:
        return Path(arg).expanduser()
    env = os.environ.get("READER_LIBRARY")
    if env:
        return Path(env).expanduser()
    return user_library()
