"""The index's life on disk: open, create, check, set aside, and what each commit holds.

The index lives in the user's cache dir (``cache_dir()/index/<library key>``), never in the
library. What it holds is recorded *inside* the index: each episode has a hidden marker
document (kind ``_episode``) with the episode's content hash, committed together with the
episode's passages and claims. A killed indexer therefore leaves an index that opens and is
exactly right about which episodes it holds; the next update finishes the job.

Storage is opened with ``supports_mmap=False``: Whoosh's compound segment file otherwise
copies each memory-mapped sub-file into a ``BytesIO`` on first use (a 1,000-episode
library pushed a search process to ~1 GB; read with ``pread`` it stays at tens of MB).

Reopening is light: after every commit a manifest (generation, size and modification time
of the index files, episode -> hash/problems) is written; when the table of contents, the
schema version and the manifest all agree, no segment is read until the first search.
Otherwise every segment is touched and the markers are read, and an index that fails that
is set aside (renamed ``<dir>.broken-…``, the newest one kept) and rebuilt.

While a process writes, it keeps ``building.json`` (pid, what it is doing, episodes done)
so that other processes can say what is happening instead of showing partial counts.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, LockError

from ..json_files import read_json, write_json
from .schema import MARKER_KIND, SCHEMA_VERSION, make_schema

log = logging.getLogger(__name__)

META_FILE = "reader-index.json"  # {"schema": N, "library": "..."}; written when created
MANIFEST = "manifest.json"  # generation, file stats, episode -> (hash, problems)
STATUS_FILE = "building.json"  # {"pid", "what", "done", "total", "started"} while writing


def pid_alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


LENGTH_FIELDS = ("text", "title", "section")


def preload_perdoc_lengths(perdoc: Any) -> Any:
    """One segment's field-length columns (one byte a document) read into memory once:
    BM25 (and the writer, for every posting it writes) asks for a document's field
    length one document at a time, and without mmap each ask was a ``pread``. Uses
    Whoosh's segment internals; where they differ, nothing is changed."""
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        if perdoc is None or getattr(perdoc, "_reader_lengths_loaded", False):
            return perdoc
        count = perdoc.doc_count_all()
        for name in LENGTH_FIELDS:
            col = perdoc._cached_reader(_lenfield(name), LENGTHS_COLUMN)
            if col is None or getattr(col, "_fixedlen", None) != 1:
                continue
            data = col._dbfile.get(col._basepos, col._count)
            if len(data) < count + 1:
                data += bytes(count + 1 - len(data))
            perdoc._readers[_lenfield(name)] = data
        perdoc._reader_lengths_loaded = True
    except Exception:  # noqa: BLE001 - an optimisation only
        log.debug("field lengths not preloaded", exc_info=True)
    return perdoc


def preload_lengths(searcher: Any) -> Any:
    """preload_perdoc_lengths for every segment of a searcher."""
    try:
        for leaf, _ in searcher.reader().leaf_readers():
            preload_perdoc_lengths(getattr(leaf, "_perdoc", None))
    except Exception:  # noqa: BLE001
        log.debug("field lengths not preloaded", exc_info=True)
    return searcher


