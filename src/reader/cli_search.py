"""``reader search`` and ``reader index``: the shell side of the search index.

The main CLI calls ``add_parsers(subparsers)`` and dispatches to ``run_search`` /
``run_index``; ``python -m reader.cli_search`` runs them standalone.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .cli_library import add_library_options, library_to_read
from .errors import ReaderError
from .errors import report as say
from .model import approx
from .text import display_line, display_name, json_for_terminal, mask_controls


def _error(message: str) -> int:
    say("error", message)
    return 2


def add_parsers(subparsers: Any) -> None:
    s = subparsers.add_parser("search", help="search every episode's transcript and summaries")
    s.add_argument(
        "query",
        help='words (ANDed), "a phrase", prefix*, fuzzy~, OR, NOT, episode:ID, kind:summary, '
        "speaker:NAME",
    )
    add_library_options(s)
    s.add_argument("--episode", metavar="ID", default=None, help="only this episode")
    s.add_argument(
        "--kind",
        choices=["transcript", "summary"],
        default=None,
        help="only transcript passages or only summary claims (default both)",
    )
    s.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits (default 20)")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.set_defaults(func=run_search)

    i = subparsers.add_parser("index", help="update (or rebuild) the search index")
    add_library_options(i)
    i.add_argument("--rebuild", action="store_true", help="throw the index away and build it again")
    i.set_defaults(func=run_index)


@contextmanager
def _progress(enabled: bool, label: str = "indexing") -> Iterator[Any]:
    """A callback for LibraryIndex.update: a rich bar on stderr when it is a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True, highlight=False)
    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}", markup=False),  # an episode id is data
        console=console,
        transient=True,
    ) as bar:
        task = None

        def callback(done: int, total: int, episode: str) -> None:
            nonlocal task
            if task is None:
                task = bar.add_task("", total=total)
            bar.update(task, completed=done, total=total, description=display_name(episode, 40))

        yield callback


def _open_index(args: argparse.Namespace) -> Any:
    from .library import Library
    from .search import LibraryIndex

    root = library_to_read(args)
    library = Library.load(root)
    return library, LibraryIndex(library)


def _open_unchanged(args: argparse.Namespace) -> tuple[Any, list[str]] | None:
    """(index, the warnings to repeat) without loading the library, when nothing has
    changed since the last complete update (search/freshness.py); else None."""
    from types import SimpleNamespace

    from .search import freshness
    from .search.indexer import LibraryIndex, default_index_dir
    from .search.storage import MANIFEST

    root = library_to_read(args)
    index_dir = default_index_dir(root)
    warnings = freshness.unchanged(root, index_dir, index_dir / MANIFEST)
    if warnings is None:
        return None
    # the index needs only the library's root to search (episodes are for updating)
    library: Any = SimpleNamespace(root=root, episodes=[], problems=[])
    index = LibraryIndex(library, index_dir)
    index._index()
    if index.last_report is not None and index.last_report.rebuilt:
        # it did not open after all (set aside): the full way rebuilds it
        say("note", f"search index rebuilt ({index.last_report.rebuilt})")
        index.close()
        freshness.forget(index_dir)
        return None
    return index, warnings


def _record(library: Any, index: Any, report: Any) -> None:
    """After a complete update: what a later search may skip checking (freshness.py)."""
    if report.locked:
        return
    from .search import freshness
    from .search.storage import MANIFEST

    warnings = [*library.problems, *dict.fromkeys(report.problems)]
    freshness.record(library, index.index_dir, index.index_dir / MANIFEST, warnings)


def _update(index: Any, rebuild: bool = False, notes: bool = False) -> Any:
    """Update the index; print each problem that leaves something unsearchable (one line,
    naming the file), and the parsers' harmless notes only when ``notes`` (reader index).
    For a search, a bulk update (a first build) runs in a spawned process, so that the
    searching process never holds its posting pool; its hits are timed when shown."""

    def notice(line: str) -> None:  # before a long update: say what is happening
        print(f"reader: note: {line}", file=sys.stderr, flush=True)

    with _progress(True) as callback:
        if notes or rebuild:
            report = index.update(progress=callback, rebuild=rebuild, notice=notice)
        else:
            report = index.update_in_worker(callback, notice, refine=False)
    for problem in dict.fromkeys(report.problems):
        say("warning", problem)
    if notes:
        for note in dict.fromkeys(report.notes):
            say("note", note)
    if report.rebuilt and report.rebuilt != "rebuild requested":
        say("note", f"search index rebuilt ({report.rebuilt})")
    return report


def run_search(args: argparse.Namespace) -> int:
    try:
        fast = _open_unchanged(args)
        if fast is not None:
            index, warnings = fast
            for line in warnings:  # as the last update printed them
                say("warning", line)
        else:
            library, index = _open_index(args)
            for problem in library.problems:  # an episode folder that could not be loaded
                say("warning", problem)
            _record(library, index, _update(index))
        limit = args.limit if args.limit and args.limit > 0 else 20
        results = index.search(args.query, episode=args.episode, kind=args.kind, limit=limit)
    except ReaderError as exc:
        return _error(str(exc))
    except OSError as exc:
        return _error(f"{getattr(exc, 'filename', '') or 'search index'}: {exc.strerror or exc}")
    if results.error:
        return _error(results.error)
    for line in [*results.notes, results.notice]:
        if line:
            print(f"reader: note: {line}", file=sys.stderr)
    guessed = _estimated_hits(results.hits)
    if args.json:
        data = results.to_json()
        for hit, flag in zip(data.get("hits", []), guessed, strict=False):
            hit["estimated"] = flag  # the time is an estimate (untimed transcript)
        print(json_for_terminal(json.dumps(data, ensure_ascii=False, indent=2)))
        return 0
    _print_human(results, guessed)
    return 0


