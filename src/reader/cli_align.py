"""``reader align``: align summaries to a transcript and print the result."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from reader.errors import ReaderError, report
from reader.model import Alignment, Summary, Transcript, format_timestamp
from reader.text import display_line, display_name, json_for_terminal


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "align",
        help="align summary timestamps to a transcript",
        description="Place every timestamped claim of the summaries in the transcript and "
        "estimate the time of every transcript line.",
    )
    p.add_argument("--transcript", required=True, metavar="FILE", type=Path)
    p.add_argument("--summary", action="append", default=[], metavar="FILE", type=Path)
    p.add_argument("--duration", type=float, metavar="SECONDS", default=None)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=run)
    return p


def _line_seconds(tr: Transcript, al: Alignment) -> list[float | None]:
    out: list[float | None] = [None] * tr.source_line_count
    for unit, sec in zip(tr.lines, al.unit_seconds):
        first = unit.source_line
        last = unit.source_line_end or first
        for n in range(first, last + 1):
            if 1 <= n <= len(out) and out[n - 1] is None:
                out[n - 1] = round(sec, 2)
    return out


def _as_json(tr: Transcript, sums: list[Summary], al: Alignment) -> dict:
    summaries = []
    for s, cas in zip(sums, al.summaries):
        claims = []
        for ca in cas:
            u0, u1 = tr.lines[ca.unit_start], tr.lines[ca.unit_end]
            claims.append(
                {
                    "index": ca.claim.index,
                    "section": ca.claim.section,
                    "text": ca.claim.text,
                    "timestamp": ca.claim.timestamp,
                    "seconds": ca.claim.seconds,
                    "line_start": u0.source_line,
                    "line_end": u1.source_line_end or u1.source_line,
                    "transcript_seconds": round(ca.seconds, 2),
                    "score": ca.score,
                    "status": ca.status,
                }
            )
        summaries.append({"path": str(s.path), "claims": claims})
    return {
        "transcript": {
            "path": str(tr.path),
            "timed": tr.timed,
            "duration_s": round(al.duration_s, 2),
            "line_seconds": _line_seconds(tr, al),
        },
        "summaries": summaries,
    }


def _table(tr: Transcript, sums: list[Summary], al: Alignment) -> str:
    rows = [f"{display_name(tr.path)}: {len(tr.lines)} units, duration {format_timestamp(al.duration_s)}"
            f"{' (estimated times)' if al.estimated else ''}"]
    for s, cas in zip(sums, al.summaries):
        rows.append("")
        rows.append(f"{display_name(s.path)}: {len(cas)} claims")
        rows.append(f"{'claim':>8}  {'status':<13} {'est.':>8}  {'lines':>11}  transcript")
        for ca in cas:
            u0, u1 = tr.lines[ca.unit_start], tr.lines[ca.unit_end]
            words = display_line(" ".join(u0.text.split()[:8]), 200)
            span = f"{u0.source_line}-{u1.source_line_end or u1.source_line}"
            rows.append(f"{display_line(ca.claim.timestamp, 12):>8}  {display_line(ca.status, 13):<13} {format_timestamp(ca.seconds):>8}  {span:>11}  {words}")
    return "\n".join(rows)


def run(args: argparse.Namespace) -> int:
    from reader.parse.summary import parse_summary
    from reader.parse.transcript import parse_transcript
    from reader.sync import align_cached

    try:
        tr = parse_transcript(args.transcript)
        if not tr.lines:
            report("error", f"{display_name(args.transcript)}: transcript has no text")
            return 2
        sums = [parse_summary(p) for p in args.summary]
        for s in sums:
            for w in s.warnings:  # the parser says "no timestamps found" itself
                report("warning", f"{display_name(s.path)}: {w}")
        al = align_cached(tr, sums, args.duration)
    except ReaderError as exc:
        report("error", exc)
        return 2
    except OSError as exc:
        report("error", f"{display_name(exc.filename or '')}: {exc.strerror or exc}")
        return 2
    if args.json:
        print(json_for_terminal(json.dumps(_as_json(tr, sums, al), ensure_ascii=False)))
    else:
        print(_table(tr, sums, al))
    return 0