class IndexStorage:
    """Opening, creating, checking and setting aside the Whoosh index of one folder.

    Mixed into LibraryIndex; ``self.index_dir``, ``self._lock`` (re-entrant),
    ``self._ix``, ``self._searcher`` and ``self._needs_rebuild`` are set there."""

    index_dir: Path
    _lock: threading.RLock
    _ix: Any
    _searcher: Any
    _needs_rebuild: str | None

    # ----- small files ----------------------------------------------------------------

    def _read_json(self, name: str) -> Any:
        return read_json(self.index_dir / name)

    def _write_json(self, name: str, data: Any) -> None:
        write_json(self.index_dir / name, data)

    def _read_meta(self) -> dict[str, Any] | None:
        meta = self._read_json(META_FILE)
        return meta if isinstance(meta, dict) else None

    def _storage(self) -> FileStorage:
        return FileStorage(str(self.index_dir), supports_mmap=False)

    # ----- build status (for other processes) -------------------------------------------

    def building(self) -> dict[str, Any] | None:
        """What another live process is writing, or None: {"pid", "what", "done",
        "total"}. A status left by a killed process is ignored."""
        st = self._read_json(STATUS_FILE)
        if not isinstance(st, dict) or st.get("pid") == os.getpid() or not pid_alive(st.get("pid")):
            return None
        return st

    def interrupted(self) -> dict[str, Any] | None:
        """The status a killed writer left behind (it died mid-build), or None."""
        st = self._read_json(STATUS_FILE)
        if not isinstance(st, dict) or st.get("pid") == os.getpid() or pid_alive(st.get("pid")):
            return None
        return st

    def _set_status(self, what: str, done: int, total: int) -> None:
        self._write_json(
            STATUS_FILE,
            {"pid": os.getpid(), "what": what, "done": done, "total": total, "time": time.time()},
        )

    def _clear_status(self) -> None:
        st = self._read_json(STATUS_FILE)
        if (
            isinstance(st, dict)
            and st.get("pid") not in (os.getpid(), None)
            and pid_alive(st.get("pid"))
        ):
            return  # another live writer's
        try:
            (self.index_dir / STATUS_FILE).unlink()
        except OSError:
            pass

    # ----- setting aside / creating -----------------------------------------------------

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
        ix = self._storage().create_index(make_schema())
        self._write_json(META_FILE, {"schema": SCHEMA_VERSION, "library": str(self.library_root)})
        self._write_manifest(ix, {})
        return ix

    @property
    def library_root(self) -> Path:
        root: Path = self.library.root  # type: ignore[attr-defined]
        return root

    # ----- the light check ---------------------------------------------------------------
    # The table of contents opens, the schema matches, and the manifest (written after
    # every commit) names this generation and the exact size and modification time of its
    # files. Only when that fails is every segment touched and every marker read.

    def _index_files(self) -> dict[str, list[int]]:
        out = {}
        for p in self.index_dir.iterdir():
            if p.name.startswith(("_MAIN_", "MAIN_")) and not p.name.endswith("LOCK"):
                try:
                    st = p.stat()
                    out[p.name] = [st.st_size, st.st_mtime_ns]
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
            files = self._index_files()
            for name, stat in m["files"].items():
                if files.get(name) != list(stat):
                    return None
            return {str(k): (str(v[0]), str(v[1])) for k, v in m["episodes"].items()}
        except (TypeError, KeyError, AttributeError, IndexError, OSError, ValueError):
            return None

    def _check(self, ix: Any) -> None:
        """Touch every segment so truncated/corrupt files fail here, not mid-search: the
        markers, each field's lengths, the first and last terms of the lexicons and one
        posting list of each."""
        with ix.searcher() as s:
            list(s.documents(kind=MARKER_KIND))
            for r, _ in s.reader().leaf_readers():
                r.doc_count_all()
                for name in ("text", "words"):
                    r.field_length(name)
                    terms = list(r.lexicon(name))
                    for word in terms[:1] + terms[-1:]:
                        list(r.postings(name, word).all_ids())
                if r.doc_count_all():
                    r.stored_fields(r.doc_count_all() - 1)

    @staticmethod
    def _indexed(ix: Any) -> dict[str, tuple[str, str]]:
        """Episode id -> (hash, problems) for what the index holds (read from markers)."""
        with ix.searcher() as s:
            return {
                d["episode"]: (d.get("hash", ""), d.get("path", "") or "")
                for d in s.documents(kind=MARKER_KIND)
            }

    def healthy(self) -> bool:
        """True when every segment of the current index reads (see _check)."""
        with self._lock:
            try:
                ix = self._ix if self._ix is not None else self._storage().open_index()
                self._check(ix)
                return True
            except LockError:
                return True
            except Exception:  # noqa: BLE001
                return False

    # ----- opening ----------------------------------------------------------------------

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
                    found = meta.get("schema") if meta else "unknown"
                    why = f"index schema {found} != {SCHEMA_VERSION}"
        storage = self._storage() if self.index_dir.exists() else None
        has_toc = storage is not None and any(
            p.name.startswith("_MAIN_") and p.name.endswith(".toc")
            for p in self.index_dir.iterdir()
        )
        if why is None and has_toc and storage is not None:
            try:
                ix = storage.open_index()
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
                why = f"index unreadable: {type(exc).__name__}: {exc}"[:300]
        elif (
            why is None
            and storage is not None
            and any(p.name.startswith(("_MAIN_", "MAIN_")) for p in self.index_dir.iterdir())
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
