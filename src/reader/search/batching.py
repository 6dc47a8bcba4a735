"""When an update commits, and where the episodes' documents are made.

A first build commits its first batch after ``FIRST_COMMIT_S`` seconds, so the library
is searchable within seconds of starting. A bulk update (a first build, a rebuild, any
update of at least ``BULK_EPISODES`` episodes) then commits every ``BULK_BATCH``
episodes (or ``CHECKPOINT_S`` seconds), each batch one segment written straight from a
posting pool that does not spill, and never merged: merging rewrote every posting again
(a quarter of a build), and a handful of large segments costs queries little. A killed
build keeps its committed batches; the next update finishes the job. Small updates
commit every ``BATCH_EPISODES`` episodes without merging until there are
``MAX_SEGMENTS`` segments.

Parsing an episode runs in worker processes when there are at least ``PARALLEL_MIN``
episodes to index, while this process feeds Whoosh. A bulk update does not run the sync
engine (~45% of a build): its passages are indexed without the engine's times, which
hit_times.py gives the hits afterwards; small updates align as they index.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .documents import episode_documents, marker_document, problem_line

if TYPE_CHECKING:
    from ..library import Episode

BATCH_EPISODES = 50  # small updates commit at least every this many episodes...
BATCH_DOCS = 20_000  # ...or this many documents
MAX_SEGMENTS = 10  # incremental commits skip merging until there are more segments
BULK_EPISODES = 100
BULK_BATCH = 200  # episodes a bulk segment holds (~2 M words: the pool does not spill)
FIRST_COMMIT_S = 4.0
CHECKPOINT_S = 600.0
PARALLEL_MIN = 20
# A posting pool large enough not to spill sorted runs to disk for a batch (spilling and
# merging the runs cost about a quarter of a build).
WRITER_ARGS = {"procs": 1, "limitmb": 1024}


def fast_pool(writer: Any) -> None:
    """The writer's posting pool adds a posting with one append and Whoosh's own size
    estimate (it spills at the same point), without its per-posting type assertions
    and field-name set (used only by Whoosh's multi-process writer, not used here)."""
    pool: Any = getattr(writer, "pool", None)
    if type(pool).__name__ != "PostingPool" or not hasattr(pool, "current"):
        return

    def add(item: tuple[Any, ...]) -> None:
        v = item[4]
        pool.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + (len(v) if v else 0)
        if pool.currentsize > pool.limit:
            pool.save()
        pool.current.append(item)

    pool.add = add


class CommitPolicy:
    def __init__(self, work: int, removed: int, indexed: int) -> None:
        self.bulk = work >= BULK_EPISODES
        self.incremental = work + removed <= BATCH_EPISODES and indexed > 0
        self.first = indexed == 0
        self.commits = 0
        self._reset()

    def _reset(self) -> None:
        self.docs = 0
        self.episodes = 0
        self.since = time.monotonic()

    def added(self, docs: int) -> None:
        self.docs += docs
        self.episodes += 1

    def due(self) -> bool:
        age = time.monotonic() - self.since
        if self.first and self.commits == 0 and age >= FIRST_COMMIT_S:
            return True  # a first build: searchable within seconds
        if self.bulk:
            return self.episodes >= BULK_BATCH or age >= CHECKPOINT_S
        return self.episodes >= BATCH_EPISODES or self.docs >= BATCH_DOCS

    def committed(self) -> None:
        self.commits += 1
        self._reset()


# documents, problems, notes, the hits' times (None: not aligned, hit_times.py)
Built = tuple[list[dict[str, Any]], list[str], list[str], Any]


def build_one(ep: Episode, content_hash: str, align: bool = True) -> Built:
    """One episode's documents; an episode that cannot be read, parsed or aligned becomes
    a marker that records its problem (reported again, unread, until it changes).
    Without ``align`` the sync engine is not run (see documents.py)."""
    try:
        return episode_documents(ep, content_hash, align)
    except Exception as exc:  # noqa: BLE001 - one episode never stops the rest
        problems = [problem_line(ep, exc)]
        return [marker_document(ep, content_hash, problems)], problems, [], None


def _build_in_worker(args: tuple[Episode, str, bool]) -> Built:
    return build_one(*args)


def _main_is_safe() -> bool:
    """Spawned workers import the main module again: only do that for ``reader`` itself
    (the console script, ``python -m reader``) or when READER_INDEX_WORKERS asks."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and str(getattr(spec, "name", "")).startswith("reader"):
        return True
    return Path(str(getattr(main, "__file__", ""))).name == "reader"


def workers() -> int:
    env = os.environ.get("READER_INDEX_WORKERS")
    if env is not None:
        return max(0, int(env)) if env.isdigit() else 0
    if not _main_is_safe():
        return 0
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    return max(0, min(4, n) - 1)  # this process indexes; the rest parse and align


def documents(
    work: list[Episode], hashes: dict[str, str], align: bool = True
) -> Iterator[tuple[Episode, Built]]:
    """(episode, built) in order; parsed and aligned ahead in worker processes for a
    large update on a machine with more than one core."""
    n = workers()
    if len(work) < PARALLEL_MIN or n == 0:
        for ep in work:
            yield ep, build_one(ep, hashes[ep.id], align)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from .worker_update import real_stdio

    ctx = multiprocessing.get_context("spawn")  # direct children: their CPU is counted
    ahead = n * 4  # episodes parsed ahead of the writer: bounded, so memory is too
    with real_stdio():  # (in the app: see real_stdio)
        pool = ProcessPoolExecutor(max_workers=n, mp_context=ctx)
    with pool:
        queue: deque[tuple[Episode, Any]] = deque()
        items = iter(work)
        try:
            while True:
                with real_stdio():  # (submitting starts the workers)
                    while len(queue) < ahead:
                        more = next(items, None)
                        if more is None:
                            break
                        queue.append(
                            (more, pool.submit(_build_in_worker, (more, hashes[more.id], align)))
                        )
                if not queue:
                    return
                ep, future = queue.popleft()
                try:
                    built = future.result()
                except Exception:  # noqa: BLE001 - a worker died: build the rest here
                    yield ep, build_one(ep, hashes[ep.id], align)
                    for ep, _ in queue:
                        yield ep, build_one(ep, hashes[ep.id], align)
                    for ep in items:
                        yield ep, build_one(ep, hashes[ep.id], align)
                    return
                yield ep, built
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
