"""Hit times that the index does not hold: aligned after the build, or when first shown.

What the index needs from the sync engine is small: the time of the first unit of each
passage (and the units a summary claim covers), and only for the hits a search shows.
Aligning every episode inside a first build was ~45% of its CPU. So a bulk build indexes
passages with their unit range and, where the transcript has no times of its own, no
time (``None``); the times come from here:

- ``times/<content hash>.times`` in the index folder: the episode's unit start seconds and
  its claims' unit ranges, exactly as ``reader.sync.align_cached`` gives them (the same
  alignment the app and ``reader align`` compute and cache when the episode is opened,
  so a hit's time is where the app lands). Written by an update that aligned the episode
  anyway (small updates), by ``refine`` (after a bulk build: ``reader index``, the app's
  background indexing), and by ``resolve`` for a hit whose episode has none yet.
- ``resolve(hits)`` fills in the missing times of a search's hits: from those files, or,
  for an episode not aligned yet, by aligning it then (~50-70 ms an episode of an hour;
  only until ``refine`` has run).

Like the other caches it is a speed-up, never the truth: a missing or malformed file is
computed again from the episode's files.
"""

from __future__ import annotations

import os
import struct
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable
from math import isfinite
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import write_atomic
from ..json_files import read_json

if TYPE_CHECKING:
    from ..library import Episode

FOLDER = "times"


class Times:
    """One episode's unit start seconds and claim ranges ((summary, claim) -> units)."""

    __slots__ = ("units", "claims")

    def __init__(self, units: list[float], claims: dict[tuple[int, int], tuple[int, int]]):
        self.units = units
        self.claims = claims

    def to_bytes(self) -> bytes:
        flat = [x for (si, ci), (a, b) in self.claims.items() for x in (si, ci, a, b)]
        return (
            _MAGIC
            + _HEAD.pack(len(self.units), len(self.claims))
            + array("d", self.units).tobytes()
            + array("i", flat).tobytes()
        )

    @classmethod
    def from_bytes(cls, data: bytes | None) -> Times | None:
        """The times in a file's bytes, or None for anything malformed."""
        if not data or not data.startswith(_MAGIC):
            return None
        try:
            n, m = _HEAD.unpack_from(data, len(_MAGIC))
            at = len(_MAGIC) + _HEAD.size
            units = array("d")
            units.frombytes(data[at : at + 8 * n])
            flat = array("i")
            flat.frombytes(data[at + 8 * n :])
        except (ValueError, struct.error):
            return None
        if len(units) != n or len(flat) != 4 * m or any(not isfinite(x) for x in units):
            return None
        claims = {
            (flat[k], flat[k + 1]): (flat[k + 2], flat[k + 3]) for k in range(0, len(flat), 4)
        }
        return cls(units.tolist(), claims)


_MAGIC = b"reader hit times 1\n"
_HEAD = struct.Struct("<II")


def times_of(alignment: Any) -> Times:
    """What the index needs of an ``Alignment``."""
    claims: dict[tuple[int, int], tuple[int, int]] = {}
    for si, cas in enumerate(alignment.summaries):
        for ca in cas:
            claims[(si, ca.claim.index)] = (ca.unit_start, ca.unit_end)
    return Times([float(x) for x in alignment.unit_seconds], claims)


def align_times(ep: Episode) -> Times:
    """The episode aligned (``align_cached``: the app's own alignment) -> its Times.
    Raises whatever parsing or the sync engine raise."""
    from ..sync import align_cached

    kept = ep.transcript_parsed, ep.summaries_parsed
    try:
        alignment = align_cached(ep.transcript, ep.summaries, ep.known_duration_s)
    finally:
        ep.forget_parsed(transcript=not kept[0], summaries=not kept[1])
    return times_of(alignment)


def _align_in_worker(ep: Episode) -> Times | None:
    try:
        return align_times(ep)
    except Exception:  # noqa: BLE001 - its hits keep no time; the episode says why elsewhere
        return None


