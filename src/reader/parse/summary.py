"""AI-written summaries -> one Claim per timestamp.

The parser is line based. It reads optional YAML front matter (title, videoId), splits
the body into blocks (headings, paragraphs, list items, chapter lines), tracks the
section path from headings, and cuts every timestamped block into claims:

- trailing timestamps (``... a sentence [00:01:06].``): a claim's text runs from the
  previous timestamp (or the start of its paragraph/bullet) up to its timestamp;
- leading timestamps (chapter lists ``(12:34) Title``, ``12:34 - Title``, ``[00:01] text``):
  the text runs from the timestamp to the next one or the end of the block.

Sections come from markdown headings (nested ones joined with " › "), from whole-line
bold labels (``**Reliability of AI Agents**``), and, in files without markdown headings,
from short title-like lines standing alone before a paragraph. A short line ending in
":" that stands alone before a paragraph (``Leading Indicator:``) is a subsection label.

A file that holds the same run of claims twice keeps the first copy (with a warning).
"""

from __future__ import annotations

import bisect
import datetime as _dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

from reader.errors import InputError
from reader.model import Claim, Summary, format_timestamp, parse_clock
from reader.parse._common import clean_fragment, collapse, guarded, parse_file, prepare, split_lines
from reader.parse.chapters_json import looks_chapters_json, parse_chapters_json

__all__ = ["parse_summary", "parse_summary_text", "SECTION_SEP"]

SECTION_SEP = " › "

_TIME = r"\d{1,3}:\d{2}(?::\d{2})?(?:\.\d+)?"
# [00:01:06], [1:06], [00:01:06 - 00:01:30], [00:01, 00:02]; optional markdown link target
_TS_BRACKET = re.compile(
    rf"\[(?P<times>{_TIME}(?:\s*(?:[,;]|[-–—]|to)\s*{_TIME})*)\](?:\([^()\s]*\))?"
)
_TS_PAREN = re.compile(
    rf"\((?:(?i:timestamps?|time|at)\s*:?\s*)?(?P<times>{_TIME}(?:\s*[,;]\s*{_TIME})*)\)"
)
_TIME_RE = re.compile(_TIME)
_RANGE_SEP = re.compile(rf"({_TIME})\s*(?:[-–—]|to)\s*{_TIME}")
# a chapter-list line: optional bullet, a bare/bracketed time, a separator, a title
# (a range "[00:00–01:51] Title" is its start; the end time is not title text)
_CHAPTER = re.compile(
    rf"^(?:[-*+•]\s+|\d+[.)]\s+)?(?P<open>[\(\[]?)(?P<time>{_TIME})(?![\d:])"
    rf"(?:\s*(?:[-–—]|to)\s*{_TIME}(?![\d:]))?(?P<close>[\)\]]?)"
    r"(?:\s*[-–—:|]\s*|\s+)(?=\S)"
)
# title-first chapter lines, "Frame rates 0:09" (only in runs of two or more)
_TITLE_FIRST = re.compile(
    rf"^(?:[-*+•]\s+)?(?P<title>[^\s\d\[(#|>].{{0,100}}?)\s*(?:[-–—:|]\s*)?"
    rf"(?<![\d:.])(?P<time>{_TIME})\s*$"
)
# a bare time in running text (one-line stamp lists: "Timestamps 00:00:00 Intro 00:02:29 ...")
_BARE_TIME = re.compile(rf"(?<![\w:.\[(/=])(?P<time>{_TIME})(?![\w:\])])")
_STAMPLIST_MIN = 3
_URL = re.compile(r"https?://[^\s<>()\[\]]+")
_T_PARAM = re.compile(r"[?&#]t=(\d+(?:\.\d+)?s?|(?:\d+h)?(?:\d+m)?(?:\d+s)?)(?=$|[&#])")
_T_PART = re.compile(r"(\d+)([hms])")

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•‣◦▪●]|\d{1,3}[.)])\s+")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)([^*_].*?)(?:\*\*|__)\s*:?\s*$")
_RULE = re.compile(r"^\s*([-*_])(?:\s*\1){2,}\s*$")
_GLUED_HEADING = re.compile(r"(?<=[.!?\])])\s*(?=#{1,6}\s+\S)")
_META = re.compile(
    r"^\s*(?:from|source|sources|by|author|authors|date|published|tags?|url|link|channel|"
    r"podcast|episode|guest|guests|host|hosts|speakers?|video)\s*:",
    re.I,
)
_BLOCKQUOTE = re.compile(r"^\s*>\s?")

