"""Which pane has the focus, for the main screen: focusing a pane (opening the search
pane for it, or giving its room back), Tab / shift+Tab between the panes shown, and the
pane the focus is in.

The main screen owns one :class:`PaneFocus` and routes its keys to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget

if TYPE_CHECKING:
    from .main import MainScreen

PANES = ("summary", "transcript", "search")


class PaneFocus:
    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def focus_before_styling(self, pane: Widget) -> None:
        """The start pane has the focus before it is mounted, so it is styled once, with
        its :focus rules. (Textual focuses AUTO_FOCUS once the panes are mounted and
        restyles the pane twice, and its container once: ~10 style applications before
        the first frame, the transcript's 7 component styles each time.) Not mounted yet,
        nothing is restyled; its Focus event follows; :meth:`mounted` does the rest."""
        pane.set_reactive(Widget.has_focus, True)
        self.screen.set_focus(pane)

    def mounted(self) -> None:
        """The panes are mounted: the focused pane's containers are restyled for their
        :focus-within rules (styled before it was theirs), and the key bar, mounted since
        the focus was set, is told the pane's keys."""
        screen = self.screen
        focused = screen.focused
        if focused is not None:
            containers = [w for w in focused.ancestors if isinstance(w, Widget)]
            screen.app.stylesheet.update_nodes([w for w in containers if w is not screen])
            screen.refresh_bindings()

    def current(self) -> str | None:
        """The pane the focus is in (None: none of them)."""
        screen = self.screen
        node: Widget | None = screen.focused
        while node is not None and node is not screen:
            if node.id in PANES:
                return node.id
            if node.id == "transcript-pane":
                return "transcript"
            parent = node.parent
            node = parent if isinstance(parent, Widget) else None
        return None

    @property
    def search_open(self) -> bool:
        return self.screen.has_class("-show-search")

    def focus(self, pane: str) -> None:
        screen = self.screen
        narrow = screen.has_class("-narrow")
        if pane == "search":
            screen.add_class("-show-search")
            screen.search_pane.focus_input()
        elif pane == "summary":
            if narrow:
                screen.remove_class("-show-search")
            self._focus(screen.summary_view)
        elif screen.transcript_view.display:
            self._focus(screen.transcript_view)
        else:
            if narrow:
                screen.remove_class("-show-search")
            self._focus(screen.summary_view)

    def _focus(self, widget: Widget) -> None:
        # (Widget.focus repaints the widget even when it has the focus already: at start
        # the pane focused before the first frame would be drawn twice)
        if self.screen.focused is not widget:
            widget.focus()

    def close_search(self) -> None:
        """The search pane gives its room back (its query and results are kept)."""
        if self.search_open:
            self.screen.remove_class("-show-search")

    def cycle(self, delta: int) -> None:
        """Tab / shift+Tab: the next / previous pane shown."""
        current = self.current() or "transcript"
        order = [p for p in PANES if p != "search" or self.search_open]
        i = order.index(current) if current in order else 0
        for _ in range(len(order)):
            i = (i + delta) % len(order)
            if order[i] == "transcript" and not self.screen.transcript_view.display:
                continue
            break
        self.focus(order[i])
