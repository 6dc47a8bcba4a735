"""Putting episodes into a library and taking them out, without ever breaking it.

Every route (files on disk, a yt-dlp download, a feed, a URL) ends in ``stage_episode``:

1. every file is parsed and checked first (a folder, an empty file, a summary without
   timestamps, a transcript and a summary that look swapped are refused, naming the file);
2. the same content already in the library is refused, naming that episode (``force``
   adds it anyway);
3. the files and ``episode.toml`` are written into a hidden staging folder inside the
   library (``.adding-PID-XXXX``, which ``Library.load`` skips) and the folder is renamed
   into place in one step. An interruption (ctrl+c) or an error removes the staging
   folder: the library holds the whole episode or nothing of it.

Nothing here writes into the samples: ``check_writable`` refuses them.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, overload

import tomli_w

from .atomic import write_atomic
from .errors import InputError, ReaderError
from .library import META_FILE, Episode, Library, load_episode, read_meta
from .model import Summary, Transcript
from .paths import MARKER, is_samples

if TYPE_CHECKING:
    from .fetch.base import Progress

STAGING_PREFIX = ".adding-"
REMOVING_PREFIX = ".removing-"


class DuplicateEpisode(ReaderError):
    """The content is already in the library (``force`` adds it anyway)."""

    def __init__(self, origin: str, existing: Episode, why: str) -> None:
        self.existing = existing
        super().__init__(
            f"{origin}: already in the library as '{existing.id}' ({existing.title}; {why}); "
            "use --force to add it anyway"
        )


@dataclass
class NewFile:
    """One file of a new episode: its bytes and where they came from (a path or a URL)."""

    name: str
    data: bytes
    origin: str
    role: str  # "transcript" | "summary" | "notes"


@dataclass
class NewEpisode:
    """Everything a route gathered, before anything is written."""

    title: str = ""
    show: str = ""
    date: str = ""
    duration_s: float | None = None
    url: str = ""
    video_id: str = ""
    files: list[NewFile] = field(default_factory=list)
    origin: str = ""  # what the user gave (for messages)

    @property
    def transcript(self) -> NewFile:
        return next(f for f in self.files if f.role == "transcript")

    @property
    def summaries(self) -> list[NewFile]:
        return [f for f in self.files if f.role == "summary"]


@dataclass
class Checked:
    transcript: Transcript
    summaries: list[Summary]
    warnings: list[str]


# --- reading the user's files ------------------------------------------------------------


def read_input_file(path: Path, role: str) -> NewFile:
    """Read a file the user named; a folder, a missing file or reader's own metadata file
    is refused with one line."""
    path = Path(path)
    if path.is_dir():
        raise InputError(path, f"is a folder, not a {role} file (name the file inside it)")
    if not path.exists():
        raise InputError(path, "no such file")
    if not path.is_file():
        raise InputError(path, f"not a regular file, cannot be a {role}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror or exc}") from None
    if path.name.lower() == META_FILE and _is_episode_metadata(data):
        raise InputError(
            path, f"is an episode's {META_FILE} (reader's own metadata), not a {role}"
        )
    return NewFile(name=path.name, data=data, origin=str(path), role=role)


def _is_episode_metadata(data: bytes) -> bool:
    try:
        meta = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return False
    return isinstance(meta.get("transcript"), str)


# --- checking ----------------------------------------------------------------------------


@overload
def _parse_as(kind: Literal["transcript"], f: NewFile, scratch: Path) -> Transcript: ...
@overload
def _parse_as(kind: Literal["summary"], f: NewFile, scratch: Path) -> Summary: ...
def _parse_as(kind: str, f: NewFile, scratch: Path) -> Transcript | Summary:
    """Parse ``f``'s bytes with reader's own parsers; errors name the file's origin."""
    from .parse.summary import parse_summary
    from .parse.transcript import parse_transcript

    path = scratch / f.name
    path.write_bytes(f.data)
    try:
        if kind == "transcript":
            return parse_transcript(path)
        return parse_summary(path)
    except InputError as exc:
        raise InputError(f.origin, exc.message, exc.line) from None
    finally:
        path.unlink(missing_ok=True)


