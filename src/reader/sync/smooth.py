"""A time map that keeps the clock between trustworthy anchors: a Kalman smoother.

The uniform speaking-rate clock says when each word is said, give or take a drift that
wanders like a random walk (a Brownian motion in clock time, variance ``kappa`` per
second). Every anchor (a claim placed in the text, with its stamp) observes that drift
with an error of its own (``sd``: summary stamps are rounded, placements are a line or
two off). The smoother (Rauch-Tung-Striebel) gives the drift's posterior mean and
variance at every anchor, and between two anchors the mean is the straight line between
them (the map stays piecewise linear), the variance a bridge.

``kappa`` and ``sd`` are not tuned constants: each episode's are the pair on a small grid
that makes its anchors most likely (the filter's innovations give the likelihood). So
dense, consistent anchors (a detailed summary) bend the map all the way; a few that
disagree with each other (a chapter list placed by a word or two) barely move it from
the clock. Linear in the number of anchors.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import log, pi

KAPPAS = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)  # s^2 of drift per s of talk
SDS = (2.0, 4.0, 8.0, 16.0, 32.0, 64.0)  # an anchor's own error, s
KAPPA_PRIOR, SD_PRIOR = 1.0, 8.0  # prior middles (kappa 1: ~21 s off mid-way through 30 min)
KAPPA_PRIOR_SPREAD, SD_PRIOR_SPREAD = 1.5, 1.0  # ln-units
START_SD = 5.0  # the first words are said within a few seconds of the start
END_SD = 15.0  # ...the last ones within a few of the end (outros, end cards)


@dataclass(slots=True)
class Smoothed:
    s: list[float]  # clock times of the observations (start, anchors, end), sorted
    mean: list[float]  # posterior drift (seconds to add to the clock) at each
    var: list[float]  # ...and its variance
    kappa: float
    sd: float
    end_pinned: bool

    def at(self, s: float) -> tuple[float, float]:
        """(drift, variance) at clock time s."""
        from bisect import bisect_right

        xs = self.s
        i = bisect_right(xs, s) - 1
        if i < 0:
            return self.mean[0], self.var[0]
        if i + 1 >= len(xs):
            d = s - xs[-1]
            return self.mean[-1], self.var[-1] + self.kappa * d
        s0, s1 = xs[i], xs[i + 1]
        if s1 <= s0:
            return self.mean[i + 1], self.var[i + 1]
        lam = (s - s0) / (s1 - s0)
        m = self.mean[i] + lam * (self.mean[i + 1] - self.mean[i])
        v = (
            (1 - lam) * self.var[i]
            + lam * self.var[i + 1]
            + self.kappa * (s - s0) * (s1 - s) / (s1 - s0)
        )
        return m, v

    def var_sorted(self, ss: list[float]) -> list[float]:
        """The variance ``at`` gives at each of ``ss`` (non-decreasing): one sweep
        instead of a bisection per time (the same values, linear cost)."""
        xs, var, kappa = self.s, self.var, self.kappa
        n = len(xs)
        if any(xs[j + 1] < xs[j] for j in range(n - 1)):  # (not sorted: as ``at`` does)
            return [self.at(s)[1] for s in ss]
        out: list[float] = []
        i = -1  # the last index with xs[i] <= s (bisect_right - 1)
        for s in ss:
            while i + 1 < n and xs[i + 1] <= s:
                i += 1
            if i < 0:
                out.append(var[0])
            elif i + 1 >= n:
                out.append(var[-1] + kappa * (s - xs[-1]))
            else:
                s0, s1 = xs[i], xs[i + 1]
                if s1 <= s0:
                    out.append(var[i + 1])
                    continue
                lam = (s - s0) / (s1 - s0)
                out.append(
                    (1 - lam) * var[i] + lam * var[i + 1] + kappa * (s - s0) * (s1 - s) / (s1 - s0)
                )
        return out


def _loglik(obs: list[tuple[float, float, float]], kappa: float) -> float:
    """The Kalman filter's log-likelihood of the observations alone (what the grid search
    compares): the same arithmetic as ``_run``'s forward pass, nothing stored."""
    m, p, s_prev, ll = 0.0, START_SD**2, 0.0, 0.0
    for s, y, r in obs:
        p += kappa * max(0.0, s - s_prev)
        s_prev = s
        e = y - m
        big = p + r
        k = p / big if big > 0 else 0.0
        m += k * e
        p = (1 - k) * p
        ll -= 0.5 * (log(2 * pi * big) + e * e / big) if big > 0 else 0.0
    return ll