def _estimated_hits(hits: Any) -> list[bool]:
    """Per hit: is its time an estimate? A transcript hit's is when the transcript has no
    times of its own; a summary claim's time is the one the summary gives."""
    timed: dict[str, bool] = {}
    out = []
    for hit in hits:
        if hit.kind != "transcript":
            out.append(False)
            continue
        known = getattr(hit, "estimated", None)  # recorded in the index (no parsing)
        if known is not None:
            out.append(bool(known))
            continue
        if hit.path not in timed:  # an index from before passages recorded it
            from .errors import InputError
            from .parse.transcript import parse_transcript

            try:
                timed[hit.path] = parse_transcript(Path(hit.path)).timed
            except (InputError, OSError):
                timed[hit.path] = False
        out.append(not timed[hit.path])
    return out


def _lines(hit: Any) -> str:
    if hit.line_end and hit.line_end != hit.line_start:
        return f"lines {hit.line_start}\u2013{hit.line_end}"
    return f"line {hit.line_start}"


def header(hit: Any, width: int, estimated: bool = False) -> Any:
    """``Title · 00:12:34 · transcript · Lenny · lines 428–437`` on one line of at most
    ``width`` cells (``~00:12:34`` for an estimated time; the speaker when the transcript
    names one): the title is cut (with "…") before anything else."""
    from rich.cells import cell_len
    from rich.text import Text

    sep = " \u00b7 "
    when = approx(display_line(hit.timestamp, 20), estimated)
    who = display_line(getattr(hit, "speaker", None) or "", 40)
    meta = [when, hit.kind, *([who] if who else []), _lines(hit)]
    tail = sep + sep.join(meta)
    title = " ".join(display_line(hit.title).split()) or display_name(hit.episode)
    room = width - cell_len(tail)
    if cell_len(title) > room:
        title = _cut(title, max(room, 12))
    head = Text(no_wrap=True, overflow="ellipsis")
    head.append(title, style="bold cyan")
    head.append(sep, style="dim")
    head.append(when, style="yellow")
    head.append(sep, style="dim")
    head.append(hit.kind, style="dim")
    head.append(sep, style="dim")
    if who:
        head.append(who, style="bold magenta")
        head.append(sep, style="dim")
    head.append(_lines(hit), style="dim")
    return head


def _cut(text: str, cells: int) -> str:
    from rich.cells import cell_len

    if cell_len(text) <= cells:
        return text
    out = ""
    for ch in text:
        if cell_len(out + ch) > cells - 1:
            break
        out += ch
    return out.rstrip() + "\u2026"


def _print_human(results: Any, estimated: list[bool] | None = None) -> None:
    from rich.console import Console, Group
    from rich.text import Text

    console = Console(highlight=False)
    if not results.hits:
        line = Text(f'no matches for "{display_line(results.query, 200)}"')
        if results.suggestion:
            line.append("; did you mean: ")
            line.append(display_line(results.suggestion, 200), style="bold")
        console.print(line)
        return
    out: list[Any] = []  # printed at once: one print call per line cost ~20 ms a search
    for n, hit in enumerate(results.hits):
        if n:
            out.append(Text())
        out.append(header(hit, console.width, bool(estimated and estimated[n])))
        body = Text(mask_controls(hit.snippet))
        for a, b in hit.spans:
            body.stylize("bold", a, b)
        if hit.section:
            body = Text.assemble((display_line(hit.section, 200) + ": ", "dim"), body)
        indent = 4 if console.width >= 40 else 2
        for line in body.wrap(console, max(20, console.width - indent)):
            line.rstrip()
            row = Text(" " * indent) + line
            row.no_wrap, row.overflow = True, "fold"
            out.append(row)
    shown = len(results.hits)
    more = f" (showing {shown})" if results.total > shown else ""
    total = getattr(results, "total_text", str(results.total))
    out.append(Text())
    out.append(Text(f"{total} match{'es' if results.total != 1 else ''}{more}", style="dim"))
    console.print(Group(*out))


def run_index(args: argparse.Namespace) -> int:
    try:
        library, index = _open_index(args)
        report = _update(index, rebuild=getattr(args, "rebuild", False), notes=True)
        if not report.locked:
            # the hits' times a bulk build left out (search/hit_times.py)
            with _progress(True, "timing hits") as callback:
                index.refine_times(callback)
        _record(library, index, report)
        stats = index.stats()
    except ReaderError as exc:
        return _error(str(exc))
    except OSError as exc:
        return _error(f"{getattr(exc, 'filename', '') or 'search index'}: {exc.strerror or exc}")
    for problem in library.problems:
        say("warning", problem)
    if report.locked:  # no counts: nothing was compared or written by this process
        print(
            f"index: {display_name(index.index_dir)} "
            f"({stats['documents']} documents searchable now)"
        )
        print(
            "reader: the index was not updated: "
            + (report.busy or "another reader process holds it"),
            file=sys.stderr,
        )
        return 1
    print(
        f"{report.added} added, {report.changed} changed, {report.removed} removed, "
        f"{report.unchanged} unchanged; {stats['documents']} documents in {stats['segments']} "
        f"segment(s); {report.seconds:.2f} s"
    )
    print(f"index: {display_name(index.index_dir)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="reader")
    sub = parser.add_subparsers(dest="command", required=True)
    add_parsers(sub)
    args = parser.parse_args(argv)
    return run(args)


def run(args: argparse.Namespace) -> int:
    """Run a parsed command; never a traceback for a closed pipe or Ctrl-C."""
    import os

    try:
        code: int = args.func(args)
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
