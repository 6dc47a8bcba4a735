"""Summary lines -> blocks, with markdown-it-py reading the Markdown.

markdown-it-py gives the block structure (headings, list items, blockquotes, rules,
paragraphs, each with the source lines it came from) and turns inline markup (emphasis,
strikethrough, code, images, links, entities, escapes) into plain text. What AI summaries
write that is not Markdown stays with reader's own rules, applied to each line of a
paragraph: chapter lines (``0:00 Intro``, ``Title 0:09``), one-line stamp lists, bold lines
standing as headings, ``•`` bullets, ``Source:``-style metadata lines, and fence lines
around a whole summary (read as its content, not as code).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from reader.model import parse_clock
from reader.parse._common import collapse
from reader.parse.summary_blocks import (
    _CHAPTER,
    _LIST_ITEM,
    _META,
    _Block,
    _has_timestamp,
    _is_stamp_list,
    _title_first,
)

# Not read as Markdown: indented and fenced code (a summary wrapped in ```markdown, an
# indented bullet or heading, is still summary text), setext headings (a "---" under a
# line is a rule in AI output), HTML blocks (tags are stripped earlier), reference
# definitions ("[00:01]: Intro" is a chapter line) and tables (read earlier, by line).
_OFF = ["code", "fence", "lheading", "html_block", "reference", "table"]
_MD = MarkdownIt("commonmark").disable(_OFF).enable("strikethrough")
_MD.disable("inline")  # the core rule: inline content is parsed per block, below
# links and images were already made text line by line (summary_blocks._normalize_links):
# what looks like one now ("[00:01:06](1:06)", "[x]([00:00:05])") is text and timestamps
_INLINE = MarkdownIt("commonmark").enable("strikethrough").disable(["link", "image", "autolink"])
# a paragraph without any of these has no inline markup: its lines are its text
_MARKUP = re.compile(r"[*_`~\\&<]")

# markdown-it stops reading a container nested deeper than maxNesting (20): such lines
# are read one by one, their container markers dropped
_CONTAINERS = re.compile(r"^[\s>]*")
_EMPTY_ITEM = re.compile(r"^(?:[-*+]|\d{1,9}[.)])?\s*$")
_FENCE = re.compile(r"^\s*(?:`{3,}|~{3,})\s*[\w+.-]*\s*$")
# markers Markdown leaves as text when they are not closed on the same paragraph
_STRAY = re.compile(r"\*\*|__|~~|`")


# (kind, first line index, end line index, heading level, inline content)
_Found = tuple[str, int, int, int, str]


def _plain(tokens: Sequence[Token]) -> str:
    out: list[str] = []
    for tok in tokens:
        kind = tok.type
        if kind == "text":
            out.append(_STRAY.sub("", tok.content))
        elif kind == "code_inline":
            out.append(tok.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind == "html_inline":
            out.append(" ")
        # emphasis, strikethrough and link open/close markers: nothing
    return "".join(out)


def _inline(text: str) -> list[Token]:
    return _INLINE.parseInline(text)[0].children or []


def _lines_of(tokens: list[Token]) -> list[list[Token]]:
    lines: list[list[Token]] = [[]]
    for tok in tokens:
        if tok.type in ("softbreak", "hardbreak"):
            lines.append([])
        else:
            lines[-1].append(tok)
    return lines


def _is_bold_line(tokens: list[Token]) -> bool:
    """A line that opens with a strong span and closes one (a ":" may follow):
    ``**Reliability of AI Agents**``, ``**Speed** and **Quality**:``, a pseudo-heading."""

    def filler(tok: Token, chars: str) -> bool:
        return tok.type == "text" and not tok.content.strip(chars)

    start, end = 0, len(tokens)
    while start < end and filler(tokens[start], " "):
        start += 1
    while end > start and filler(tokens[end - 1], ": "):
        end -= 1
    return (
        end - start >= 3
        and tokens[start].type == "strong_open"
        and tokens[end - 1].type == "strong_close"
    )


def _paragraph(content: str, n: int) -> list[tuple[str, bool]]:
    """A paragraph's ``n`` lines as (plain text, is a bold line)."""
    if not _MARKUP.search(content):
        return [(collapse(line), False) for line in content.split("\n")]
    lines = _lines_of(_inline(content))
    if len(lines) != n:  # a code span or tag across lines: read line by line
        lines = [_inline(line) for line in content.split("\n")]
        if len(lines) != n:
            return [(collapse(line), False) for line in (content.split("\n") + [""] * n)[:n]]
    return [(collapse(_plain(toks)), _is_bold_line(toks)) for toks in lines]


