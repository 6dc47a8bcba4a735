"""The data model every part of reader shares. Plain dataclasses: no I/O, no Textual.

Data flows one way: files -> (parse) -> these objects -> (sync, search) -> UI/CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal


@dataclass(frozen=True, slots=True)
class TranscriptUnit:
    """One unit of transcript text.

    For caption text it is one non-blank source line; for a one-paragraph article it is
    one sentence (several units then share a ``source_line``); for timed formats it is
    one cue/segment (merged into readable lines where the format is word-level).
    """

    text: str
    source_line: int  # 1-based line of the transcript file where this text starts
    start: float | None = None  # seconds, only where the source has times
    end: float | None = None
    speaker: str | None = None
    source_line_end: int | None = None  # last source line, when the unit spans several


@dataclass(slots=True)
class Transcript:
    path: Path
    units: list[TranscriptUnit]
    timed: bool
    source_line_count: int  # number of lines in the file (for per-file-line outputs)
    # text | article | speaker | timed-text | vtt | srt | sbv | ttml | yt-json | podcast-json
    # | whisper-json | whisper-cpp-json | whisper-tsv | assemblyai-json
    format: str = "text"
    warnings: list[str] = field(default_factory=list)

    @property
    def last_time(self) -> float | None:
        for unit in reversed(self.units):
            if unit.end is not None:
                return unit.end
            if unit.start is not None:
                return unit.start
        return None


@dataclass(frozen=True, slots=True)
class Claim:
    """One timestamped statement of a summary (one claim per timestamp)."""

    index: int  # 0-based position within its summary
    section: str  # heading path, e.g. "Claude 4 Capabilities › Key Improvements" ("" if none)
    text: str  # plain text: markup removed, wiki links resolved, mojibake repaired
    timestamp: str  # exactly as written, e.g. "00:01:06" or "1:06"
    seconds: float
    source_line: int  # 1-based line of the summary file


@dataclass(slots=True)
class Summary:
    path: Path
    claims: list[Claim]
    title: str | None = None
    video_id: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class EpisodeMeta:
    title: str
    show: str = ""
    date: str = ""
    duration_s: float | None = None
    url: str = ""
    video_id: str = ""


def _whole_seconds(seconds: object) -> int | None:
    """``seconds`` as whole non-negative seconds (capped at 99,999 hours), or None for
    anything that is not a finite number: a formatter never raises."""
    if isinstance(seconds, bool):
        return None
    try:
        value = float(seconds)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return int(min(max(value, 0.0), 99_999 * 3600.0))


def approx(when: str, estimated: bool) -> str:
    """A written time, marked ``~`` when the alignment estimated it (the one ``~`` rule)."""
    return f"~{when}" if estimated else when


def format_timestamp(seconds: float | None, estimated: bool = False) -> str:
    """``754.2`` -> ``"00:12:34"`` (``"~00:12:34"`` if ``estimated``); None (or not a
    finite number) -> ``"--:--:--"``."""
    s = _whole_seconds(seconds)
    if s is None:
        return "--:--:--"
    return approx(f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}", estimated)


def format_clock(seconds: float | None, estimated: bool = False) -> str:
    """Short clock for gutters: ``"12:34"`` or ``"1:02:03"`` (``"~12:34"`` if
    ``estimated``); ``"--:--"`` for no time; never raises."""
    s = _whole_seconds(seconds)
    if s is None:
        return "--:--"
    h, m, sec = s // 3600, s % 3600 // 60, s % 60
    return approx(f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}", estimated)


def parse_clock(text: str) -> float | None:
    """``"12:34"``, ``"1:02:03"``, ``"754"``, ``"1:02:03.5"`` -> seconds; None if not a time."""
    text = text.strip()
    if not text:
        return None
    parts = text.replace(",", ".").split(":")
    if len(parts) > 3:
        return None
    try:
        values = [float(p) for p in parts]
    except ValueError:
        return None
    if any(v < 0 for v in values) or any(v >= 60 for v in values[1:]):
        return None
    total = 0.0
    for v in values:
        total = total * 60 + v
    return total


# --- alignment (produced by reader.sync, consumed by search, CLI and UI) -------------

ClaimStatus = Literal["ok", "time_mismatch", "unsupported"]


@dataclass(frozen=True, slots=True)
class ClaimAlignment:
    """Where one claim lands in the transcript. Indices are into ``Transcript.units``."""

    claim: Claim
    unit_start: int  # first transcript unit (0-based index into Transcript.units)
    unit_end: int  # last transcript unit, inclusive
    seconds: float  # estimated transcript time of unit_start
    score: float
    status: ClaimStatus
    uncertainty_s: float = 0.0  # about how far ``seconds`` may be off (0: real times)
    read_seconds: float | None = None  # the stamp as the engine read it, when not as written


@dataclass(slots=True)
class Alignment:
    """The sync engine's answer for one episode."""

    unit_seconds: list[float]  # one per Transcript.units entry, never decreasing
    estimated: bool  # False when the transcript carries real times
    duration_s: float
    summaries: list[list[ClaimAlignment]]  # parallel to the summaries passed in
    # about how far each unit's time may be off, seconds (parallel to unit_seconds; all 0
    # for real times; empty from older callers)
    unit_uncertainty: list[float] = field(default_factory=list)
    duration_source: str = "given"  # "given" | "timed" (the transcript's own) | "estimated"
    duration_uncertainty_s: float = 0.0
    rough: bool = False  # estimated times may be off by more than a minute (sync.engine.ROUGH_S)
    notes: list[str] = field(default_factory=list)  # stamp notations, stamps at odds with the text
    stamp_notation: list[str | None] = field(default_factory=list)  # per summary: None = as written

    @property
    def rough_message(self) -> str:
        """One line for the user when the estimated times are rough ("" otherwise)."""
        if not self.rough:
            return ""
        worst = max(self.unit_uncertainty, default=0.0)
        return (
            f"times are rough estimates (up to ±{format_clock(worst)} off): give the duration "
            "with --duration or `duration =` in episode.toml"
        )

    def unit_at(self, seconds: float) -> int:
        """Index of the last unit starting at or before ``seconds`` (0 if none)."""
        from bisect import bisect_right

        i = bisect_right(self.unit_seconds, seconds) - 1
        return max(0, min(i, len(self.unit_seconds) - 1))
