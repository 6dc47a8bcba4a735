"""An episode's length: one answer for every place that shows it (the picker, the status
bar, ``reader list``). The metadata's duration when there is one; otherwise the sync
engine's end of the transcript (a timed transcript's own end, or, for an untimed one, the
end extrapolated from the summaries' anchors), marked estimated then. No Textual here.
"""

from __future__ import annotations

from typing import Any, Callable

from .model import Alignment, format_clock


def alignment_length(alignment: Alignment, known_duration_s: float | None) -> tuple[float, bool]:
    """``(seconds, estimated)`` of an episode whose alignment is at hand."""
    if known_duration_s:
        return float(known_duration_s), False
    source = getattr(alignment, "duration_source", None)  # "given" | "timed" | "estimated"
    if source in ("given", "timed", "estimated"):
        return float(alignment.duration_s), source == "estimated"
    return float(alignment.duration_s), bool(alignment.estimated)


def episode_length(episode: Any, align: Callable[..., Alignment] | None = None) -> tuple[float | None, bool]:
    """``(seconds, estimated)``: the best estimate of ``episode``'s length; ``(None, True)``
    when its transcript cannot be read. ``align`` is the sync engine (cached on disk)."""
    if episode.meta.duration_s:
        return float(episode.meta.duration_s), False
    try:
        transcript = episode.transcript
        summaries = episode.summaries
        if align is None:
            from .sync import align_cached as align
        alignment = align(transcript, summaries, episode.known_duration_s)
    except Exception:
        return None, True
    return alignment_length(alignment, episode.known_duration_s)


def length_text(seconds: float | None, estimated: bool) -> str:
    """``~57:13`` (estimated), ``15:13``, ``3:26:07``, ``26 s``; ``--:--`` when unknown."""
    if seconds is None:
        return "--:--"
    mark = "~" if estimated else ""
    if seconds < 59.5:  # under a minute, "00:26" reads like a clock position
        return f"{mark}{round(seconds)} s"
    return mark + format_clock(seconds)