def _md_blocks(lines: list[tuple[int, str]]) -> list[_Found]:
    """(kind, first line index, end line index, level, inline content) for each heading
    and paragraph; kind "item" is a paragraph opening a list item."""
    text = "\n".join("" if _FENCE.match(line) else line for _, line in lines)
    tokens = _MD.parse(text)
    out: list[_Found] = []
    markers: list[Token] | None = None  # the list items opened on the coming line
    for i, tok in enumerate(tokens):
        if tok.type == "list_item_open":
            markers = (markers or []) + [tok]
        elif tok.type == "inline" and tok.map and i > 0:
            a, b = tok.map
            opener = tokens[i - 1]
            if opener.type == "heading_open":
                out.append(("heading", a, b, int(opener.tag[1:]), tok.content))
            elif markers and all(len(m.info) <= 3 for m in markers):
                out.append(("item", a, b, 0, tok.content))
            elif markers:  # "2024. A year" is a sentence, not item 2024
                prefix = "".join(f"{m.info}{m.markup} " for m in markers)
                out.append(("para", a, b, 0, prefix + tok.content))
            else:
                out.append(("para", a, b, 0, tok.content))
            markers = None
        elif tok.type in ("blockquote_open", "hr", "list_item_close"):
            markers = None
        if tok.type == "hr" and tok.map:
            out.append(("hr", tok.map[0], tok.map[1], 0, ""))
    return out


def _unread(lines: list[tuple[int, str]], covered: set[int]) -> list[_Found]:
    """The lines markdown-it did not read (nested too deep), each a paragraph line."""
    out: list[_Found] = []
    last = -2  # the last line read here
    for i, (_, line) in enumerate(lines):
        if i in covered:
            continue
        text = _CONTAINERS.sub("", line, count=1)
        if _EMPTY_ITEM.match(text) or _FENCE.match(text):
            continue
        if _LIST_ITEM.match(text):
            out.append(("item", i, i + 1, 0, _LIST_ITEM.sub("", text, count=1)))
        else:
            out.append(("cont" if last == i - 1 else "para", i, i + 1, 0, text))
        last = i
    return out


def _blocks(lines: list[tuple[int, str]]) -> list[_Block]:
    """Logical lines (file line, text) -> blocks whose lines hold plain text."""
    plain: dict[int, tuple[str, bool, str]] = {}  # line index -> (text, bold, role)
    headings: dict[int, tuple[int, str]] = {}
    found = _md_blocks(lines)
    covered = {k for _, a, b, _, _ in found for k in range(a, b)}
    if len(covered) < len(lines):
        found += _unread(lines, covered)
    for kind, a, b, level, content in found:
        if kind == "hr":
            continue
        if kind == "heading":
            if content:  # a lone "#" is no heading
                headings[a] = (level, collapse(_plain(_inline(content))))
            continue
        for k, (text, bold) in enumerate(_paragraph(content, b - a)):
            role = ("item" if kind == "item" else "start") if k == 0 else "cont"
            role = "cont" if kind == "cont" else role
            plain[a + k] = (text, bold, role)
    hits = [i in plain and _title_first(plain[i][0]) is not None for i in range(len(lines))]
    titled = {
        i for i, hit in enumerate(hits)
        if hit and ((i > 0 and hits[i - 1]) or (i + 1 < len(hits) and hits[i + 1]))
    }
    blocks: list[_Block] = []
    cur: _Block | None = None
    for idx, (no, _) in enumerate(lines):
        if idx in headings:
            level, name = headings[idx]
            blocks.append(_Block("heading", [(no, name)], level=level))
            cur = None
            continue
        if idx not in plain:  # blank, a rule, a fence line
            cur = None
            continue
        line, bold, role = plain[idx]
        if role == "start":
            cur = None
        if not line:
            continue
        if bold and role != "item" and not _has_timestamp(line):
            blocks.append(_Block("boldline", [(no, line)]))
            cur = None
            continue
        if idx in titled:
            m = _title_first(line)
            assert m is not None  # titled holds the lines _title_first matched
            # as a leading-time chapter line: "0:09 Frame rates"
            cur = _Block("chapter", [(no, f"{m.group('time')} {m.group('title').strip()}")])
            blocks.append(cur)
            continue
        if _is_stamp_list(line):
            blocks.append(_Block("stamplist", [(no, line)]))
            cur = None
            continue
        chapter = _CHAPTER.match(line)
        if chapter and parse_clock(chapter.group("time")) is not None:
            cur = _Block("chapter", [(no, line)])
            blocks.append(cur)
            continue
        if role == "item":
            cur = _Block("item", [(no, line)])
            blocks.append(cur)
            continue
        if _LIST_ITEM.match(line):  # "• point", or an item Markdown reads as text
            cur = _Block("item", [(no, _LIST_ITEM.sub("", line, count=1).strip())])
            blocks.append(cur)
            continue
        if cur is None:
            kind = "meta" if _META.match(line) and not _has_timestamp(line) else "para"
            cur = _Block(kind, [])
            blocks.append(cur)
        cur.lines.append((no, line))
    return blocks
