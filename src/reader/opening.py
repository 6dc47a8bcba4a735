"""Opening an episode: its transcript parsed, its summaries read, the two aligned.

One function, :func:`open_episode`, makes every decision the reader used to make inside
its main screen: the episode cache first (opened before and unchanged: no parsing, no
aligning), a transcript that cannot be read (an error, with the summaries still shown),
a sync engine that fails (a rough :func:`fallback_alignment` and a warning). It knows
nothing of the UI: the screen runs it in a thread and shows what it returns. (``reader
align`` and the search index read episodes their own way today; ``cli_align`` could call
:func:`open_episode` with ``cache=False`` to get the same errors and fallback.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import ReaderError
from .library import Episode
from .model import Alignment, ClaimAlignment, Summary, Transcript

Aligner = Callable[[Transcript, list[Summary], float | None], Alignment]


@dataclass
class OpenedEpisode:
    """What opening an episode gave: a transcript and its alignment, or an error (the
    summaries are there either way); ``warnings`` are one-line notes for the user."""

    episode: Episode
    transcript: Transcript | None
    summaries: list[Summary]
    alignment: Alignment | None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    from_cache: bool = False


def fallback_alignment(
    transcript: Transcript, summaries: list[Summary], duration_s: float | None
) -> Alignment:
    """A crude alignment used only if the sync engine fails: real times where the transcript
    has them, otherwise units spread evenly; each claim lands on the unit at its time."""
    n = len(transcript.units)
    duration = float(duration_s or transcript.last_time or max(n * 3.0, 1.0))
    seconds: list[float] = []
    last = 0.0
    for i, line in enumerate(transcript.units):
        t = line.start if line.start is not None else (duration * i / max(n, 1))
        last = max(last, float(t))
        seconds.append(last)
    alignment = Alignment(
        unit_seconds=seconds, estimated=not transcript.timed, duration_s=duration, summaries=[]
    )
    for summary in summaries:
        row = []
        for claim in summary.claims:
            unit = alignment.unit_at(claim.seconds) if seconds else 0
            row.append(
                ClaimAlignment(claim, unit, unit, seconds[unit] if seconds else 0.0, 0.0, "ok")
            )
        alignment.summaries.append(row)
    return alignment


def cached(episode: Episode) -> OpenedEpisode | None:
    """The episode as the episode cache holds it (unchanged since it was last opened), or None."""
    from . import episode_cache

    hit = episode_cache.load(episode)
    if hit is None:
        return None
    transcript, summaries, alignment = hit
    return OpenedEpisode(episode, transcript, summaries, alignment, from_cache=True)


def _summaries(episode: Episode) -> list[Summary]:
    try:
        return list(episode.summaries)
    except Exception:  # a parser bug: the summaries are missing, the transcript still shows
        return []


def open_episode(
    episode: Episode,
    align: Aligner,
    *,
    cache: bool = False,
) -> OpenedEpisode:
    """Parse and align ``episode``. ``cache``: read (and write) the episode cache.
    Never raises for a bad file: the error is in the result. (A long transcript shows its
    beginning first where it is shown: the transcript pane lays out its first units at
    once and the rest in a thread.)"""
    if cache:
        hit = cached(episode)
        if hit is not None:
            return hit
    try:
        transcript = episode.transcript
    except ReaderError as exc:
        return OpenedEpisode(episode, None, _summaries(episode), None, str(exc))
    except Exception as exc:  # a parser bug must not take the app down
        error = f"{episode.transcript_path}: cannot read transcript ({type(exc).__name__}: {exc})"
        return OpenedEpisode(episode, None, _summaries(episode), None, error)
    summaries = _summaries(episode)
    warnings: list[str] = []
    try:
        alignment = align(transcript, summaries, episode.known_duration_s)
    except Exception as exc:
        warnings.append(
            f"alignment failed ({type(exc).__name__}: {exc}); claim positions are rough"
        )
        alignment = fallback_alignment(transcript, summaries, episode.duration_s)
    return OpenedEpisode(episode, transcript, summaries, alignment, warnings=warnings)


def remember(opened: OpenedEpisode) -> None:
    """Keep a cleanly opened episode in the episode cache (call after showing it: the
    write is not on the way to the first paint). A rough or failed opening is not kept."""
    if (
        opened.from_cache
        or opened.warnings
        or opened.transcript is None
        or opened.alignment is None
    ):
        return
    from . import episode_cache

    episode_cache.save(opened.episode, opened.transcript, opened.summaries, opened.alignment)
