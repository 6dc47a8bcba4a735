"""``reader add`` and ``reader remove``: bring episodes into the user's library, take them out.

``add`` writes to ``--library``, else ``$READER_LIBRARY``, else the user's library (never
the samples). A fetch prints one progress line per step on stderr; ctrl+c stops it with
one line and nothing written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .cli_library import add_library_options, library_to_write
from .errors import Interrupted, ReaderError, report
from .text import display_line, display_name

if TYPE_CHECKING:
    from .library import Episode

ADD_HELP = """\
SOURCE is one of:
  a transcript file          text, VTT, SRT, SBV, TTML, JSON or TSV (see README;
                             copied, never moved or edited)
  VIDEO.info.json            a yt-dlp download: its metadata and the subtitle files beside it
  a podcast feed URL         RSS with podcast:transcript (pick one with --episode)
  a video URL                YouTube or any site yt-dlp supports (subtitles, chapters)

Or attach a summary to an episode already in the library:
  reader add --summary FILE --to EPISODE
"""


def _warn(message: str) -> None:
    report("warning", message)


def _progress(step: str, detail: str) -> None:
    line = f"reader: {display_line(step, 40)}: {display_line(detail, 1000)}"
    print(line, file=sys.stderr, flush=True)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "add", help="add an episode from a file, a yt-dlp download, a feed or a URL",
        description="Add an episode to your library.", epilog=ADD_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "source",
        nargs="?",
        metavar="SOURCE",
        help="transcript file, VIDEO.info.json, feed URL or video URL",
    )
    p.add_argument(
        "--summary", action="append", default=[], metavar="FILE", help="a summary file (repeatable)"
    )
    p.add_argument(
        "--to", metavar="EPISODE", help="attach the --summary files to this existing episode"
    )
    p.add_argument(
        "--episode",
        metavar="N|TITLE|latest",
        help="which episode of a feed: latest (default), N (its episode number, else the Nth "
        "newest) or part of its title",
    )
    p.add_argument(
        "--title",
        help="episode title (default: the source's, else the summary's, else the file name)",
    )
    p.add_argument("--show", help="show name")
    p.add_argument("--url", help="source URL (a YouTube URL gives deep links)")
    p.add_argument("--duration", type=float, metavar="SECONDS", help="episode length in seconds")
    p.add_argument(
        "--force",
        action="store_true",
        help="add even if the same content is already in the library",
    )
    add_library_options(p, writes="add to")
    p.set_defaults(func=cmd_add)

    r = sub.add_parser("remove", help="remove an episode from your library (asks first)")
    r.add_argument("episode", metavar="EPISODE", help="the episode's id (see `reader list`)")
    r.add_argument("--yes", "-y", action="store_true", help="do not ask")
    add_library_options(r, writes="remove from")
    r.set_defaults(func=cmd_remove)


def _report(episode: Episode, warnings: list[str], verb: str = "Added") -> None:
    for w in warnings:
        _warn(w)
    t = episode.transcript
    claims = [len(s.claims) for s in episode.summaries]
    from .model import format_clock

    extra = f", {format_clock(episode.meta.duration_s)} long" if episode.meta.duration_s else ""
    print(
        f"{display_line(verb, 300)} {display_name(episode.id)}: "
        f"{display_line(episode.title, 300)} ({len(t.units)} transcript lines"
        f"{', timed' if t.timed else ''}, claims {claims or 'none'}{extra})"
    )
    print(f"  in {display_name(episode.folder)}")


def cmd_add(args: argparse.Namespace) -> int:
    from .adding import NewEpisode, attach_summary, read_input_file, stage_episode

    root = library_to_write(args)
    try:
        if args.to:
            if args.source or not args.summary:
                raise ReaderError(
                    "--to EPISODE attaches summaries: give them with --summary FILE (and no SOURCE)"
                )
            episode = warnings = None
            for s in args.summary:
                episode, warnings = attach_summary(root, args.to, Path(s))
                _report(episode, warnings, verb=f"Attached {Path(s).name} to")
            return 0
        if not args.source:
            raise ReaderError(
                "give a SOURCE (transcript file, VIDEO.info.json, feed URL or video URL)"
            )
        from .fetch import fetch_episode, is_fetchable

        if is_fetchable(args.source):
            new = fetch_episode(args.source, episode=args.episode, progress=_progress)
        else:
            if args.episode:
                raise ReaderError("--episode picks an episode of a podcast feed URL")
            new = NewEpisode(
                files=[read_input_file(Path(args.source), "transcript")], origin=args.source
            )
        new.files += [read_input_file(Path(s), "summary") for s in args.summary]
        for key in ("title", "show", "url"):
            if getattr(args, key):
                setattr(new, key, getattr(args, key))
        if args.duration:
            new.duration_s = args.duration
        episode, warnings = stage_episode(
            root, new, force=args.force, progress=_progress if is_fetchable(args.source) else None
        )
    except KeyboardInterrupt:
        raise Interrupted("nothing was added") from None
    _report(episode, warnings)
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from .adding import check_writable, remove_episode
    from .library import Library

    root = library_to_write(args)
    check_writable(root)
    if not root.is_dir():
        raise ReaderError(f"{root}: library folder does not exist")
    ep = Library.load(root).get(args.episode)
    if ep is None:
        raise ReaderError(f"{root}: no episode '{args.episode}' (see `reader list`)")
    if not args.yes:
        files = sum(1 for p in ep.folder.iterdir() if p.is_file())
        prompt = (
            f"Remove '{display_name(ep.id)}' ({display_line(ep.title, 300)}, {files} files) "
            f"from {display_name(root)}? [y/N] "
        )
        try:
            answer = input(prompt)
        except (EOFError, KeyboardInterrupt):
            answer = ""
            print(file=sys.stderr)
        if answer.strip().lower() not in ("y", "yes"):
            print("Not removed.")
            return 1
    remove_episode(root, ep.id)
    print(f"Removed {display_name(ep.id)}: {display_line(ep.title, 300)}")
    return 0
