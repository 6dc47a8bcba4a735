"""A small regex sentence splitter for article-style transcripts.

Handles the usual traps reasonably: abbreviations ("Mr.", "e.g.", "etc."), initials and
dotted acronyms ("J. R. R.", "U.S."), decimals and versions ("3.5", "v1.2"), URLs and
domains ("interconnects.ai/p/x"), and sentences glued without a space ("same.The").
Over-long stretches without any sentence end are cut at word boundaries so no unit is huge.
"""

from __future__ import annotations

import re

from reader.parse.patterns import CLOSERS, END_PUNCT

ABBREVIATIONS = frozenset(
    """
    mr mrs ms mx dr prof sr jr st mt ft vs etc al approx appt apt dept est fig figs inc
    ltd co corp vol vols pp eds rev gov sen rep lt sgt capt cmdr adm
    jan feb apr jun jul aug sep sept oct nov dec tue thu fri
    e.g i.e cf viz ca u.s u.k u.n e.u a.m p.m ph.d b.a m.a m.d d.c
    """.split()
)

# A candidate boundary: sentence punctuation, optional closing quotes/brackets, spaces,
# then something that can start a sentence.
_BOUNDARY = re.compile(rf"({END_PUNCT}+)({CLOSERS})(\s+)(?=[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ])")
# Glued sentences: "...are the same.The models..." (lowercase word, period, Capitalword).
_GLUED = re.compile(r"(?<=[a-z][a-z)”\"'’])([.!?])(?=[A-Z][a-z])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")

MAX_UNIT = 600  # characters; longer stretches are cut at word boundaries
TARGET_CUT = 300
_LOOKBACK = 100  # characters looked at before a candidate boundary (keeps splitting linear)


def _is_abbreviation(before: str) -> bool:
    m = _WORD_BEFORE.search(before)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if not word:
        return False
    if word in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha():  # an initial: "J. Smith"
        # ... but not the end of a contraction: "what doesn't. like how"
        return before[m.start(1) - 1 : m.start(1)] not in ("'", "’")
    # dotted acronyms "u.s.a" / "i.b.m"
    return bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


def _glued_ok(text: str, pos: int) -> bool:
    """Is the glued '.' at pos a sentence end (not a domain, file name or abbreviation)?"""
    floor = max(0, pos - _LOOKBACK)
    start = text.rfind(" ", floor, pos) + 1 or floor
    token = text[start:pos]
    if "/" in token or "@" in token or "." in token:
        return False
    return not _is_abbreviation(text[floor:pos])


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences (whitespace inside each collapsed)."""
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return []
    # Insert a space after glued sentence ends so one pass handles both cases.
    if _GLUED.search(text):
        pieces: list[str] = []
        last = 0
        for m in _GLUED.finditer(text):
            if _glued_ok(text, m.start()):
                pieces.append(text[last : m.end()])
                pieces.append(" ")
                last = m.end()
        pieces.append(text[last:])
        text = "".join(pieces)

    sentences: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        punct_start = m.start(1)
        if m.group(1) == "." and _is_abbreviation(
            text[max(start, punct_start - _LOOKBACK) : punct_start]
        ):
            continue
        end = m.end(2)
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)

    out: list[str] = []
    for s in sentences:
        out.extend(_cut_long(s))
    return out


def _cut_long(sentence: str) -> list[str]:
    if len(sentence) <= MAX_UNIT:
        return [sentence]
    parts: list[str] = []
    pos = 0  # the rest is sentence[pos:], never copied whole (keeps cutting linear)
    n = len(sentence)
    while n - pos > MAX_UNIT:
        end = pos + MAX_UNIT
        # prefer a clause boundary after TARGET_CUT, else any space, else a hard cut
        cut = max(
            sentence.rfind(", ", pos + TARGET_CUT, end), sentence.rfind("; ", pos + TARGET_CUT, end)
        )
        if cut >= 0:
            cut += 1
        else:
            cut = sentence.rfind(" ", pos + TARGET_CUT // 2, end)
            if cut <= pos:
                cut = pos + TARGET_CUT
        parts.append(sentence[pos:cut].strip())
        pos = cut
        while pos < n and sentence[pos] == " ":
            pos += 1
    if pos < n:
        parts.append(sentence[pos:].strip())
    return [p for p in parts if p]


# Caption text often starts a sentence in lower case ("...models. um what gets you").
_LOOSE_BOUNDARY = re.compile(rf"({END_PUNCT}+)({CLOSERS})(\s+)(?=\S)")


def sentence_ends(
    text: str, start: int = 0, end: int | None = None, *, loose: bool = False
) -> list[int]:
    """Offsets in ``text[start:end]`` just past each sentence end (after any closing
    quotes), by the same rules as :func:`split_sentences` (abbreviations and initials do
    not end a sentence). ``loose``: a lower-case word may start a sentence too (captions).
    The text is used as it is: offsets index ``text``."""
    end = len(text) if end is None else end
    out: list[int] = []
    begin = start
    for m in (_LOOSE_BOUNDARY if loose else _BOUNDARY).finditer(text, start, end):
        if m.group(1) == "." and _is_abbreviation(
            text[max(begin, m.start(1) - _LOOKBACK) : m.start(1)]
        ):
            continue
        if loose and m.group(1) == "." and text[m.end() : m.end() + 1].isdigit():
            continue
        out.append(m.end(2))
        begin = m.end()
    return out
