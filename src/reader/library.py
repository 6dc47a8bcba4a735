"""Episodes on disk: a library is a folder of episode folders.

An episode folder holds one transcript, zero or more summaries (original bytes, only ever
read) and ``episode.toml``::

    title = "..."            # required
    show = "..."
    date = "2025-05-22"
    duration = 3420          # seconds
    url = "https://..."
    video_id = "W1aGV4K3A8Y"
    transcript = "003_75872830f222a075.txt"
    summaries = ["000_6919f514f7a019ae.txt", ...]

One broken episode never hides the others: ``Library.load`` collects one-line problems.
This module only reads; adding and removing episodes is ``reader.adding``.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .errors import InputError, ReaderError
from .files import MAX_META_BYTES, MAX_SUMMARY_BYTES, folder_inside, inside, read_limited
from .meta_cache import MetaCache, stamp
from .model import EpisodeMeta, Summary, Transcript
from .text import display_line, strip_controls

META_FILE = "episode.toml"


@dataclass(eq=False)
class Episode:
    id: str  # the folder name
    folder: Path
    meta: EpisodeMeta
    transcript_path: Path
    summary_paths: list[Path]
    problems: list[str] = field(default_factory=list)  # one-line notes about bad summaries

    @property
    def title(self) -> str:
        return self.meta.title

    @cached_property
    def transcript(self) -> Transcript:
        """Parsed transcript (raises InputError if unreadable)."""
        from .parse.transcript import parse_transcript

        return parse_transcript(self.transcript_path)

    @cached_property
    def summaries(self) -> list[Summary]:
        """Parsed summaries; an unreadable one is skipped and noted in ``problems``."""
        from .parse.summary import parse_summary

        result = []
        for path in self.summary_paths:
            try:
                size = path.stat().st_size
                if size > MAX_SUMMARY_BYTES:
                    raise InputError(
                        path,
                        f"summary is {size // 1024 // 1024} MB; reader reads summaries "
                        f"of up to {MAX_SUMMARY_BYTES // 1024 // 1024} MB",
                    )
                result.append(parse_summary(path))
            except InputError as exc:
                self.problems.append(str(exc))
            except OSError as exc:
                self.problems.append(
                    str(InputError(path, f"cannot read file: {exc.strerror or exc}"))
                )
        return result

    # --- the parsed files, kept once read (``transcript`` and ``summaries`` are cached) ---
    @property
    def transcript_parsed(self) -> bool:
        """The transcript has been parsed (or set) and is kept: reading it costs nothing."""
        return "transcript" in self.__dict__

    @property
    def summaries_parsed(self) -> bool:
        return "summaries" in self.__dict__

    def set_parsed(self, transcript: Transcript, summaries: list[Summary]) -> None:
        """Keep a transcript and summaries read elsewhere (the episode cache) as if parsed."""
        self.__dict__["transcript"] = transcript
        self.__dict__["summaries"] = summaries

    def forget_parsed(self, transcript: bool = True, summaries: bool = True) -> None:
        """Drop the kept transcript and/or summaries (memory): they are parsed again if
        asked for."""
        if transcript:
            self.__dict__.pop("transcript", None)
        if summaries:
            self.__dict__.pop("summaries", None)

    @property
    def known_duration_s(self) -> float | None:
        """The duration the sync engine may trust: the metadata's, or None. (The last
        summary stamp is only a lower bound; the engine extrapolates the transcript's
        end from the anchors' speaking rate, and a timed transcript knows its own.)"""
        return float(self.meta.duration_s) if self.meta.duration_s else None

    @property
    def duration_s(self) -> float | None:
        """Metadata, else the transcript's last time, else the last summary timestamp."""
        if self.meta.duration_s:
            return float(self.meta.duration_s)
        try:
            last = self.transcript.last_time
        except InputError:
            last = None
        if last:
            return float(last)
        times = [c.seconds for s in self.summaries for c in s.claims]
        return float(max(times)) if times else None

    def content_hash(self) -> str:
        """Hash of every file the episode is made of (metadata included)."""
        h = hashlib.sha256()
        for path in [self.folder / META_FILE, self.transcript_path, *self.summary_paths]:
            h.update(path.name.encode("utf-8", "surrogateescape"))
            try:  # a regular file only, in chunks: never a FIFO, never all in memory
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
                with open(fd, "rb") as fh:
                    if not stat.S_ISREG(os.fstat(fd).st_mode):
                        raise OSError("not a regular file")
                    while chunk := fh.read(1 << 20):
                        h.update(chunk)
            except OSError:
                h.update(b"<missing>")
        return h.hexdigest()

    def link_at(self, seconds: float) -> str:
        """Deep link to a moment, where the episode has a source."""
        t = max(0, int(seconds)) if math.isfinite(seconds) else 0
        if self.meta.video_id:
            return f"https://youtu.be/{self.meta.video_id}?t={t}"
        url = self.meta.url
        if not url:
            return ""
        m = re.search(r"(?:youtube\.com/watch\?v=|youtu\.be/)([\w-]{6,})", url)
        if m:
            return f"https://youtu.be/{m.group(1)}?t={t}"
        return f"{url}#t={t}"


