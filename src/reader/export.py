"""One Markdown note per episode, the layout Obsidian and Logseq users paste into their
vaults: YAML front matter (title, show, date, source URL, duration), the highlights and
notes as quotes with timestamps and deep links, then each summary (marked as AI text)
with every claim linked to its moment.

Writing is atomic (:func:`reader.atomic.write_atomic`) and never replaces an existing
file unless asked to. No Textual here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .errors import ReaderError
from .length import known_length
from .notes import Highlight, HighlightStore
from .paths import data_dir
from .quote import stamp
from .text import strip_controls

FORMATS = ("md",)
EXPORTS = "exports"


def _plain(text: str) -> str:
    """One line of file text, no control characters."""
    return " ".join(strip_controls(str(text or "")).split())


_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|]|(?<!\w)_|_(?!\w))")


def _md(text: str) -> str:
    """File text as literal Markdown: characters that would make links, emphasis, HTML or
    tables are escaped; a line never starts a heading or a quote by accident."""
    out = _MD_SPECIAL.sub(r"\\\1", _plain(text))
    return re.sub(r"^([#>+-]|\d+\.)", r"\\\1", out)


def _yaml(value: str) -> str:
    return json.dumps(_plain(value), ensure_ascii=False)  # a JSON string is a YAML string


def _when(episode: Any, seconds: float, estimated: bool) -> str:
    link = episode.link_at(seconds)
    text = stamp(seconds, estimated)
    return f"[{text}]({link.replace(' ', '%20')})" if link else f"`{text}`"


def render(episode: Any, highlights: Iterable[Highlight] = (), alignment: Any = None) -> str:
    """The episode's note as Markdown text."""
    meta = episode.meta
    duration, estimated = known_length(episode, alignment)
    source = meta.url or (episode.link_at(0).split("?")[0] if meta.video_id else "")
    lines = ["---", f"title: {_yaml(meta.title)}"]
    if meta.show:
        lines.append(f"show: {_yaml(meta.show)}")
    if meta.date:
        lines.append(f"date: {_yaml(meta.date)}")
    if source:
        lines.append(f"source: {_yaml(source)}")
    if duration:
        lines.append(f"duration: {_yaml(stamp(duration, estimated))}")
    lines.append(f"episode: {_yaml(episode.id)}")
    lines += ["tags: [podcast]", "---", "", f"# {_md(meta.title)}", ""]
    about = [p for p in (_md(meta.show), _md(meta.date)) if p]
    if source:
        about.append(f"[Source]({_plain(source).replace(' ', '%20')})")
    if about:
        lines += [" · ".join(about), ""]

    marked = sorted(highlights, key=lambda h: h.seconds)
    lines += ["## Highlights", ""]
    if not marked:
        lines += ["*No highlights yet.*", ""]
    for h in marked:
        who = f"{_md(h.speaker)} · " if h.speaker else ""
        lines.append(f"> “{_md(h.text)}”")
        lines.append(f"> — {who}{_when(episode, h.seconds, h.estimated)}")
        lines.append("")
        if h.note:
            lines += [_md(h.note), ""]

    for summary in _summaries(episode):
        lines += [f"## Summary (AI, {_md(summary.path.name)})", ""]
        lines += ["*Written by an AI, not the speakers' words; each time links to its moment.*", ""]
        section = None
        for claim in summary.claims:
            if claim.section != section:
                section = claim.section
                if section:
                    lines += ["", f"### {_md(section)}", ""]
            lines.append(f"- {_md(claim.text)} {_when(episode, claim.seconds, False)}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _summaries(episode: Any) -> list[Any]:
    try:
        return list(episode.summaries)
    except Exception:  # noqa: BLE001 - an unreadable summary is left out, not fatal
        return []


def _alignment(episode: Any) -> tuple[Any, Any]:
    """(Readable, Alignment) of the episode's transcript, or (None, None)."""
    try:
        from .readable import Readable
        from .sync import align_cached

        transcript = episode.transcript
        alignment = align_cached(transcript, _summaries(episode), episode.known_duration_s)
        return Readable(transcript.units, timed=transcript.timed), alignment
    except Exception:  # noqa: BLE001 - times then stay as they were saved
        return None, None


def episode_note(episode: Any, store: HighlightStore | None = None) -> str:
    """The note for ``episode`` with its saved highlights, located again in the current
    transcript (a re-alignment moves their times)."""
    from .notes import relocate

    store = store if store is not None else HighlightStore.load(episode.id)
    doc, alignment = _alignment(episode)
    highlights = list(store.highlights)
    if doc is not None and highlights:
        highlights = [h for h, _where in relocate(store, doc, alignment, save=False)]
    return render(episode, highlights, alignment)


def write_note(text: str, path: Path, force: bool = False) -> Path:
    """Write atomically; an existing file is replaced only with ``force``."""
    path = Path(path)
    if path.is_dir():
        raise ReaderError(f"{path}: is a folder (give the note a file name, e.g. {path}/note.md)")
    try:
        write_atomic(path, text, overwrite=force)
    except FileExistsError:
        raise ReaderError(f"{path}: already exists (use --force to replace it)") from None
    except OSError as exc:
        raise ReaderError(f"{path}: cannot write the export: {exc.strerror or exc}") from None
    return path


def export_to_data_dir(episode: Any, store: HighlightStore | None = None) -> Path:
    """The app's export: ``data_dir()/exports/EPISODE.md``, or ``EPISODE-2.md``… if that
    exists (an export is never overwritten)."""
    text = episode_note(episode, store)
    folder = data_dir() / EXPORTS
    base = re.sub(r"[^\w.-]+", "_", episode.id).strip("._") or "episode"
    for n in range(1, 1000):
        path = folder / (f"{base}.md" if n == 1 else f"{base}-{n}.md")
        try:
            return write_note(text, path)
        except ReaderError:
            if not path.exists():
                raise
    raise ReaderError(f"{folder}: too many exports of {episode.id}")


__all__ = ["FORMATS", "render", "episode_note", "write_note", "export_to_data_dir"]