def _nonblank_lines(data: bytes) -> int:
    return sum(1 for line in data.decode("utf-8", errors="replace").splitlines() if line.strip())


def _summary_like(f: NewFile, scratch: Path) -> int:
    """How many timestamped claims ``f`` holds when read as a summary (0 if unreadable)."""
    try:
        return len(_parse_as("summary", f, scratch).claims)
    except InputError:
        return 0


def check_files(new: NewEpisode) -> Checked:
    """Parse every file as its role; refuse what cannot be right. Writes nothing."""
    from .parse.transcript import TIMED_FORMATS

    warnings: list[str] = []
    with tempfile.TemporaryDirectory(prefix="reader-check-") as tmp:
        scratch = Path(tmp)
        t_file = new.transcript
        transcript = _parse_as("transcript", t_file, scratch)
        if not transcript.units:
            raise InputError(t_file.origin, "no transcript text found")
        warnings += [f"{t_file.origin}: {w}" for w in transcript.warnings]
        t_claims = 0
        if not transcript.timed:
            t_claims = _summary_like(t_file, scratch)
        t_density = t_claims / max(1, _nonblank_lines(t_file.data))
        t_is_summary_like = t_claims >= 5 and t_density >= 0.3

        summaries = []
        for s_file in new.summaries:
            try:  # the transcript parsers know every timed format (TIMED_FORMATS)
                as_transcript = _parse_as("transcript", s_file, scratch)
            except InputError:
                as_transcript = None
            if as_transcript is not None and as_transcript.format in TIMED_FORMATS:
                raise InputError(
                    s_file.origin,
                    f"is a timed transcript ({as_transcript.format}), not a summary"
                    + (
                        " (did you swap the transcript and the summary?)"
                        if t_is_summary_like
                        else ""
                    ),
                )
            summary = _parse_as("summary", s_file, scratch)
            s_density = len(summary.claims) / max(1, _nonblank_lines(s_file.data))
            if t_is_summary_like and (not summary.claims or s_density < t_density / 4):
                raise InputError(
                    s_file.origin,
                    f"looks like a transcript, while {t_file.origin} looks like a summary "
                    f"({t_claims} timestamped claims): swapped? "
                    f"try: reader add {s_file.origin} --summary {t_file.origin}",
                )
            if not summary.claims:
                raise InputError(
                    s_file.origin,
                    "no timestamps found: a summary's claims carry times "
                    "like [12:34] or (12:34), so there is nothing to align",
                )
            lines = _nonblank_lines(s_file.data)
            if len(summary.claims) < 3 and lines >= 20:
                raise InputError(
                    s_file.origin,
                    f"only {len(summary.claims)} timestamp(s) in {lines} lines: "
                    "this reads as a transcript or an article, not a summary",
                )
            warnings += [f"{s_file.origin}: {w}" for w in summary.warnings]
            summaries.append(summary)
    return Checked(transcript=transcript, summaries=summaries, warnings=warnings)


# --- duplicates --------------------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stored_sha(ep: Episode) -> str | None:
    try:
        data = read_meta(ep.folder / META_FILE)
    except ReaderError:
        return None
    value = data.get("transcript_sha256")
    return value if isinstance(value, str) and value else None


def find_duplicate(library: Library, new: NewEpisode) -> tuple[Episode, str] | None:
    """The existing episode with the same video, source URL or transcript bytes."""
    digest = sha256(new.transcript.data)
    for ep in library.episodes:
        if new.video_id and ep.meta.video_id == new.video_id:
            return ep, f"same video {new.video_id}"
        if new.url and ep.meta.url and ep.meta.url == new.url:
            return ep, "same source URL"
        existing = _stored_sha(ep)
        if existing is None:
            try:
                existing = sha256(ep.transcript_path.read_bytes())
            except OSError:
                continue
        if existing == digest:
            return ep, "same transcript"
    return None


