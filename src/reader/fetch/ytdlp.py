"""YouTube and every site yt-dlp supports -> one new episode, through yt-dlp's Python API.

The same ``info`` dictionary comes from two places: ``extract_info(url)`` for a URL, and
the ``.info.json`` yt-dlp writes beside a download (``reader add VIDEO.info.json``, whose
subtitle files lie beside it). From it: title, channel, duration, upload date, the
chapters (as a summary), the description (kept; as a summary too when it carries the
timestamps and the video has no chapters) and the subtitles: manual ones preferred,
automatic captions otherwise (reader's VTT reader removes their rolling duplicates).
Where a YouTube video offers no subtitles to yt-dlp, youtube-transcript-api is asked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from ..adding import NewEpisode, NewFile
from ..model import format_clock
from .base import FetchError, Progress, TranscriptService
from .chapters import chapter_text, summary_parser_reads
from .check import readable_transcript
from .notes import notes_text, timestamp_count

SUB_EXTS = ("vtt", "srt")  # formats reader reads, best first
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _lang_order(info: dict[str, Any], langs: list[str]) -> list[str]:
    want = [info.get("language") or "", "en"]
    ordered: list[str] = []
    for w in want:
        if not w:
            continue
        for cand in (w, f"{w}-orig"):
            if cand in langs and cand not in ordered:
                ordered.append(cand)
        for cand in langs:
            if cand.split("-")[0] == w and cand not in ordered:
                ordered.append(cand)
    ordered += [lang for lang in langs if lang.endswith("-orig") and lang not in ordered]
    ordered += [lang for lang in langs if lang not in ordered]
    return [lang for lang in ordered if lang != "live_chat"]


def subtitle_choices(info: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(kind, language, format dict) to try, best first: manual before automatic."""
    result = []
    for kind, key in (("manual", "subtitles"), ("automatic", "automatic_captions")):
        tracks = info.get(key) or {}
        if not isinstance(tracks, dict):
            continue
        for lang in _lang_order(info, list(tracks)):
            formats = [f for f in tracks.get(lang) or [] if isinstance(f, dict)]
            for ext in SUB_EXTS:
                for fmt in formats:
                    if fmt.get("ext") == ext:
                        result.append((kind, lang, fmt))
                        break
                else:
                    continue
                break
    return result


def _date(info: dict[str, Any]) -> str:
    d = str(info.get("upload_date") or "")
    return f"{d[:4]}-{d[4:6]}-{d[6:8]}" if re.fullmatch(r"\d{8}", d) else ""


def is_youtube(info: dict[str, Any]) -> bool:
    return (
        str(info.get("extractor_key") or info.get("extractor") or "").lower().startswith("youtube")
    )


