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

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .errors import InputError, ReaderError
from .model import EpisodeMeta, Summary, Transcript
from .text import strip_controls

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
                result.append(parse_summary(path))
            except InputError as exc:
                self.problems.append(str(exc))
        return result

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
            h.update(path.name.encode())
            try:
                h.update(path.read_bytes())
            except OSError:
                h.update(b"<missing>")
        return h.hexdigest()

    @property
    def youtube_url(self) -> str:
        if self.meta.video_id:
            return f"https://youtu.be/{self.meta.video_id}"
        return ""

    def link_at(self, seconds: float) -> str:
        """Deep link to a moment, where the episode has a source."""
        t = max(0, int(seconds))
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
    def load(cls, root: Path) -> "Library":
        root = Path(root)
        if not root.exists():
            raise ReaderError(f"{root}: library folder does not exist")
        if not root.is_dir():
            raise ReaderError(f"{root}: not a folder")
        episodes: list[Episode] = []
        problems: list[str] = []
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            try:
                episodes.append(load_episode(folder))
            except InputError as exc:
                problems.append(str(exc))
        return cls(root=root, episodes=episodes, problems=problems)

    def get(self, episode_id: str) -> Episode | None:
        for ep in self.episodes:
            if ep.id == episode_id:
                return ep
        return None


def _meta_error(path: Path, message: str) -> InputError:
    return InputError(path, message)


def load_episode(folder: Path) -> Episode:
    """Read one episode folder's metadata (files are parsed lazily)."""
    meta_path = folder / META_FILE
    if not meta_path.exists():
        raise InputError(folder, f"no {META_FILE} in episode folder")
    try:
        data = tomllib.loads(meta_path.read_bytes().decode("utf-8", errors="replace"))
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(meta_path, f"invalid TOML: {exc}".split(" (at line")[0], line) from None
    except OSError as exc:
        raise InputError(meta_path, f"cannot read: {exc.strerror}") from None

    def text(key: str) -> str:
        value = data.get(key, "")
        return strip_controls(str(value)).replace("\n", " ").strip() if value is not None else ""

    duration = data.get("duration")
    if duration is not None and not isinstance(duration, (int, float)):
        raise InputError(meta_path, f"duration must be a number of seconds, not {duration!r}")
    transcript_name = data.get("transcript")
    if not isinstance(transcript_name, str) or not transcript_name:
        raise InputError(meta_path, "missing 'transcript' (the transcript file name)")
    transcript_path = folder / transcript_name
    if not transcript_path.is_file():
        raise InputError(transcript_path, "transcript file listed in episode.toml is missing")
    summaries = data.get("summaries", [])
    if not isinstance(summaries, list) or not all(isinstance(s, str) for s in summaries):
        raise InputError(meta_path, "'summaries' must be a list of file names")
    problems: list[str] = []
    summary_paths = []
    for name in summaries:
        p = folder / name
        if p.is_file():
            summary_paths.append(p)
        else:
            problems.append(f"{p}: summary file listed in episode.toml is missing")
    meta = EpisodeMeta(
        title=text("title") or folder.name,
        show=text("show"),
        date=text("date"),
        duration_s=float(duration) if duration else None,
        url=text("url"),
        video_id=text("video_id"),
    )
    return Episode(
        id=folder.name,
        folder=folder,
        meta=meta,
        transcript_path=transcript_path,
        summary_paths=summary_paths,
        problems=problems,
    )

