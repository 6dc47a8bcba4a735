"""The footer: the keys that work right now, on one line.

A light stand-in for Textual's ``Footer``: one widget that renders the screen's active
bindings (those with ``show=True``) as a single line, instead of one widget per key that
is recomposed on every focus change. When the line does not fit, the least important
keys are left out (``PRIORITY``), so quit, help, search and episodes stay visible at 80
columns. A click on a key presses it.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

# Lower is more important; actions not listed come after these, then the palette.
PRIORITY: dict[str, int] = {
    "quit": 0,
    "help": 1,
    "search": 2,
    "episodes": 3,
    "quote": 4,
    "quote(False)": 4,
    "toggle_selection": 5,
    "clear_selection": 5,
    "dismiss": 0,
    "cancel": 0,
    "goto_time": 6,
    "next_pane": 7,
    "quote_link": 10,
}
PALETTE_PRIORITY = 50
OTHER_PRIORITY = 20
GAP = 2


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        width: 1fr;
        dock: bottom;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._items: list[tuple[str, str, str, bool, int]] = []  # key, display, text, enabled, rank
        self._hot: list[tuple[int, int, str]] = []  # x ranges of the keys shown, for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            items = self._collect(screen)
            if items != self._items:
                self._items = items
                self.refresh()

    def _collect(self, screen: Screen) -> list[tuple[str, str, str, bool, int]]:
        app = self.app
        items: list[tuple[str, str, str, bool, int]] = []
        seen: set[str] = set()
        active = screen.active_bindings
        for _node, binding, enabled, _tooltip in active.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            rank = PRIORITY.get(binding.action, OTHER_PRIORITY)
            items.append(
                (binding.key, app.get_key_display(binding), binding.description, enabled, rank)
            )
        if app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                palette: Binding = found[1]
                items.append(
                    (
                        palette.key,
                        app.get_key_display(palette),
                        "palette",
                        found[2],
                        PALETTE_PRIORITY,
                    )
                )
        return items

    @staticmethod
    def _width(item: tuple[str, str, str, bool, int]) -> int:
        _key, display, text, _enabled, _rank = item
        return len(display) + 1 + len(text) + GAP

    def shown(self, width: int) -> list[tuple[str, str, str, bool, int]]:
        """The items that fit in ``width`` cells, most important first to stay."""
        items = list(self._items)
        while items and sum(map(self._width, items)) + 1 > width:
            worst = max(range(len(items)), key=lambda i: (items[i][4], i))
            del items[worst]
        return items

    def render(self) -> Content:
        parts: list[Content | tuple[str, str] | str] = [" "]
        self._hot = []
        x = 1
        for key, display, text, enabled, _rank in self.shown(self.size.width):
            key_style = "bold $footer-key-foreground" if enabled else "$text-disabled"
            text_style = "$footer-description-foreground" if enabled else "$text-disabled"
            parts += [(display, key_style), " ", (text, text_style), " " * GAP]
            width = len(display) + 1 + len(text)
            self._hot.append((x, x + width, key))
            x += width + GAP
        return Content.assemble(*parts)

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._hot:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