def info_to_episode(
    info: dict[str, Any],
    source: str,
    read_subtitle: Callable[[dict[str, Any]], bytes],
    transcripts: TranscriptService | None,
    progress: Progress,
) -> NewEpisode:
    """Build the episode from yt-dlp's info dictionary; ``read_subtitle(fmt)`` gives a
    subtitle track's bytes (downloaded, or the file beside an info.json)."""
    if info.get("_type") in ("playlist", "multi_video"):
        raise FetchError(source, "is a playlist or channel; give one video's URL")
    title = str(info.get("title") or "").strip()
    show = str(info.get("channel") or info.get("uploader") or "").strip()
    duration = info.get("duration")
    duration = float(duration) if isinstance(duration, (int, float)) and duration > 0 else None
    progress("metadata", f"{title} · {show}" + (f" · {format_clock(duration)}" if duration else ""))

    files: list[NewFile] = []
    tried = []
    for kind, lang, fmt in subtitle_choices(info):
        progress("subtitles", f"{kind} {lang} ({fmt.get('ext')})")
        try:
            data = read_subtitle(fmt)
        except FetchError as exc:
            tried.append(exc.message)
            continue
        name = f"subtitles.{lang}.{fmt.get('ext')}"
        problem = readable_transcript(data, name)
        if problem:
            tried.append(f"{lang}: {problem}")
            continue
        files.append(
            NewFile(name, data, fmt.get("filepath") or fmt.get("url") or source, "transcript")
        )
        break
    video_id = str(info.get("id") or "") if is_youtube(info) else ""
    if not files and video_id and transcripts is not None:
        progress("subtitles", "none from yt-dlp; asking youtube-transcript-api")
        try:
            segments = transcripts.fetch(video_id, [info.get("language") or "en", "en"])
        except FetchError as exc:
            tried.append(exc.message)
        else:
            data = json.dumps(segments, ensure_ascii=False, indent=1).encode("utf-8")
            if not readable_transcript(data, "transcript.json"):
                files.append(
                    NewFile(
                        "transcript.json", data, f"youtube-transcript-api:{video_id}", "transcript"
                    )
                )
    if not files:
        why = f" ({tried[0]})" if tried else ""
        raise FetchError(source, f"no subtitles or transcript for '{title or source}'{why}")

    chapters = [
        (float(c["start_time"]), str(c.get("title") or ""))
        for c in info.get("chapters") or []
        if isinstance(c, dict) and isinstance(c.get("start_time"), (int, float))
    ]
    if chapters:
        progress("chapters", f"{len(chapters)} chapters, kept as a summary")
        text = chapter_text(chapters)
        if text:
            files.append(NewFile("chapters.txt", text.encode("utf-8"), source, "summary"))
    description = str(info.get("description") or "")
    if description.strip():
        text = notes_text(description)
        data = text.encode("utf-8")
        timed = (
            not chapters
            and timestamp_count(text) >= 2
            and summary_parser_reads(data, "description.txt")
        )
        progress("description", "with timestamps, kept as a summary" if timed else "kept")
        files.append(NewFile("description.txt", data, source, "summary" if timed else "notes"))

    url = str(info.get("webpage_url") or info.get("original_url") or "")
    if not url.startswith(("http://", "https://")):
        url = ""
    return NewEpisode(
        title=title, show=show, date=_date(info), duration_s=duration, url=url,
        video_id=video_id, files=files, origin=source,
    )


# --- the real yt-dlp and youtube-transcript-api ------------------------------------------


def _clean_ytdlp_message(exc: Exception) -> str:
    text = _ANSI.sub("", str(exc)).strip()
    text = re.sub(r"^ERROR:\s*", "", text)
    text = re.sub(r"^\[[\w:]+\]\s*[\w-]+:\s*", "", text)
    first = text.splitlines()[0] if text else type(exc).__name__
    first = re.sub(r"\s*\(caused by .*$", "", first).strip()
    host = re.search(r"host='([^']+)'", first)
    if re.search(
        r"Failed to resolve|Name or service not known|Temporary failure in name resolution"
        r"|getaddrinfo",
        first,
    ):
        return f"cannot reach {host.group(1) if host else 'the site'} (offline, or no such host)"
    return first


class _QuietLogger:
    def debug(self, msg: str) -> None:
        pass

    info = warning = debug

    def error(self, msg: str) -> None:
        pass


class YtDlpSite:
    """yt-dlp's Python API: metadata without downloading the video, subtitle files."""

    def __init__(self) -> None:
        self._ydl: Any = None

    def _get(self) -> Any:
        if self._ydl is None:
            import yt_dlp

            self._ydl = yt_dlp.YoutubeDL({
                "quiet": True, "no_warnings": True, "noprogress": True, "skip_download": True,
                "noplaylist": True, "logger": _QuietLogger(), "socket_timeout": 30,
            })
        return self._ydl

    def extract(self, url: str) -> dict[str, Any]:
        from yt_dlp.utils import DownloadError, YoutubeDLError

        try:
            info = self._get().extract_info(url, download=False)
        except DownloadError as exc:
            message = _clean_ytdlp_message(exc)
            if "Unsupported URL" in message:
                message = "neither a podcast feed nor a page yt-dlp can read"
            raise FetchError(url, message) from None
        except YoutubeDLError as exc:
            raise FetchError(url, _clean_ytdlp_message(exc)) from None
        return cast("dict[str, Any]", self._get().sanitize_info(info))

    def read(self, url: str) -> bytes:
        from yt_dlp.utils import YoutubeDLError

        try:
            with self._get().urlopen(url) as reply:
                return bytes(reply.read())
        except YoutubeDLError as exc:
            raise FetchError(url, _clean_ytdlp_message(exc)) from None
        except OSError as exc:
            raise FetchError(url, f"cannot download the subtitles: {exc}") from None


