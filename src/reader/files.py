"""Reading files reader did not write: only regular files, never more than a limit,
never blocking, and for an episode only inside its own folder once links are resolved.

``/dev/zero``, a FIFO, a folder or a socket is refused before a byte is read; so is a
symlink (or ``../``) that leads out of the episode's folder. Each refusal is an
``InputError`` naming the file: one clear line, that file's (or episode's) problem.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import InputError

MiB = 1024 * 1024
# Far past any real file (a 10-hour podcast's word-timed JSON is ~30 MB, its plain text
# ~1 MB; summaries are a few KB), small enough that `reader list` and the app stay quick.
MAX_TRANSCRIPT_BYTES = 64 * MiB
MAX_SUMMARY_BYTES = 8 * MiB
MAX_META_BYTES = 1 * MiB
MAX_STATE_BYTES = 4 * MiB


def _size(n: int) -> str:
    if n >= MiB:
        return f"{n / MiB:.1f}".removesuffix(".0") + " MB"
    return f"{n // 1024} KB" if n >= 1024 else f"{n} bytes"


def read_limited(path: Path | str, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes. Raises InputError for
    anything else (missing, a folder, a device, a FIFO, too big, unreadable)."""
    return read_start(path, limit, None, what)[0]


def read_start(
    path: Path | str, limit: int, count: int | None, what: str = "file"
) -> tuple[bytes, int]:
    """The first ``count`` bytes (all, if None) of a regular file of at most ``limit``
    bytes, and the file's size; the same checks as :func:`read_limited`."""
    path = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(path, "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                path, "not a regular file (a device, pipe or socket); reader reads only files"
            )
        if info.st_size > limit:
            raise InputError(
                path,
                f"{what} is {_size(info.st_size)}; reader reads {what}s of up to {_size(limit)}",
            )
        chunks: list[bytes] = []
        total = 0
        want = limit + 1 if count is None else min(count, limit + 1)
        while total < want:  # a file that grows while being read stops at the limit too
            chunk = os.read(fd, min(1 * MiB, want - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise InputError(
                    path,
                    f"{what} is over {_size(limit)}; reader reads {what}s of up to {_size(limit)}",
                )
        return b"".join(chunks), info.st_size
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def inside(folder: Path, name: str, what: str = "file", listed_in: str = "episode.toml") -> Path:
    """``folder / name`` once every link is resolved, if that is a regular file inside
    ``folder`` (itself resolved). Raises InputError otherwise, naming the file, or for
    a name that points away (absolute, ``..``) ``folder / listed_in`` and the name."""
    listed = folder / name
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise InputError(
            folder / listed_in,
            f"{what} {name!r} is outside the episode folder; reader reads only files inside it",
        )
    if not name or "\x00" in name:
        raise InputError(folder / listed_in, f"{what} name {name!r} is not a file name")
    try:
        base = folder.resolve(strict=True)
        real = listed.resolve(strict=True)
    except FileNotFoundError:
        raise InputError(listed, f"{what} listed in episode.toml is missing") from None
    except (OSError, RuntimeError, ValueError) as exc:  # RuntimeError: a symlink loop
        raise InputError(
            listed, f"cannot open {what}: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    if real.parent != base and base not in real.parents:
        raise InputError(
            listed, f"{what} is outside the episode folder; reader reads only files inside it"
        )
    try:
        mode = real.stat().st_mode
    except OSError as exc:
        raise InputError(listed, f"cannot open {what}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise InputError(listed, f"{what} is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise InputError(listed, f"{what} is not a regular file (a device, pipe or socket)")
    return real


def folder_inside(root: Path, folder: Path) -> Path:
    """``folder`` resolved, if it lies inside ``root`` (resolved): an episode folder
    symlinked out of the library is refused."""
    try:
        base = root.resolve(strict=True)
        real = folder.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise InputError(
            folder, f"cannot open episode folder: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    if real.parent != base and base not in real.parents:
        raise InputError(
            folder, "episode folder is a link to outside the library; reader reads only inside it"
        )
    return real


# A line past this is no transcript line (1 MB is ~170,000 words, ~19 hours of speech
# without a line break), and the sentence splitter's time grows faster than the line.
MAX_LINE_BYTES = 1 * MiB
# Four times a 10-hour episode's rolling captions (~120,000 lines).
MAX_LINES = 500_000


def check_text_shape(path: Path | str, data: bytes) -> None:
    """Refuse text whose shape no transcript or summary has: more than ``MAX_LINES``
    lines, or a line longer than ``MAX_LINE_BYTES`` (JSON, one line by nature, is
    exempt from the line length). Cheap: a byte count, and a scan only for big files."""
    if data.count(b"\n") > MAX_LINES:
        raise InputError(
            path, f"has more than {MAX_LINES:,} lines; reader reads transcripts of up to that"
        )
    if len(data) <= MAX_LINE_BYTES or data.lstrip()[:1] in (b"{", b"["):
        return
    if b"\n" not in data:
        data = data.replace(b"\r", b"\n")  # old Mac line ends
    start = 0
    number = 1
    size = len(data)
    while start < size:
        end = data.find(b"\n", start)
        end = size if end < 0 else end
        if end - start > MAX_LINE_BYTES:
            raise InputError(
                path,
                f"line is {_size(end - start)} long; "
                f"reader reads lines of up to {_size(MAX_LINE_BYTES)}",
                number,
            )
        start = end + 1
        number += 1
