"""An episode's length: one answer for every place that shows it (the picker, the status
bar, ``reader list``, an exported note). The metadata's duration when there is one;
otherwise the sync engine's end of the transcript (a timed transcript's own end, or, for
an untimed one, the end extrapolated from the summaries' anchors), marked estimated then.
No Textual here.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .model import Alignment, approx, format_clock

if TYPE_CHECKING:
    from .library import Episode
    from .opening import Aligner


def alignment_length(alignment: Alignment, known_duration_s: float | None) -> tuple[float, bool]:
    """``(seconds, estimated)`` of an episode whose alignment is at hand."""
    if known_duration_s:
        return float(known_duration_s), False
    source = alignment.duration_source  # "given" | "timed" | "estimated"
    if source in ("given", "timed", "estimated"):
        return float(alignment.duration_s), source == "estimated"
    return float(alignment.duration_s), bool(alignment.estimated)


def known_length(episode: Episode, alignment: Alignment | None) -> tuple[float | None, bool]:
    """``(seconds, estimated)`` from what is at hand: the metadata, else ``alignment``
    (None when the episode could not be aligned: then ``(None, True)``)."""
    if episode.meta.duration_s:
        return float(episode.meta.duration_s), False
    if alignment is None:
        return None, True
    return alignment_length(alignment, episode.known_duration_s)


def episode_length(episode: Episode, align: Aligner | None = None) -> tuple[float | None, bool]:
    """``(seconds, estimated)``: the best estimate of ``episode``'s length; ``(None, True)``
    when its transcript cannot be read. ``align`` is the sync engine (cached on disk)."""
    if episode.meta.duration_s:
        return float(episode.meta.duration_s), False
    if align is None:
        from .sync import align_cached

        align = align_cached
    try:
        alignment = align(episode.transcript, episode.summaries, episode.known_duration_s)
    except Exception:
        return None, True
    return known_length(episode, alignment)


def length_text(seconds: float | None, estimated: bool, unknown: str = "--:--") -> str:
    """``~57:13`` (estimated), ``15:13``, ``3:26:07``, ``26 s``; ``unknown`` when there is
    no length (None, not a finite number, negative)."""
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return unknown
    if seconds < 59.5:  # under a minute, "00:26" reads like a clock position
        return approx(f"{round(seconds)} s", estimated)
    return format_clock(seconds, estimated)
