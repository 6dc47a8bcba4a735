"""HTTP GET through the standard library (feeds, transcripts and chapters are small files)."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from urllib.parse import urlparse

from .. import __version__
from .base import FetchError, Response

MAX_BYTES = 64 * 1024 * 1024
TIMEOUT_S = 30


class UrllibTransport:
    def get(self, url: str) -> Response:
        if urlparse(url).scheme not in ("http", "https"):  # a feed may not point at local files
            raise FetchError(url, "only http and https links are followed")
        request = urllib.request.Request(url, headers={"User-Agent": f"reader/{__version__}"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as reply:
                data = reply.read(MAX_BYTES + 1)
                content_type = reply.headers.get("Content-Type", "")
                final_url = reply.geturl()
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                raise FetchError(
                    url, f"access denied (HTTP {exc.code}): private or blocked"
                ) from None
            if exc.code == 404:
                raise FetchError(url, "not found (HTTP 404)") from None
            raise FetchError(url, f"the server answered HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, socket.gaierror):
                raise FetchError(url, "cannot reach the host (offline, or no such host)") from None
            raise FetchError(
                url, f"cannot connect: {getattr(reason, 'strerror', None) or reason}"
            ) from None
        except TimeoutError:
            raise FetchError(url, f"no answer within {TIMEOUT_S} s") from None
        except (OSError, ValueError) as exc:
            raise FetchError(url, f"cannot fetch: {exc}") from None
        if len(data) > MAX_BYTES:
            raise FetchError(
                url, f"larger than {MAX_BYTES // (1024 * 1024)} MB; not a transcript or feed"
            )
        return Response(url=final_url, data=data, content_type=content_type)