class TimesStore:
    """The ``times`` folder of one index."""

    def __init__(self, index_dir: Path) -> None:
        self.folder = Path(index_dir) / FOLDER
        self._memo: dict[str, Times] = {}

    def _file(self, content_hash: str) -> Path:
        return self.folder / f"{content_hash}.times"

    def has(self, content_hash: str) -> bool:
        return content_hash in self._memo or self._file(content_hash).is_file()

    def get(self, content_hash: str) -> Times | None:
        got = self._memo.get(content_hash)
        if got is None:
            try:
                data = self._file(content_hash).read_bytes()
            except OSError:
                return None
            got = Times.from_bytes(data)
            if got is not None and len(self._memo) < 256:
                self._memo[content_hash] = got
        return got

    def put(self, content_hash: str, times: Times) -> None:
        try:
            write_atomic(self._file(content_hash), times.to_bytes(), fsync=False)
        except OSError:
            pass

    def mark_pending(self, content_hash: str) -> None:
        """This episode version's passages were indexed without the engine's times."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / f"{content_hash}.pending").touch()
        except OSError:
            pass

    def pending(self) -> set[str]:
        """The content hashes marked pending and not aligned since."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return set()
        marked = {n[: -len(".pending")] for n in names if n.endswith(".pending")}
        return {h for h in marked if f"{h}.times" not in names}

    def forget_except(self, hashes: Iterable[str]) -> None:
        """Remove the files of episode versions the index no longer holds."""
        keep = set(hashes)
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name.rsplit(".", 1)[0] not in keep:
                try:
                    (self.folder / name).unlink()
                except OSError:
                    pass

    def refine(
        self,
        episodes: list[tuple[Episode, str]],
        progress: Callable[[int, int, str], None] | None = None,
        workers: int = 0,
    ) -> int:
        """Align every (episode, content hash) without a file yet and write its file
        (in ``workers`` spawned processes when there are many); the number aligned.
        An episode that cannot be aligned keeps its mark (its hits are aligned when
        shown, and say nothing more than the index's problem line for it)."""
        todo = [(ep, h) for ep, h in episodes if not self.has(h)]
        if not todo:
            return 0
        results: Iterable[Times | None]
        if workers and len(todo) >= 20:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from .worker_update import real_stdio

            ctx = multiprocessing.get_context("spawn")
            with real_stdio():  # (in the app: see real_stdio)
                pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
                results = pool.map(_align_in_worker, [ep for ep, _ in todo], chunksize=4)
        else:
            pool = None
            results = (_align_in_worker(ep) for ep, _ in todo)
        try:
            for n, ((ep, h), times) in enumerate(zip(todo, results, strict=False), 1):
                if times is not None:
                    self.put(h, times)
                    try:
                        (self.folder / f"{h}.pending").unlink()
                    except OSError:
                        pass
                if progress is not None:
                    progress(n, len(todo), ep.id)
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        return len(todo)


def resolve(
    store: TimesStore,
    hits: list[Any],
    hash_of: Callable[[str], str | None],
    episode_of: Callable[[str], Episode | None],
) -> None:
    """Fill in each hit's missing time (transcript passages of untimed transcripts
    indexed by a bulk build) and claim range, from the store or by aligning the
    episode now. ``hash_of(episode id)``: the content hash the index holds for it;
    ``episode_of(episode id)``: the library's episode."""
    from ..model import format_timestamp

    got: dict[str, Times | None] = {}
    for hit in hits:
        pending_time = hit.kind == "transcript" and hit.seconds_pending
        pending_range = hit.kind == "summary" and hit.unit_start is None
        if not (pending_time or pending_range):
            continue
        eid = hit.episode
        if eid not in got:
            h = hash_of(eid)
            times = store.get(h) if h else None
            if times is None:
                ep = episode_of(eid)
                if ep is not None:
                    try:
                        times = align_times(ep)
                    except Exception:  # noqa: BLE001 - the hit keeps no time
                        times = None
                    if times is not None and h and ep.content_hash() == h:
                        store.put(h, times)
            got[eid] = times
        times = got[eid]
        if times is None:
            continue
        if pending_time and hit.unit_start is not None and 0 <= hit.unit_start < len(times.units):
            hit.seconds = times.units[hit.unit_start]
            hit.timestamp = format_timestamp(hit.seconds)
            hit.seconds_pending = False
        if pending_range and hit.summary_index is not None and hit.claim_index is not None:
            rng = times.claims.get((hit.summary_index, hit.claim_index))
            if rng is None and times.units:  # (as documents.py places an unplaced claim)
                u = max(0, bisect_right(times.units, hit.seconds) - 1)
                rng = (u, u)
            if rng is not None:
                hit.unit_start, hit.unit_end = rng


def read_hashes(manifest: Path) -> dict[str, str]:
    """Episode id -> content hash, from the index's manifest (storage.py)."""
    data = read_json(manifest)
    try:
        return {str(k): str(v[0]) for k, v in data["episodes"].items()}
    except (TypeError, KeyError, AttributeError, IndexError):
        return {}
