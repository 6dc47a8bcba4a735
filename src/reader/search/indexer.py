"""Keeping the Whoosh index of a library up to date, and searching it.

``update`` compares every episode's content hash (hashcache.py) with what the index holds
(its markers, or the manifest written after the last commit; storage.py) and indexes only
added and changed episodes, removing the rest; batching.py decides when to commit and
builds documents in worker processes for large updates. Searches may run in other threads
while an update runs: they see every committed batch, and their results say how much of
the library is searchable so far.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh.index import LockError

from .. import paths
from ..model import format_timestamp
from .hit_times import TimesStore
from .storage import MANIFEST, IndexStorage, preload_lengths, preload_perdoc_lengths

if TYPE_CHECKING:
    from ..library import Library
    from .results import SearchResults

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
Notice = Callable[[str], None]

LOCK_WAIT_S = 2.0
SLOW_UPDATE_EPISODES = 20  # an update of this many episodes says so before it starts


@dataclass
class UpdateReport:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    # One line each, naming the file: what cannot be searched (an episode whose files
    # cannot be read, parsed or aligned; an unreadable summary). Repeated on every update
    # while the file stays broken.
    problems: list[str] = field(default_factory=list)
    # The parsers' harmless remarks about episodes indexed by this update (e.g. a summary
    # pasted twice); for ``reader index`` only.
    notes: list[str] = field(default_factory=list)
    rebuilt: str | None = None  # why the index was set aside and rebuilt, if it was
    locked: bool = False  # another process held the index: nothing written this time
    busy: str | None = None  # what the other process is doing, when locked
    seconds: float = 0.0

    @property
    def touched(self) -> int:
        return self.added + self.changed + self.removed


# --- the index ----------------------------------------------------------------------------


def default_index_dir(library_root: Path) -> Path:
    return paths.cache_dir() / "index" / paths.library_key(library_root)


def _pending(docs: list[dict[str, Any]]) -> bool:
    """Does an episode's documents leave a hit time or a claim range to hit_times.py?"""
    for d in docs:
        if d.get("kind") == "transcript" and d.get("time") is None:
            return True
        if d.get("kind") == "summary" and d["loc"][2] is None:
            return True
    return False


