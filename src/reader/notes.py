"""Highlights and notes: kept per episode in the user's data directory, never in the
library (``data_dir()/highlights/EPISODE.json``).

A highlight is anchored by its *text* and its *time*, not by a unit index or an offset,
so it survives a re-alignment (times move, text does not) and a changed transcript
(text moves a little): :func:`locate` finds the words again, exactly where it can (the
occurrence nearest the saved time), else the best-matching words near that time, else
the time alone.

Writes are atomic (:func:`reader.atomic.write_atomic`): a crash or
a full disk leaves the old file whole. No Textual here.
"""

from __future__ import annotations

import json
import os
import re
import uuid
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .atomic import write_atomic
from .errors import ReaderError
from .paths import data_dir

if TYPE_CHECKING:
    from .model import Alignment
    from .readable import Readable

FOLDER = "highlights"
VERSION = 1
CONTEXT = 40  # characters of text kept on each side, to tell repeated words apart
NEAR_S = 300.0  # a changed transcript: look for the words this far around the saved time


@dataclass(frozen=True, slots=True)
class Highlight:
    text: str  # the words highlighted (one line)
    seconds: float  # the time of their first words (as last located)
    estimated: bool = False
    note: str = ""
    speaker: str | None = None
    before: str = ""  # a little of the text before and after, for repeated words
    after: str = ""
    created: str = ""  # ISO time
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Highlight | None:
        if not isinstance(data, dict):
            return None
        text = data.get("text")
        seconds = data.get("seconds")
        if not isinstance(text, str) or not text.strip() or not isinstance(seconds, (int, float)):
            return None
        speaker = data.get("speaker")
        return cls(
            text=" ".join(text.split()),
            seconds=float(seconds),
            estimated=bool(data.get("estimated", False)),
            note=str(data.get("note") or ""),
            speaker=speaker if isinstance(speaker, str) and speaker else None,
            before=str(data.get("before") or ""),
            after=str(data.get("after") or ""),
            created=str(data.get("created") or ""),
            id=str(data.get("id") or uuid.uuid4().hex[:12]),
        )


def new_highlight(
    doc: Readable | None,
    start: int,
    end: int,
    text: str,
    seconds: float,
    *,
    estimated: bool = False,
    speaker: str | None = None,
    note: str = "",
) -> Highlight:
    """A highlight of ``doc.text[start:end]`` (shown as ``text``), with context."""
    before = after = ""
    if doc is not None:
        before = " ".join(doc.text[max(0, start - CONTEXT) : start].split())
        after = " ".join(doc.text[end : end + CONTEXT].split())
    return Highlight(
        text=" ".join(text.split()),
        seconds=float(seconds),
        estimated=estimated,
        note=note.strip(),
        speaker=speaker,
        before=before,
        after=after,
        created=datetime.now().isoformat(timespec="seconds"),
    )


# --- where a highlight is in a transcript ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Located:
    start: int  # offsets into Readable.text
    end: int
    how: str  # "exact" | "near" (similar words near its time) | "time" (the words are gone)


_WORD = re.compile(r"\w+")


class _Words:
    """The words of a Readable, lower-cased, with their offsets."""

    def __init__(self, text: str) -> None:
        self.words: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in _WORD.finditer(text):
            self.words.append(m.group().lower())
            self.starts.append(m.start())
            self.ends.append(m.end())
        # one string, one space between words: a word sequence is a substring
        self.joined = " ".join(self.words)
        self.word_at: list[int] = []  # char index of each word in ``joined``
        pos = 0
        for w in self.words:
            self.word_at.append(pos)
            pos += len(w) + 1


_WORDS: weakref.WeakKeyDictionary[Readable, _Words] = weakref.WeakKeyDictionary()


def _words_of(doc: Readable) -> _Words:
    words = _WORDS.get(doc)
    if words is None:
        words = _WORDS[doc] = _Words(doc.text)
    return words


