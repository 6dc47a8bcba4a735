"""Summary text -> logical lines, the first part of the summary parser
(``summary_markdown.py`` splits them into blocks, ``summary.py`` cuts the blocks into claims).

YAML front matter (title, videoId); per line: links normalised (a ``?t=`` target becomes a
timestamp, other URLs go), ``<a data-t>`` anchors read, HTML tags and wiki links made text,
headings glued onto a line's end split off; tables read (a row with a time cell becomes a
chapter line); the notations of timestamps and chapter lines that the later parts share.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

import yaml
from markdown_it import MarkdownIt

from reader.model import format_timestamp, parse_clock
from reader.parse._common import clean_fragment, collapse
from reader.parse.patterns import SUMMARY_TIME, TAG

# [00:01:06], [1:06], [00:01:06 - 00:01:30], [00:01, 00:02]; optional markdown link target
_TS_BRACKET = re.compile(
    rf"\[(?P<times>{SUMMARY_TIME}(?:\s*(?:[,;]|[-–—]|to)\s*{SUMMARY_TIME})*)\](?:\([^()\s]*\))?"
)
_TS_PAREN = re.compile(
    rf"\((?:(?i:timestamps?|time|at)\s*:?\s*)?(?P<times>{SUMMARY_TIME}(?:\s*[,;]\s*{SUMMARY_TIME})*)\)"
)
_TIME_RE = re.compile(SUMMARY_TIME)
# a chapter-list line: optional bullet, a bare/bracketed time, a separator, a title
# (a range "[00:00–01:51] Title" is its start; the end time is not title text)
_CHAPTER = re.compile(
    rf"^(?:[-*+•]\s+|\d+[.)]\s+)?(?P<open>[\(\[]?)(?P<time>{SUMMARY_TIME})(?![\d:])"
    rf"(?:\s*(?:[-–—]|to)\s*{SUMMARY_TIME}(?![\d:]))?(?P<close>[\)\]]?)"
    r"(?:\s*[-–—:|]\s*|\s+)(?=\S)"
)
# title-first chapter lines, "Frame rates 0:09" (only in runs of two or more)
_TITLE_FIRST = re.compile(
    rf"^(?:[-*+•]\s+)?(?P<title>[^\s\d\[(#|>].{{0,100}}?)\s*(?:[-–—:|]\s*)?"
    rf"(?<![\d:.])(?P<time>{SUMMARY_TIME})\s*$"
)
# a bare time in running text (one-line stamp lists: "Timestamps 00:00:00 Intro 00:02:29 ...")
_BARE_TIME = re.compile(rf"(?<![\w:.\[(/=])(?P<time>{SUMMARY_TIME})(?![\w:\])])")
_STAMPLIST_MIN = 3
_URL = re.compile(r"https?://[^\s<>()\[\]]+")
_T_PARAM = re.compile(r"[?&#]t=(\d+(?:\.\d+)?s?|(?:\d+h)?(?:\d+m)?(?:\d+s)?)(?=$|[&#])")
_T_PART = re.compile(r"(\d+)([hms])")

_LIST_ITEM = re.compile(r"^\s*(?:[-*+•‣◦▪●]|\d{1,3}[.)])\s+")
_GLUED_HEADING = re.compile(r"(?<=[.!?\])])\s*(?=#{1,6}\s+\S)")
_META = re.compile(
    r"^\s*(?:from|source|sources|by|author|authors|date|published|tags?|url|link|channel|"
    r"podcast|episode|guest|guests|host|hosts|speakers?|video)\s*:",
    re.I,
)

_ANCHOR = re.compile(r"<a\b(?P<attrs>[^<>]*)>(?P<inner>(?:[^<]|<(?!/?a\b))*?)</a\s*>", re.I)
_DATA_T = re.compile(r"""data-t\s*=\s*["']?([^"'\s>]+)""", re.I)
_WIKI_LABEL = re.compile(r"\[\[([^\[\]|]*)\|([^\[\]]*)\]\]")
_WIKI = re.compile(r"\[\[([^\[\]]*)\]\]")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.!?,;:)\]”’])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[“‘])\s+")
_LEADING_JUNK = re.compile(r"^[\s,.;:!?)\]|]+")
_TRAILING_JUNK = re.compile(r"[\s,;:(\[|–—-]+$")


def _tidy(text: str) -> str:
    """Make a cut-out fragment (plain text) read as a sentence."""
    text = collapse(text)
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
                return TAG.sub("", inner)
            t = _DATA_T.search(m.group("attrs"))
            if t:
                value = t.group(1)
                if parse_clock(value) is not None and ":" not in value:
                    value = format_timestamp(parse_clock(value))
                if parse_clock(value) is not None:
                    return f"[{value}]"
            return inner

        line = _ANCHOR.sub(anchor, line)
        line = TAG.sub(" ", line)
    if "http" in line:
        line = _drop_urls(line)
    return line.rstrip()


def _wiki_links(line: str) -> str:
    """``[[page|label]]`` -> label, ``[[page]]`` -> page; ``[[00:01:06]]`` stays a stamp."""
    if "[[" not in line:
        return line
    line = _WIKI_LABEL.sub(lambda m: _wiki_text(m.group(2)) or _wiki_text(m.group(1)), line)
    return _WIKI.sub(lambda m: _wiki_text(m.group(1)), line)


def _wiki_text(inner: str) -> str:
    inner = inner.strip()
    return f"[{inner}]" if _TIME_RE.fullmatch(inner) else inner


# text_join off: an escape or entity stays a token of its own, written back as it was
# (``summary_markdown`` reads the line's inline markup later)
_MD = MarkdownIt("commonmark").enable("table").disable("text_join")
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
            elif kind.endswith(("_open", "_close")) or kind == "text_special":
                out.append(tok.markup)  # markup, escapes and entities as written
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
            out.append((no, _wiki_links(part)))
    return out


def _title_first(line: str) -> re.Match[str] | None:
    m = _TITLE_FIRST.match(line.strip())
    if not m or _TIME_RE.search(m.group("title")) or parse_clock(m.group("time")) is None:
        return None
    return m


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


_TIME_CELL = re.compile(rf"[\[(]?({SUMMARY_TIME})(?:\s*(?:[-–—]|to)\s*{SUMMARY_TIME})?[\])]?")


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
                cell = _TIME_CELL.fullmatch(cells[time_at])
                assert cell is not None  # time_at was chosen by this very match
                time = cell.group(1)
                rest = " — ".join(c for k, c in enumerate(cells) if k != time_at and c)
                out[first_no + tok.map[0]] = f"{time} {rest}" if rest else ""
            i = j
        i += 1
    return out


def _has_timestamp(text: str) -> bool:
    return bool(_TS_BRACKET.search(text) or _TS_PAREN.search(text) or _CHAPTER.match(text.strip()))