_ANCHOR = re.compile(r"<a\b(?P<attrs>[^<>]*)>(?P<inner>(?:[^<]|<(?!/?a\b))*?)</a\s*>", re.I)
_DATA_T = re.compile(r"""data-t\s*=\s*["']?([^"'\s>]+)""", re.I)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_WIKI_LABEL = re.compile(r"\[\[([^\[\]|]*)\|([^\[\]]*)\]\]")
_WIKI = re.compile(r"\[\[([^\[\]]*)\]\]")
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\([^()]*\)")
_LINK = re.compile(r"\[([^\[\]]+)\]\([^()\s]*(?:\s+\"[^\"]*\")?\)")
_CODE = re.compile(r"`+([^`]*)`+")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_STRIKE = re.compile(r"~~(.+?)~~")
_STRAY = re.compile(r"\*\*|__|~~|`")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.!?,;:)\]”’])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[“‘])\s+")
_LEADING_JUNK = re.compile(r"^[\s,.;:!?)\]|]+")
_TRAILING_JUNK = re.compile(r"[\s,;:(\[|–—-]+$")
_CLUSTER_GAP = re.compile(r"[\s,;&]*")
_FOLLOWING_PUNCT = re.compile(r"\s*([.!?…]+[\"'”’)]*)")  # used with match(text, pos)


def strip_markup(text: str) -> str:
    """Markdown/wiki/HTML inline markup -> plain text (whitespace collapsed)."""
    text = _TAG.sub(" ", text)
    text = _WIKI_LABEL.sub(lambda m: m.group(2).strip() or m.group(1).strip(), text)
    text = _WIKI.sub(lambda m: m.group(1).strip(), text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    for _ in range(3):  # nested emphasis
        new = _STRIKE.sub(r"\1", _EM_UNDER.sub(r"\1", _EM_STAR.sub(r"\1", _BOLD.sub(r"\2", text))))
        if new == text:
            break
        text = new
    text = _STRAY.sub("", text)
    text = html.unescape(text)
    return collapse(text)


def _tidy(text: str) -> str:
    """Make a cut-out fragment read as a sentence."""
    text = strip_markup(text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _SPACE_AFTER_OPEN.sub(r"\1", text)
    text = _LEADING_JUNK.sub("", text)
    text = _TRAILING_JUNK.sub("", text)
    return text.strip()


# --- front matter ----------------------------------------------------------------------


def _scalar(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float, _dt.date)):
        text = collapse(clean_fragment(str(value)))
        return text or None
    return None


def _front_matter(lines: list[str], warnings: list[str]) -> tuple[str | None, str | None, int]:
    """Returns (title, video_id, index of the first body line)."""
    if not lines or lines[0].strip() != "---":
        return None, None, 0
    end = next(
        (i for i in range(1, min(len(lines), 300)) if lines[i].strip() in ("---", "...")),
        None,
    )
    if end is None:
        warnings.append("line 1: front matter is not closed by '---'; read as text")
        return None, None, 0
    block = "\n".join(lines[1:end])
    try:
        data = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 2}: " if mark is not None else "line 1: "
        warnings.append(f"{where}front matter is not valid YAML; title and videoId not read")
        return None, None, end + 1
    except Exception:  # noqa: BLE001 - PyYAML can fail in other ways on hostile input
        warnings.append("line 1: front matter could not be read; title and videoId not read")
        return None, None, end + 1
    if data is None:
        data = {}
    if not isinstance(data, dict):
        warnings.append("line 1: front matter is not a mapping; title and videoId not read")
        return None, None, end + 1
    title = _scalar(data.get("title"))
    video_id = None
    for key in ("videoId", "video_id", "videoID", "videoid", "youtube_id", "youtubeId"):
        if key in data:
            video_id = _scalar(data.get(key))
            break
    return title, video_id, end + 1


