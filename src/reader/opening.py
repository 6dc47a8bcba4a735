"""Opening an episode: its transcript parsed, its summaries read, the two aligned.

One function, :func:`open_episode`, makes every decision the reader used to make inside
its main screen: the episode cache first (opened before and unchanged: no parsing, no
aligning), the beginning of a long transcript for painting early, a transcript that
cannot be read (an error, with the summaries still shown), a sync engine that fails (a
rough :func:`fallback_alignment` and a warning). It knows nothing of the UI: the screen
runs it in a thread and shows what it returns. (``reader align`` and the search index
read episodes their own way today; ``cli_align`` could call :func:`open_episode` with
``cache=False`` to get the same errors and fallback.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import ReaderError
from .library import Episode
from .model import Alignment, ClaimAlignment, Summary, Transcript

HEAD_MIN_BYTES = 128 * 1024  # transcripts this big show their beginning before the rest is parsed
HEAD_BYTES = 48 * 1024  # ... the first this many bytes, cut at a line end

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


def parse_head(episode: Episode) -> Transcript | None:
    """The first ``HEAD_BYTES`` of a long transcript file parsed as if they were all of
    it, or None (short file, JSON, UTF-16, already parsed, unreadable). Only for painting
    early: the full parse replaces it. The bytes pass the checks the full read makes
    (a regular file within the size limit, text-shaped, not binary)."""
    if episode.transcript_parsed:
        return None  # parsed already: the whole thing is as quick
    from .files import MAX_TRANSCRIPT_BYTES, check_text_shape, read_start
    from .parse.transcript import parse_transcript_text
    from .text import decode, looks_binary

    path = episode.transcript_path
    if path.suffix.lower() == ".json":
        return None
    try:
        data, size = read_start(path, MAX_TRANSCRIPT_BYTES, HEAD_BYTES)
        if (
            size < HEAD_MIN_BYTES
            or data.lstrip()[:1] in (b"[", b"{")
            or data[:2] in (b"\xff\xfe", b"\xfe\xff")
        ):
            return None
        # whole caption cues / paragraphs: cut at the last blank line, else a line end
        cut = data.rfind(b"\n\n")
        if cut < len(data) // 2:
            cut = data.rfind(b"\n")
        if cut <= 0:
            return None
        if looks_binary(data):  # as the full read would: all of what was read, not the cut
            return None
        data = data[: cut + 1]
        check_text_shape(path, data)
        text, _warning = decode(data)
        head = parse_transcript_text(text, path)
    except Exception:  # only a preview: the full parse reports what is wrong
        return None
    return head if head.units else None


def fallback_alignment(
    transcript: Transcript, summaries: list[Summary], duration_s: float | None
) -> Alignment:
    """A crude alignment used only if the sync engine fails: real times where the transcript
    has them, otherwise units spread evenly; each claim lands on the unit at its time.
    ``duration_s`` is the one the engine would trust (the metadata's), or None: then the
    transcript's own end, else the last summary stamp, else three seconds a unit."""
    n = len(transcript.units)
    stamps = [c.seconds for s in summaries for c in s.claims]
    if duration_s:
        duration, source = float(duration_s), "given"
    elif transcript.last_time:
        duration, source = float(transcript.last_time), "timed"
    else:
        duration, source = float(max(stamps, default=0.0) or max(n * 3.0, 1.0)), "estimated"
    seconds: list[float] = []
    last = 0.0
    for i, piece in enumerate(transcript.units):
        t = piece.start if piece.start is not None else (duration * i / max(n, 1))
        last = max(last, float(t))
        seconds.append(last)
    alignment = Alignment(
        unit_seconds=seconds,
        estimated=not transcript.timed,
        duration_s=duration,
        summaries=[],
        duration_source=source,
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
    on_head: Callable[[Transcript], None] | None = None,
) -> OpenedEpisode:
    """Parse and align ``episode``. ``cache``: read (and write) the episode cache.
    ``on_head``: called with the beginning of a long transcript before the rest is parsed.
    Never raises for a bad file: the error is in the result."""
    if cache:
        hit = cached(episode)
        if hit is not None:
            return hit
    if on_head is not None:
        head = parse_head(episode)  # a long transcript: its first screens at once
        if head is not None:
            on_head(head)
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
        alignment = fallback_alignment(transcript, summaries, episode.known_duration_s)
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
