"""``reader align``: align summaries to a transcript and print the result."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from reader.errors import ReaderError, report
from reader.model import Alignment, Summary, Transcript, approx, format_clock, format_timestamp
from reader.text import display_line, display_name, json_for_terminal


def add_parser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "align",
        help="align summary timestamps to a transcript",
        description="Place every timestamped claim of the summaries in the transcript and "
        "estimate the time of every transcript line.",
    )
    p.add_argument(
        "--transcript", required=True, metavar="FILE", type=Path, help="the transcript to align"
    )
    p.add_argument(
        "--summary",
        action="append",
        default=[],
        metavar="FILE",
        type=Path,
        help="a summary whose stamps to place (repeat for several)",
    )
    p.add_argument(
        "--duration",
        metavar="SECONDS",
        default=None,
        help="the episode's length (without it, untimed transcripts get an estimate)",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=run)
    return p


MAX_DURATION_S = 7 * 24 * 3600.0


def _duration(text: str) -> float:
    """--duration: a finite number of seconds, more than 0 and at most a week."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or not 0 < value <= MAX_DURATION_S:
        raise ValueError(
            f"must be more than 0 and at most {MAX_DURATION_S:.0f} seconds (a week), got {text!r}"
        )
    return value


def _per_line(tr: Transcript, values: list[float]) -> list[float | None]:
    """One value per file line from per-unit values; None for blank lines."""
    out: list[float | None] = [None] * tr.source_line_count
    for unit, sec in zip(tr.units, values, strict=False):
        first = unit.source_line
        last = unit.source_line_end or first
        for n in range(first, last + 1):
            if 1 <= n <= len(out) and out[n - 1] is None:
                out[n - 1] = round(sec, 2)
    return out


def _line_seconds(tr: Transcript, al: Alignment) -> list[float | None]:
    """Every non-blank file line's time: a line no unit starts on (a speaker label such as
    ``Lenny:`` on its own line) takes the time of the text that follows it."""
    out = _per_line(tr, al.unit_seconds)
    try:
        text = tr.path.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        text = []
    nxt: float | None = al.duration_s
    for i in range(len(out) - 1, -1, -1):
        if out[i] is None and i < len(text) and text[i].strip():
            out[i] = None if nxt is None else round(nxt, 2)
        elif out[i] is not None:
            nxt = out[i]
    return out


def _lines(tr: Transcript, al: Alignment) -> list[dict[str, Any]]:
    """Each transcript unit: its text, file lines, time, uncertainty and speaker."""
    unc = al.unit_uncertainty or [0.0] * len(tr.units)
    return [
        {
            "line": u.source_line,
            "line_end": u.source_line_end or u.source_line,
            "text": u.text,
            "seconds": round(sec, 2),
            "uncertainty_s": round(sd, 1),
            "estimated": al.estimated,
            "speaker": u.speaker,
        }
        for u, sec, sd in zip(tr.units, al.unit_seconds, unc, strict=False)
    ]


def _as_json(tr: Transcript, sums: list[Summary], al: Alignment) -> dict[str, Any]:
    summaries = []
    notation = al.stamp_notation or [None] * len(sums)
    for k, (s, cas) in enumerate(zip(sums, al.summaries, strict=False)):
        claims = []
        for ca in cas:
            u0, u1 = tr.units[ca.unit_start], tr.units[ca.unit_end]
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
                    "uncertainty_s": round(ca.uncertainty_s, 1),
                    "read_seconds": ca.read_seconds,
                }
            )
        summaries.append({"path": str(s.path), "claims": claims, "stamp_notation": notation[k]})
    return {
        "transcript": {
            "path": str(tr.path),
            "timed": tr.timed,
            "duration_s": round(al.duration_s, 2),
            "duration_source": al.duration_source,
            "duration_uncertainty_s": round(al.duration_uncertainty_s, 1),
            "rough": al.rough,
            "rough_message": al.rough_message,
            "line_seconds": _line_seconds(tr, al),
            "line_uncertainty_s": _per_line(tr, al.unit_uncertainty)
            if al.unit_uncertainty
            else None,
            "lines": _lines(tr, al),
        },
        "notes": al.notes,
        "summaries": summaries,
    }


def _table(tr: Transcript, sums: list[Summary], al: Alignment) -> str:
    dur = format_timestamp(al.duration_s)
    if al.duration_source == "estimated":
        dur = approx(dur, True) + f" (estimated, ±{format_clock(al.duration_uncertainty_s)})"
    rows = [
        f"{display_name(tr.path)}: {len(tr.units)} units, duration {dur}"
        f"{' (estimated times)' if al.estimated and al.duration_source != 'estimated' else ''}"
    ]
    if al.rough:
        rows.append(f"note: {display_line(al.rough_message)}")
    rows.extend(f"note: {display_line(n)}" for n in al.notes)
    for s, cas in zip(sums, al.summaries, strict=False):
        rows.append("")
        rows.append(f"{display_name(s.path)}: {len(cas)} claims")
        rows.append(f"{'claim':>8}  {'status':<13} {'est.':>8}  {'lines':>11}  transcript")
        for ca in cas:
            u0, u1 = tr.units[ca.unit_start], tr.units[ca.unit_end]
            words = display_line(" ".join(u0.text.split()[:8]), 200)
            span = f"{u0.source_line}-{u1.source_line_end or u1.source_line}"
            stamp = (
                ca.claim.timestamp
                if ca.read_seconds is None
                else f"{ca.claim.timestamp}={format_clock(ca.read_seconds)}"
            )
            rows.append(
                f"{display_line(stamp, 24):>8}  {display_line(ca.status, 13):<13}"
                f" {format_timestamp(ca.seconds):>8}  {span:>11}  {words}"
            )
    return "\n".join(rows)


def run(args: argparse.Namespace) -> int:
    from reader.parse.summary import parse_summary
    from reader.parse.transcript import parse_transcript
    from reader.sync import align_cached

    try:
        duration = None if args.duration is None else _duration(str(args.duration))
    except ValueError as exc:
        report("error", f"--duration: {exc}")
        return 2
    try:
        tr = parse_transcript(args.transcript)
        if not tr.units:
            report("error", f"{display_name(args.transcript)}: transcript has no text")
            return 2
        sums = [parse_summary(p) for p in args.summary]
        for s in sums:
            for w in s.warnings:  # the parser says "no timestamps found" itself
                report("warning", f"{display_name(s.path)}: {w}")
        al = align_cached(tr, sums, duration)
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