# --- blocks ------------------------------------------------------------------------------


@dataclass
class _Block:
    kind: str  # heading | boldline | para | item | chapter | meta
    lines: list[tuple[int, str]] = field(default_factory=list)  # (file line, text)
    level: int = 0

    @property
    def text(self) -> str:
        return " ".join(t for _, t in self.lines)


def _normalize_line(line: str) -> str:
    """Per-line cleanup before block splitting: Markdown links, anchors around
    timestamps, <br/> tags, URLs."""
    if ("](" in line or "<http" in line) and len(line) <= _MD_MAX_LINE:
        line = _normalize_links(line)
    if "<" in line:

        def anchor(m: re.Match[str]) -> str:
            inner = m.group("inner")
            if _TS_BRACKET.search(inner):
                return _TAG.sub("", inner)
            t = _DATA_T.search(m.group("attrs"))
            if t:
                value = t.group(1)
                if parse_clock(value) is not None and ":" not in value:
                    value = format_timestamp(parse_clock(value))
                if parse_clock(value) is not None:
                    return f"[{value}]"
            return inner

        line = _ANCHOR.sub(anchor, line)
        line = _TAG.sub(" ", line)
    if "http" in line:
        line = _drop_urls(line)
    return line.rstrip()


_MD = MarkdownIt("commonmark").enable("table")
# markdown-it's link scanner looks ahead from every "(": on a hostile line of "[a](b" it
# does a lot of work per character; longer lines keep their links (the timestamp regexes
# still read "[00:12:34](url)")
_MD_MAX_LINE = 20_000


def _t_param_seconds(url: str) -> float | None:
    """``?t=754``, ``&t=754s``, ``#t=12m34s``, ``?t=1h2m3s`` -> seconds."""
    m = _T_PARAM.search(url)
    if not m or not m.group(1):
        return None
    value = m.group(1)
    if re.fullmatch(r"\d+(?:\.\d+)?s?", value):
        return float(value.rstrip("s"))
    parts = _T_PART.findall(value)
    return float(sum(int(n) * {"h": 3600, "m": 60, "s": 1}[u] for n, u in parts)) if parts else None


def _stamp_text(seconds: float) -> str:
    return f"[{format_timestamp(seconds)}]"


def _link_text(label: str, href: str, line_has_stamp: bool) -> str:
    """What a Markdown link becomes in claim text: a timestamp label stays a timestamp
    (``[00:12:34](https://youtu.be/x?t=754)`` -> ``[00:12:34]``); a ``?t=`` target on a
    line without another stamp adds one after the label; the URL itself never stays."""
    plain = label.strip()
    inner = plain[1:-1].strip() if plain[:1] in "[(" and plain[-1:] in "])" else plain
    if _TIME_RE.fullmatch(inner) and parse_clock(inner) is not None:
        return f"[{inner}]"
    if _URL.fullmatch(plain):
        plain = ""  # an autolink: the URL is its own label
    seconds = _t_param_seconds(href)
    if seconds is not None and not line_has_stamp:
        return f"{plain} {_stamp_text(seconds)}".strip()
    return plain


def _bare_url(m: re.Match[str], line_has_stamp: bool) -> str:
    seconds = _t_param_seconds(m.group())
    return _stamp_text(seconds) if seconds is not None and not line_has_stamp else ""


