"""Recorded responses in place of the network, for the fetch interface (reader.fetch.base).

``RecordedTransport`` answers GETs from a dict of URL -> bytes (a missing URL is what an
offline machine says); ``RecordedVideoSite`` answers yt-dlp's ``extract`` with a recorded
info dict (or raises the recorded error) and ``read`` from recorded subtitle bytes;
``RecordedTranscripts`` stands in for youtube-transcript-api.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.fetch.base import FetchError, Fetchers, Response


@dataclass
class RecordedTransport:
    responses: dict[str, bytes] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)

    def get(self, url: str) -> Response:
        self.requested.append(url)
        if url not in self.responses:
            raise FetchError(url, "cannot reach the host (offline, or no such host)")
        value = self.responses[url]
        if isinstance(value, Exception):
            raise value
        return Response(url=url, data=value)


@dataclass
class RecordedVideoSite:
    info: dict | None = None
    error: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    read_urls: list[str] = field(default_factory=list)

    def extract(self, url: str) -> dict:
        if self.error:
            raise FetchError(url, self.error)
        return dict(self.info or {})

    def read(self, url: str) -> bytes:
        self.read_urls.append(url)
        if url not in self.files:
            raise FetchError(url, "HTTP Error 404: Not Found")
        return self.files[url]


@dataclass
class RecordedTranscripts:
    segments: list[dict] | None = None
    asked: list[str] = field(default_factory=list)

    def fetch(self, video_id: str, languages: list[str]) -> list[dict]:
        self.asked.append(video_id)
        if self.segments is None:
            raise FetchError(f"youtube:{video_id}", "youtube-transcript-api: TranscriptsDisabled")
        return self.segments


def fetchers(transport=None, video_site=None, transcripts=None) -> Fetchers:
    return Fetchers(
        transport=transport or RecordedTransport(),
        video_site=video_site or RecordedVideoSite(error="offline"),
        transcripts=transcripts or RecordedTranscripts(),
    )
