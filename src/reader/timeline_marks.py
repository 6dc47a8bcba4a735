"""What the timeline shows of an aligned episode: its segments (the summary's sections, or
the claims of a short summary without sections) and the stretches where the time estimate
is rough. Pure computation over an :class:`~reader.model.Alignment`; the widget
(``reader.ui.widgets.timeline``) only draws it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import Alignment, ClaimAlignment

ROUGH_GAP_S = 300.0  # an untimed stretch this long without a trusted anchor is rough
ROUGH_SHARE = 0.08  # ... or this share of the episode, whichever is longer
ROUGH_LIMIT_S = 60.0  # a time that may be off by more than this is rough (as sync's ROUGH_S)


def rough_spans(anchors: Iterable[float], duration: float) -> list[tuple[float, float]]:
    """Stretches of an estimated timeline far from any anchor (claim times the sync
    engine placed with confidence): each gap between neighbouring anchors (and the
    episode's ends) longer than the limit, less its first and last quarter."""
    limit = max(ROUGH_GAP_S, ROUGH_SHARE * duration)
    points = sorted({0.0, float(duration), *(a for a in anchors if 0 <= a <= duration)})
    spans = []
    for a, b in zip(points, points[1:], strict=False):
        if b - a > limit:
            quarter = (b - a) / 4
            spans.append((a + quarter, b - quarter))
    return spans


def uncertain_spans(
    unit_seconds: Sequence[float],
    uncertainty: Sequence[float],
    duration: float,
    limit: float = ROUGH_LIMIT_S,
) -> list[tuple[float, float]]:
    """Stretches where the sync engine says a unit's time may be off by more than
    ``limit`` seconds (``Alignment.unit_uncertainty``)."""
    spans: list[tuple[float, float]] = []
    start: float | None = None
    for t, u in zip(unit_seconds, uncertainty, strict=False):
        if u > limit and start is None:
            start = t
        elif u <= limit and start is not None:
            spans.append((start, t))
            start = None
    if start is not None:
        spans.append((start, float(duration)))
    return spans


def segment_starts(rows: Sequence[ClaimAlignment], max_claims: int = 40) -> list[float]:
    """Where each section of a summary starts (the claims, for a list of up to
    ``max_claims`` without sections); a claim the engine could not place keeps its stamp."""

    def at(ca: ClaimAlignment) -> float:
        return ca.seconds if ca.status != "unsupported" else ca.claim.seconds

    sections = [
        ca for i, ca in enumerate(rows) if i == 0 or ca.claim.section != rows[i - 1].claim.section
    ]
    if len(sections) < 2 and len(rows) <= max_claims:
        sections = list(rows)
    return [at(ca) for ca in sections]


def rough_stretches(alignment: Alignment, length: float) -> list[tuple[float, float]]:
    """Rough stretches of an estimated clock: where the engine says so, else far from any
    anchor it trusted. None for real times."""
    if not alignment.estimated:
        return []
    uncertainty = alignment.unit_uncertainty
    if len(uncertainty) == len(alignment.unit_seconds) and uncertainty:
        return uncertain_spans(alignment.unit_seconds, uncertainty, length)
    anchors = [ca.seconds for row in alignment.summaries for ca in row if ca.status == "ok"]
    return rough_spans(anchors, length)