def _normalize_links(line: str) -> str:
    """Markdown links and autolinks (parsed with markdown-it-py) -> text and stamps."""
    has_stamp = bool(_TS_BRACKET.search(_URL.sub("", line)) or _TS_PAREN.search(line))
    if "](" in line or "<http" in line:
        children = _MD.parseInline(line)[0].children or []
        out: list[str] = []
        links: list[tuple[str, int]] = []
        for tok in children:
            kind = tok.type
            if kind == "link_open":
                links.append((str(tok.attrGet("href") or ""), len(out)))
            elif kind == "link_close" and links:
                href, at = links.pop()
                label = "".join(out[at:])
                del out[at:]
                out.append(_link_text(label, href, has_stamp))
            elif kind in ("softbreak", "hardbreak"):
                out.append(" ")
            elif kind == "code_inline":
                out.append(f"`{tok.content}`")
            elif kind.endswith(("_open", "_close")):
                out.append(tok.markup)
            else:  # text, image (its alt text), html_inline
                out.append(tok.content)
        line = "".join(out)
    return line


def _drop_urls(line: str) -> str:
    """Bare URLs: a ``?t=`` one is a stamp (on a line without another), others go."""
    has_stamp = bool(_TS_BRACKET.search(_URL.sub("", line)) or _TS_PAREN.search(line))
    has_stamp = has_stamp or bool(_META.match(line))  # "Source: https://...&t=30s" is no claim
    return _URL.sub(lambda m: _bare_url(m, has_stamp), line)


def _logical_lines(lines: list[str], first_no: int) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for k, raw in enumerate(lines):
        no = first_no + k
        line = _normalize_line(raw)
        # "... endeavor [00:54:25].# Next Title" - a heading glued onto a line's end
        parts = _GLUED_HEADING.split(line) if "#" in line else [line]
        for part in parts:
            out.append((no, part))
    return out


def _title_first(line: str) -> re.Match[str] | None:
    m = _TITLE_FIRST.match(line.strip())
    if not m or _TIME_RE.search(m.group("title")) or parse_clock(m.group("time")) is None:
        return None
    return m


def _title_first_runs(lines: list[tuple[int, str]]) -> set[int]:
    """Indexes of title-first chapter lines that stand in a run of two or more."""
    hits = [_title_first(_BLOCKQUOTE.sub("", line)) is not None for _, line in lines]
    return {
        i for i, hit in enumerate(hits)
        if hit and ((i > 0 and hits[i - 1]) or (i + 1 < len(hits) and hits[i + 1]))
    }


def _is_stamp_list(line: str) -> bool:
    """One line holding several bare times with short titles between them."""
    if _TS_BRACKET.search(line) or _TS_PAREN.search(line):
        return False
    times = [m for m in _BARE_TIME.finditer(line) if parse_clock(m.group()) is not None]
    if len(times) < _STAMPLIST_MIN:
        return False
    gaps = [times[k + 1].start() - times[k].end() for k in range(len(times) - 1)]
    return max(gaps) <= 150


def _table_lines(lines: list[tuple[int, str]]) -> dict[int, str]:
    """Markdown tables (parsed with markdown-it-py): each row with a time cell becomes a
    chapter line "time other cells"; every other table line becomes blank. Only runs of
    lines starting with "|" are handed to the parser."""
    out: dict[int, str] = {}
    k = 0
    while k < len(lines):
        if not lines[k][1].lstrip().startswith("|"):
            k += 1
            continue
        j = k
        while j < len(lines) and lines[j][1].lstrip().startswith("|"):
            j += 1
        run = lines[k:j]
        if len(run) >= 2 and all(len(x) <= _MD_MAX_LINE for _, x in run):
            out.update(_table_rows(run))
        k = j
    return out


_TIME_CELL = re.compile(rf"[\[(]?({_TIME})(?:\s*(?:[-–—]|to)\s*{_TIME})?[\])]?")


