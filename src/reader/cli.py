"""The ``reader`` command: ``reader [LIBRARY]`` opens the app; subcommands script the core.

Every subcommand shares the core with the TUI. Errors are one line on stderr
(``reader: error: …``), exit status 2; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .cli_library import add_library_options, library_to_read
from .errors import Interrupted, ReaderError, report
from .paths import resolve_library
from .text import display_line, display_name, json_for_terminal

if TYPE_CHECKING:
    from .facts import FactsCache
    from .library import Episode

SUBCOMMANDS = ("list", "add", "remove", "align", "search", "index", "export")

EPILOG = """\
commands:
  reader [LIBRARY]        open the reader (default: $READER_LIBRARY, else your library;
                          the bundled samples until you add episodes of your own)
  reader --samples        open the bundled sample episodes
  reader list             every episode: id, title, length, transcript, summaries
  reader add SOURCE       add an episode: a transcript file, VIDEO.info.json (a yt-dlp
                          download), a podcast feed URL or a video URL
  reader remove EPISODE   remove an episode from your library (asks first)
  reader align ...        align summaries to a transcript and print where each claim lands
  reader search QUERY     search every episode
  reader index            build or update the search index
  reader export EPISODE   write an episode's summary, highlights and notes as Markdown

Run `reader COMMAND --help` for a command's options.
"""


def _error(message: str) -> int:
    report("error", message)
    return 2


def _warn(message: str) -> None:
    report("warning", message)


# --- list --------------------------------------------------------------------------


def _episode_row(ep: Episode, facts: FactsCache) -> dict[str, Any]:
    """One episode's row, from its cached facts (reader.facts: parsed, and timed, only
    when a file changed). Transcript warnings are repeated every time, as a fresh parse
    would; the summaries' notes (a repaired or repeated copy) were said when the episode
    was added: kept in the JSON, not repeated on every run."""
    f = facts.get(ep)
    t = f["transcript"]
    transcript = {"path": str(ep.transcript_path), **t}
    for path, w in f["warnings"]:
        _warn(f"{display_name(Path(path))}: {w}" if path else w)
    for problem in [*ep.problems, *f["problems"]]:
        _warn(problem)
    return {
        "id": ep.id,
        "title": ep.title,
        "show": ep.meta.show,
        "duration_s": f["duration_s"],
        "duration_estimated": f["duration_estimated"],
        "transcript": transcript,
        "summaries": [dict(s) for s in f["summaries"]],
    }


def cmd_list(args: argparse.Namespace) -> int:
    from .length import length_text
    from .library import Library
    from .paths import is_samples, user_library

    root = library_to_read(args)
    library = Library.load(root)
    for problem in library.problems:
        _warn(problem)
    from .facts import FactsCache

    facts = FactsCache(library)
    rows = [_episode_row(ep, facts) for ep in library.episodes]
    facts.save()
    if args.json:
        print(json_for_terminal(json.dumps(rows, indent=2, ensure_ascii=False)))
        return 0
    if not rows:
        print(
            f"No episodes in {display_name(library.root)}. "
            "Add one with `reader add SOURCE` (see `reader add --help`)."
        )
        return 0
    if is_samples(root) and not args.samples:
        print(
            f"Sample episodes (your library, {display_name(user_library())}, "
            "has none yet: `reader add SOURCE`).\n"
        )
    for row in rows:
        t = row["transcript"]
        claims = "/".join(str(s["claims"]) for s in row["summaries"])
        kind = "timed" if t.get("timed") else "untimed"
        length = length_text(row["duration_s"], row["duration_estimated"], "length unknown")
        print(
            f"{display_name(row['id'])}\n  {display_line(row['title'], 300)}"
            + (f" · {display_line(row['show'], 100)}" if row["show"] else "")
            + f"\n  {length} · {t['lines']} transcript lines ({kind})"
            + (
                f" · {len(row['summaries'])} summaries, claims {claims}"
                if row["summaries"]
                else " · no summaries"
            )
        )
    return 0


# --- parser ------------------------------------------------------------------------


def _base_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader",
        description="Read long podcast and video transcripts beside their AI-written summaries.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _base_parser()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("list", help="every episode: id, title, length, transcript, summaries")
    add_library_options(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_list)

    from . import cli_add, cli_align, cli_export, cli_search

    cli_add.add_parsers(sub)

    cli_align.add_parser(sub)
    cli_search.add_parsers(sub)
    cli_export.add_parser(sub)
    return parser


def build_app_parser() -> argparse.ArgumentParser:
    parser = _base_parser()
    parser.add_argument("library", nargs="?", metavar="LIBRARY", help="library folder to open")
    parser.add_argument("--samples", action="store_true", help="open the bundled sample episodes")
    return parser


def _parse_command(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse a subcommand's line; an unknown option is refused by the subcommand's own
    parser, so the user sees `reader list`'s usage, not the top level's."""
    args, extra = parser.parse_known_args(argv)
    if extra:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                action.choices[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in SUBCOMMANDS:
            args = _parse_command(build_parser(), argv)
            return int(args.func(args) or 0)
        if argv and argv[0] in ("-h", "--help"):
            build_app_parser().print_help()
            return 0
        args = build_app_parser().parse_args(argv)
        from .library import Library

        root = resolve_library(args.library, samples=args.samples)
        Library.load(root)  # fail early, with one line, on a missing folder
        from .ui.start import import_app, resume_paused_collection

        try:
            return int(import_app().run_app(root) or 0)
        finally:
            resume_paused_collection()
    except ReaderError as exc:
        return _error(str(exc))
    except Interrupted as exc:
        report("interrupted", exc)
        return 130
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a file the command writes or reads beyond the parsers' checks
        where = display_name(exc.filename) if exc.filename else type(exc).__name__
        return _error(f"{where}: {exc.strerror or exc}")
    except Exception as exc:  # the last line of defence: never a traceback
        if os.environ.get("READER_DEBUG"):
            raise
        return _error(f"unexpected {type(exc).__name__}: {exc} (set READER_DEBUG=1 for details)")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
