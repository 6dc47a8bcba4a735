"""A podcast feed (RSS with the Podcasting 2.0 namespace) -> one new episode.

feedparser reads the feed (titles, dates, enclosures, durations, show notes). It keeps
only the last ``podcast:transcript`` of an item, and an item often offers several formats,
so those elements are read from the same bytes with the standard library's XML parser.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import feedparser

from ..adding import NewEpisode, NewFile
from ..model import format_clock, parse_clock
from .base import FetchError, Progress, Transport
from .chapters import podcast_chapters_summary, summary_parser_reads
from .notes import notes_text, timestamp_count

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
PODCAST_NS_ALT = ("https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",)

# formats reader reads, best first (times and speakers before plain text)
TRANSCRIPT_TYPES = [
    ("application/json", "transcript.json"),
    ("text/vtt", "transcript.vtt"),
    ("application/x-subrip", "transcript.srt"),
    ("application/srt", "transcript.srt"),
    ("text/srt", "transcript.srt"),
    ("text/html", "transcript.html"),
    ("text/plain", "transcript.txt"),
]


def parse_feed(data: bytes) -> Any:
    """The feedparser result if ``data`` is a feed with episodes, else None."""
    parsed = feedparser.parse(data)
    if parsed.get("version") and parsed.entries:
        return parsed
    return None


@dataclass
class TranscriptLink:
    url: str
    type: str
    language: str = ""


def _item_transcripts(data: bytes) -> dict[str, list[TranscriptLink]]:
    """Every item's ``podcast:transcript`` links, keyed by guid and by title."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return {}
    result: dict[str, list[TranscriptLink]] = {}
    namespaces = (PODCAST_NS, *PODCAST_NS_ALT)
    for item in root.iter("item"):
        links = []
        for ns in namespaces:
            for el in item.findall(f"{{{ns}}}transcript"):
                url = (el.get("url") or "").strip()
                if url:
                    links.append(
                        TranscriptLink(
                            url, (el.get("type") or "").strip().lower(), el.get("language") or ""
                        )
                    )
        for key in ((item.findtext("guid") or "").strip(), (item.findtext("title") or "").strip()):
            if key:
                result.setdefault(key, links)
    return result


def _entry_time(entry: Any) -> float:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.mktime(parsed) if parsed else 0.0


def pick_entry(feed_url: str, parsed: Any, choice: str | None) -> Any:
    """``latest`` (default), ``N`` (the episode number, else the Nth newest) or a title."""
    entries = list(parsed.entries)
    newest_first = sorted(entries, key=_entry_time, reverse=True)
    choice = (choice or "latest").strip()
    if choice.lower() == "latest":
        return newest_first[0]
    if choice.isdigit():
        n = int(choice)
        for e in entries:
            number = str(e.get("itunes_episode") or e.get("podcast_episode") or "").strip()
            if number == choice:
                return e
        if 1 <= n <= len(newest_first):
            return newest_first[n - 1]
        raise FetchError(feed_url, f"no episode {n} (the feed has {len(entries)})")
    wanted = choice.casefold()
    exact = [e for e in entries if (e.get("title") or "").strip().casefold() == wanted]
    matches = exact or [e for e in entries if wanted in (e.get("title") or "").casefold()]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise FetchError(
            feed_url, f"no episode titled like '{choice}' (the feed has {len(entries)})"
        )
    names = "; ".join((e.get("title") or "?") for e in matches[:3])
    raise FetchError(
        feed_url, f"{len(matches)} episodes match '{choice}' ({names}...): be more precise"
    )


def _duration(entry: Any) -> float | None:
    value = str(entry.get("itunes_duration") or "").strip()
    if not value:
        return None
    seconds = parse_clock(value)
    return seconds if seconds and seconds > 0 else None


def _enclosure(entry: Any) -> str:
    for link in entry.get("links", []):
        if link.get("rel") == "enclosure" and link.get("href"):
            return str(link["href"])
    return ""


def _date(entry: Any) -> str:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else ""


def _rank(link: TranscriptLink) -> int:
    for i, (mime, _) in enumerate(TRANSCRIPT_TYPES):
        if link.type == mime:
            return i
    return len(TRANSCRIPT_TYPES)


def _name_for(link: TranscriptLink) -> str:
    for mime, name in TRANSCRIPT_TYPES:
        if link.type == mime:
            return name
    return "transcript" + (
        "." + link.url.rsplit(".", 1)[-1][:5] if "." in link.url.rsplit("/", 1)[-1] else ".txt"
    )


def fetch_feed(
    feed_url: str, data: bytes, choice: str | None, transport: Transport, progress: Progress,
    parsed: Any = None,
) -> NewEpisode:
    from .check import readable_transcript

    parsed = parsed or parse_feed(data)
    if parsed is None:
        raise FetchError(feed_url, "not a podcast feed")
    entry = pick_entry(feed_url, parsed, choice)
    show = (parsed.feed.get("title") or "").strip()
    title = (entry.get("title") or "").strip()
    duration = _duration(entry)
    progress("metadata", f"{title} · {show}" + (f" · {format_clock(duration)}" if duration else ""))

    links = _item_transcripts(data)
    key_guid, key_title = (entry.get("id") or "").strip(), title
    found = links.get(key_guid) or links.get(key_title) or []
    if not found and entry.get("podcast_transcript"):
        t = entry["podcast_transcript"]
        found = [TranscriptLink(t.get("url", ""), (t.get("type") or "").lower())]
    if not found:
        raise FetchError(
            feed_url, f"'{title}' has no podcast:transcript: reader needs a transcript to show"
        )

    files: list[NewFile] = []
    errors = []
    for link in sorted(found, key=_rank):
        progress("transcript", f"{link.type or 'unknown type'} {link.url}")
        try:
            reply = transport.get(link.url)
        except FetchError as exc:
            errors.append(str(exc))
            continue
        name = _name_for(link)
        problem = readable_transcript(reply.data, name)
        if problem:
            errors.append(f"{link.url}: {problem}")
            continue
        files.append(NewFile(name, reply.data, link.url, "transcript"))
        break
    if not files:
        raise FetchError(
            feed_url,
            f"no transcript of '{title}' could be read ({errors[0] if errors else 'none'})",
        )

    chapters = entry.get("podcast_chapters")
    if isinstance(chapters, dict) and chapters.get("url"):
        progress("chapters", chapters["url"])
        try:
            reply = transport.get(chapters["url"])
        except FetchError as exc:
            raise FetchError(feed_url, f"chapters: {exc}") from None
        summary = podcast_chapters_summary(reply.data)
        if summary:
            files.append(NewFile(summary[0], summary[1], chapters["url"], "summary"))

    raw_notes = ""
    if entry.get("content"):
        raw_notes = entry["content"][0].get("value", "")
    raw_notes = raw_notes or entry.get("summary", "")
    if raw_notes.strip():
        text = notes_text(raw_notes)
        timed = timestamp_count(text) >= 2 and summary_parser_reads(
            text.encode("utf-8"), "shownotes.md"
        )
        role = "summary" if timed else "notes"
        progress(
            "show notes", "with timestamps, kept as a summary" if role == "summary" else "kept"
        )
        files.append(NewFile("shownotes.md" if role == "summary" else "shownotes.txt",
                             text.encode("utf-8"), feed_url, role))

    return NewEpisode(
        title=title, show=show, date=_date(entry), duration_s=duration, url=_enclosure(entry),
        files=files, origin=feed_url,
    )