class LibraryIndex(IndexStorage):
    """The search index of one library. Safe to ``update`` from a worker thread while
    other threads ``search``.

    One re-entrant lock guards opening, creating, setting aside and closing the Whoosh
    index and its searcher: a search that starts while another thread's
    ``update(rebuild=True)`` recreates the index waits for the new index instead of
    finding a half-made folder (and setting it aside as broken).
    """

    def __init__(self, library: Library, index_dir: Path | None = None) -> None:
        self.library = library
        self.index_dir = (
            Path(index_dir) if index_dir is not None else default_index_dir(library.root)
        )
        self._ix: Any = None
        self._searcher: Any = None
        self._update_lock = threading.Lock()
        self._lock = threading.RLock()
        self._needs_rebuild: str | None = None
        self.last_report: UpdateReport | None = None
        # While this process updates: (episodes done, episodes to do, what)
        self.progress_state: tuple[int, int, str] | None = None
        self._committed = False  # this update has committed a batch already
        self.times = TimesStore(self.index_dir)  # hit times a bulk build left out
        self._hashes: tuple[Any, dict[str, str]] | None = None  # (manifest stat, id -> hash)

    def _index(self) -> Any:
        with self._lock:
            if self._ix is None:
                self._ix, why = self._open()
                if why and self.last_report is None:
                    self.last_report = UpdateReport(rebuilt=why)
            return self._ix

    # ----- update -------------------------------------------------------------------------

    def update(
        self, progress: Progress | None = None, rebuild: bool = False, notice: Notice | None = None
    ) -> UpdateReport:
        """Bring the index in line with the library: only added/changed/removed episodes
        are touched; an unchanged library opens no writer. ``notice`` is told, before a
        long update starts, what it is about to do (one line)."""
        t0 = time.perf_counter()
        report = UpdateReport()
        with self._update_lock:
            try:
                self._update(report, progress, rebuild, notice)
            except LockError:
                report.locked = True
            finally:
                report.seconds = time.perf_counter() - t0
                self.progress_state = None
                self._committed = False
                self._refresh_searcher()
        if report.locked:
            report.busy = self.busy_note()
            report.problems.append(
                f"{self.index_dir}: "
                f"{report.busy or 'search index is being updated by another reader process'}; "
                "searched the existing index"
            )
        self.last_report = report
        return report

    @property
    def searchable(self) -> bool:
        """During an update: a batch is committed, so searches find something."""
        return self.progress_state is not None and self._committed

    def busy_note(self) -> str | None:
        """One line about another process writing this index, or None."""
        st = self.building()
        if st is None:
            return None
        try:
            done, total = int(st.get("done", 0)), int(st.get("total", 0))
        except (TypeError, ValueError):
            done, total = 0, 0
        what = str(st.get("what", "updating"))[:40]
        return (
            f"another reader process (pid {st.get('pid')}) is {what} the search index: "
            f"{done}/{total} episodes so far"
        )

    def _refresh_searcher(self) -> None:
        with self._lock:
            if self._searcher is not None:
                try:
                    self._searcher = preload_lengths(self._searcher.refresh())
                except Exception:  # noqa: BLE001
                    self._searcher = None

    def _update(
        self, report: UpdateReport, progress: Progress | None, rebuild: bool, notice: Notice | None
    ) -> None:
        from . import batching  # (here: a search of an unchanged library needs neither)
        from .hashcache import content_hashes

        say = notice or (lambda line: None)
        interrupted = self.interrupted() if self.index_dir.exists() else None
        with self._lock:
            if rebuild or self._ix is None or self._needs_rebuild:
                self._close()
                self._ix, report.rebuilt = self._open(rebuild=rebuild)
            ix = self._ix
        indexed = self._trusted_manifest(ix)
        if indexed is None:
            try:
                indexed = self._indexed(ix)
            except Exception as exc:  # noqa: BLE001 - damaged since it was opened
                with self._lock:
                    self._set_aside(f"index unreadable: {type(exc).__name__}: {exc}")
                    self._ix, report.rebuilt = self._create(), f"{type(exc).__name__}: {exc}"
                    ix = self._ix
                indexed = {}
        current = content_hashes(self.library, self.index_dir)
        work = []
        for ep in self.library.episodes:
            old = indexed.get(ep.id)
            if old is None:
                report.added += 1
                work.append(ep)
            elif old[0] != current[ep.id]:
                report.changed += 1
                work.append(ep)
            else:
                report.unchanged += 1
                if old[1]:
                    report.problems.extend(old[1].split("\n"))
        removed = [eid for eid in indexed if eid not in current]
        report.removed = len(removed)
        if not work and not removed:
            return

        writer = self._writer(ix)  # LockError here: another process is writing
        what = "rebuilding" if report.rebuilt else ("building" if not indexed else "updating")
        if report.rebuilt and report.rebuilt != "rebuild requested":
            say(f"search index set aside ({report.rebuilt}); rebuilding it: {len(work)} episodes")
        elif interrupted is not None and indexed:
            say(
                f"finishing an interrupted index build: "
                f"{len(work)} of {len(current)} episodes to go"
            )
        elif len(work) >= SLOW_UPDATE_EPISODES:
            say(f"indexing {len(work)} episodes (searchable as they are committed)")
        self.progress_state = (0, len(work), what)
        self._set_status(what, 0, len(work))
        policy = batching.CommitPolicy(len(work), len(removed), len(indexed))
        holds = {k: v for k, v in indexed.items() if k not in removed}  # what each commit holds
        pending: dict[str, tuple[str, str]] = {}
        status_at = time.monotonic()
        try:
            for eid in removed:
                writer.delete_by_term("episode", eid)
            align = not policy.bulk  # a bulk build leaves the hits' times to hit_times.py
            built = batching.documents(work, current, align)
            for n, (ep, (docs, problems, notes, _times)) in enumerate(built, 1):
                report.problems.extend(problems)
                report.notes.extend(notes)
                if _pending(docs):
                    self.times.mark_pending(current[ep.id])
                if ep.id in indexed:
                    writer.delete_by_term("episode", ep.id)
                marker = docs[-1]  # the episode's marker: what the index now says about it
                pending[ep.id] = (str(marker.get("hash", "")), str(marker.get("path", "") or ""))
                for doc in docs:
                    writer.add_document(**doc)
                policy.added(len(docs))
                if n < len(work) and policy.due():
                    writer.commit(merge=False)
                    self._committed = True
                    holds.update(pending)
                    pending.clear()
                    self._after_commit(ix, holds)
                    writer = self._writer(ix)
                    policy.committed()
                self.progress_state = (n, len(work), what)
                if time.monotonic() - status_at >= 1.0:
                    self._set_status(what, n, len(work))
                    status_at = time.monotonic()
                if progress is not None:
                    progress(n, len(work), ep.id)
            if (policy.incremental or policy.bulk) and len(ix._segments()) < batching.MAX_SEGMENTS:
                writer.commit(merge=False)
            else:
                writer.commit()
        except BaseException:
            try:
                writer.cancel()
            except Exception:  # noqa: BLE001
                pass
            raise
        holds.update(pending)
        self._after_commit(ix, holds)
        self._clear_status()

    def update_in_worker(
        self, progress: Progress | None = None, notice: Notice | None = None, refine: bool = True
    ) -> UpdateReport:
        """``update`` then (with ``refine``) ``refine_times``; a bulk update runs in a
        spawned process, so that this one never holds a build's memory (worker_update.py)."""
        from .worker_update import update_in_worker

        return update_in_worker(self, progress, notice, refine)

    # ----- hit times (hit_times.py) --------------------------------------------------------

    def refine_times(self, progress: Progress | None = None) -> int:
        """Align the episodes a bulk build indexed without the engine's times (in worker
        processes under ``reader``, as the build parses), so that searches give their
        hits' times without aligning; the number aligned. Run after ``update``."""
        from . import batching
        from .hashcache import content_hashes

        pending = self.times.pending()
        if not pending or not self.index_dir.is_dir():
            return 0
        current = content_hashes(self.library, self.index_dir)
        todo = [
            (ep, current[ep.id]) for ep in self.library.episodes if current.get(ep.id) in pending
        ]
        done = self.times.refine(todo, progress, workers=batching.workers())
        self.times.forget_except(current.values())
        return done

    def _hash_of(self, episode_id: str) -> str | None:
        """The content hash the index holds for an episode (from its manifest)."""
        from .hit_times import read_hashes

        path = self.index_dir / MANIFEST
        try:
            st = path.stat()
            key: Any = (st.st_size, st.st_mtime_ns)
        except OSError:
            key = None
        if self._hashes is None or self._hashes[0] != key:
            self._hashes = (key, read_hashes(path))
        return self._hashes[1].get(episode_id)

    def _episode_of(self, episode_id: str) -> Any:
        episodes = getattr(self.library, "episodes", None) or []
        for ep in episodes:
            if ep.id == episode_id:
                return ep
        from ..library import load_episode

        root = Path(self.library_root)
        if "/" in episode_id or episode_id in ("", ".", ".."):
            return None
        try:
            return load_episode(root / episode_id, library_root=root)
        except Exception:  # noqa: BLE001 - its hits keep no time
            return None

    def _after_commit(self, ix: Any, holds: dict[str, tuple[str, str]] | None = None) -> None:
        """Record what this generation holds for the next open: ``holds`` (what this
        update knows it committed), else read from the markers."""
        with self._lock:
            try:
                manifest = dict(holds) if holds is not None else self._indexed(ix)
                self._write_manifest(ix, manifest)
            except Exception:  # noqa: BLE001 - the next open reads the markers instead
                pass

    def _writer(self, ix: Any) -> Any:
        from . import batching

        w = ix.writer(timeout=LOCK_WAIT_S, delay=0.1, **batching.WRITER_ARGS)
        batching.fast_pool(w)
        per_document_reader = getattr(w, "per_document_reader", None)
        if per_document_reader is not None:
            # the new segment's lengths, asked for once per posting written
            w.per_document_reader = lambda: preload_perdoc_lengths(per_document_reader())
        return w

    def optimize(self) -> None:
        with self._update_lock:
            ix = self._index()
            w = self._writer(ix)
            w.commit(optimize=True)
            self._after_commit(ix)

    # ----- search -------------------------------------------------------------------------

    def searcher(self) -> Any:
        """A current searcher (refreshed when the index changed, here or elsewhere)."""
        with self._lock:
            ix = self._index()
            if self._searcher is None:
                self._searcher = preload_lengths(ix.searcher())
            elif not self._searcher.up_to_date():
                self._searcher = preload_lengths(self._searcher.refresh())
            return self._searcher

    def coverage_note(self) -> str | None:
        """What part of the library a search sees right now, when not all of it."""
        state = self.progress_state
        if state is not None and state[1]:
            return f"indexing: {state[0]} of {state[1]} episodes done; results so far"
        busy = self.busy_note()
        if busy:
            return busy + "; results so far"
        return None

    def search(
        self,
        query: str,
        episode: str | None = None,
        kind: str | None = None,
        limit: int = 20,
        cancel: threading.Event | None = None,
    ) -> SearchResults:
        """Top ``limit`` hits. A query that cannot run is an error in the results, never
        index damage: only when the index then fails its check is it marked for rebuild.
        ``cancel`` (set from another thread) stops a running search."""
        from .results import SearchResults
        from .running import run_search

        try:
            with self._lock:  # a rebuild in another thread never closes it under us
                res = run_search(
                    self.searcher(), query, episode=episode, kind=kind, limit=limit, cancel=cancel
                )
        except LockError:
            raise
        except Exception as exc:  # noqa: BLE001
            if self.healthy():
                log.info("query %r failed on a healthy index: %r", query, exc)
                return SearchResults(
                    query=query, error=f'query "{query}" could not be run ({type(exc).__name__})'
                )
            with self._lock:
                self._needs_rebuild = f"search failed: {type(exc).__name__}: {exc}"[:300]
                self._close()
            return SearchResults(
                query=query,
                error="the search index is damaged; it will be rebuilt on the next update "
                "(or run: reader index --rebuild)",
            )
        if any(
            h.seconds_pending or (h.kind == "summary" and h.unit_start is None) for h in res.hits
        ):
            from .hit_times import resolve

            resolve(self.times, res.hits, self._hash_of, self._episode_of)
        res.notice = self.coverage_note()
        return res

    def stats(self) -> dict[str, int]:
        s = self.searcher()
        return {"documents": s.doc_count(), "segments": len(self._index()._segments())}


def timestamp(seconds: float | None) -> str:
    return format_timestamp(seconds)
