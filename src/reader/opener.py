"""Open the moment at its source: a YouTube video at ``?t=SECONDS`` in the browser
(Python's ``webbrowser``, which honours ``$BROWSER``), a local media file or a podcast's
audio with ``mpv --start=SECONDS`` when mpv is installed. Every outcome is one line that
says what was done, or why nothing could be.

No Textual here. The app calls :func:`open_at` from a thread: a browser command may take
a moment to return.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import format_clock

MEDIA_SUFFIXES = (
    ".mp3",
    ".m4a",
    ".aac",
    ".ogg",
    ".opus",
    ".oga",
    ".flac",
    ".wav",
    ".mp4",
    ".m4v",
    ".mkv",
    ".webm",
    ".mov",
)
# what a browserless player takes from a URL: the same, less the video-only containers
AUDIO_URL_SUFFIXES = tuple(x for x in MEDIA_SUFFIXES if x not in (".mkv", ".mov"))


@dataclass(frozen=True, slots=True)
class Opened:
    ok: bool
    message: str  # one line for a notification
    target: str = ""  # the URL or file opened (or that would have been)


def media_file(episode: Any) -> Path | None:
    """A media file beside the episode's files (the same folder), if there is one."""
    try:
        files = sorted(
            p
            for p in Path(episode.folder).iterdir()
            if p.suffix.lower() in MEDIA_SUFFIXES and p.is_file()
        )
    except OSError:
        return None
    return files[0] if files else None


def audio_url(episode: Any) -> str:
    """The episode's URL when it points at audio or video (a podcast enclosure)."""
    url = getattr(episode.meta, "url", "") or ""
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    return url if path.endswith(AUDIO_URL_SUFFIXES) else ""


BROWSER_WAIT_S = 5.0  # a browser command still running after this is taken to have opened it


class _QuietBrowser(webbrowser.GenericBrowser):
    """A ``$BROWSER`` command run away from the terminal: its output would land on the
    app's screen. One that keeps running (a browser started afresh) counts as opened."""

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        cmdline = [self.name] + [arg.replace("%s", url) for arg in self.args]
        try:
            p = subprocess.Popen(
                cmdline,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                close_fds=True,
                start_new_session=True,
            )
        except OSError:
            return False
        try:
            return p.wait(BROWSER_WAIT_S) == 0
        except subprocess.TimeoutExpired:
            return True


def _browsers() -> list[Any]:
    """The browsers ``$BROWSER`` names (read now, not when webbrowser first looked), else
    webbrowser's default."""
    choice = os.environ.get("BROWSER", "")
    out: list[Any] = []
    for entry in (e for e in choice.split(os.pathsep) if e.strip()):
        if "%s" in entry:
            out.append(_QuietBrowser(shlex.split(entry)))
            continue
        try:
            known = webbrowser.get(entry)
        except webbrowser.Error:
            known = None
        if known is not None and type(known) is not webbrowser.GenericBrowser:
            out.append(known)  # one webbrowser knows how to drive (firefox, chrome…)
        elif shutil.which(entry):
            out.append(_QuietBrowser(entry))
    return out


def open_url(url: str) -> bool:
    """Open ``url`` in the user's browser; False if none would take it."""
    browsers = _browsers()
    if os.environ.get("BROWSER", "").strip():
        for browser in browsers:
            try:
                if browser.open(url):
                    return True
            except OSError:
                continue
        return False
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return False  # webbrowser would start a text browser over the app's screen
    try:
        return bool(webbrowser.open(url))
    except (webbrowser.Error, OSError):
        return False


def _mpv(
    target: str, seconds: float, which: Callable[[str], str | None], popen: Callable[..., Any]
) -> str | None:
    """Start mpv on ``target`` at ``seconds``; None on success, else why not."""
    mpv = which("mpv")
    if mpv is None:
        return "mpv is not installed"
    try:
        popen(
            [mpv, f"--start={max(0, int(seconds))}", "--force-window=immediate", "--", target],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        return f"mpv could not start ({exc.strerror or exc})"
    return None


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


def open_at(
    episode: Any,
    seconds: float,
    *,
    estimated: bool = False,
    browser: Callable[[str], bool] = open_url,
    which: Callable[[str], str | None] = shutil.which,
    popen: Callable[..., Any] = subprocess.Popen,
) -> Opened:
    """Open ``episode`` (a :class:`reader.library.Episode`) at ``seconds``: a local media
    file with mpv (if installed), else the YouTube video in the browser, else the
    podcast audio with mpv, else the web page."""
    when = format_clock(seconds, estimated)
    local = media_file(episode)
    why_not_local = ""
    if local is not None:
        problem = _mpv(str(local), seconds, which, popen)
        if problem is None:
            return Opened(True, f"Playing {local.name} in mpv from {when}", str(local))
        why_not_local = f"{problem}, so {local.name} cannot play here; "
    link = (
        episode.link_at(seconds)
        if getattr(episode.meta, "video_id", "") or "youtu" in (episode.meta.url or "")
        else ""
    )
    if link:
        if browser(link):
            return Opened(
                True,
                _first_up(f"{why_not_local}opened the video at {when} in the browser: {link}"),
                link,
            )
        return Opened(
            False,
            _first_up(
                f"{why_not_local}no browser to open {link} (set $BROWSER; Y copies the link)"
            ),
            link,
        )
    audio = audio_url(episode)
    if audio:
        problem = _mpv(audio, seconds, which, popen)
        if problem is None:
            return Opened(True, f"Playing the episode's audio in mpv from {when}", audio)
        return Opened(
            False, f"{problem}: install mpv to play the audio from {when} ({audio})", audio
        )
    if local is not None:
        return Opened(
            False, _first_up(f"{why_not_local}install mpv to play it from {when}"), str(local)
        )
    url = episode.meta.url or ""
    if url:
        if browser(url):
            return Opened(
                True, f"Opened the source page (a web page has no time to jump to): {url}", url
            )
        return Opened(False, f"No browser to open {url} (set $BROWSER)", url)
    return Opened(
        False, "This episode has no source to open: no video, audio or URL in its episode.toml"
    )
