"""A bulk update of the index in a spawned process, for a process that must stay small.

Building the index holds a posting pool of up to ``limitmb`` (~0.5 GB for a 200-episode
batch) and the parsed episodes in flight; the app searching the same library needs tens
of megabytes. ``update_in_worker`` compares the library with the index here (content
hashes: stats and a cached hash each) and, when the update is a bulk one, runs it (and
then ``refine_times``) in a spawned process: progress and "a batch is committed" come
back over a queue, the app's searches see every committed batch as usual, and the
report is this process's at the end. A small update runs here, as ``update`` does.
"""

from __future__ import annotations

import atexit
import multiprocessing
import queue as queue_mod
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .indexer import LibraryIndex, Notice, Progress, UpdateReport


def _child(root: str, index_dir: str, out: Any, refine: bool = True) -> None:
    """The spawned process: update the index of the library at ``root``, then give the
    hits their times; every step reported on ``out``."""
    from ..library import Library
    from .indexer import LibraryIndex

    try:
        lib = Library.load(Path(root))
        ix = LibraryIndex(lib, Path(index_dir))

        def progress(done: int, total: int, name: str) -> None:
            out.put(("progress", done, total, name, ix.searchable))

        report = ix.update(progress, notice=lambda line: out.put(("notice", line)))
        out.put(("report", report))
        if refine:
            ix.refine_times()
        ix.close()
        out.put(("done",))
    except BaseException as exc:  # noqa: BLE001 - the parent says what happened
        out.put(("error", f"{type(exc).__name__}: {exc}"))


@contextmanager
def real_stdio() -> Iterator[None]:
    """The process's own stdout/stderr while starting processes: the app (Textual) puts
    objects without a file descriptor there, and multiprocessing hands ``stderr``'s to
    its resource tracker ("bad value(s) in fds_to_keep")."""
    saved = sys.stdout, sys.stderr
    try:
        if sys.__stdout__ is not None:
            sys.stdout = sys.__stdout__
        if sys.__stderr__ is not None:
            sys.stderr = sys.__stderr__
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _stop(child: Any) -> None:
    if child.is_alive():
        child.terminate()
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
            child.join()


def bulk_work(index: LibraryIndex) -> int:
    """How many episodes an update would index (added or changed), from the manifest of
    the last commit and the content hashes, without opening the index (an index that
    will be set aside is opened by the update itself, which says so)."""
    from .hashcache import content_hashes
    from .hit_times import read_hashes
    from .storage import MANIFEST

    indexed = read_hashes(index.index_dir / MANIFEST)
    current = content_hashes(index.library, index.index_dir)
    return sum(1 for ep in index.library.episodes if indexed.get(ep.id) != current[ep.id])


def update_in_worker(
    index: LibraryIndex,
    progress: Progress | None = None,
    notice: Notice | None = None,
    refine: bool = True,
) -> UpdateReport:
    """``index.update(progress, notice=notice)`` and, with ``refine``, ``refine_times``:
    in a spawned process when the update is a bulk one."""
    from . import batching
    from .indexer import UpdateReport

    if bulk_work(index) < batching.BULK_EPISODES:
        here = index.update(progress, notice=notice)
        if refine:
            index.refine_times()
        return here
    ctx = multiprocessing.get_context("spawn")
    with real_stdio():
        out = ctx.Queue()
    # not a daemon (it spawns parsing workers of its own); stopped when this process
    # exits, so quitting the app never waits for a build (a stopped build is finished
    # by the next update)
    args = (str(index.library.root), str(index.index_dir), out, refine)
    child = ctx.Process(target=_child, args=args)
    with real_stdio():
        child.start()
    atexit.register(_stop, child)
    report: UpdateReport | None = None
    error: str | None = None
    try:
        while True:
            try:
                msg = out.get(timeout=0.5)
            except queue_mod.Empty:
                if not child.is_alive():
                    error = error or f"the indexing process ended (exit code {child.exitcode})"
                    break
                continue
            if msg[0] == "progress":
                _, done, total, name, searchable = msg
                index.progress_state = (done, total, "building")
                index._committed = bool(searchable)
                if progress is not None:
                    progress(done, total, name)
            elif msg[0] == "report":
                report = msg[1]
                index.progress_state = None
                index._committed = False
                index._refresh_searcher()
            elif msg[0] == "notice":
                if notice is not None:
                    notice(str(msg[1]))
            elif msg[0] == "error":
                error = msg[1]
                break
            elif msg[0] == "done":
                break
    finally:
        index.progress_state = None
        index._committed = False
        child.join(timeout=5)
        _stop(child)
        atexit.unregister(_stop)
        index._refresh_searcher()
    if report is None:
        if error is not None:
            raise RuntimeError(error)
        report = UpdateReport()
    index.last_report = report
    return report