def _table_rows(run: list[tuple[int, str]]) -> dict[int, str]:
    first_no = run[0][0]
    tokens = _MD.parse("\n".join(line for _, line in run))
    out: dict[int, str] = {}
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "table_open" and tok.map:
            for k in range(tok.map[0], tok.map[1]):
                out[first_no + k] = ""
        if tok.type == "tr_open" and tok.map:
            cells: list[str] = []
            j = i + 1
            while j < len(tokens) and tokens[j].type != "tr_close":
                if tokens[j].type == "inline":
                    cells.append(_normalize_line(tokens[j].content).strip())
                j += 1
            time_at = next(
                (k for k, c in enumerate(cells)
                 if (m := _TIME_CELL.fullmatch(c)) and parse_clock(m.group(1)) is not None),
                None,
            )
            if time_at is not None:
                time = _TIME_CELL.fullmatch(cells[time_at]).group(1)
                rest = " — ".join(c for k, c in enumerate(cells) if k != time_at and c)
                out[first_no + tok.map[0]] = f"{time} {rest}" if rest else ""
            i = j
        i += 1
    return out


def _blocks(lines: list[tuple[int, str]]) -> list[_Block]:
    blocks: list[_Block] = []
    cur: _Block | None = None
    titled = _title_first_runs(lines)
    for idx, (no, line) in enumerate(lines):
        line = _BLOCKQUOTE.sub("", line)
        if not line.strip() or _RULE.match(line):
            cur = None
            continue
        h = _HEADING.match(line)
        if h:
            blocks.append(_Block("heading", [(no, h.group(2))], level=len(h.group(1))))
            cur = None
            continue
        if _BOLD_LINE.match(line) and not _has_timestamp(line):
            blocks.append(_Block("boldline", [(no, line.strip())]))
            cur = None
            continue
        if idx in titled:
            m = _title_first(line)
            # as a leading-time chapter line: "0:09 Frame rates"
            cur = _Block("chapter", [(no, f"{m.group('time')} {m.group('title').strip()}")])
            blocks.append(cur)
            continue
        if _is_stamp_list(line):
            cur = _Block("stamplist", [(no, line.strip())])
            blocks.append(cur)
            cur = None
            continue
        chapter = _CHAPTER.match(line.strip())
        if chapter and parse_clock(chapter.group("time")) is not None:
            cur = _Block("chapter", [(no, line.strip())])
            blocks.append(cur)
            continue
        if _LIST_ITEM.match(line):
            cur = _Block("item", [(no, _LIST_ITEM.sub("", line, count=1).strip())])
            blocks.append(cur)
            continue
        if cur is None:
            kind = "meta" if _META.match(line) and not _has_timestamp(line) else "para"
            cur = _Block(kind, [])
            blocks.append(cur)
        cur.lines.append((no, line.strip()))
    return blocks


def _has_timestamp(text: str) -> bool:
    return bool(_TS_BRACKET.search(text) or _TS_PAREN.search(text) or _CHAPTER.match(text.strip()))


# --- sections ----------------------------------------------------------------------------

_LABEL_MAX_WORDS = 8
_PLAIN_HEADING_MAX_WORDS = 14


def _single_untimed_line(block: _Block) -> str | None:
    if block.kind != "para" or len(block.lines) != 1:
        return None
    text = block.lines[0][1]
    if _has_timestamp(text):
        return None
    return text


def _is_label(block: _Block, nxt: _Block | None) -> bool:
    text = _single_untimed_line(block)
    if text is None or not text.rstrip().endswith(":"):
        return False
    plain = strip_markup(text)
    return len(plain.split()) <= _LABEL_MAX_WORDS and nxt is not None and nxt.kind == "para"


def _is_plain_heading(block: _Block, nxt: _Block | None) -> bool:
    text = _single_untimed_line(block)
    if text is None or nxt is None or nxt.kind in ("heading",):
        return False
    plain = strip_markup(text)
    if not plain or len(plain) > 120 or len(plain.split()) > _PLAIN_HEADING_MAX_WORDS:
        return False
    if re.search(r"[.!?:;,…][\"'”’)]*$", plain):
        return False
    return plain[0].isupper() or plain[0].isdigit()


# --- claims ------------------------------------------------------------------------------


@dataclass
class _Stamp:
    start: int  # offset in block text
    end: int
    written: str
    seconds: float


