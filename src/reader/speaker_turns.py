"""Speaker turns marked inside caption text: a cue starting with "- " or ">>" (or such a
mark after a sentence end inside a cue) is a change of speaker. :func:`split_turns` cuts a
text there; the paragraph builder (:mod:`reader.readable`) starts a paragraph at each
turn and shows :data:`TURN_MARK` in place of the mark.
"""

from __future__ import annotations

import re

# A change of speaker in captions: a cue starting with "- " or ">>" (also after a sentence
# end inside a cue: "Many knobs. - Many knobs."). The mark starts a new paragraph and is
# shown as TURN_MARK, styled like a speaker label.
_TURN_AT_START = re.compile(r"(?:-|>>+)\s*(?=\S)")
_TURN_INSIDE = re.compile(r"(?<=[.!?\u2026\"'\u201d\u2019)\]]) - (?=\S)| >>+ ?(?=\S)")
TURN_MARK = "\u2013"  # an en dash


def split_turns(text: str) -> list[tuple[bool, str]]:
    """``text`` cut at speaker-change marks: ``(starts_a_turn, text)`` pieces, marks removed."""
    if "-" not in text and ">>" not in text:
        return [(False, text)]
    out: list[tuple[bool, str]] = []
    pos, turn = 0, False
    m = _TURN_AT_START.match(text)
    if m is not None and (text[:1] == ">" or text[1:2] == " "):
        pos, turn = m.end(), True
    for m in _TURN_INSIDE.finditer(text, pos):
        out.append((turn, text[pos : m.start()]))
        pos, turn = m.end(), True
    out.append((turn, text[pos:]))
    return [(t, piece) for t, piece in out if piece or t]
