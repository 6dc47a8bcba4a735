"""Building and keeping the Whoosh index of a library up to date.

The index lives in the user's cache dir (``cache_dir()/index/<library key>``), never in the
library. What it holds is recorded *inside* the index: each episode has a hidden marker
document (kind ``_episode``) with the episode's content hash, committed together with the
episode's passages and claims. A killed indexer therefore leaves an index that opens and is
exactly right about which episodes it holds; the next update finishes the job.

Reopening is light: after every commit a manifest (generation, sizes of the index files,
episode -> hash/problems) is written; when the table of contents, the schema version and
the manifest all agree, no segment is read until the first search. Otherwise every
segment is touched and the markers are read (and a broken index is set aside and
rebuilt). Episodes are parsed by ``reader.parse`` and timed by ``reader.sync``; when
either raises, the episode is reported (one line naming the file) and skipped.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import threading
import time
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as windex
from whoosh.index import EmptyIndexError, LockError

from .. import paths
from ..errors import InputError
from ..model import Summary, Transcript, format_timestamp
from .schema import MARKER_KIND, SCHEMA_VERSION, make_schema

if TYPE_CHECKING:
    from ..library import Episode, Library
    from .query import SearchResults

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]

META_FILE = "reader-index.json"  # {"schema": N, "library": "..."}; written when created
STAT_CACHE = "hash-cache.json"  # file stats -> content hash (a speed-up, never the truth)
MANIFEST = "manifest.json"  # generation, file sizes, episode -> (hash, problems); see _open

PASSAGE_MIN_WORDS = 40
PASSAGE_MAX_WORDS = 80
PASSAGE_GAP_S = 30.0  # a silence this long (timed transcripts) always ends a passage
WPM = 150.0

BATCH_EPISODES = 50  # small updates commit at least every this many episodes...
BATCH_DOCS = 20_000  # ...or this many documents
MAX_SEGMENTS = 10  # incremental commits skip merging until there are more segments
# A bulk update (a first build, a rebuild, this many new/changed episodes) keeps one
# writer and commits once at the end, which writes ONE segment at no extra cost (merging
# 20 segments afterwards took 150-180 s for 1,000 episodes). It still commits every
# CHECKPOINT_S seconds, so a killed build keeps most of its work.
BULK_EPISODES = 100
CHECKPOINT_S = 300.0
LOCK_WAIT_S = 2.0
WRITER_ARGS = {"procs": 1, "limitmb": 128}


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
    seconds: float = 0.0

    @property
    def touched(self) -> int:
        return self.added + self.changed + self.removed


# --- reading episodes -------------------------------------------------------------------


def align_episode(ep: Episode, transcript: Transcript, summaries: list[Summary]) -> tuple[list[float], Any]:
    """(unit start seconds, Alignment) from the sync engine (cached on disk).

    Raises whatever the engine raises; the caller reports the episode and skips it."""
    from ..sync import align_cached

    alignment = align_cached(transcript, summaries, ep.known_duration_s)
    secs = [float(x) for x in alignment.unit_seconds]
    if len(secs) != len(transcript.lines):
        raise ValueError(f"alignment has {len(secs)} unit times for {len(transcript.lines)} units")
    return secs, alignment


_SENTENCE_END = re.compile(r"[.?!…][\"'”’)\]]*$")


def passages(transcript: Transcript, unit_seconds: list[float]) -> Iterator[tuple[int, int, str]]:
    """(first unit, last unit, text): consecutive units of about 40-80 words.

    A passage ends at a sentence end once it has 40 words, always before it would pass 80
    words, and before a silence of 30 s or more. A single longer unit is its own passage.
    """
    lines = transcript.lines
    start, words, texts = 0, 0, []
    for i, unit in enumerate(lines):
        text = unit.text.strip()
        n = len(text.split())
        if texts:
            gap = (
                transcript.timed
                and i < len(unit_seconds)
                and unit_seconds[i] - unit_seconds[i - 1] >= PASSAGE_GAP_S
            )
            if gap or words + n > PASSAGE_MAX_WORDS:
                yield start, i - 1, " ".join(texts)
                start, words, texts = i, 0, []
        if not texts:
            start = i
        if text:
            texts.append(text)
            words += n
        if words >= PASSAGE_MIN_WORDS and _SENTENCE_END.search(text):
            yield start, i, " ".join(texts)
            start, words, texts = i + 1, 0, []
    if texts:
        yield start, len(lines) - 1, " ".join(texts)


def episode_documents(ep: Episode, content_hash: str) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """All documents of one episode (marker last), its problems and its notes.

    Problems are one line each, naming the file, for what cannot be searched (an
    unreadable summary); notes are the parsers' harmless remarks (repaired input). Raises
    whatever the parsers or the sync engine raise for the transcript.
    """
    cached = "transcript" in ep.__dict__, "summaries" in ep.__dict__
    try:
        transcript = ep.transcript
        summaries = ep.summaries
        unit_seconds, alignment = align_episode(ep, transcript, summaries)
    finally:
        # Don't keep a whole library of parsed transcripts alive on the Episode objects.
        if not cached[0]:
            ep.__dict__.pop("transcript", None)
        if not cached[1]:
            ep.__dict__.pop("summaries", None)
    problems = list(dict.fromkeys(ep.problems))
    notes = [f"{transcript.path}: {w}" for w in transcript.warnings]
    notes += [f"{s.path}: {w}" for s in summaries for w in s.warnings]
    docs: list[dict[str, Any]] = []
    lines = transcript.lines
    tpath = str(transcript.path)
    for u0, u1, text in passages(transcript, unit_seconds):
        first, last = lines[u0], lines[u1]
        line_end = max(last.source_line_end or last.source_line, first.source_line)
        docs.append(
            {
                "episode": ep.id,
                "kind": "transcript",
                "title": ep.title,
                "path": tpath,
                "time": float(unit_seconds[u0]) if unit_seconds else 0.0,
                "loc": (first.source_line, line_end, u0, u1, None, None),
                "text": text,
                "raw": text,
            }
        )
    claim_units = alignment.summaries
    seen: set[tuple[str, str, float]] = set()
    for si, summary in enumerate(summaries):
        by_index = {c.claim.index: c for c in claim_units[si]} if si < len(claim_units) else {}
        for claim in summary.claims:
            # A summary pasted twice into its file: index the first copy only.
            key = (claim.section, claim.text, float(claim.seconds))
            if key in seen:
                continue
            seen.add(key)
            u0 = u1 = None
            ca = by_index.get(claim.index)
            if ca is not None:
                u0, u1 = ca.unit_start, ca.unit_end
            if u0 is None and unit_seconds:
                u0 = u1 = max(0, bisect_right(unit_seconds, claim.seconds) - 1)
            docs.append(
                {
                    "episode": ep.id,
                    "kind": "summary",
                    "title": ep.title,
                    "path": str(summary.path),
                    "section": claim.section,
                    "time": float(claim.seconds),
                    "loc": (claim.source_line, claim.source_line, u0, u1, si, claim.index),
                    "text": claim.text,
                    "raw": claim.text + (" " + claim.section if claim.section else ""),
                }
            )
    docs.append(_marker(ep, content_hash, problems))
    return docs, problems, notes


def _problem_line(ep: Episode, exc: BaseException) -> str:
    """One line naming the file: InputError already says which file and what is wrong."""
    if isinstance(exc, InputError):
        text = str(exc)
    else:
        what = "cannot be aligned" if type(exc).__module__.startswith("reader.sync") else "cannot be indexed"
        text = f"{ep.transcript_path}: {what} ({type(exc).__name__}: {exc}); episode not searchable"
    return " ".join(text.split())


def _marker(ep: Episode, content_hash: str, problems: list[str]) -> dict[str, Any]:
    return {
        "episode": ep.id,
        "kind": MARKER_KIND,  # no title/text: only episode:/kind: queries can match it
        "hash": content_hash,
        "path": "\n".join(problems),
    }


# --- the index ----------------------------------------------------------------------------


def default_index_dir(library_root: Path) -> Path:
    return paths.cache_dir() / "index" / paths.library_key(library_root)


class LibraryIndex:
    """The search index of one library. Safe to ``update`` from a worker thread while
    other threads ``search``.

    One re-entrant lock guards opening, creating, setting aside and closing the Whoosh
    index and its searcher, and every search runs under it: a search that starts while
    another thread's ``update(rebuild=True)`` recreates the index waits for the new index
    instead of finding a half-made folder (and setting it aside as broken).
    """

    def __init__(self, library: Library, index_dir: Path | None = None) -> None:
        self.library = library
        self.index_dir = Path(index_dir) if index_dir is not None else default_index_dir(library.root)
        self._ix: Any = None
        self._searcher: Any = None
        self._update_lock = threading.Lock()
        self._lock = threading.RLock()
        self._needs_rebuild: str | None = None
        self.last_report: UpdateReport | None = None

    # ----- opening / setting aside ------------------------------------------------------

    def _read_json(self, name: str) -> Any:
        try:
            return json.loads((self.index_dir / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _read_meta(self) -> dict[str, Any] | None:
        meta = self._read_json(META_FILE)
        return meta if isinstance(meta, dict) else None

    def _write_json(self, name: str, data: Any) -> None:
        tmp = self.index_dir / f".{name}.{os.getpid()}.{threading.get_ident()}.tmp"
        try:
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, self.index_dir / name)
        except OSError:
            try:
                tmp.unlink()
            except OSError:
                pass

    def _set_aside(self, why: str) -> None:
        """Move a broken/outdated index out of the way (keep only the newest broken copy)."""
        with self._lock:
            self._close()
            d = self.index_dir
            if not d.exists():
                return
            for old in d.parent.glob(d.name + ".broken-*"):
                shutil.rmtree(old, ignore_errors=True)
            target = d.with_name(f"{d.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
            try:
                d.rename(target)
            except OSError:
                shutil.rmtree(d, ignore_errors=True)
            log.info("search index %s set aside: %s", d, why)

    def _create(self) -> Any:
        self.index_dir.mkdir(parents=True, exist_ok=True)
        ix = windex.create_in(str(self.index_dir), make_schema())
        self._write_json(META_FILE, {"schema": SCHEMA_VERSION, "library": str(self.library.root)})
        self._write_manifest(ix, {})
        return ix

    # The light check: the table of contents opens, the schema matches, and the manifest
    # (written after every commit) names this generation and the exact sizes of its
    # files. Only when that fails is every segment touched and every marker read.

    def _index_files(self) -> dict[str, int]:
        out = {}
        for p in self.index_dir.iterdir():
            if p.name.startswith(("_MAIN_", "MAIN_")) and not p.name.endswith("LOCK"):
                try:
                    out[p.name] = p.stat().st_size
                except OSError:
                    pass
        return out

    def _write_manifest(self, ix: Any, episodes: dict[str, tuple[str, str]]) -> None:
        self._write_json(
            MANIFEST,
            {
                "schema": SCHEMA_VERSION,
                "generation": ix.latest_generation(),
                "files": self._index_files(),
                "episodes": {k: list(v) for k, v in episodes.items()},
            },
        )

    def _trusted_manifest(self, ix: Any) -> dict[str, tuple[str, str]] | None:
        m = self._read_json(MANIFEST)
        try:
            if m["schema"] != SCHEMA_VERSION or m["generation"] != ix.latest_generation():
                return None
            for name, size in m["files"].items():
                if (self.index_dir / name).stat().st_size != size:
                    return None
            return {k: (str(v[0]), str(v[1])) for k, v in m["episodes"].items()}
        except (TypeError, KeyError, AttributeError, IndexError, OSError):
            return None

    def _check(self, ix: Any) -> None:
        """Touch every segment so truncated/corrupt files fail here, not mid-search."""
        with ix.searcher() as s:
            list(s.documents(kind=MARKER_KIND))
            for r, _ in s.reader().leaf_readers():
                r.doc_count_all()
                for name in ("text", "raw"):
                    r.field_length(name)
                    next(iter(r.lexicon(name)), None)

    def _open(self, rebuild: bool = False) -> tuple[Any, str | None]:
        """Open (creating or rebuilding as needed). Returns (index, why it was rebuilt).
        Call with self._lock held."""
        why: str | None = None
        if rebuild:
            why = "rebuild requested"
        elif self._needs_rebuild:
            why = self._needs_rebuild
        elif self.index_dir.exists():
            meta = self._read_meta()
            if meta is None or meta.get("schema") != SCHEMA_VERSION:
                if meta is not None or any(self.index_dir.iterdir()):
                    why = f"index schema {meta.get('schema') if meta else 'unknown'} != {SCHEMA_VERSION}"
        if why is None and self.index_dir.exists() and windex.exists_in(str(self.index_dir)):
            try:
                ix = windex.open_dir(str(self.index_dir))
                if set(ix.schema.names()) != set(make_schema().names()):
                    raise ValueError("index schema differs")
                if self._trusted_manifest(ix) is None:
                    self._check(ix)
                    self._write_manifest(ix, self._indexed(ix))
                return ix, None
            except LockError:
                raise
            except EmptyIndexError as exc:
                why = f"index has no table of contents ({exc})"
            except Exception as exc:  # noqa: BLE001 - EOFError, struct.error, pickle errors...
                why = f"index unreadable: {type(exc).__name__}: {exc}"
        elif why is None and self.index_dir.exists() and any(
            p.name.startswith(("_MAIN_", "MAIN_")) for p in self.index_dir.iterdir()
        ):
            why = "index has no table of contents"
        if why is not None:
            self._set_aside(why)
        self._needs_rebuild = None
        return self._create(), why

    def _close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                try:
                    self._searcher.close()
                except Exception:  # noqa: BLE001
                    pass
            self._searcher = None
            self._ix = None

    def close(self) -> None:
        self._close()

    def _index(self) -> Any:
        with self._lock:
            if self._ix is None:
                self._ix, why = self._open()
                if why and self.last_report is None:
                    self.last_report = UpdateReport(rebuilt=why)
            return self._ix

    # ----- hashing ------------------------------------------------------------------------

    def _hashes(self) -> dict[str, str]:
        """Episode id -> content hash, skipping the read when file stats are unchanged."""
        cache = self._read_json(STAT_CACHE)
        if not isinstance(cache, dict):
            cache = {}
        out: dict[str, str] = {}
        new_cache: dict[str, Any] = {}
        now = time.time_ns()
        for ep in self.library.episodes:
            stats = []
            for p in [ep.folder / "episode.toml", ep.transcript_path, *ep.summary_paths]:
                try:
                    st = os.stat(p)
                    stats.append([p.name, st.st_size, st.st_mtime_ns])
                except OSError:
                    stats.append([p.name, -1, 0])
            entry = cache.get(ep.id)
            # A file modified within the last 2 s might change again within mtime resolution.
            fresh = all(now - s[2] > 2_000_000_000 for s in stats)
            if entry and entry[0] == stats and fresh:
                h = entry[1]
            else:
                h = ep.content_hash()
            out[ep.id] = h
            new_cache[ep.id] = [stats, h]
        if new_cache != cache:
            self._write_json(STAT_CACHE, new_cache)
        return out

    @staticmethod
    def _indexed(ix: Any) -> dict[str, tuple[str, str]]:
        """Episode id -> (hash, problems) for what the index holds (read from markers)."""
        with ix.searcher() as s:
            return {
                d["episode"]: (d.get("hash", ""), d.get("path", "") or "")
                for d in s.documents(kind=MARKER_KIND)
            }

    # ----- update -------------------------------------------------------------------------

    def update(self, progress: Progress | None = None, rebuild: bool = False) -> UpdateReport:
        """Bring the index in line with the library: only added/changed/removed episodes
        are touched; an unchanged library opens no writer. A bulk build writes one
        segment (fast queries); see BULK_EPISODES."""
        t0 = time.perf_counter()
        report = UpdateReport()
        with self._update_lock:
            try:
                self._update(report, progress, rebuild)
            except LockError:
                report.locked = True
            finally:
                report.seconds = time.perf_counter() - t0
                with self._lock:
                    if self._searcher is not None:
                        try:
                            self._searcher = self._searcher.refresh()
                        except Exception:  # noqa: BLE001
                            self._searcher = None
        if report.locked:
            report.problems.append(
                f"{self.index_dir}: search index is being updated by another reader process; "
                "searched the existing index"
            )
        self.last_report = report
        return report

    def _update(self, report: UpdateReport, progress: Progress | None, rebuild: bool) -> None:
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
        current = self._hashes()
        work: list[Episode] = []
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

        writer = self._writer(ix)
        incremental = len(work) + len(removed) <= BATCH_EPISODES and len(indexed) > 0
        bulk = len(work) >= BULK_EPISODES
        docs_in_batch = 0
        eps_in_batch = 0
        last_commit = time.monotonic()
        try:
            for eid in removed:
                writer.delete_by_term("episode", eid)
            for n, ep in enumerate(work, 1):
                try:
                    docs, problems, notes = episode_documents(ep, current[ep.id])
                except Exception as exc:  # noqa: BLE001 - one episode never stops the rest
                    problems = [_problem_line(ep, exc)]
                    notes = []
                    # The marker records the problem, so an unchanged broken episode is
                    # reported again without being re-read; it is retried once it changes.
                    docs = [_marker(ep, current[ep.id], problems)]
                report.problems.extend(problems)
                report.notes.extend(notes)
                if ep.id in indexed:
                    writer.delete_by_term("episode", ep.id)
                for doc in docs:
                    writer.add_document(**doc)
                docs_in_batch += len(docs)
                eps_in_batch += 1
                if progress is not None:
                    progress(n, len(work), ep.id)
                if bulk:
                    due = time.monotonic() - last_commit >= CHECKPOINT_S
                else:
                    due = eps_in_batch >= BATCH_EPISODES or docs_in_batch >= BATCH_DOCS
                if n < len(work) and due:
                    writer.commit()
                    writer = self._writer(ix)
                    docs_in_batch = eps_in_batch = 0
                    last_commit = time.monotonic()
            if incremental and len(ix._segments()) < MAX_SEGMENTS:
                writer.commit(merge=False)
            else:
                writer.commit()
        except BaseException:
            try:
                writer.cancel()
            except Exception:  # noqa: BLE001
                pass
            raise
        self._after_commit(ix)

    def _after_commit(self, ix: Any) -> None:
        """Record what this generation holds (read from its markers) for the next open."""
        with self._lock:
            try:
                gen = ix.latest_generation()
                manifest = self._indexed(ix)
                if ix.latest_generation() == gen:
                    self._write_manifest(ix, manifest)
            except Exception:  # noqa: BLE001 - the next open reads the markers instead
                pass

    def _writer(self, ix: Any) -> Any:
        return ix.writer(timeout=LOCK_WAIT_S, delay=0.1, **WRITER_ARGS)

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
                self._searcher = ix.searcher()
            elif not self._searcher.up_to_date():
                self._searcher = self._searcher.refresh()
            return self._searcher

    def search(
        self, query: str, episode: str | None = None, kind: str | None = None, limit: int = 20
    ) -> SearchResults:
        from .query import run_search

        with self._lock:
            try:
                return run_search(self.searcher(), query, episode=episode, kind=kind, limit=limit)
            except LockError:
                raise
            except Exception as exc:  # noqa: BLE001 - damaged index: rebuild on next update
                from .query import SearchResults

                self._needs_rebuild = f"search failed: {type(exc).__name__}: {exc}"
                self._close()
                return SearchResults(
                    query=query,
                    total=0,
                    error="the search index is damaged; it will be rebuilt on the next update "
                    "(or run: reader index --rebuild)",
                )

    def stats(self) -> dict[str, int]:
        s = self.searcher()
        return {"documents": s.doc_count(), "segments": len(self._index()._segments())}


def timestamp(seconds: float | None) -> str:
    return format_timestamp(seconds)