def _find_stamps(text: str) -> list[_Stamp]:
    stamps: list[_Stamp] = []
    taken_starts: list[int] = []  # bracket matches, in order (they never overlap each other)
    taken_ends: list[int] = []
    for regex in (_TS_BRACKET, _TS_PAREN):
        for m in regex.finditer(text):
            if regex is _TS_PAREN and taken_starts:
                i = bisect.bisect_left(taken_starts, m.end()) - 1
                if i >= 0 and taken_ends[i] > m.start():
                    continue  # inside "[00:01](https://...)" or similar
            # a range "00:01 - 00:30" is one timestamp (its start); a list is several
            times = _RANGE_SEP.sub(r"\1", m.group("times"))
            for w in _TIME_RE.findall(times):
                secs = parse_clock(w)
                if secs is None:
                    continue
                stamps.append(_Stamp(m.start(), m.end(), w, secs))
            if regex is _TS_BRACKET:
                taken_starts.append(m.start())
                taken_ends.append(m.end())
    stamps.sort(key=lambda s: s.start)
    return stamps


@dataclass
class _RawClaim:
    section: str
    text: str
    timestamp: str
    seconds: float
    line: int


def _block_claims(block: _Block, section: str) -> list[_RawClaim]:
    text_parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for _, t in block.lines:
        starts.append(pos)
        text_parts.append(t)
        pos += len(t) + 1
    text = " ".join(text_parts)
    line_nos = [no for no, _ in block.lines]

    def line_at(offset: int) -> int:
        return line_nos[max(0, bisect.bisect_right(starts, offset) - 1)]

    out: list[_RawClaim] = []
    if block.kind == "stamplist":
        stamps = [
            _Stamp(m.start(), m.end(), m.group(), parse_clock(m.group()) or 0.0)
            for m in _BARE_TIME.finditer(text)
            if parse_clock(m.group()) is not None
        ]
        leading = True
    elif block.kind == "chapter":
        m = _CHAPTER.match(text)
        if m is None:  # cannot happen: chapter blocks are made from matching lines
            return out
        # further stamps in a chapter line split it like any leading-timestamp block
        first = _Stamp(m.start("time"), m.end(), m.group("time"), parse_clock(m.group("time")) or 0.0)
        stamps = [first] + [s for s in _find_stamps(text) if s.start >= m.end()]
        leading = True
    else:
        stamps = _find_stamps(text)
        if not stamps:
            return out
        prefix = strip_markup(text[: stamps[0].start])
        leading = not re.sub(r"^[\s\-*+•\d.)]*", "", prefix)
    if leading:
        for k, s in enumerate(stamps):
            seg_end = stamps[k + 1].start if k + 1 < len(stamps) else len(text)
            seg = _tidy(text[s.end : seg_end])
            if not seg and out:
                seg = out[-1].text
            out.append(_RawClaim(section, seg, s.written, s.seconds, line_at(s.start)))
        return out
    seg_start = 0
    k = 0
    while k < len(stamps):
        # a cluster of stamps with nothing between them ("[02:10][02:15]", "[01:00], [01:05]")
        j = k
        while j + 1 < len(stamps) and _CLUSTER_GAP.fullmatch(
            text[stamps[j].end : max(stamps[j].end, stamps[j + 1].start)]
        ):
            j += 1
        seg = text[seg_start : stamps[k].start]
        cluster_end = max(s.end for s in stamps[k : j + 1])
        seg_start = cluster_end
        follow = _FOLLOWING_PUNCT.match(text, cluster_end)
        if follow and (j + 1 >= len(stamps) or stamps[j + 1].start >= follow.end()):
            seg = seg.rstrip() + follow.group(1)
            seg_start = follow.end()
        tidy = _tidy(seg)
        if not re.search(r"\w", tidy):
            tidy = ""
        if not tidy and out:
            tidy = out[-1].text  # nothing between two stamps: both mark the same text
        elif not tidy:
            nxt = stamps[j + 1].start if j + 1 < len(stamps) else len(text)
            tidy = _tidy(text[cluster_end:nxt])
        for s in stamps[k : j + 1]:
            out.append(_RawClaim(section, tidy, s.written, s.seconds, line_at(s.start)))
        k = j + 1
    return out


