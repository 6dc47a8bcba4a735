"""Which library a subcommand works on: the ``--library`` / ``--samples`` options every
subcommand shares, their help, and how they resolve (one place, so that they cannot drift).

Reading commands (``list``, ``search``, ``index``, ``export``) take ``--library DIR`` or
``--samples`` (not both) and default like ``reader`` itself: ``$READER_LIBRARY``, else
your library, else the samples. Writing commands (``add``, ``remove``) take ``--library``
only and never default to the samples, which are read-only.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .paths import resolve_library, target_library

READ_HELP = "library folder (default: $READER_LIBRARY, else your library, else the samples)"
SAMPLES_HELP = "the bundled sample episodes (read-only)"


def add_library_options(p: argparse.ArgumentParser, writes: str | None = None) -> None:
    """``--library`` and ``--samples`` for a reading command; for a writing one
    (``writes="add to"``) only ``--library``."""
    if writes:
        p.add_argument(
            "--library", metavar="DIR",
            help=f"library to {writes} (default: $READER_LIBRARY, else your library)",
        )
        return
    group = p.add_mutually_exclusive_group()
    group.add_argument("--library", metavar="DIR", default=None, help=READ_HELP)
    group.add_argument("--samples", action="store_true", help=SAMPLES_HELP)


def library_to_read(args: argparse.Namespace) -> Path:
    return resolve_library(getattr(args, "library", None), samples=getattr(args, "samples", False))


def library_to_write(args: argparse.Namespace) -> Path:
    return target_library(getattr(args, "library", None))