class TranscriptApi:
    """youtube-transcript-api: the transcript YouTube shows, as segments."""

    def fetch(self, video_id: str, languages: list[str]) -> list[dict[str, Any]]:
        from youtube_transcript_api import YouTubeTranscriptApi
        from youtube_transcript_api._errors import CouldNotRetrieveTranscript

        try:
            fetched = YouTubeTranscriptApi().fetch(
                video_id, languages=list(dict.fromkeys(languages))
            )
        except CouldNotRetrieveTranscript as exc:
            first = str(exc).strip().splitlines()
            reason = type(exc).__name__
            raise FetchError(
                f"youtube:{video_id}",
                f"youtube-transcript-api: {reason}" + (f" ({first[0][:120]})" if first else ""),
            ) from None
        except Exception as exc:  # network errors come as requests' exceptions
            raise FetchError(
                f"youtube:{video_id}", f"youtube-transcript-api: {type(exc).__name__}"
            ) from None
        return fetched.to_raw_data()


# --- a yt-dlp download on disk -----------------------------------------------------------


def read_info_json(path: Path) -> dict[str, Any]:
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise FetchError(str(path), f"cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise FetchError(f"{path}:{exc.lineno}", f"not valid JSON ({exc.msg})") from None
    if not isinstance(info, dict) or not (info.get("id") or info.get("title")):
        raise FetchError(str(path), "not a yt-dlp info.json (no id or title)")
    return info


def local_subtitle_files(info_path: Path, info: dict[str, Any]) -> dict[str, Any]:
    """Point every subtitle track at the file yt-dlp wrote beside the info.json.

    yt-dlp names them ``NAME.LANG.EXT`` where the info file is ``NAME.info.json``;
    ``requested_subtitles`` records the ones it downloaded (with ``filepath``)."""
    stem = (
        info_path.name[: -len(".info.json")]
        if info_path.name.endswith(".info.json")
        else info_path.stem
    )
    folder = info_path.parent
    requested = info.get("requested_subtitles") or {}
    manual = set((info.get("subtitles") or {}).keys())
    tracks: dict[str, dict[str, list[dict[str, Any]]]] = {"subtitles": {}, "automatic_captions": {}}
    for p in sorted(folder.glob(f"{glob_escape(stem)}.*")):
        parts = p.name[len(stem) + 1:].rsplit(".", 1)
        if len(parts) != 2 or parts[1] not in SUB_EXTS or not p.is_file():
            continue
        lang, ext = parts
        req = requested.get(lang) if isinstance(requested, dict) else None
        kind = (
            "subtitles"
            if lang in manual and not (isinstance(req, dict) and req.get("_auto"))
            else "automatic_captions"
        )
        tracks[kind].setdefault(lang, []).append({"ext": ext, "filepath": str(p)})
    local = dict(info)
    local["subtitles"], local["automatic_captions"] = (
        tracks["subtitles"],
        tracks["automatic_captions"],
    )
    return local


def glob_escape(text: str) -> str:
    import glob

    return glob.escape(text)


def read_local_subtitle(fmt: dict[str, Any]) -> bytes:
    path = fmt.get("filepath")
    if not isinstance(path, str) or not path:
        raise FetchError(str(path), "cannot read the subtitle file: it names no file")
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise FetchError(str(path), f"cannot read the subtitle file: {exc}") from None
