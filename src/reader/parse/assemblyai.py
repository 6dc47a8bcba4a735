"""AssemblyAI transcript JSON: ``words`` (and ``utterances`` with speakers), times in ms.

The units are built from the words (the ~30 k-character ``text`` field is the same words
again): words are merged into readable units that end at a sentence end once they hold
a few words, at a pause, at a speaker change, or at ``MAX_WORDS``. Speaker labels come
from the words (or the utterances); a file with a single speaker keeps none (one label says
nothing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reader.errors import InputError
from reader.model import Transcript, TranscriptUnit
from reader.parse.jsonfmt import _seconds, _text, keyed_object_lines, with_lines
from reader.parse.patterns import SENTENCE_END

MIN_WORDS = 4  # a sentence end closes a unit once it holds this many words
MAX_WORDS = 30
MAX_PAUSE = 1.5  # seconds



def _ms(value: Any) -> float | None:
    v = _seconds(value)
    return v / 1000 if v is not None and not isinstance(value, str) else None


def parse_assemblyai_json(
    data: dict[str, Any], raw: str, path: Path, line_count: int
) -> Transcript:
    words: list[tuple[float, float, str, str | None, int]] = []  # start, end, text, speaker, line
    if isinstance(data.get("words"), list):  # each word on its own file line
        lines_at = keyed_object_lines(raw, "words")
        for src, w in with_lines(data["words"], lines_at):
            speaker = (_text(w.get("speaker")) or None) if isinstance(w, dict) else None
            _add(words, w, speaker, src)
    utterances = data.get("utterances")
    if not words and isinstance(utterances, list):
        lines_at = keyed_object_lines(raw, "utterances")
        for src, utt in with_lines(utterances, lines_at):
            if not isinstance(utt, dict) or not isinstance(utt.get("words"), list):
                continue
            speaker = _text(utt.get("speaker")) or None
            for w in utt["words"]:
                _add(words, w, speaker, src)
    if not words:
        raise InputError(path, "AssemblyAI JSON without timed words", 1)
    if len({w[3] for w in words}) < 2:
        words = [(s, e, t, None, ln) for s, e, t, _, ln in words]
    return Transcript(path, merge_words(words), True, line_count, "assemblyai-json", [])


def _add(
    words: list[tuple[float, float, str, str | None, int]], w: Any, speaker: str | None, src: int
) -> None:
    if not isinstance(w, dict):
        return
    text = _text(w.get("text"))
    start, end = _ms(w.get("start")), _ms(w.get("end"))
    if text and start is not None:
        words.append(
            (start, end if end is not None and end >= start else start, text, speaker, src)
        )


def merge_words(words: list[tuple[float, float, str, str | None, int]]) -> list[TranscriptUnit]:
    units: list[TranscriptUnit] = []
    group: list[tuple[float, float, str, str | None, int]] = []

    def flush() -> None:
        if group:
            first, last = group[0][4], group[-1][4]
            units.append(
                TranscriptUnit(
                    " ".join(g[2] for g in group), first, group[0][0], group[-1][1],
                    group[0][3], last if last != first else None,
                )
            )
            group.clear()

    for w in words:
        if group and (w[3] != group[-1][3] or w[0] - group[-1][1] > MAX_PAUSE):
            flush()
        group.append(w)
        if len(group) >= MAX_WORDS or (len(group) >= MIN_WORDS and SENTENCE_END.search(w[2])):
            flush()
    flush()
    return units
