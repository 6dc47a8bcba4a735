"""A real HTTP server on 127.0.0.1 serving a folder, for the fetch routes' end-to-end tests.
Paths under /private/ answer 403 (a blocked or private source)."""

from __future__ import annotations

import contextlib
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".xml": "application/rss+xml",
                      ".vtt": "text/vtt", ".srt": "application/x-subrip"}

    def log_message(self, format, *args):  # keep the test output clean
        pass

    def do_GET(self):
        if self.path.startswith("/private/"):
            self.send_error(403, "Forbidden")
            return
        super().do_GET()


@contextlib.contextmanager
def serve(folder: Path):
    """Serve ``folder``; yields the base URL (``http://127.0.0.1:PORT``)."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
