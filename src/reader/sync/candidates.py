"""A claim's candidate windows: its scores, and the best windows under a time prior.

Every claim is scored once against the windows of its band (scoring.py). Each pass then
asks the same questions of those scores: the window maximising the score minus
LAMBDA x (its time's deviation from the stamp, in sigmas)^2 / 2 (``best``), or the few
best such windows that may anchor the time map (``top``). Both look only at windows whose
time is near enough the stamp to win (window times never decrease): the same answer at a
cost that does not grow with the band.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from reader.model import Claim

from .scoring import ClaimScores

LAMBDA = 0.3  # weight of the squared time deviation (in sigmas) against normalised BM25
ANCHOR_MIN = 0.30  # normalised score a claim needs to anchor the time map
SHORT_TERMS = 3  # claims with this many informative terms or fewer are titles
LONG_TERMS = 6  # claims with this many informative terms say enough to contradict a stamp


@dataclass(slots=True)
class Item:
    """One claim of one summary and its scored windows."""

    summary: int
    claim: Claim
    scores: ClaimScores
    strong: tuple[list[int], list[float]] | None = None  # windows scoring >= ANCHOR_MIN, in order

    @property
    def is_title(self) -> bool:
        """A chapter title (a word or two), not a claim."""
        return self.scores.n_terms <= SHORT_TERMS


def _strong(item: Item) -> tuple[list[int], list[float]]:
    """The claim's windows that may anchor (scoring at least ANCHOR_MIN), in window order,
    and their scores."""
    if item.strong is None:
        item.strong = item.scores.at_least(ANCHOR_MIN)
    return item.strong


def _near(
    item: Item, win_time: list[float], t: float, radius: float
) -> Iterable[tuple[int, float]]:
    """(window, score) pairs of the claim whose window time is within ``radius`` of t
    (window times never decrease, so two bisections bound them)."""
    lo_w = bisect_left(win_time, t - radius)
    hi_w = bisect_right(win_time, t + radius)
    return item.scores.items(lo_w, hi_w)


def best(
    item: Item, win_time: list[float], sigma: float, extra: int | None = None, first: int = 0
) -> tuple[int, float, float]:
    """(window, combined, raw score) maximising score - LAMBDA * dt^2 / 2 sigma^2, over
    windows numbered ``first`` or more (and ``extra``). With ``extra`` (the prior's own
    window), windows too far for even the best score to beat it are not looked at: the
    same answer, at a cost that does not grow with the band."""
    t = item.claim.seconds
    k = LAMBDA * 0.5 / (sigma * sigma)
    best_w, best_c, best_s = -1, float("-inf"), 0.0
    pairs: Iterable[tuple[int, float]]
    if extra is not None:
        d = win_time[extra] - t
        best_w, best_s = extra, item.scores.get(extra)
        best_c = best_s - k * d * d
        radius = ((item.scores.best - best_c) / k) ** 0.5 + 1e-6
        pairs = _near(item, win_time, t, radius)
    else:
        pairs = item.scores.items()
    for w, s in pairs:
        if w < first:
            continue
        d = win_time[w] - t
        c = s - k * d * d
        if c > best_c or (c == best_c and w < best_w):
            best_w, best_c, best_s = w, c, s
    return best_w, best_c, best_s


def top(item: Item, win_time: list[float], sigma: float, n: int) -> list[tuple[int, float, float]]:
    """Up to n (window, combined, raw score) that may anchor, best first, at least 3
    windows apart; only windows whose combined score is positive."""
    t = item.claim.seconds
    k = LAMBDA * 0.5 / (sigma * sigma)
    scored = []
    radius = (max(0.0, item.scores.best) / k) ** 0.5 + 1e-6  # beyond: combined <= 0, never kept
    ws, ss = _strong(item)  # only windows that may anchor: the same answer
    lo_w = bisect_left(win_time, t - radius)
    hi_w = bisect_right(win_time, t + radius)
    i, j = bisect_left(ws, lo_w), bisect_left(ws, hi_w)
    for w, s in zip(ws[i:j], ss[i:j], strict=True):
        d = win_time[w] - t
        scored.append((s - k * d * d, w, s))
    scored.sort(reverse=True)
    out: list[tuple[int, float, float]] = []
    for c, w, s in scored:
        if c <= 0:
            break
        if any(abs(w - o) <= 2 for o, _, _ in out):
            continue
        out.append((w, c, s))
        if len(out) >= n:
            break
    return out