# --- writing -----------------------------------------------------------------------------


def check_writable(root: Path) -> None:
    """Refuse the samples (and anything inside them) as a place to write."""
    if is_samples(root):
        raise ReaderError(
            f"{root}: the bundled samples are read-only; add episodes to your own library "
            "(leave out --library, or give another folder)"
        )
    if root.exists() and not root.is_dir():
        raise ReaderError(f"{root}: not a folder")


def _file_names(files: list[NewFile]) -> list[str]:
    """Safe, distinct names for the episode's files; never ``episode.toml``."""
    used = {META_FILE.lower()}
    names = []
    for f in files:
        name = Path(f.name).name
        name = re.sub(r"[\x00-\x1f/\\]", "_", name).strip().lstrip(".") or f.role
        stem, suffix = Path(name).stem or f.role, Path(name).suffix
        candidate = name
        if candidate.lower() in used:
            candidate = f"{stem}-{f.role}{suffix}"
        n = 2
        while candidate.lower() in used:
            candidate = f"{stem}-{f.role}-{n}{suffix}"
            n += 1
        used.add(candidate.lower())
        names.append(candidate)
    return names


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clean_stale_staging(root: Path) -> None:
    """Remove staging folders left by a reader process that no longer runs (killed)."""
    try:
        entries = list(root.iterdir())
    except OSError:
        return
    for p in entries:
        for prefix in (STAGING_PREFIX, REMOVING_PREFIX):
            if p.is_dir() and p.name.startswith(prefix):
                pid = p.name[len(prefix):].split("-", 1)[0]
                if pid.isdigit() and not _pid_alive(int(pid)):
                    shutil.rmtree(p, ignore_errors=True)


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].strip("-") or "episode"


def _folder_name(root: Path, title: str) -> Path:
    base = slugify(title)
    folder = root / base
    n = 2
    while folder.exists():
        folder = root / f"{base}-{n}"
        n += 1
    return folder


def stage_episode(
    root: Path, new: NewEpisode, force: bool = False, progress: Progress | None = None
) -> tuple[Episode, list[str]]:
    """Check ``new``, refuse duplicates, write it whole into ``root``. Returns the episode
    and the files' warnings. Raises InputError / DuplicateEpisode / ReaderError having
    written nothing."""
    root = Path(root)
    check_writable(root)
    checked = check_files(new)
    if not new.title:
        new.title = next((s.title for s in checked.summaries if s.title), None) or Path(
            new.transcript.name
        ).stem
    if not new.video_id:
        new.video_id = next((s.video_id for s in checked.summaries if s.video_id), "") or ""
    if root.exists() and not force:
        library = Library.load(root)
        dup = find_duplicate(library, new)
        if dup:
            raise DuplicateEpisode(new.origin or new.transcript.origin, *dup)

    names = _file_names(new.files)
    meta: dict[str, object] = {"title": new.title}
    for key, value in (
        ("show", new.show),
        ("date", new.date),
        ("url", new.url),
        ("video_id", new.video_id),
    ):
        if value:
            meta[key] = value
    if new.duration_s:
        meta["duration"] = round(float(new.duration_s), 3)
    meta["transcript"] = names[new.files.index(new.transcript)]
    meta["summaries"] = [names[i] for i, f in enumerate(new.files) if f.role == "summary"]
    notes = [names[i] for i, f in enumerate(new.files) if f.role == "notes"]
    if notes:
        meta["show_notes"] = notes
    meta["transcript_sha256"] = sha256(new.transcript.data)
    if new.origin:
        meta["added_from"] = new.origin

    if progress:
        progress("saving", f"{len(new.files)} files")
    fresh = not root.exists()
    try:
        root.mkdir(parents=True, exist_ok=True)
        if fresh or not (root / MARKER).exists():
            (root / MARKER).write_text("This folder is a reader library: one folder per episode.\n")
    except OSError as exc:
        raise ReaderError(f"{root}: cannot create the library folder: {exc.strerror}") from None
    clean_stale_staging(root)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=root))
    try:
        for f, name in zip(new.files, names, strict=True):
            (staging / name).write_bytes(f.data)
        (staging / META_FILE).write_text(tomli_w.dumps(meta), encoding="utf-8")
        folder = _folder_name(root, new.title)
        os.rename(staging, folder)
    except OSError as exc:
        raise ReaderError(f"{root}: cannot write the episode: {exc.strerror or exc}") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return load_episode(folder), checked.warnings


