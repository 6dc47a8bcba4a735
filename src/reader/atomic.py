"""Writing a file whole or not at all: the one atomic writer.

Every file reader writes that a crash must not leave half-written (highlights, exported
notes, an episode's ``episode.toml``) goes through :func:`write_atomic`: a temporary file
in the same folder, flushed to disk, then renamed over the target. A file that only grows
(the quotes file) gets :func:`append_whole`: an append cut short is undone.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path


def write_atomic(
    path: Path, text: str | bytes, *, overwrite: bool = True, fsync: bool = True
) -> None:
    """Write ``text`` (str as UTF-8, or bytes) to ``path`` whole or not at all: a temporary
    file in the same folder, flushed to disk, then renamed over ``path``. With
    ``overwrite=False`` an existing file is never replaced (FileExistsError), also not by a
    race. ``fsync=False`` is for caches, which can be computed again: still whole or not at
    all, without waiting for the disk."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where a folder should be: not "the file exists"
        raise NotADirectoryError(20, "Not a directory", str(path.parent)) from None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if path exists: no clobbering, atomically
            except FileExistsError:
                raise
            except OSError:  # no hard links here: check, then rename
                if path.exists():
                    raise FileExistsError(17, "File exists", str(path)) from None
                os.replace(tmp, path)
                return
            os.unlink(tmp)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def append_whole(path: Path, entry: str, *, header: str = "") -> None:
    """Append ``entry`` (after ``header`` when the file is empty) whole or not at all: a write
    cut short (a full disk) is undone, so no half entry is left behind; an entry never
    starts on the same line as what came before it."""
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        size = os.fstat(fd).st_size
        if size == 0:
            entry = header + entry
        elif os.pread(fd, 1, size - 1) != b"\n":
            entry = "\n" + entry  # the file ends mid-line (edited by hand, or an old cut)
        data = entry.encode("utf-8")
        try:
            while data:
                written = os.write(fd, data)
                if written <= 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                data = data[written:]
            os.fsync(fd)
        except BaseException:
            try:
                os.ftruncate(fd, size)
            except OSError:
                pass
            raise
    finally:
        os.close(fd)
