"""The sync engine: claims -> transcript ranges, transcript units -> times.

Before anything, stamps are read as the summary means them (stamps.py: ``MM:SS:00``).

Passes (untimed transcripts):
  1. score every claim against the windows near its prior (BM25, scoring.py); without a
     duration, the speaking rate is measured first (rate.py), so the band around each
     prior stays narrow (cost linear in length);
  2. anchors (anchoring.py): for each claim the best windows near its timestamp's
     position under the current time map (candidates.py); a monotone path keeps the
     chronologically consistent ones; a robust fit drops anchors whose stamp disagrees
     with their neighbours, or whose local speaking rate is absurd. Repeated with a
     narrowing prior, starting from a single global rate; with enough claims, the next
     pass looks near the smoothed map (smooth.py);
  3. with a duration, a chapter list's anchors must earn their place: if the uniform
     clock predicts their stamps as well, the clock it is, and each title is placed at
     its topic onset near it (titles.py); ``0:00`` is the first line;
  4. every claim is placed by text + a prior around its timestamp's mapped position
     (placement.py): ``ok``, ``time_mismatch`` or ``unsupported``;
  5. unit times: the clock plus the drift the final confident, monotone placements
     observe, Kalman-smoothed, which also gives each unit's uncertainty (uncertainty.py).
Timed transcripts keep their times; claims are placed by text + a prior on real time,
and start at the line spoken at their stamp unless the text contradicts it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from math import isfinite

from reader.model import Alignment, ClaimAlignment, Summary, Transcript

from .anchoring import Anchoring
from .candidates import ANCHOR_MIN, Item
from .geometry import Geometry
from .path import monotone_path
from .placement import Placed, place_claims
from .rate import Rate, measure_rate, scoring_band
from .scoring import score_claim
from .smooth import Smoothed
from .stamps import read_stamps
from .timing import WORDS_PER_SECOND, TimeMap
from .uncertainty import KAPPA_MIN_ANCHORS, error_model, sd_smoothed, sd_smoothed_sorted

ENGINE_VERSION = "8"

MAX_DURATION_S = 7 * 24 * 3600.0  # a week: longer is not an episode
STAMP_NOTE_MIN = 5  # a summary with fewer claims says little about its stamps
STAMP_NOTE_SHARE = 0.25  # ...this share landing elsewhere or nowhere is worth saying
ROUGH_S = 60.0  # estimated times that may be off by more than this are "rough"


class _Engine:
    def __init__(
        self, transcript: Transcript, summaries: list[Summary], duration_s: float | None
    ) -> None:
        self.geo = geo = Geometry(transcript)
        self.units = geo.units
        self.given_duration = duration_s if duration_s and duration_s > 0 else None
        if self.given_duration is None and transcript.timed:
            self.given_duration = transcript.last_time
        claims = [c for s in summaries for c in s.claims]
        last = max((c.seconds for c in claims), default=0.0)
        self.rate = Rate()
        if geo.real is None and not self.given_duration:
            self.rate = measure_rate(geo, claims, last)
        self.items = [
            Item(
                si,
                c,
                score_claim(
                    c.text,
                    geo.win,
                    *scoring_band(geo, self.given_duration, self.rate, c.seconds, last),
                ),
            )
            for si, s in enumerate(summaries)
            for c in s.claims
        ]
        self.order = sorted(
            range(len(self.items)),
            key=lambda i: (
                self.items[i].claim.seconds,
                self.items[i].summary,
                self.items[i].claim.index,
            ),
        )
        self.last_claim = max((it.claim.seconds for it in self.items), default=0.0)
        self.anchoring = Anchoring(geo, self.given_duration, self.rate)

    def _anchored_map(self) -> TimeMap:
        """Untimed: the anchoring passes, from one global rate to the anchored map."""
        geo, anc = self.geo, self.anchoring
        d0 = self.given_duration or max(
            geo.total / (self.rate.guess or WORDS_PER_SECOND), self.last_claim + 60.0
        )
        rate0 = geo.total / d0
        tmap = TimeMap([(0.0, 0.0), (float(geo.total), d0)], rate0)
        for sigma in (min(600.0, max(120.0, 0.1 * d0)), 120.0, 60.0):
            anchors = anc.anchors(self.items, self.order, geo.win_times(tmap), sigma)
            tmap = anc.fit(anchors, rate0)
            if anc.claim_points() >= KAPPA_MIN_ANCHORS:
                # enough claims to measure the drift: the next pass looks near the
                # smoothed map (a chapter list alone is left to the plain fit)
                tmap, _ = anc.smoothed(tmap, search=anc.hyper is None)
        if self.given_duration:  # the clock is a model only when both ends are known
            tmap = anc.earned(tmap, rate0)
        return tmap

    def _final_map(self, placed: list[Placed], tmap: TimeMap) -> tuple[TimeMap, Smoothed]:
        """Untimed: the map through the confident ok placements on a monotone path."""
        geo, anc = self.geo, self.anchoring
        cands: list[list[tuple[int, float]]] = []
        for i in self.order:
            a, b, s, status, w = placed[i]
            ok = status == "ok" and (s >= ANCHOR_MIN or self.items[i].is_title)
            cands.append([(a, s)] if ok else [])
        chosen = monotone_path(cands, max(1, len(self.units)))
        anchors = []
        anc.title_points = set()
        for k, i in enumerate(self.order):
            if chosen[k] is None:
                continue
            t, p = self.items[i].claim.seconds, float(geo.cum[placed[i][0]])
            anchors.append((t, p, placed[i][2]))
            if self.items[i].is_title:
                anc.title_points.add((t, p))
        tmap = anc.fit(anchors, tmap.rate)
        tmap, sm = anc.smoothed(tmap)
        if anc.used_clock and anc.held_out:
            # the titles placed near the clock bend it only if the bent map fits the
            # titles' own matches (held out when the clock won) better than the clock
            assert self.given_duration is not None
            rate_c = geo.total / float(self.given_duration)
            e_map = [abs(tmap.time_at(p) - t) for t, p in anc.held_out]
            e_clk = [abs(p / rate_c - t) for t, p in anc.held_out]
            if sum(e_map) > sum(e_clk):  # mean absolute error, the held-out points being few
                anc.fit_points = []
                clock = TimeMap(
                    [(0.0, 0.0), (float(geo.total), float(self.given_duration))], rate_c
                )
                tmap, sm = anc.smoothed(clock)
        return tmap, sm

    def run(self, n_summaries: int) -> Alignment:
        geo, anc = self.geo, self.anchoring
        tmap: TimeMap | None = None
        if geo.real is None:
            tmap = self._anchored_map()
        if self.given_duration:
            end_time = self.given_duration
        elif geo.real is not None:
            end_time = geo.real[-1]
        else:
            assert tmap is not None
            end_time = tmap.time_at(geo.total)
        model = (
            error_model(tmap, anc.fit_points, geo.total, self.given_duration)
            if tmap is not None
            else None
        )
        placements = place_claims(
            geo, self.items, self.order, tmap, model, anc.used_clock, end_time
        )
        placed = placements.placed

        sm: Smoothed | None = None
        if geo.real is not None:
            unit_seconds = list(geo.real)
            duration = self.given_duration or (unit_seconds[-1] if unit_seconds else 0.0)
        else:
            assert tmap is not None
            tmap, sm = self._final_map(placed, tmap)
            unit_seconds = tmap.times_at(geo.cum[: len(self.units)])
            run = 0.0
            for i, v in enumerate(unit_seconds):
                run = max(run, v)
                unit_seconds[i] = run
            duration = self.given_duration or max(tmap.time_at(geo.total), self.last_claim)

        if geo.real is None and placements.by_prior:
            for i in placements.by_prior:
                a, b, sc, status, w = placed[i]
                u = bisect_right(unit_seconds, self.items[i].claim.seconds) - 1
                u = max(0, min(u, len(self.units) - 1))
                placed[i] = (u, u, sc, status, w)

        # how far each unit's time may be off (the map's own error model)
        if sm is None:
            unc = [0.0] * len(self.units)
            dur_sd = 0.0
        else:
            claims = anc.claim_points()
            unc = [round(v, 1) for v in sd_smoothed_sorted(sm, unit_seconds, claims)]
            dur_sd = (
                0.0 if self.given_duration else round(sd_smoothed(sm, float(duration), claims), 1)
            )
        out: list[list[ClaimAlignment]] = [[] for _ in range(n_summaries)]
        for it, (a, b, s, status, _) in zip(self.items, placed, strict=True):
            out[it.summary].append(
                ClaimAlignment(
                    it.claim, a, b, unit_seconds[a], round(s, 4), status, unc[a] if unc else 0.0
                )
            )
        if self.given_duration and not (
            geo.real is not None and self.given_duration == geo.real[-1]
        ):
            source = (
                "given" if not geo.timed or self.given_duration != self.units[-1].end else "timed"
            )
        elif geo.real is not None:
            source = "timed"
        else:
            source = "estimated"
        rough = geo.real is None and max(unc, default=0.0) > ROUGH_S
        return Alignment(
            unit_seconds,
            geo.real is None,
            float(duration),
            out,
            unc,
            source,
            dur_sd,
            rough,
        )


def _stamp_notes(summaries: list[Summary], al: Alignment) -> list[str]:
    """Summaries whose stamps disagree with their own text: many claims land elsewhere."""
    notes = []
    for s, cas in zip(summaries, al.summaries, strict=False):
        if len(cas) < STAMP_NOTE_MIN:
            continue
        off = sum(1 for ca in cas if ca.status == "time_mismatch")
        lost = sum(1 for ca in cas if ca.status == "unsupported")
        if off + lost >= STAMP_NOTE_SHARE * len(cas):
            notes.append(
                f"{s.path.name}: stamps disagree with the text: {off} of {len(cas)} claims match "
                f"the transcript elsewhere, {lost} match nowhere near their stamp"
            )
    return notes


def align(
    transcript: Transcript, summaries: list[Summary], duration_s: float | None = None
) -> Alignment:
    """Align summary claims to transcript units and estimate every unit's time. Pure."""
    if duration_s is not None and not (isfinite(duration_s) and 0 < duration_s <= MAX_DURATION_S):
        duration_s = None  # callers validate; a nonsense duration is no duration
    total_words = sum(len(line.text.split()) for line in transcript.units)
    given = duration_s or (transcript.last_time if transcript.timed else None)
    read = [read_stamps(s, total_words, given) for s in summaries]
    as_read = [r[0] for r in read]
    if not transcript.units:
        duration = duration_s or max((c.seconds for s in as_read for c in s.claims), default=0.0)
        al = Alignment(
            [],
            not transcript.timed,
            float(duration),
            [
                [ClaimAlignment(c, 0, 0, c.seconds, 0.0, "unsupported") for c in s.claims]
                for s in as_read
            ],
            duration_source="given" if duration_s else "estimated",
        )
    else:
        al = _Engine(transcript, as_read, duration_s).run(len(summaries))
    # claims as written, with the reading the engine used
    al.summaries = [
        [
            replace(
                ca,
                claim=orig,
                read_seconds=ca.claim.seconds if ca.claim.seconds != orig.seconds else None,
            )
            for ca, orig in zip(cas, s.claims, strict=False)
        ]
        for cas, s in zip(al.summaries, summaries, strict=False)
    ]
    al.stamp_notation = [r[1].notation for r in read]
    al.notes = [r[1].note for r in read if r[1].note] + _stamp_notes(summaries, al)
    return al
