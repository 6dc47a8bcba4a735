"""The speaking rate without a duration, and the band of windows each claim is scored in.

Without a duration (nor real times) the length, hence the rate, is unknown: the typical
rate (WORDS_PER_SECOND) can be 40% off. A probe of a few long claims scored against the
whole transcript measures it first (``probe_rate``); a chapter list too short for the probe
takes the rate its titles' matches agree on (``title_rate``). Then every claim is scored
only against the windows near its prior (``scoring_band``): the cost stays linear in the
transcript's length.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from reader.model import Claim

from .candidates import ANCHOR_MIN, LONG_TERMS
from .geometry import Geometry
from .path import monotone_path
from .scoring import WINDOW_WORDS, score_claim, tokens
from .timing import WORDS_PER_SECOND

RATE_BAND = (0.4, 2.5)  # local speaking rate allowed between anchors, x global rate
BAND_S = 1800.0  # a claim is scored only against windows within this of its prior...
BAND_FRAC = (0.1, 0.25)  # ...plus this share of t for the rate's error (probe-measured, guessed)
BAND_NARROW = 900.0  # ...or this, when the rate is known (a duration, or measured by a probe)
PROBE_CLAIMS = 24  # claims scored against the whole transcript to measure the rate
PROBE_MIN = 6  # ...at least this many, and as many on the path
PROBE_CANDIDATES = 12  # best matches of each offered to the path (a phrase may recur)
PROBE_MIN_S = 120.0  # ...stamped at least this far in
TITLE_AGREE = 2  # a chapter list's rate needs this many titles agreeing on it


@dataclass(slots=True)
class Rate:
    """The speaking rate measured before scoring (words/s), or None (a guess is used)."""

    guess: float | None = None
    drift: list[tuple[float, float]] = field(
        default_factory=list
    )  # (stamp, |clock - match| s) of the probe
    titles_agreeing: int = 0  # titles agreeing on the rate (``title_rate``), 0 when not used


def measure_rate(geo: Geometry, claims: list[Claim], last: float) -> Rate:
    """The probe's rate, else the titles' agreed rate, else none."""
    probed = probe_rate(geo, claims, last)
    if probed is not None:
        return probed
    return title_rate(geo, claims, last) or Rate()


def top_windows(geo: Geometry, text: str) -> list[tuple[int, float]]:
    """The PROBE_CANDIDATES best-scoring windows for ``text`` anywhere in the
    transcript, at least 3 windows apart: (window, score), best first."""
    sc = score_claim(text, geo.win)
    best = sorted(((v, w) for w, v in sc.items() if v >= ANCHOR_MIN), reverse=True)
    out: list[tuple[int, float]] = []
    for v, w in best:
        if all(abs(w - o) > 2 for o, _ in out):
            out.append((w, v))
        if len(out) >= PROBE_CANDIDATES:
            break
    return out


def probe_rate(geo: Geometry, claims: list[Claim], last: float) -> Rate | None:
    """Without a duration, the speaking rate a few claims measure before the others
    are scored: PROBE_CLAIMS long claims spread over the stamps are scored against
    the whole transcript, a monotone path keeps the chronologically consistent best
    matches, and their median words-per-second is the rate. The typical rate
    (WORDS_PER_SECOND) can be 40% off; this lets every other claim be scored in a
    narrow band around its place, so the cost stays linear in the transcript."""
    cands = sorted(
        (c for c in claims if c.seconds >= PROBE_MIN_S and len(set(tokens(c.text))) >= LONG_TERMS),
        key=lambda c: c.seconds,
    )
    if len(cands) < PROBE_MIN:
        return None
    step = max(1, len(cands) // PROBE_CLAIMS)
    probe = cands[::step][:PROBE_CLAIMS]
    tops = [top_windows(geo, c.text) for c in probe]
    chosen = monotone_path(tops, geo.win.count)
    found = [
        (c, geo.cum[geo.win.starts[tops[k][ch][0]]])
        for k, (c, ch) in enumerate(zip(probe, chosen, strict=True))
        if ch is not None
    ]
    rates = sorted(p / c.seconds for c, p in found)
    if len(rates) < PROBE_MIN:
        return None
    rate = rates[len(rates) // 2]
    typical = WORDS_PER_SECOND
    if not (RATE_BAND[0] * typical <= rate <= RATE_BAND[1] * typical):
        return None
    rate = min(rate, geo.total / max(1.0, last))  # the last stamp is a lower bound on the length
    # how far the clock at this rate is from the probe's own matches (seconds), to
    # widen each claim's band by the drift the probe saw near it (not by a share of t)
    drift = sorted((c.seconds, abs(c.seconds - p / rate)) for c, p in found)
    return Rate(rate, drift)


def title_rate(geo: Geometry, claims: list[Claim], last: float) -> Rate | None:
    """Without a duration and without enough long claims for the probe (a chapter
    list): the speaking rate the titles' own matches agree on. Each title's best
    matches anywhere in the transcript (position p, stamp t) propose a rate p / t; a
    rate counts only when at least TITLE_AGREE titles have a match within one window
    (WINDOW_WORDS, the text's resolution) of where it puts them, so one title's
    chance match never sets it (leave-one-out in spirit: every title is judged by
    the others). Most titles agreeing, then the most score; the rate is then the
    least-squares fit through the agreeing matches. None when no two agree."""
    cands = sorted((c for c in claims if c.seconds >= PROBE_MIN_S), key=lambda c: c.seconds)
    if len(cands) < TITLE_AGREE:
        return None
    step = max(1, len(cands) // PROBE_CLAIMS)
    cands = cands[::step][:PROBE_CLAIMS]
    typical = WORDS_PER_SECOND
    lo = RATE_BAND[0] * typical
    # the last stamp bounds the length
    hi = min(RATE_BAND[1] * typical, geo.total / max(1.0, last))
    matches = []
    for c in cands:
        out = top_windows(geo, c.text)
        matches.append((c.seconds, [(geo.window_pos(w), v) for w, v in out]))
    tol = float(WINDOW_WORDS)
    best_key: tuple[int, float] | None = None
    best_fit: list[tuple[float, float, float]] = []
    for t, ms in matches:
        for p, _ in ms:
            r = p / t
            if not (lo <= r <= hi):
                continue
            fit: list[tuple[float, float, float]] = []
            for t2, ms2 in matches:
                near = [(v2, p2) for p2, v2 in ms2 if abs(p2 - r * t2) <= tol]
                if near:
                    v2, p2 = max(near)
                    fit.append((t2, p2, v2))
            key = (len(fit), sum(v for _, _, v in fit))
            if best_key is None or key > best_key:
                best_key, best_fit = key, fit
    if best_key is None or best_key[0] < TITLE_AGREE:
        return None
    r = sum(v * p * t for t, p, v in best_fit) / sum(v * t * t for t, _, v in best_fit)
    return Rate(min(max(r, lo), hi), titles_agreeing=best_key[0])


def scoring_band(
    geo: Geometry, given_duration: float | None, rate: Rate, t: float, last_claim: float
) -> tuple[int, int]:
    """Windows a claim stamped ``t`` is scored against: those within BAND_S (plus a
    share of t, for speaking-rate drift) of its prior under one global rate (or the
    real times). Far outside, the time prior rules any match out anyway, so this
    changes no result and makes the cost linear in transcript length x claims/hour."""
    # with a duration the rate is exact and the clock's error is the local drift
    # (LeCun's 2 h 47: p90 139 s), well inside the band: no share of t is added, so
    # the band, hence the cost per claim, is the same at every time (same answers on
    # the seed, LeCun, the dev set and the 10 h synthetic). A rate measured by a
    # probe can be a few % off (1-5% on those), an error growing with t: a capped share
    band = BAND_NARROW if given_duration or rate.guess else BAND_S
    if given_duration:
        half = band
    elif rate.guess and rate.drift:
        # the drift the probe's matches show around t (interpolated; beyond the last
        # probe claim, a capped share of the distance too): the band follows the
        # evidence, so it stays the same width where the clock agrees with the probe
        pd = rate.drift
        i = bisect_right(pd, (t, float("inf")))
        if i == 0:
            seen = pd[0][1] * t / max(1.0, pd[0][0])
        elif i == len(pd):
            seen = pd[-1][1] + BAND_FRAC[0] * (t - pd[-1][0])
        else:
            (t0, d0), (t1, d1) = pd[i - 1], pd[i]
            seen = max(d0, d1) if t1 <= t0 else d0 + (d1 - d0) * (t - t0) / (t1 - t0)
        half = band + min(band, seen)
    else:
        frac = BAND_FRAC[0] if rate.guess else BAND_FRAC[1]
        half = band + min(band, frac * max(0.0, t))
    if geo.real is not None:
        a = bisect_right(geo.real, t - half) - 1
        b = bisect_right(geo.real, t + half)
    else:
        if rate.guess:
            r = rate.guess
        else:
            d0 = given_duration or max(geo.total / WORDS_PER_SECOND, last_claim + 60.0)
            r = geo.total / d0
        a = geo.unit_at_pos(max(0.0, (t - half) * r))
        b = geo.unit_at_pos((t + half) * r)
    return geo.window_at_unit(max(0, a)), geo.window_at_unit(min(len(geo.units) - 1, b)) + 1
