"""The fetch interface: what every route needs from the outside world, as three small
protocols, so tests can put recorded responses in their place (no test touches the
network).

- ``Transport.get(url)``: one HTTP GET (feeds, transcripts, chapters);
- ``VideoSite.extract(url)`` / ``VideoSite.read(url)``: yt-dlp's metadata and subtitle files;
- ``TranscriptService.fetch(video_id)``: youtube-transcript-api's segments (the fallback).

A route reports what it is doing through ``progress(step, detail)`` and raises
``FetchError`` (one line, naming the source) for anything a user can meet: offline,
blocked, private, no transcript.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from ..errors import ReaderError

Progress = Callable[[str, str], None]


def no_progress(step: str, detail: str) -> None:
    pass


class FetchError(ReaderError):
    """A source could not give an episode. ``str()`` is ``source: message``."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}")


@dataclass
class Response:
    url: str
    data: bytes
    content_type: str = ""


class Transport(Protocol):
    def get(self, url: str) -> Response: ...


class VideoSite(Protocol):
    def extract(self, url: str) -> dict[str, Any]: ...

    def read(self, url: str) -> bytes: ...


class TranscriptService(Protocol):
    def fetch(self, video_id: str, languages: list[str]) -> list[dict[str, Any]]: ...


@dataclass
class Fetchers:
    transport: Transport
    video_site: VideoSite
    transcripts: TranscriptService
