"""TTML / DFXP captions, which is what Apple Podcasts transcripts are.

Read with the standard library's expat parser (streaming, so memory stays bounded; no
external entities are ever fetched). pysubs2's TTML reader is not used: it refuses the
plain-seconds times Apple writes (``begin="0.520"``) and frame times, and drops the
speakers (``ttm:agent``).

One unit per ``<p>``: its text with ``<br/>`` as a space; times from ``begin``/``end``/
``dur``, offset by the enclosing ``body``/``div`` begin; the speaker is the name of the
``ttm:agent`` it (or an enclosing element) refers to, falling back to the agent id.
Time expressions: clock times (``00:00:09.209``, ``00:00:01:12`` frames), offset times
(``0.76s``, ``760ms``, ``2m``, ``1h``, ``30f``, ``100t``) and bare seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from reader.errors import InputError
from reader.model import Transcript, TranscriptUnit
from reader.parse._common import collapse

TTML = "ttml"  # Transcript.format
_CLOCK = re.compile(r"^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)(?::(\d+(?:\.\d+)?))?$")
_OFFSET = re.compile(r"^(\d+(?:\.\d+)?)(h|m|s|ms|f|t)?$")
_TTML_ROOT = re.compile(r"<(?:\w+:)?tt\b[^>]*(?:w3\.org/ns/ttml|w3\.org/2006/\d+/ttaf1)", re.S)

_XML_DECL_ENCODING = re.compile(r"^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*[\"'][^\"']*[\"']")

_PARAM_NS = ("http://www.w3.org/ns/ttml#parameter", "http://www.w3.org/2006/10/ttaf1#parameter")
_META_NS = ("http://www.w3.org/ns/ttml#metadata", "http://www.w3.org/2006/10/ttaf1#metadata")
_XML_ID = "http://www.w3.org/XML/1998/namespace id"


def looks_ttml(text: str) -> bool:
    return bool(_TTML_ROOT.search(text[:8192]))


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


def _attr(attrs: dict[str, str], local: str, namespaces: tuple[str, ...] = ()) -> str | None:
    if local in attrs:
        return attrs[local]
    for ns in namespaces:
        v = attrs.get(f"{ns} {local}")
        if v is not None:
            return v
    return None


@dataclass
class _Rates:
    frame: float = 30.0
    tick: float = 1.0

    def seconds(self, expr: str | None) -> float | None:
        if expr is None:
            return None
        expr = expr.strip()
        m = _CLOCK.match(expr)
        if m:
            h, mi, s, fr = m.groups()
            if int(mi) >= 60 or float(s) >= 60:
                return None
            return int(h) * 3600 + int(mi) * 60 + float(s) + (float(fr) / self.frame if fr else 0.0)
        m = _OFFSET.match(expr)
        if m:
            value, unit = float(m.group(1)), m.group(2) or "s"
            factor = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}.get(unit)
            if factor is not None:
                return value * factor
            return value / self.frame if unit == "f" else value / self.tick
        return None


@dataclass
class _Cue:
    start: float
    end: float | None
    line: int
    speaker_ref: str | None
    parts: list[str] = field(default_factory=list)


def parse_ttml(text: str, path: Path, line_count: int) -> Transcript:
    rates = _Rates()
    agents: dict[str, str] = {}
    cues: list[_Cue] = []
    warnings: list[str] = []
    # per open element: (local name, begin offset in seconds, agent ref, end or None)
    stack: list[tuple[str, float, str | None, float | None]] = []
    cue: _Cue | None = None
    agent_id: str | None = None
    in_name = False
    name_parts: list[str] = []
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal cue, agent_id, in_name
        local = _local(name)
        parent_begin = stack[-1][1] if stack else 0.0
        parent_agent = stack[-1][2] if stack else None
        parent_end = stack[-1][3] if stack else None
        agent = _attr(attrs, "agent", _META_NS) or parent_agent
        if local == "tt":
            fr = _attr(attrs, "frameRate", _PARAM_NS)
            mult = _attr(attrs, "frameRateMultiplier", _PARAM_NS)
            tick = _attr(attrs, "tickRate", _PARAM_NS)
            try:
                if fr:
                    rates.frame = float(fr)
                    if mult and len(mult.split()) == 2:
                        num, den = (float(x) for x in mult.split())
                        rates.frame *= num / den
                if tick:
                    rates.tick = float(tick)
                elif fr:
                    rates.tick = rates.frame
            except (ValueError, ZeroDivisionError):
                warnings.append(f"line {parser.CurrentLineNumber}: unreadable frame/tick rate")
            if rates.frame <= 0 or rates.tick <= 0:
                rates.frame, rates.tick = 30.0, 1.0
        begin = rates.seconds(_attr(attrs, "begin"))
        end = rates.seconds(_attr(attrs, "end"))
        if begin is not None and parent_end is not None and parent_begin <= begin <= parent_end:
            # Apple writes every element's times on the media clock (a <div begin="0.52"
            # end="65"> around <p begin="0.52">), not relative to its parent as TTML says
            parent_begin = 0.0
        offset = parent_begin + (begin or 0.0)
        own_end = parent_begin + end if end is not None else None
        if local == "agent":
            agent_id = attrs.get(_XML_ID) or attrs.get("id")
        elif local == "name" and agent_id:
            in_name = True
            name_parts.clear()
        elif local == "p" and cue is None:
            line = parser.CurrentLineNumber
            if begin is None:
                warnings.append(f"line {line}: skipped a <p> without a readable begin time")
            else:
                dur = rates.seconds(_attr(attrs, "dur"))
                end_at = (
                    own_end if own_end is not None else (offset + dur if dur is not None else None)
                )
                cue = _Cue(offset, end_at, line, agent)
                cues.append(cue)
        elif local == "br" and cue is not None:
            cue.parts.append(" ")
        elif local == "span" and cue is not None and cue.speaker_ref is None and agent:
            cue.speaker_ref = agent
        stack.append((local, offset, agent, own_end))

    def end(name: str) -> None:
        nonlocal cue, agent_id, in_name
        local = _local(name)
        if stack:
            stack.pop()
        if local == "p" and cue is not None and not any(s[0] == "p" for s in stack):
            cue = None
        elif local == "name" and in_name:
            in_name = False
            if agent_id and collapse("".join(name_parts)):
                agents.setdefault(agent_id, collapse("".join(name_parts)))
        elif local == "agent":
            agent_id = None

    def chars(data: str) -> None:
        if cue is not None:
            cue.parts.append(data)
        elif in_name:
            name_parts.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.buffer_text = True
    try:
        # already decoded: drop the declaration's encoding so expat reads the UTF-8 we give
        body = _XML_DECL_ENCODING.sub(r"\1", text.lstrip("\ufeff"), count=1)
        parser.Parse(body.encode("utf-8"), True)
    except expat.ExpatError as exc:
        if cue is not None and cues and cues[-1] is cue:
            cues.pop()  # the <p> open where the file broke: its text is not whole
        if not cues:
            raise InputError(
                path, f"malformed TTML: {expat.errors.messages.get(exc.code, exc)}", exc.lineno
            ) from None
        warnings.append(f"line {exc.lineno}: TTML is malformed from here on; read up to it")

    units: list[TranscriptUnit] = []
    for c in cues:
        body = collapse("".join(c.parts))
        if not body:
            continue
        speaker = agents.get(c.speaker_ref, c.speaker_ref) if c.speaker_ref else None
        end_s = c.end if c.end is not None and c.end >= c.start else None
        units.append(TranscriptUnit(body, c.line, c.start, end_s, speaker))
    if not units:
        raise InputError(path, "no TTML captions (<p> with a begin time) found")
    return Transcript(path, units, True, line_count, TTML, warnings)
