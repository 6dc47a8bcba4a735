"""``reader export EPISODE``: the episode's note (summary, highlights, notes) as Markdown."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli_library import add_library_options, library_to_read
from .errors import ReaderError
from .text import display_name


def cmd_export(args: argparse.Namespace) -> int:
    from .export import episode_note, write_note
    from .library import Library

    library = Library.load(library_to_read(args))
    episode = library.get(args.episode)
    if episode is None:
        known = ", ".join(e.id for e in library.episodes[:8]) or "none"
        raise ReaderError(
            f"{library.root}: no episode {args.episode!r} (episodes: {known}; see `reader list`)"
        )
    text = episode_note(episode)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    path = write_note(text, Path(args.output or f"{episode.id}.md"), force=args.force)
    print(f"Wrote {display_name(path)}")
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "export",
        help="write an episode's note: summary, highlights and notes (Markdown)",
        description="Write one Markdown note for an episode: YAML front matter (title, show, date, "
        "source, duration), its highlights and notes as quotes with timestamps and deep links, "
        "and its summaries with every claim linked to its moment. The file is written atomically "
        "and never replaced unless --force is given.",
    )
    p.add_argument("episode", metavar="EPISODE", help="episode id (as `reader list` shows it)")
    p.add_argument("--format", choices=["md"], default="md", help="output format (default: md)")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write (default: EPISODE.md here; - for stdout)",
    )
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    add_library_options(p)
    p.set_defaults(func=cmd_export)
