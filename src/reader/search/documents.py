"""The documents of one episode: transcript passages, summary claims and a marker.

One document per transcript passage (a few consecutive units, ~40-80 words), one per
summary claim, and one hidden marker (kind ``_episode``) that records the episode's
content hash and its problems; see schema.py. Episodes are parsed by ``reader.parse`` and
timed by ``reader.sync``; when either raises, the caller reports the episode (one line
naming the file) and skips it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..model import Summary, Transcript
from ..parse.patterns import SENTENCE_END
from .hit_times import Times, times_of
from .schema import MARKER_KIND, vocabulary

if TYPE_CHECKING:
    from ..library import Episode

PASSAGE_MIN_WORDS = 40
PASSAGE_MAX_WORDS = 80
PASSAGE_GAP_S = 30.0  # a silence this long (timed transcripts) always ends a passage


# --- reading episodes -------------------------------------------------------------------


def align_episode(
    ep: Episode, transcript: Transcript, summaries: list[Summary], align: bool = True
) -> tuple[list[float], Any]:
    """(unit start seconds, Alignment) from the sync engine (cached on disk). Without
    ``align``, only an alignment already in the cache is used; else ([], None): the
    passages then carry no times of the engine's (hit_times.py gives them later).

    Raises whatever the engine raises; the caller reports the episode and skips it."""
    from ..sync import align_cached

    if not align:
        from .. import paths
        from ..sync.cache import cache_key

        key = cache_key(transcript, summaries, ep.known_duration_s)
        if not (paths.cache_dir() / "align" / f"{key}.json").is_file():
            return [], None
    alignment = align_cached(transcript, summaries, ep.known_duration_s)
    secs = [float(x) for x in alignment.unit_seconds]
    if len(secs) != len(transcript.units):
        raise ValueError(f"alignment has {len(secs)} unit times for {len(transcript.units)} units")
    return secs, alignment


_SENTENCE_END = SENTENCE_END  # a unit ending a sentence ends a long enough passage


def passages(transcript: Transcript, unit_seconds: list[float]) -> Iterator[tuple[int, int, str]]:
    """(first unit, last unit, text): consecutive units of about 40-80 words.

    A passage ends at a sentence end once it has 40 words, always before it would pass 80
    words, before a silence of 30 s or more, and before a unit naming another speaker than
    the passage's (so each passage has at most one named speaker). A single longer unit is
    its own passage.
    """
    lines = transcript.units
    start, words = 0, 0
    texts: list[str] = []
    speaker: str | None = None  # the passage's named speaker, once one is named
    for i, unit in enumerate(lines):
        text = unit.text.strip()
        n = len(text.split())
        if texts:
            gap = (
                transcript.timed
                and i < len(unit_seconds)
                and unit_seconds[i] - unit_seconds[i - 1] >= PASSAGE_GAP_S
            )
            turn = bool(unit.speaker) and speaker is not None and unit.speaker != speaker
            if gap or turn or words + n > PASSAGE_MAX_WORDS:
                yield start, i - 1, " ".join(texts)
                start, words, texts = i, 0, []
        if not texts:
            start = i
            speaker = None
        if unit.speaker and speaker is None:
            speaker = unit.speaker
        if text:
            texts.append(text)
            words += n
        if words >= PASSAGE_MIN_WORDS and _SENTENCE_END.search(text):
            yield start, i, " ".join(texts)
            start, words, texts = i + 1, 0, []
    if texts:
        yield start, len(lines) - 1, " ".join(texts)


def own_times(transcript: Transcript) -> list[float] | None:
    """A timed transcript's unit start seconds when every unit has one that never
    decreases (what the sync engine keeps for such a transcript), else None."""
    if not transcript.timed or not transcript.units:
        return None
    out: list[float] = []
    for u in transcript.units:
        if u.start is None or (out and u.start < out[-1]):
            return None
        out.append(float(u.start))
    return out


def episode_documents(
    ep: Episode, content_hash: str, align: bool = True
) -> tuple[list[dict[str, Any]], list[str], list[str], Times | None]:
    """All documents of one episode (marker last), its problems, its notes, and the
    times the hits need (when it was aligned; hit_times.py).

    Problems are one line each, naming the file, for what cannot be searched (an
    unreadable summary); notes are the parsers' harmless remarks (repaired input). Raises
    whatever the parsers or the sync engine raise for the transcript. Without ``align``
    (a bulk build) the sync engine is not run (an alignment in its cache is used): the
    passages of a transcript without times of its own are indexed without a time.
    """
    cached = ep.transcript_parsed, ep.summaries_parsed
    try:
        transcript = ep.transcript
        summaries = ep.summaries
        unit_seconds, alignment = align_episode(ep, transcript, summaries, align)
    finally:
        # Don't keep a whole library of parsed transcripts alive on the Episode objects.
        ep.forget_parsed(transcript=not cached[0], summaries=not cached[1])
    problems = list(dict.fromkeys(ep.problems))
    notes = [f"{transcript.path}: {w}" for w in transcript.warnings]
    notes += [f"{s.path}: {w}" for s in summaries for w in s.warnings]
    docs: list[dict[str, Any]] = []
    lines = transcript.units
    tpath = str(transcript.path)
    known: list[float] | None = unit_seconds if alignment is not None else own_times(transcript)
    for u0, u1, text in passages(transcript, known or []):
        first, last = lines[u0], lines[u1]
        line_end = max(last.source_line_end or last.source_line, first.source_line)
        who = next((u.speaker for u in lines[u0 : u1 + 1] if u.speaker), None)
        doc: dict[str, Any] = {
            "episode": ep.id,
            "kind": "transcript",
            "title": ep.title,
            "path": tpath,
            # None: not aligned yet (hit_times.py); a transcript's own times are the engine's
            "time": (float(known[u0]) if known else 0.0) if known or alignment else None,
            "loc": (first.source_line, line_end, u0, u1, None, None),
            "estimated": not transcript.timed,  # the time is the sync engine's estimate
            "text": text,
        }
        if who:
            doc["speaker"] = " ".join(who.split())
        docs.append(doc)
    claim_units = alignment.summaries if alignment is not None else []
    seen: set[tuple[str, str, float]] = set()
    for si, summary in enumerate(summaries):
        by_index = {c.claim.index: c for c in claim_units[si]} if si < len(claim_units) else {}
        for claim in summary.claims:
            # A summary pasted twice into its file: index the first copy only.
            key = (claim.section, claim.text, float(claim.seconds))
            if key in seen:
                continue
            seen.add(key)
            c0: int | None = None
            c1: int | None = None
            ca = by_index.get(claim.index)
            if ca is not None:
                c0, c1 = ca.unit_start, ca.unit_end
            if c0 is None and unit_seconds:
                c0 = c1 = max(0, bisect_right(unit_seconds, claim.seconds) - 1)
            docs.append(
                {
                    "episode": ep.id,
                    "kind": "summary",
                    "title": ep.title,
                    "path": str(summary.path),
                    "section": claim.section,
                    "time": float(claim.seconds),
                    "loc": (claim.source_line, claim.source_line, c0, c1, si, claim.index),
                    "text": claim.text,
                }
            )
    vocab = vocabulary(d["text"] + " " + d.get("section", "") for d in docs)
    docs.append(marker_document(ep, content_hash, problems, vocab))
    return docs, problems, notes, times_of(alignment) if alignment is not None else None


def problem_line(ep: Episode, exc: BaseException) -> str:
    """One line naming the file: InputError already says which file and what is wrong."""
    if isinstance(exc, InputError):
        text = str(exc)
    else:
        what = (
            "cannot be aligned"
            if type(exc).__module__.startswith("reader.sync")
            else "cannot be indexed"
        )
        text = f"{ep.transcript_path}: {what} ({type(exc).__name__}: {exc}); episode not searchable"
    return " ".join(text.split())


def marker_document(
    ep: Episode, content_hash: str, problems: list[str], words: str = ""
) -> dict[str, Any]:
    doc = {
        "episode": ep.id,
        "kind": MARKER_KIND,  # no title/text: only episode:/kind: queries can match it
        "hash": content_hash,
        "path": "\n".join(problems),
    }
    if words:
        doc["words"] = words  # the episode's vocabulary (schema.py)
    return doc
