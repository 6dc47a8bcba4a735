"""The keys every list in reader answers to, besides the arrows: j/k, g/G."""

from __future__ import annotations

from textual.binding import Binding

LIST_KEYS = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
    Binding("g", "first", "Top", show=False),
    Binding("G", "last", "Bottom", show=False),
]