def _norm(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _time_at(doc: Readable, alignment: Alignment | None, offset: int) -> float:
    if alignment is None or not alignment.unit_seconds:
        return 0.0
    secs = alignment.unit_seconds
    return float(secs[max(0, min(doc.unit_at_offset(offset), len(secs) - 1))])


def locate(highlight: Highlight, doc: Readable, alignment: Alignment | None) -> Located | None:
    """Where the highlight's words are in ``doc``: every exact occurrence is scored by its
    context and its distance from the saved time; failing that, the best-matching words
    within ``NEAR_S`` of the saved time; failing that, the sentence at the saved time.
    None only for an empty transcript."""
    if not doc.text.strip():
        return None
    index = _words_of(doc)
    target = _norm(highlight.text)
    if not target or not index.words:
        return _at_time(highlight, doc, alignment)
    needle = " ".join(target)
    hay = index.joined
    found: list[int] = []
    pos = hay.find(needle)
    while pos >= 0 and len(found) < 200:
        if (pos == 0 or hay[pos - 1] == " ") and (
            pos + len(needle) == len(hay) or hay[pos + len(needle)] == " "
        ):
            found.append(bisect_left(index.word_at, pos))
        pos = hay.find(needle, pos + 1)
    if found:
        before, after = _norm(highlight.before)[-6:], _norm(highlight.after)[:6]

        def score(w0: int) -> tuple[float, float]:
            w1 = w0 + len(target)
            ctx = 0
            if before and index.words[max(0, w0 - len(before)) : w0] == before:
                ctx += 1
            if after and index.words[w1 : w1 + len(after)] == after:
                ctx += 1
            t = _time_at(doc, alignment, index.starts[w0])
            return (-ctx, abs(t - highlight.seconds))

        w0 = min(found, key=score)
        return Located(index.starts[w0], _word_end(doc, index.ends[w0 + len(target) - 1]), "exact")
    near = _near(highlight, target, index, doc, alignment)
    return near or _at_time(highlight, doc, alignment)


def _near(
    highlight: Highlight,
    target: list[str],
    index: _Words,
    doc: Readable,
    alignment: Alignment | None,
) -> Located | None:
    """The best-matching words within NEAR_S of the saved time (a changed transcript)."""
    if alignment is not None and alignment.unit_seconds:
        u0 = alignment.unit_at(highlight.seconds - NEAR_S)
        u1 = alignment.unit_at(highlight.seconds + NEAR_S)
        a = doc.unit_offsets(u0)[0]
        b = doc.unit_offsets(min(u1 + 1, doc.unit_count - 1))[1]
    else:
        a, b = 0, len(doc.text)
    w_lo, w_hi = bisect_left(index.starts, a), bisect_right(index.starts, b)
    window = index.words[w_lo:w_hi]
    if not window:
        return None
    matcher = SequenceMatcher(None, target, window, autojunk=False)
    blocks = [blk for blk in matcher.get_matching_blocks() if blk.size]
    if not blocks:
        return None
    best = max(blocks, key=lambda blk: blk.size)
    # the matched words, grown to the highlight's length around the best block
    first = best.b - best.a
    last = first + len(target) - 1
    matched = sum(
        blk.size for blk in blocks if first <= blk.b and blk.b + blk.size - 1 <= last + 2
    )
    if matched < max(3, 0.5 * len(target)):
        return None
    first = max(0, first)
    last = min(len(window) - 1, max(first, last))
    return Located(index.starts[w_lo + first], _word_end(doc, index.ends[w_lo + last]), "near")


def _word_end(doc: Readable, end: int) -> int:
    """Past the punctuation that closes the last word ("code." not "code")."""
    text = doc.text
    while end < len(text) and not text[end].isspace() and not text[end].isalnum():
        end += 1
    return end


def _at_time(highlight: Highlight, doc: Readable, alignment: Alignment | None) -> Located:
    from .quote import snap

    unit = (
        alignment.unit_at(highlight.seconds)
        if alignment is not None and alignment.unit_seconds
        else 0
    )
    a, b = doc.unit_offsets(min(unit, max(0, doc.unit_count - 1)))
    s, e = snap(doc, a, max(a + 1, b))
    return Located(s, e, "time")


# --- the store ------------------------------------------------------------------------


def _safe_name(episode_id: str) -> str:
    name = re.sub(r"[^\w.-]+", "_", episode_id).strip("._") or "episode"
    return name[:120]


class HighlightStore:
    """One episode's highlights (``data_dir()/highlights/EPISODE.json``), oldest first.

    ``load`` never raises for a missing or corrupt file (a corrupt one is kept aside as
    ``EPISODE.json.bad`` and reported in ``problem``); ``save`` raises ReaderError with
    one line naming the file, and keeps the highlights in memory so nothing is lost."""

    def __init__(self, episode_id: str, folder: Path | None = None) -> None:
        self.episode_id = episode_id
        self.folder = Path(folder) if folder is not None else data_dir() / FOLDER
        self.path = self.folder / f"{_safe_name(episode_id)}.json"
        self.highlights: list[Highlight] = []
        self.problem: str | None = None
        self.unsaved = False

    @classmethod
    def load(cls, episode_id: str, folder: Path | None = None) -> HighlightStore:
        store = cls(episode_id, folder)
        try:
            raw = store.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return store
        except OSError as exc:
            store.problem = f"{store.path}: cannot read highlights: {exc.strerror or exc}"
            return store
        try:
            data = json.loads(raw)
            items = data.get("highlights") if isinstance(data, dict) else None
            if not isinstance(items, list):
                raise ValueError("no highlights list")
        except ValueError as exc:
            store.problem = (
                f"{store.path}: unreadable highlights file ({exc}); "
                f"kept aside as {store.path.name}.bad"
            )
            try:
                os.replace(store.path, store.path.with_name(store.path.name + ".bad"))
            except OSError:
                pass
            return store
        store.highlights = [
            h for h in (Highlight.from_json(item) for item in items) if h is not None
        ]
        return store

    def __len__(self) -> int:
        return len(self.highlights)

    def __iter__(self) -> Iterator[Highlight]:
        return iter(self.highlights)

    def get(self, highlight_id: str) -> Highlight | None:
        return next((h for h in self.highlights if h.id == highlight_id), None)

    def add(self, highlight: Highlight) -> Highlight:
        self.highlights.append(highlight)
        self.save()
        return highlight

    def update(self, highlight_id: str, **changes: Any) -> Highlight | None:
        for i, h in enumerate(self.highlights):
            if h.id == highlight_id:
                self.highlights[i] = replace(h, **changes)
                self.save()
                return self.highlights[i]
        return None

    def remove(self, highlight_id: str) -> bool:
        before = len(self.highlights)
        self.highlights = [h for h in self.highlights if h.id != highlight_id]
        if len(self.highlights) != before:
            self.save()
            return True
        return False

    def sorted(self) -> list[Highlight]:
        return sorted(self.highlights, key=lambda h: h.seconds)

    def search(self, words: str) -> list[Highlight]:
        """Highlights whose text or note has every word of ``words`` (case-insensitive)."""
        terms = [t for t in words.lower().split() if t]
        return [
            h for h in self.sorted()
            if all(t in f"{h.text} {h.note} {h.speaker or ''}".lower() for t in terms)
        ]

    def save(self) -> None:
        """Write the file atomically. On failure the highlights stay in memory
        (``unsaved``) and ReaderError says why, in one line naming the file."""
        data = {
            "version": VERSION,
            "episode": self.episode_id,
            "highlights": [h.to_json() for h in self.highlights],
        }
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        try:
            write_atomic(self.path, text)
        except OSError as exc:
            self.unsaved = True
            reason = exc.strerror or exc.__class__.__name__
            raise ReaderError(
                f"{self.path}: cannot save highlights: {reason} (kept until reader quits)"
            ) from None
        self.unsaved = False


def relocate(
    store: HighlightStore, doc: Readable, alignment: Alignment | None, *, save: bool = True
) -> list[tuple[Highlight, Located]]:
    """Locate every highlight in ``doc``; a highlight whose time moved (a re-alignment, a
    changed transcript) gets its new time (saved, if ``save`` and it can be)."""
    out: list[tuple[Highlight, Located]] = []
    changed = False
    if not store.highlights:
        return out  # (reader.quote is imported only when there is a highlight to time)
    from .quote import unit_time

    for i, h in enumerate(list(store.highlights)):
        where = locate(h, doc, alignment)
        if where is None:
            continue
        if where.how != "time" and alignment is not None and alignment.unit_seconds:
            # the time of the highlight's first words, worked out as a quote's is
            seconds = unit_time(
                alignment,
                doc,
                doc.unit_at_offset(where.start),
                where.start,
                not alignment.estimated,
            )
            if abs(seconds - h.seconds) >= 1.0 or bool(alignment.estimated) != h.estimated:
                h = replace(h, seconds=seconds, estimated=bool(alignment.estimated))
                store.highlights[i] = h
                changed = True
        out.append((h, where))
    if changed and save:
        try:
            store.save()
        except ReaderError:
            pass
    return out


def spans(located: Iterable[tuple[Highlight, Located]]) -> list[tuple[int, int]]:
    return [(where.start, where.end) for _h, where in located]