def add_files(
    root: Path,
    transcript: Path,
    summaries: list[Path],
    title: str | None = None,
    url: str = "",
    duration_s: float | None = None,
    show: str = "",
    date: str = "",
    video_id: str = "",
    force: bool = False,
) -> tuple[Episode, list[str]]:
    """Copy (never move or edit) the files into a new episode folder."""
    files = [read_input_file(Path(transcript), "transcript")]
    files += [read_input_file(Path(s), "summary") for s in summaries]
    new = NewEpisode(
        title=title or "", show=show, date=date, duration_s=duration_s, url=url,
        video_id=video_id, files=files, origin=str(transcript),
    )
    return stage_episode(root, new, force=force)


# --- attaching a summary -----------------------------------------------------------------


def _existing(root: Path, episode_id: str) -> Episode:
    ep = Library.load(root).get(episode_id)
    if ep is None:
        raise ReaderError(f"{root}: no episode '{episode_id}' (see `reader list`)")
    return ep


def attach_summary(root: Path, episode_id: str, summary: Path) -> tuple[Episode, list[str]]:
    """Copy a summary into an existing episode and list it in its metadata (atomically)."""
    root = Path(root)
    check_writable(root)
    ep = _existing(root, episode_id)
    f = read_input_file(Path(summary), "summary")
    for p in ep.summary_paths:
        try:
            if p.read_bytes() == f.data:
                raise ReaderError(f"{summary}: already a summary of '{ep.id}' ({p.name})")
        except OSError:
            pass
    new = NewEpisode(files=[NewFile(ep.transcript_path.name, ep.transcript_path.read_bytes(),
                                    str(ep.transcript_path), "transcript"), f])
    checked = check_files(new)
    meta_path = ep.folder / META_FILE
    data = read_meta(meta_path)  # checked like any load: size, nesting, TOML
    taken = {p.name.lower() for p in ep.folder.iterdir()} | {META_FILE}
    name = Path(f.name).name.lstrip(".") or "summary.md"
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while name.lower() in taken:
        name = f"{stem}-{n}{suffix}"
        n += 1
    data["summaries"] = [*data.get("summaries", []), name]
    target = ep.folder / name
    try:
        target.write_bytes(f.data)
        write_atomic(meta_path, tomli_w.dumps(data))  # the step that makes the summary part of it
    except BaseException as exc:  # also on ctrl+c: the episode is as it was, or has the summary
        target.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ReaderError(f"{ep.folder}: cannot write: {exc.strerror or exc}") from None
        raise
    return load_episode(ep.folder), checked.warnings


# --- removing ----------------------------------------------------------------------------


def remove_episode(root: Path, episode_id: str) -> Episode:
    """Remove one episode folder whole: renamed aside in one step, then deleted."""
    root = Path(root)
    check_writable(root)
    ep = _existing(root, episode_id)
    aside = root / f"{REMOVING_PREFIX}{os.getpid()}-{ep.id}"
    try:
        os.rename(ep.folder, aside)
    except OSError as exc:
        raise ReaderError(f"{ep.folder}: cannot remove: {exc.strerror or exc}") from None
    shutil.rmtree(aside, ignore_errors=True)
    return ep
