"""What a search returns: plain ``Hit`` objects and ``SearchResults`` (no Whoosh types)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .highlight import TermMatcher


@dataclass
class Hit:
    episode: str
    title: str
    kind: str  # "transcript" | "summary"
    path: str
    line_start: int
    line_end: int
    unit_start: int | None
    unit_end: int | None
    summary_index: int | None
    claim_index: int | None
    seconds: float
    timestamp: str
    text: str  # the whole passage or claim
    snippet: str  # <= ~200 chars of it around the best matches, whole words, "…" where cut
    spans: list[tuple[int, int]]  # matches, as offsets into snippet
    highlight: str  # snippet with «matches» marked
    score: float
    section: str = ""
    estimated: bool | None = None  # a transcript passage's time is an estimate (untimed)
    speaker: str | None = None  # a transcript passage's named speaker, when the file names one
    # the index holds no time for this passage yet (hit_times.py fills it in)
    seconds_pending: bool = field(default=False, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "episode": self.episode,
            "title": self.title,
            "kind": self.kind,
            "path": self.path,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "seconds": round(self.seconds, 3),
            "timestamp": self.timestamp,
            "text": self.text,
            "highlight": self.highlight,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "spans": [list(s) for s in self.spans],
            "unit_start": self.unit_start,
            "unit_end": self.unit_end,
            "summary_index": self.summary_index,
            "claim_index": self.claim_index,
            "section": self.section,
            "speaker": self.speaker,
        }


@dataclass
class SearchResults:
    query: str
    total: int = 0  # number of matching passages and claims (see total_exact)
    suggestion: str | None = None
    hits: list[Hit] = field(default_factory=list)
    error: str | None = None
    # False when counting every match would have cost more than the search itself (a
    # word in most passages): ``total`` is then Whoosh's estimate, shown as "about N".
    total_exact: bool = True
    # One line each about how the query was bounded ("velocity~99: at most 2 edits").
    notes: list[str] = field(default_factory=list)
    # What part of the library was searched, when not all of it (an index being built).
    notice: str | None = None
    # The words this query really matched (negations and field filters left out): for
    # highlighting a whole transcript and for n/N.
    matcher: TermMatcher = field(default_factory=TermMatcher)

    @property
    def total_text(self) -> str:
        n = f"{self.total:,}"
        return n if self.total_exact else f"about {n}"

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "total_exact": self.total_exact,
            "suggestion": self.suggestion,
            "hits": [h.to_json() for h in self.hits],
            "error": self.error,
            "notes": list(self.notes),
            "notice": self.notice,
            "matched": {"stems": sorted(self.matcher.stems), "words": sorted(self.matcher.words)},
        }
