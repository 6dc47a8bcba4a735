"""Episodes from where people get them: a URL (yt-dlp), a podcast feed, a yt-dlp download.

``fetch_episode(source, ...)`` chooses the route and returns a ``NewEpisode`` (bytes in
memory, nothing written); ``reader.adding.stage_episode`` then checks and writes it.

- ``VIDEO.info.json`` on disk: yt-dlp's metadata and the subtitle files beside it;
- an http(s) URL: YouTube goes to yt-dlp; anything else is fetched once and, if it is a
  feed, read as one (``--episode``); otherwise yt-dlp is asked (any site it supports).

The outside world is reached only through ``Fetchers`` (see ``base``); tests put recorded
responses there.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from ..adding import NewEpisode
from .base import FetchError, Fetchers, Progress, Response, no_progress

__all__ = [
    "FetchError",
    "Fetchers",
    "Response",
    "fetch_episode",
    "default_fetchers",
    "is_fetchable",
]

YOUTUBE_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com")


def default_fetchers() -> Fetchers:
    from .http import UrllibTransport
    from .ytdlp import TranscriptApi, YtDlpSite

    return Fetchers(
        transport=UrllibTransport(), video_site=YtDlpSite(), transcripts=TranscriptApi()
    )


def is_url(source: str) -> bool:
    return urlparse(source).scheme in ("http", "https")


def is_fetchable(source: str) -> bool:
    """A URL or a yt-dlp info.json (the file route handles everything else)."""
    return is_url(source) or source.endswith(".info.json")


def _host_is_youtube(url: str) -> bool:
    host = (urlparse(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in YOUTUBE_HOSTS)


def fetch_episode(
    source: str,
    episode: str | None = None,
    fetchers: Fetchers | None = None,
    progress: Progress = no_progress,
) -> NewEpisode:
    from .feed import fetch_feed, parse_feed
    from .ytdlp import info_to_episode, local_subtitle_files, read_info_json, read_local_subtitle

    if not is_url(source):
        path = Path(source)
        if path.is_dir():
            raise FetchError(source, "is a folder; give the .info.json file yt-dlp wrote")
        if not path.is_file():
            raise FetchError(source, "no such file")
        progress("metadata", f"yt-dlp info file {path.name}")
        info = local_subtitle_files(path, read_info_json(path))
        return info_to_episode(info, str(path), read_local_subtitle, None, progress)

    fetchers = fetchers or default_fetchers()
    if _host_is_youtube(source) and episode:
        raise FetchError(source, "--episode picks an episode of a podcast feed, not of a video")
    if not _host_is_youtube(source):
        progress("fetching", source)
        reply = fetchers.transport.get(source)
        parsed = parse_feed(reply.data)
        if parsed is not None:
            return fetch_feed(source, reply.data, episode, fetchers.transport, progress, parsed)
        if episode:
            raise FetchError(source, "not a podcast feed, so --episode does not apply")
    progress("metadata", f"asking yt-dlp about {source}")
    info = fetchers.video_site.extract(source)
    return info_to_episode(
        info,
        source,
        lambda fmt: fetchers.video_site.read(fmt["url"]),
        fetchers.transcripts,
        progress,
    )