@dataclass
class Library:
    root: Path
    episodes: list[Episode]
    problems: list[str]  # one line each, naming the file

    @classmethod
    def load(cls, root: Path) -> Library:
        root = Path(root)
        if not root.exists():
            raise ReaderError(f"{root}: library folder does not exist")
        if not root.is_dir():
            raise ReaderError(f"{root}: not a folder")
        try:
            folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        except OSError as exc:
            raise ReaderError(
                f"{root}: cannot read the library folder: {exc.strerror or exc}"
            ) from None
        episodes: list[Episode] = []
        problems: list[str] = []
        cache = MetaCache(root)  # episode folders read before, by their stats (meta_cache.py)
        for folder in folders:
            st = stamp(folder)
            ep = cache.get(folder, st)
            if ep is not None:
                episodes.append(ep)
                continue
            try:
                ep = load_episode(folder, library_root=root)
            except InputError as exc:
                problems.append(str(exc))
            except Exception as exc:  # noqa: BLE001 - whatever breaks one episode is its problem
                problems.append(
                    str(InputError(folder, f"cannot load episode: {type(exc).__name__}: {exc}"))
                )
            else:
                episodes.append(ep)
                cache.put(folder, st, ep)
        cache.save({f.name for f in folders})
        return cls(root=root, episodes=episodes, problems=problems)

    def get(self, episode_id: str) -> Episode | None:
        for ep in self.episodes:
            if ep.id == episode_id:
                return ep
        return None


MAX_TEXT_CHARS = 1000  # a title, show, date or URL longer than this is cut
MAX_DURATION_S = 7 * 24 * 3600.0  # a week: past any episode
MAX_SUMMARIES = 100


def read_meta(meta_path: Path) -> dict[str, Any]:
    """episode.toml as a table. Raises InputError (one line naming the file) for anything
    unreadable: not a regular file, too big, bad TOML, nested too deeply."""
    data = read_limited(meta_path, MAX_META_BYTES, "episode.toml")
    try:
        return tomllib.loads(data.decode("utf-8", errors="replace"))
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(meta_path, f"invalid TOML: {exc}".split(" (at line")[0], line) from None
    except RecursionError:
        raise InputError(meta_path, "invalid TOML: nested too deeply") from None


def _duration(value: object, notes: list[str], where: Path) -> float | None:
    """Seconds if ``value`` is a usable duration; otherwise None and a note."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        notes.append(
            str(
                InputError(
                    where,
                    f"duration must be a number of seconds, "
                    f"not {display_line(repr(value), 40)}; ignored",
                )
            )
        )
        return None
    if not math.isfinite(value) or value < 0 or value > MAX_DURATION_S:
        notes.append(
            str(
                InputError(
                    where,
                    f"duration {display_line(repr(value), 40)} is not a length in seconds "
                    "(0 to one week); ignored",
                )
            )
        )
        return None
    return float(value) or None


def load_episode(folder: Path, library_root: Path | None = None) -> Episode:
    """Read one episode folder's metadata (files are parsed lazily).

    Only regular files inside the folder (links resolved) are accepted; a folder linked
    from outside ``library_root`` is refused. A bad metadata value is ignored with a
    note in ``problems``; a missing or unreachable transcript refuses the episode.
    """
    folder = Path(folder)
    if library_root is not None:
        folder_inside(Path(library_root), folder)
    meta_path = folder / META_FILE
    if not meta_path.exists() and not meta_path.is_symlink():
        raise InputError(folder, f"no {META_FILE} in episode folder")
    inside(folder, META_FILE, META_FILE)
    data = read_meta(meta_path)
    problems: list[str] = []

    def text(key: str) -> str:
        value = data.get(key, "")
        if value is None or value == "":
            return ""
        if not isinstance(value, (str, int, float, datetime.date, datetime.time)) or isinstance(
            value, bool
        ):
            problems.append(
                str(
                    InputError(
                        meta_path, f"{key} must be text, not {type(value).__name__}; ignored"
                    )
                )
            )
            return ""
        value = (
            strip_controls(str(value)[: MAX_TEXT_CHARS * 2])
            .replace("\t", " ")
            .replace("\n", " ")
            .strip()
        )
        return value[:MAX_TEXT_CHARS]

    duration = _duration(data.get("duration"), problems, meta_path)
    transcript_name = data.get("transcript")
    if not isinstance(transcript_name, str) or not transcript_name:
        raise InputError(meta_path, "missing 'transcript' (the transcript file name)")
    transcript_path = folder / transcript_name
    inside(folder, transcript_name, "transcript file")
    summaries = data.get("summaries", [])
    if not isinstance(summaries, list) or not all(isinstance(s, str) for s in summaries):
        raise InputError(meta_path, "'summaries' must be a list of file names")
    if len(summaries) > MAX_SUMMARIES:
        problems.append(
            str(
                InputError(
                    meta_path,
                    f"{len(summaries)} summaries listed; only the first {MAX_SUMMARIES} are read",
                )
            )
        )
        summaries = summaries[:MAX_SUMMARIES]
    summary_paths = []
    for name in summaries:
        try:
            inside(folder, name, "summary file")
        except InputError as exc:
            problems.append(str(exc))
        else:
            summary_paths.append(folder / name)
    video_id = text("video_id")
    if video_id and not re.fullmatch(r"[\w-]{1,64}", video_id):
        problems.append(
            str(
                InputError(
                    meta_path,
                    f"video_id {display_line(repr(video_id), 40)} is not a video id; ignored",
                )
            )
        )
        video_id = ""
    meta = EpisodeMeta(
        title=text("title") or folder.name,
        show=text("show"),
        date=text("date"),
        duration_s=duration,
        url=text("url"),
        video_id=video_id,
    )
    return Episode(
        id=folder.name,
        folder=folder,
        meta=meta,
        transcript_path=transcript_path,
        summary_paths=summary_paths,
        problems=problems,
    )
