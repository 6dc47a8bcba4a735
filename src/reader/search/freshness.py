"""Is the library exactly as it was at the last complete update? Answered from file stats.

After an update that finished (nothing locked, nothing left to do), ``record`` writes
``library-snapshot.json`` in the index folder: the library folder's and every episode
folder's modification time, the (size, mtime) of every file each episode is made of, the
stats of the index's manifest and its tables of contents, the schema version, and the
warnings that update printed.
``unchanged`` answers, with about 4,000 ``stat`` calls and no file read, whether all of
that still holds; a search can then skip loading every ``episode.toml`` and comparing
content hashes (0.13 s on 1,000 episodes) and print the same warnings.

Like hash-cache.json it is a speed-up, never the truth: anything that differs, is
malformed means "no" (and nothing is recorded while anything is less than 2 s old: within
mtime resolution it could change again unseen), and the
caller loads the library and updates the index as usual. Adding, removing or renaming an
episode folder changes the library folder's mtime; a new or replaced file in an episode
folder changes that folder's; editing a file in place changes its own size or mtime.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..file_stats import FRESH_NS
from ..json_files import read_json, write_json
from .version import SCHEMA_VERSION

if TYPE_CHECKING:
    from ..library import Library

SNAPSHOT = "library-snapshot.json"
FORMAT = 1


def _tree(root: Path) -> list[Any] | None:
    """[library folder mtime, [[folder name, mtime], ...]] for the folders Library.load
    looks at (every non-hidden folder, symlinks followed), or None when unreadable."""
    try:
        folders = []
        with os.scandir(root) as it:
            for e in it:
                if e.name.startswith(".") or not e.is_dir():
                    continue
                folders.append([e.name, e.stat().st_mtime_ns])
        return [os.stat(root).st_mtime_ns, sorted(folders)]
    except OSError:
        return None


def _stat(path: str | Path) -> list[int]:
    try:
        st = os.stat(path)
        return [st.st_size, st.st_mtime_ns]
    except OSError:
        return [-1, 0]


def _tocs(index_dir: Path) -> list[str]:
    """The index's tables of contents (one per generation; a commit writes a new one)."""
    try:
        return sorted(n for n in os.listdir(index_dir) if n.endswith(".toc"))
    except OSError:
        return []


def _files(library: Library) -> list[list[Any]]:
    out: list[list[Any]] = []
    for ep in library.episodes:
        for p in [ep.folder / "episode.toml", ep.transcript_path, *ep.summary_paths]:
            out.append([str(p), *_stat(p)])
    return out


def record(library: Library, index_dir: Path, manifest: Path, warnings: list[str]) -> None:
    """Write the snapshot after a complete update; ``warnings`` are the lines it printed
    (library problems, then what the index could not search)."""
    tree = _tree(library.root)
    if tree is None or not index_dir.is_dir():
        return
    files = _files(library)
    mstat = _stat(manifest)
    # (the manifest is ours, and a commit by anyone also makes a new table of contents)
    newest = max([tree[0], *(m for _, m in tree[1]), *(f[2] for f in files)])
    if time.time_ns() - newest <= FRESH_NS:
        # something changed within mtime resolution: it may change again unseen
        forget(index_dir)
        return
    write_json(
        index_dir / SNAPSHOT,
        {
            "format": FORMAT,
            "schema": SCHEMA_VERSION,
            "root": str(library.root),
            "tree": tree,
            "files": files,
            "manifest": mstat,
            "tocs": _tocs(index_dir),
            "warnings": list(warnings),
        },
    )


def forget(index_dir: Path) -> None:
    try:
        (index_dir / SNAPSHOT).unlink()
    except OSError:
        pass


def unchanged(root: Path, index_dir: Path, manifest: Path) -> list[str] | None:
    """The warnings of the last complete update when nothing it saw has changed since
    (library folders, episode files, the index's manifest) and none of it is recent;
    None otherwise."""
    snap = read_json(index_dir / SNAPSHOT)
    try:
        if (
            snap["format"] != FORMAT
            or snap["schema"] != SCHEMA_VERSION
            or snap["root"] != str(root)
            or snap["manifest"] != _stat(manifest)
            or snap["tocs"] != _tocs(index_dir)
        ):
            return None
        tree = _tree(root)
        if tree is None or tree != snap["tree"]:
            return None
        for path, size, mtime in snap["files"]:
            if _stat(path) != [size, mtime]:
                return None
        warnings = snap["warnings"]
        if not all(isinstance(w, str) for w in warnings):
            return None
        return list(warnings)
    except (TypeError, KeyError, ValueError, IndexError):
        return None