def _run(
    obs: list[tuple[float, float, float]], kappa: float
) -> tuple[float, list[float], list[float]]:
    """Kalman filter + RTS smoother over (s, y, observation variance), sorted by s.
    Returns (log-likelihood, smoothed means, smoothed variances)."""
    n = len(obs)
    mf = [0.0] * n
    pf = [0.0] * n
    pp = [0.0] * n  # predicted variance before each observation
    m, p, s_prev, ll = 0.0, START_SD**2, 0.0, 0.0
    for i, (s, y, r) in enumerate(obs):
        p += kappa * max(0.0, s - s_prev)
        s_prev = s
        pp[i] = p
        e = y - m
        big = p + r
        k = p / big if big > 0 else 0.0
        m += k * e
        p = (1 - k) * p
        ll -= 0.5 * (log(2 * pi * big) + e * e / big) if big > 0 else 0.0
        mf[i], pf[i] = m, p
    ms, ps = mf[:], pf[:]
    for i in range(n - 2, -1, -1):
        if pp[i + 1] <= 0:
            continue
        g = pf[i] / pp[i + 1]
        ms[i] = mf[i] + g * (ms[i + 1] - mf[i])
        ps[i] = pf[i] + g * g * (ps[i + 1] - pp[i + 1])
    return ll, ms, ps


def smooth(
    anchors: list[tuple[float, float, float]],
    end: float | None,
    fixed: tuple[float, float] | None = None,
) -> Smoothed:
    """``anchors``: (clock time, drift observed, the anchor's least error sd) triples (a
    chapter title's placement is never better than a few seconds, whatever its fellows
    say); ``end``: the clock time of the episode's end when the duration is known (the
    drift is ~0 there), else None. ``fixed``: (kappa, sd) already chosen (no search)."""
    pts = sorted(anchors)
    kappas: tuple[float, ...]
    sds: tuple[float, ...]
    if fixed is not None:
        kappas, sds = (fixed[0],), (fixed[1],)
    elif len(pts) < 2:  # too few to measure anything: the prior's middle values
        kappas, sds = (KAPPA_PRIOR,), (SD_PRIOR,)
    else:
        kappas, sds = KAPPAS, SDS
    best = None
    for sd in sds:
        obs = [(s, y, max(sd, floor) ** 2) for s, y, floor in pts]
        if end is not None:
            obs.append((end, 0.0, END_SD**2))
        for kappa in kappas:
            # the search needs only the likelihood: the smoother runs once, for the
            # winner (42 filter passes that store nothing and one full pass, instead
            # of 42 full passes: at 10 h the stored lists no longer fit the caches)
            ll = _loglik(obs, kappa)
            # weak priors (log-normal) keep a handful of anchors from choosing extremes
            ll -= 0.5 * (
                (log(kappa / KAPPA_PRIOR) / KAPPA_PRIOR_SPREAD) ** 2
                + (log(sd / SD_PRIOR) / SD_PRIOR_SPREAD) ** 2
            )
            if best is None or ll > best[0]:
                best = (ll, kappa, sd, obs)
    assert best is not None
    _, kappa, sd, obs = best
    _, ms, ps = _run(obs, kappa)
    # the start: the clock's own origin, known to START_SD
    return Smoothed(
        [0.0] + [o[0] for o in obs],
        [0.0] + ms,
        [START_SD**2] + [max(0.0, v) for v in ps],
        kappa,
        sd,
        end is not None,
    )
