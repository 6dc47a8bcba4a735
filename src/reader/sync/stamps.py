"""How a summary's stamps are meant to be read: systematic notation slips.

AI summaries often write ``MM:SS`` as ``MM:SS:00`` (``[03:19:00]`` meaning 3:19). Read
literally such a summary stamps a 34-minute video up to 9 hours in. The slip is
recognised from the stamps themselves, not from a list of summaries:

- many three-field stamps end in ``:00`` (by chance about 1 in 60 would; a summary may
  mix the habit with correct stamps), and
- read literally, those stamps are implausible for the transcript (most past a known
  duration, or a speaking rate far below anyone's), while read as ``MM:SS`` they are not.

A round-minute chapter list of a long episode (``01:05:00``, ``01:20:00``) has the
first property but not the second, so it is read as written.

The parser's Claims are never changed: the engine aligns copies carrying the
reinterpreted seconds, and the result says so (``Alignment.notes``, each claim's
``read_seconds``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reader.model import Claim, Summary

MIN_STAMPS = 5  # fewer stamps than this say nothing about a habit
ZERO_SHARE = 0.25  # share of three-field stamps ending in :00 that marks a habit (chance: 1/60)
SLOW_WPS = 0.8  # read literally, the transcript would be spoken slower than this
PAST_END_SHARE = 0.5  # ...or this share of the stamps would lie past the known end


@dataclass(frozen=True, slots=True)
class StampReading:
    notation: str | None  # None: as written; "mmss00": HH:MM:00 read as MM:SS
    changed: int  # claims whose seconds were reinterpreted
    note: str  # one line for the user ("" when read as written)


def _fields(ts: str) -> list[int] | None:
    parts = ts.strip().strip("[]()").split(":")
    if len(parts) != 3:
        return None
    try:
        return [int(float(p)) for p in parts]
    except ValueError:
        return None


def _plausible(seconds: list[float], total_words: int, duration_s: float | None) -> bool:
    if not seconds:
        return True
    last = max(seconds)
    if duration_s:
        past = sum(1 for s in seconds if s > duration_s + 60.0)
        return past < PAST_END_SHARE * len(seconds)
    return last <= 0 or total_words / last >= SLOW_WPS


def read_stamps(
    summary: Summary, total_words: int, duration_s: float | None
) -> tuple[Summary, StampReading]:
    """The summary as its stamps are meant (a copy when any stamp changes) and how it was read."""
    three = [(c, f) for c in summary.claims if (f := _fields(c.timestamp)) is not None]
    zero = [(c, f) for c, f in three if f[2] == 0]
    if len(three) < MIN_STAMPS or len(zero) < ZERO_SHARE * len(three):
        return summary, StampReading(None, 0, "")
    if any(f[0] >= 60 or f[1] >= 60 for _, f in zero):
        return summary, StampReading(None, 0, "")
    literal = [c.seconds for c, _ in zero]
    fixed_of = {id(c): float(f[0] * 60 + f[1]) for c, f in zero}
    fixed = list(fixed_of.values())
    if _plausible(literal, total_words, duration_s) or not _plausible(
        fixed, total_words, duration_s
    ):
        return summary, StampReading(None, 0, "")
    claims = [
        replace(c, seconds=fixed_of[id(c)]) if id(c) in fixed_of else c for c in summary.claims
    ]
    note = (
        f"{summary.path.name}: {len(zero)} of {len(summary.claims)} stamps are written MM:SS:00 "
        f"(e.g. {zero[0][0].timestamp} for {zero[0][1][0]:02d}:{zero[0][1][1]:02d}); read as MM:SS"
    )
    return replace(summary, claims=claims), StampReading("mmss00", len(zero), note)


def literal_claims(summary: Summary, read: Summary) -> list[tuple[Claim, float | None]]:
    """Pairs (claim as written, seconds as read or None when unchanged)."""
    return [
        (a, b.seconds if b.seconds != a.seconds else None)
        for a, b in zip(summary.claims, read.claims, strict=False)
    ]
