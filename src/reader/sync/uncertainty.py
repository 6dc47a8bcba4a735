"""How far a time may be off: the error models of the anchored map and of the final one.

Between two anchors the error of a line's time grows like a Brownian bridge,
var = ANCHOR_SD^2 + kappa * d1 * d2 / (d1 + d2) (d1, d2: seconds to the anchors either
side); beyond the last one, without a duration, kappa * d plus the rate's own error.
kappa is measured on the anchors (leave-one-out) when there are KAPPA_MIN_ANCHORS, else
KAPPA_DEFAULT (1 s: ~21 s at the middle of 30 minutes). This is the prior of a title's
placement (titles.py). The final map's uncertainty is the smoother's (smooth.py), plus,
without a duration, the error of the speaking rate itself.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from .smooth import Smoothed
from .timing import TimeMap

KAPPA_DEFAULT = 1.0
KAPPA_RANGE = (0.05, 5.0)
KAPPA_MIN_ANCHORS = 8
ANCHOR_SD = 3.0
RATE_PRIOR_SD = 0.15  # relative spread of speaking rates between people (~155 +- 25 words/min)


@dataclass(frozen=True, slots=True)
class ErrorModel:
    """The anchored map's error model: anchor times (incl. 0 and a pinned end), is the
    end pinned, and kappa."""

    times: list[float]
    ends: bool
    kappa: float


def error_model(
    tmap: TimeMap, fit_points: list[tuple[float, float]], total: int, given_duration: float | None
) -> ErrorModel:
    """The error model of the map through ``fit_points`` ((stamp, position) pairs)."""
    times = [0.0] + [tmap.time_at(p) for _, p in fit_points]
    ends = bool(given_duration)
    if given_duration:
        times.append(float(given_duration))
    times = sorted(set(times))
    # kappa from the anchors themselves: leave-one-out residual against the bridge
    pts = [(0.0, 0.0)] + sorted((p, t) for t, p in fit_points)
    if given_duration:
        pts.append((float(total), float(given_duration)))
    ratios = []
    for j in range(1, len(pts) - 1):
        (p0, t0), (p, t), (p1, t1) = pts[j - 1], pts[j], pts[j + 1]
        if p1 <= p0 or t1 <= t0 or not (t0 < t < t1):
            continue
        est = t0 + (t1 - t0) * (p - p0) / (p1 - p0)
        bridge = (t - t0) * (t1 - t) / (t1 - t0)
        if bridge > 1.0:
            ratios.append(max(0.0, (est - t) ** 2 - 2 * ANCHOR_SD**2) / bridge)
    kappa = KAPPA_DEFAULT
    if len(ratios) >= KAPPA_MIN_ANCHORS:
        ratios.sort()
        kappa = ratios[len(ratios) // 2] / 0.455  # median of chi-square(1) is 0.455
        kappa = min(max(kappa, KAPPA_RANGE[0]), KAPPA_RANGE[1])
    return ErrorModel(times, ends, kappa)


def sd_at(model: ErrorModel, tau: float) -> float:
    """sd of the anchored map's time tau."""
    times, kappa = model.times, model.kappa
    i = bisect_right(times, tau) - 1
    if i < 0:
        return ANCHOR_SD
    t0 = times[i]
    if i + 1 < len(times):
        t1 = times[i + 1]
        var = kappa * (tau - t0) * (t1 - tau) / max(1e-9, t1 - t0)
    else:
        d = tau - t0
        span = max(60.0, t0)
        var = kappa * d * (1.0 + d / span)  # random walk plus the rate's own error
    sd = (ANCHOR_SD**2 + var) ** 0.5
    return 0.0 if i == 0 and tau <= 0 else sd


def sd_smoothed(sm: Smoothed, t: float, claims: int) -> float:
    """sd of a time t of the final map (``claims``: anchors that are not titles);
    without a duration the rate's own error adds: people's rates when nothing
    measured it, else the error of the rate measured over the anchors' span."""
    s = t  # clock time and map time differ by the drift, seconds: close enough here
    _, var = sm.at(s)
    return _sd(sm, s, var, claims)


def sd_smoothed_sorted(sm: Smoothed, ts: list[float], claims: int) -> list[float]:
    """``sd_smoothed`` of each of ``ts`` (non-decreasing, e.g. the units' times): one
    sweep along the smoother's points (the same values, linear cost)."""
    return [_sd(sm, s, var, claims) for s, var in zip(ts, sm.var_sorted(ts), strict=True)]


def _sd(sm: Smoothed, s: float, var: float, claims: int) -> float:
    if sm.end_pinned:
        return float(var**0.5)
    if claims < KAPPA_MIN_ANCHORS:
        # nothing but a guess (or chapter titles found near the guess) measured the
        # speaking rate: people's rates differ by RATE_PRIOR_SD
        var += (RATE_PRIOR_SD * s) ** 2
    elif s > sm.s[-1]:
        d = s - sm.s[-1]
        var += sm.kappa * d * d / max(60.0, sm.s[-1])  # the measured rate's own error
    return float(var**0.5)