def _dedupe(claims: list[_RawClaim], warnings: list[str]) -> list[_RawClaim]:
    """Drop a repeated run (>= 2) of identical (timestamp, text) claims."""
    keys = [(c.seconds, c.text.casefold()) for c in claims]
    first_seen: dict[tuple[float, str], int] = {}
    keep: list[_RawClaim] = []
    k = 0
    n = len(claims)
    while k < n:
        j = first_seen.get(keys[k])
        if j is not None:
            run = 0
            while k + run < n and j + run < k and keys[j + run] == keys[k + run]:
                run += 1
            if run >= 2:
                warnings.append(
                    f"line {claims[k].line}: dropped a repeated copy of {run} claims "
                    f"(first copy starts at line {claims[j].line})"
                )
                k += run
                continue
        first_seen.setdefault(keys[k], k)
        keep.append(claims[k])
        k += 1
    return keep


# --- entry points --------------------------------------------------------------------------


@guarded
def parse_summary_text(text: str, path: Path) -> Summary:
    """Parse an already-decoded summary. Raises only InputError."""
    path = Path(path)
    text = prepare(text, path)
    lines = split_lines(text)
    warnings: list[str] = []
    if looks_chapters_json(text):
        chapters = parse_chapters_json(text, path)
        if chapters is not None:
            return chapters
    title, video_id, body_at = _front_matter(lines, warnings)
    logical = _logical_lines(lines[body_at:], body_at + 1)
    table = _table_lines(logical)
    if table:
        logical = [(no, table.get(no, line)) for no, line in logical]
    blocks = _blocks(logical)

    has_md_headings = any(b.kind == "heading" for b in blocks)
    h1 = [b for b in blocks if b.kind == "heading" and b.level == 1]
    doc_title_block = None
    first_heading = next((b for b in blocks if b.kind == "heading"), None)
    if len(h1) == 1 and h1[0] is first_heading:
        doc_title_block = h1[0]  # a lone leading "# Title" names the document, not a section
        if title is None:
            title = strip_markup(h1[0].text) or None

    stack: list[tuple[int, str]] = []  # (level, title)
    raw: list[_RawClaim] = []
    for i, block in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if block.kind == "heading":
            if block is doc_title_block:
                continue
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            name = strip_markup(block.text)
            if _has_timestamp(block.text):
                # "### Title (01:51)", "## Part 1 [0:00]": a claim, and a section named
                # without its time
                kind = "chapter" if _CHAPTER.match(block.text.strip()) else "para"
                parent = SECTION_SEP.join(n for _, n in stack)
                claims = _block_claims(_Block(kind, block.lines), parent)
                raw.extend(claims)
                if claims:
                    name = claims[0].text
            if name:
                stack.append((block.level, name))
            continue
        if block.kind == "boldline":
            name = strip_markup(block.text).rstrip(":").strip()
            while stack and stack[-1][0] >= 7:
                stack.pop()
            if name:
                stack.append((7, name))
            continue
        if block.kind == "meta":
            continue
        if _is_label(block, nxt):
            name = strip_markup(block.text).rstrip(":").strip()
            level = 7 if has_md_headings else 2
            while stack and stack[-1][0] >= level:
                stack.pop()
            if name:
                stack.append((level, name))
            continue
        if not has_md_headings and _is_plain_heading(block, nxt):
            stack = [(1, strip_markup(block.text))]
            continue
        section = SECTION_SEP.join(name for _, name in stack)
        raw.extend(_block_claims(block, section))

    if raw:
        raw = _dedupe(raw, warnings)
    else:
        warnings.append("no timestamps found")
    claims = [
        Claim(i, c.section, c.text, c.timestamp, c.seconds, c.line) for i, c in enumerate(raw)
    ]
    return Summary(path=path, claims=claims, title=title, video_id=video_id, warnings=warnings)


def parse_summary(path: Path) -> Summary:
    """Read and parse a summary file. Raises only InputError."""
    return parse_file(path, parse_summary_text)
