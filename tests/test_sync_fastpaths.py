"""The engine's linear-cost paths give exactly what the plain computations give."""

from __future__ import annotations

import random

from whoosh.scoring import bm25

from reader.sync.scoring import K1, B, build_windows, score_claim, tokens
from reader.sync.smooth import KAPPA_PRIOR, KAPPAS, SD_PRIOR, SDS, _run, smooth
from reader.sync.timing import TimeMap

WORDS = "rocket orbit fuel engine launch pad crew capsule moon lander heat shield".split()


def _transcript(n: int, seed: int = 1) -> tuple[list[str], list[int]]:
    rnd = random.Random(seed)
    filler = [f"word{k}x" for k in range(400)]  # rare words, and now and then a claim's
    lines = [
        " ".join(
            rnd.choice(WORDS) if rnd.random() < 0.05 else rnd.choice(filler)
            for _ in range(rnd.randint(3, 15))
        )
        for _ in range(n)
    ]
    cum = [0]
    for line in lines:
        cum.append(cum[-1] + len(line.split()))
    return lines, cum


def test_claim_scores_are_whoosh_bm25_to_the_bit_in_any_band():
    lines, cum = _transcript(300)
    win = build_windows(lines, cum)
    claim = "the crew capsule heat shield on the moon lander"
    full = score_claim(claim, win)
    band = score_claim(claim, win, 40, 90)
    denom = sum(win.idf[t] for t in full.terms)
    assert len(full.terms) >= 5 and denom > 0
    for w in range(win.count):
        counts: dict[str, int] = {}
        for u in range(win.starts[w], win.ends[w] + 1):
            for t in tokens(lines[u]):
                counts[t] = counts.get(t, 0) + 1
        acc = 0.0
        for t, idf in full.terms.items():
            if t in counts:
                acc += bm25(idf, counts[t], win.lengths[w], win.avg_len, B, K1)
        assert full.get(w) == acc * (1.0 / denom)
        assert band.get(w) == (full.get(w) if 40 <= w <= 90 else 0.0)
    assert full.best == max(full.get(w) for w in range(win.count))
    assert [w for w, _ in band.items()] == [w for w in range(40, 91) if full.get(w)]
    strong = [w for w in range(40, 91) if full.get(w) >= 0.3]
    assert band.at_least(0.3) == (strong, [full.get(w) for w in strong]) and strong


def test_times_at_a_sweep_equals_time_at_each_position():
    tmap = TimeMap([(0.0, 0.0), (120.0, 50.0), (130.5, 61.0), (900.0, 400.0)], 2.5)
    positions = [0, 1, 50, 119.9, 120, 125, 130.5, 131, 600, 899.99, 900, 1000, 2000]
    assert tmap.times_at(positions) == [tmap.time_at(p) for p in positions]


def test_smoother_search_and_sweep_match_the_full_passes():
    rnd = random.Random(3)
    anchors = [
        (s, rnd.gauss(0.0, 20.0), 0.0) for s in sorted(rnd.uniform(0, 3000) for _ in range(40))
    ]
    sm = smooth(anchors, 3100.0)
    # the reference: every grid point smoothed in full, the most likely kept
    from math import log

    best = None
    for sd in SDS:
        obs = [(s, y, max(sd, f) ** 2) for s, y, f in sorted(anchors)] + [(3100.0, 0.0, 15.0**2)]
        for kappa in KAPPAS:
            ll, ms, _ = _run(obs, kappa)
            ll -= 0.5 * ((log(kappa / KAPPA_PRIOR) / 1.5) ** 2 + (log(sd / SD_PRIOR) / 1.0) ** 2)
            if best is None or ll > best[0]:
                best = (ll, kappa, sd, ms)
    assert best is not None
    assert (sm.kappa, sm.sd, sm.mean[1:]) == (best[1], best[2], best[3])
    times = sorted(rnd.uniform(-10, 3500) for _ in range(200))
    assert sm.var_sorted(times) == [sm.at(t)[1] for t in times]
