"""Shared plumbing for the parsers: reading files safely, cleaning text, error wrapping."""

from __future__ import annotations

import contextlib
import functools
import gc
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar

from reader.errors import InputError
from reader.files import MAX_TRANSCRIPT_BYTES, check_text_shape, read_limited
from reader.text import decode, fix_text, looks_binary, strip_controls

T = TypeVar("T")


class _Parsed(Protocol):
    warnings: list[str]


R = TypeVar("R", bound=_Parsed)


def clean_text(text: str) -> str:
    """Everything read from a file goes through this: escapes, mojibake, controls.

    ``text.fix_text`` runs line by line on the lines that hold non-ASCII characters only
    (ASCII cannot carry mojibake; ftfy's per-line overhead dominated big files). HTML
    entities are left for the format parsers, which know where markup is.
    """
    if text.isascii():
        return strip_controls(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(strip_controls(line) if line.isascii() else fix_text(line) for line in lines)


def clean_raw(text: str) -> str:
    """Escapes and control characters only: for text about to be parsed as JSON, where a
    repair such as unescaping "&quot;" would corrupt the syntax."""
    return strip_controls(text)


def clean_fragment(text: str) -> str:
    """Cheap cleaning for a string extracted after decoding (e.g. a JSON value)."""
    if any(ord(c) > 127 for c in text):
        text = fix_text(text)
    else:
        text = strip_controls(text)
    return text


_WS = re.compile(r"\s+")


def collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


def split_lines(text: str) -> list[str]:
    """Lines of already-cleaned text (newline-only), without a phantom last line."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_source(path: Path) -> tuple[str, list[str]]:
    """Read a file as text. Returns (decoded raw text, warnings). Raises InputError."""
    path = Path(path)
    data = read_limited(path, MAX_TRANSCRIPT_BYTES)  # only regular files, within limits
    check_text_shape(path, data)
    warnings: list[str] = []
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(path, "binary file, not text") from None
        warnings.append("UTF-16 file; decoded as UTF-16")
        if not text.strip():
            raise InputError(path, "empty file")
        return text, warnings
    if looks_binary(data):
        raise InputError(path, "binary file, not text")
    if not data.strip():
        raise InputError(path, "empty file")
    text, warning = decode(data)
    if warning:
        warnings.append(warning)
    return text, warnings


def prepare(text: str, path: Path) -> str:
    """Clean decoded text and refuse it when nothing readable is left."""
    if not isinstance(text, str):
        raise InputError(path, "not text")
    cleaned = clean_text(text)
    if not cleaned.strip():
        raise InputError(path, "empty file")
    return cleaned


def guarded(func: Callable[..., T]) -> Callable[..., T]:
    """Let InputError through; turn anything else into an InputError naming the file."""

    @functools.wraps(func)
    def wrapper(text: str, path: Path, *args: Any, **kwargs: Any) -> T:
        try:
            return func(text, path, *args, **kwargs)
        except InputError:
            raise
        except RecursionError:
            raise InputError(path, "content nested too deeply to read") from None
        except Exception as exc:  # noqa: BLE001 - the whole point is to wrap everything
            line = getattr(exc, "lineno", None)
            line = line if isinstance(line, int) and line > 0 else None
            raise InputError(path, f"could not read: {type(exc).__name__}: {exc}", line) from exc

    return wrapper


def parse_file(path: Path, parse_text: Callable[[str, Path], R]) -> R:
    """Read ``path`` and hand its text to ``parse_text(text, path)``; the reader's
    warnings (encoding fallbacks) come first. Raises only InputError."""
    path = Path(path)
    try:
        raw, warnings = read_source(path)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise InputError(path, f"cannot read file: {exc}") from None
    with _collector_paused():
        result = parse_text(raw, path)
    result.warnings[:0] = warnings
    return result


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector waits while a parser builds its (acyclic) objects:
    on a file of 10^5-10^6 cues its repeated full passes over the growing heap doubled
    the parse time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
